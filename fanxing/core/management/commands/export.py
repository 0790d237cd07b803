"""`fanxing export achievements|demands|organisations|contracts|platforms FILE [--json] [--user NAME]`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanxing.accounts.models import User
from fanxing.core.io import KINDS, TabularError, records_export
from fanxing.core.tabular import file_format


class Command(BaseCommand):
    help = "把成果、需求、机构或技术合同导出为 xlsx 或 csv 文件（格式由扩展名决定），导出的文件可以直接导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS), help="导出的类型")
        parser.add_argument("file", help="输出文件，.xlsx 或 .csv")
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON 格式的结果")
        parser.add_argument("--user", help="按该用户可见的范围导出（保密字段按其权限留空）；默认导出全部")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            fmt = file_format(path.name)
        except TabularError as error:
            raise CommandError(str(error)) from error
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在")
        if not path.parent.exists():
            raise CommandError(f"目录不存在：{path.parent}")
        count = records_export(options["kind"], None, user, path, fmt)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"kind": options["kind"], "path": str(path), "format": fmt, "count": count},
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(f"已导出 {count} 条{KINDS[options['kind']].label}到 {path}")
