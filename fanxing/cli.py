"""The `fanxing` command: Django's management commands plus the platform's own.

`fanxing demo`, `fanxing import`, `fanxing export` and the rest are management commands of the apps;
`fanxing migrate`, `fanxing runserver` and every Django command work as with manage.py.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanxing.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
