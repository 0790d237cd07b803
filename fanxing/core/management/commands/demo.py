"""`fanxing demo`: migrate, load the demo data (again without duplicates), print the logins, serve."""

import json
import unicodedata
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fanxing.core.demo import DEMO_PASSWORD, LoginRow, Step, load_demo


class Command(BaseCommand):
    help = "准备数据库并载入演示数据（可重复执行，不会重复创建），打印演示账号，然后启动开发服务器"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库和演示数据，不启动服务")
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="开发服务器的地址和端口，默认 127.0.0.1:8000"
        )
        parser.add_argument(
            "--json", action="store_true", help="只在标准输出打印 JSON（各步骤结果和演示账号）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        if not as_json:
            self.stdout.write("正在迁移数据库…")
        call_command(
            "migrate", interactive=False, verbosity=0 if as_json else max(0, options["verbosity"] - 1)
        )

        def report(step: Step, result: str) -> None:
            if not as_json:
                self.stdout.write(f"  {step.label}：{result}")

        if not as_json:
            self.stdout.write("正在载入演示数据…")
        ctx = load_demo(report=report)
        logins = ctx.logins()
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"steps": ctx.results, "logins": [login.__dict__ for login in logins]}, ensure_ascii=False
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（仅供演示，共用一个密码）："))
            self.stdout.write(login_table(logins))
        if not options["no_serve"]:
            call_command("runserver", options["addr"], use_reloader=False)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def login_table(logins: list[LoginRow]) -> str:
    """The logins as an aligned table (Chinese characters count as two columns)."""
    rows = [("角色", "用户名", "密码", "所属机构")]
    rows += [(r.role, r.username, r.password, r.organisation) for r in logins]
    sizes = [max(width(row[i]) for row in rows) for i in range(4)]
    lines = ["  " + "  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  " + "  ".join("-" * s for s in sizes))
    if any(r.password != DEMO_PASSWORD for r in logins):
        lines.append("  密码已修改的账号保持原样：载入演示数据不会改动已有账号。")
    return "\n".join(lines)
