"""`fanxing poc remind [--date YYYY-MM-DD] [--json]`: the day's proof-of-concept reminders, each sent once.

- a call closing within 3 days, to the admins of the organisations that applied;
- a review still to score in a call under review, to its expert;
- a milestone due within 7 days and not yet reported, to the project's owners.

Run it daily (cron); a reminder already sent is not sent again (the notice key). The CLI acts as the
platform.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fanxing.core.management.lookups import date_given
from fanxing.poc.services import poc_reminders


class Command(BaseCommand):
    help = "概念验证：发送截止、待评审和节点到期提醒（每条只发一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="发送今天（或指定日期）的提醒")
        remind.add_argument("--date", help="按该日期计算，格式 YYYY-MM-DD；默认今天")
        remind.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_given(options["date"]) if options["date"] else None
        sent = poc_reminders(today)
        if options["json"]:
            self.stdout.write(json.dumps(sent, ensure_ascii=False))
            return
        self.stdout.write(
            f"申报截止提醒 {sent['deadline']} 条，待评审提醒 {sent['reviews']} 条，节点到期提醒 {sent['milestones']} 条"
        )
