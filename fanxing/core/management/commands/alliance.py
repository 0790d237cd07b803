"""`fanxing alliance [--year Y] [--json]`: the members of the 科技成果转化联盟 in a year, with their role,
dates and what each published that year, most active first."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fanxing.core.api import member_out
from fanxing.core.management.jsonout import dumps
from fanxing.core.selectors import alliance_activity


class Command(BaseCommand):
    help = "科技成果转化联盟成员及其年度活跃情况（发布成果、需求数）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="年度；不填为今年")
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        year = options["year"] or this_year
        if not 2000 <= year <= this_year:
            raise CommandError(f"年度应在 2000 至 {this_year} 之间")
        members = [member_out(a) for a in alliance_activity(year)]
        if options["json"]:
            self.stdout.write(dumps({"year": year, "members": members}))
            return
        for m in members:
            self.stdout.write(
                f"{m['organisation']['name']} · {m['role_label']} · 加入于 {m['joined_on']}"
                f" · {year} 年发布成果 {m['achievements']} 项、需求 {m['demands']} 项"
            )
