"""`fanxing expire_demands`: move published demands past their deadline to 已过期 (run daily)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from fanxing.demands.services import demands_expire


class Command(BaseCommand):
    help = "将已过截止日期的已发布需求标记为已过期，并写入审计日志"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        count = demands_expire()
        if options["json"]:
            self.stdout.write(json.dumps({"expired": count}))
        else:
            self.stdout.write(f"已过期需求：{count} 项")
