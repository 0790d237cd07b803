"""`fanxing report --year Y --format json|html|pdf|xlsx --out PATH`: the year's leaderboard (成果榜单).

The figures run from 1 January to the leaderboard's 统计截至 date (31 December without one). A published
year is written as it was published (the portal shows the same), unless `--live` asks for the figures as
the records give them now. The file is
written whole or not at all: it is written beside PATH and moved into place once complete."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanxing.reports import report
from fanxing.reports.files import write_whole
from fanxing.reports.renderers import FORMATS, render


class Command(BaseCommand):
    help = "生成年度科技成果榜单（json、html、pdf 或 xlsx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2025")
        parser.add_argument("--format", choices=FORMATS, default="json", help="文件格式")
        parser.add_argument("--out", required=True, help="输出文件路径；“-” 表示标准输出（仅 json、html）")
        parser.add_argument(
            "--live", action="store_true", help="按当前记录重新计算（默认：已发布的年度按发布时的数字）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, fmt, out = options["year"], options["format"], options["out"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度“{year}”应在 2000 到 2100 之间")
        if out == "-" and fmt in ("pdf", "xlsx"):
            raise CommandError(f"{fmt} 文件不能写到标准输出，请用 --out 指定文件")
        path = Path(out)
        if out != "-" and not path.parent.is_dir():
            raise CommandError(f"输出目录“{path.parent}”不存在")
        content = render(report.build(year) if options["live"] else report.leaderboard(year), fmt)
        if out == "-":
            self.stdout.write(content.decode())
            return
        try:
            write_whole(path, content)
        except OSError as error:
            raise CommandError(f"无法写入“{path}”：{error.strerror or error}") from error
        self.stderr.write(f"已生成 {year} 年度成果榜单（{fmt}）：{path}（{len(content)} 字节）")
