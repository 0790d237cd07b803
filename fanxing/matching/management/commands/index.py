"""`fanxing index rebuild|status [--json]`: the matching indexes of the two libraries."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from fanxing.matching.indexes import LIBRARIES, rebuild, status


class Command(BaseCommand):
    help = "重建或查看匹配索引（成果库与需求库）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        act = rebuild if options["action"] == "rebuild" else status
        results = {library: act(library) for library in LIBRARIES}
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
                    f"{library}：{result.documents} 条，版本 {result.version}，目录 {result.folder}"
                )
