#!/usr/bin/env python
"""Django's manage.py; `fanxing` is the same and more."""

from fanxing.cli import main

if __name__ == "__main__":
    main()
