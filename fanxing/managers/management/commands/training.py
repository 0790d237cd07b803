"""`fanxing training [--json]`: technology managers trained per year (people, hours) and certified."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fanxing.core.management.jsonout import dumps
from fanxing.managers.selectors import training_by_year


class Command(BaseCommand):
    help = "技术经理人培训统计：每年参训人数、学时和取得证书人数"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        years = [vars(y) for y in training_by_year()]
        if options["json"]:
            self.stdout.write(dumps(years))
            return
        self.stdout.write("年度  参训人数  学时  取得证书")
        for y in years:
            self.stdout.write(f"{y['year']}  {y['trained']:>6}  {y['hours']:>6}  {y['certified']:>6}")
