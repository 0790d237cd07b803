"""`fanxing index rebuild|status [--library L] [--workers N] [--json]`: the matching indexes."""

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fanxing.matching.indexes import LIBRARIES, rebuild, status


class Command(BaseCommand):
    help = "重建或查看匹配索引（成果、需求、技术经理人与专家、企业）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument("--library", choices=LIBRARIES, help="只处理这一个索引（默认全部）")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="重建时分词的进程数（默认：CPU 核数）"
        )
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers 至少为 1")
        libraries = [options["library"]] if options["library"] else list(LIBRARIES)
        if options["action"] == "rebuild":
            results = {library: rebuild(library, workers=options["workers"]) for library in libraries}
        else:
            results = {library: status(library) for library in libraries}
        if options["json"]:
            self.stdout.write(
                json.dumps({k: v.__dict__ if v else None for k, v in results.items()}, ensure_ascii=False)
            )
            return
        for library, result in results.items():
            if result is None:
                self.stdout.write(f"{library}：尚无索引（没有已发布的记录，或还未重建）")
            else:
                self.stdout.write(
                    f"{library}：{result.documents} 条，{result.vocabulary} 个词，版本 {result.version}，"
                    f"建索引用时 {result.build_seconds} 秒，目录 {result.folder}"
                )
