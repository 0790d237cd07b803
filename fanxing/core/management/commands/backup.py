"""`fanxing backup PATH [--json]`: the database and the matching indexes in one .tar.gz (docs/deployment.md)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fanxing.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "把数据库与匹配索引备份到一个 .tar.gz 文件（含清单：版本、时间、数据库类型、记录数）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="备份文件，如 /backups/fanxing-2026-11-27.tar.gz")
        parser.add_argument("--json", action="store_true", help="只在标准输出打印清单（JSON）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            manifest = backup_create(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False))
            return
        indexes = "，".join(f"{k} {v}" for k, v in manifest["index"].items() if v) or "无"
        self.stdout.write(
            f"已备份到 {path}：{manifest['database']['engine']} 数据库 {sum(manifest['counts'].values())} 条记录，"
            f"索引 {indexes}"
        )
