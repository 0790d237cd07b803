"""`fanxing restore PATH [--noinput] [--json]`: put back the database and the indexes of a backup."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fanxing.core.backup import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = "用 fanxing backup 的备份文件替换当前数据库与匹配索引（先停止网站与任务进程）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="fanxing backup 写出的 .tar.gz 文件")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认"
        )
        parser.add_argument("--json", action="store_true", help="只在标准输出打印备份的清单（JSON）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            manifest = read_manifest(path)
            if options["interactive"] and not self.confirmed(manifest):
                raise CommandError("已取消，未做任何改动")
            manifest = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False))
            return
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份：{sum(manifest['counts'].values())} 条记录；"
            "如备份来自较早的版本，请再运行 fanxing migrate"
        )

    def confirmed(self, manifest: dict[str, Any]) -> bool:
        name = connection.settings_dict["NAME"]
        try:
            answer = input(
                f"将用 {manifest['created_at']} 的备份替换数据库 {name} 与匹配索引，现有数据会丢失。"
                "输入 yes 继续："
            )
        except EOFError:  # no terminal (cron, a pipe): --noinput says yes
            return False
        return answer.strip().lower() == "yes"
