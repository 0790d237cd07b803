"""`fanxing serve [--bind ADDRESS] [--workers N] [--threads N]`: the production web server (gunicorn)."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 gunicorn 提供网站服务（生产环境）；参数默认取自环境变量，见 fanxing/gunicorn_conf.py"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", help="监听地址（默认 FANXING_BIND 或 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, help="工作进程数（默认 FANXING_WORKERS 或 CPU 核数）")
        parser.add_argument("--threads", type=int, help="每个进程的线程数（默认 FANXING_THREADS 或 4）")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write("注意：FANXING_DEBUG 未关闭，这不是生产配置（见 docs/deployment.md）")
        command = [sys.executable, "-m", "gunicorn", "-c", "python:fanxing.gunicorn_conf"]
        for option in ("bind", "workers", "threads"):
            if options[option] is not None:
                command.append(f"--{option}={options[option]}")
        command.append("fanxing.wsgi:application")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)  # gunicorn takes this process: signals reach its master directly
