"""`fanxing ledger ORGANISATION [--json]`: a unit's ledger of service achievements (单列管理台账), as the
platform sees it: each achievement with its grants of rights, the contracts converting it and the money
received. ORGANISATION is the organisation's id or its exact name."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fanxing.achievements.api import ledger_out
from fanxing.achievements.selectors import ledger_get
from fanxing.core.management.jsonout import dumps
from fanxing.core.management.lookups import organisation_named


class Command(BaseCommand):
    help = "列出一个高校院所的职务科技成果单列管理台账：赋权、转化合同与到账金额"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="机构 id 或机构全称")
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        ledger = ledger_out(ledger_get(None, organisation_named(options["organisation"])))
        if options["json"]:
            self.stdout.write(dumps(ledger))
            return
        for row in ledger["achievements"]:
            grants = (
                "；".join(f"{g['grantees']} {g['kind_label']} {g['share']}%" for g in row["grants"]) or "—"
            )
            self.stdout.write(
                f"{row['ref']} {row['title'][:30]} · 赋权：{grants} · 合同 {len(row['conversions'])} 份"
                f" {row['amount']} 万元，到账 {row['received']} 万元"
            )
        t = ledger["totals"]
        self.stdout.write(
            f"合计：成果 {t['achievements']} 项，赋权 {t['grants']} 次，合同 {t['contracts']} 份"
            f" {t['amount']} 万元，到账 {t['received']} 万元"
        )
