"""`fanxing import achievements|demands|organisations|contracts|platforms FILE [--dry-run] [--json] [--user NAME]`."""

import json
import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fanxing.accounts.models import User
from fanxing.core.io import KINDS, TabularError, records_import

PROGRESS_FROM_ROWS = 500


class Command(BaseCommand):
    help = "从 xlsx 或 csv 文件导入成果、需求、机构或技术合同：先校验全部行，有任何问题则不写入并以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS), help="导入的类型")
        parser.add_argument(
            "file", help=".xlsx 或 .csv 文件（列名见 fanxing export 导出的文件或网页上的模板）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验并列出问题，不写入")
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON 格式的报告")
        parser.add_argument("--user", help="以该用户的身份导入（按其角色检查权限）；默认以平台身份导入")

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"用户“{options['user']}”不存在")
        bar = Bar("校验" if options["dry_run"] else "校验并导入")
        try:
            report = records_import(
                options["kind"], options["file"], by=by, dry_run=options["dry_run"], progress=bar.update
            )
        except (TabularError, PermissionDenied) as error:
            bar.close()
            message = str(error)
            if options["json"]:
                self.stdout.write(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
            self.stderr.write(f"错误：{message}")
            sys.exit(1)
        bar.close()
        for problem in report.problems:
            self.stderr.write(str(problem))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(report.summary())
        if not report.ok:
            self.stderr.write(report.summary())
            sys.exit(1)


class Bar:
    """A tqdm bar on stderr, shown only for files large enough to wait for."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.bar: tqdm | None = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM_ROWS:
                return
            self.bar = tqdm(total=total, desc=self.description, unit="行", file=sys.stderr, mininterval=1)
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
