"""`fanxing reward CONTRACT_NUMBER [--members "甲:50,乙:30,丙:20"] [--json] [--record --date YYYY-MM-DD]`:
a contract's inventor reward line by line, under its organisation's rule, less what earlier
distributions gave; with a team, each member's payout. `--record` records the distribution as the
platform (audited as 系统). With --json only JSON goes to stdout."""

import json
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from fanxing.core.management.lookups import date_given
from fanxing.deals.api_rewards import calculation_data, parse_members
from fanxing.deals.selectors.rewards import reward_contract_by_number
from fanxing.deals.services import reward_calculation, reward_distribute
from fanxing.deals.services.rewards import team_check


class Command(BaseCommand):
    help = "逐行显示一份技术合同的科技成果转化奖励计算；给出团队时按贡献比例分到分，--record 记录一次奖励发放"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("number", help="合同编号")
        parser.add_argument("--members", default="", help="团队及贡献比例，如 “甲:50,乙:30,丙:20”，合计 100")
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")
        parser.add_argument(
            "--record", action="store_true", help="记录一次奖励发放（须给出 --members 和 --date）"
        )
        parser.add_argument("--date", help="奖励决定日期 YYYY-MM-DD（与 --record 一起用）")
        parser.add_argument("--note", default="", help="说明，如决议文号（与 --record 一起用）")

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = None
        try:
            contract = reward_contract_by_number(options["number"])
            members = parse_members(options["members"])
            calculation = reward_calculation(contract, [m for m, _ in team_check(members)] if members else [])
            if options["record"]:
                recorded = self.record(contract, members, options)
        except Http404 as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(message(error)) from error
        if options["json"]:
            data = calculation_data(contract, calculation)
            if recorded is not None:
                data["distribution"] = {"id": recorded.pk, "decided_on": recorded.decided_on.isoformat()}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{contract.number} {contract.title} · {contract.organisation} · {calculation.mode.label}"
        )
        width = max(display_width(label) for label, _, _ in calculation.rows())
        for label, amount, note in calculation.rows():
            padding = " " * (width - display_width(label))
            self.stdout.write(f"{label}{padding}  {amount:>16,.2f}  {note}".rstrip())
        if recorded is not None:
            self.stdout.write(f"已记录奖励发放：{recorded.decided_on}，本次奖励总额 {recorded.pool:,.2f}")

    def record(self, contract: Any, members: list[tuple[str, str]], options: dict[str, Any]) -> Any:
        """Record the distribution the calculation shows (the service computes it the same way)."""
        if not members:
            raise CommandError("--record 须给出 --members（团队及贡献比例）")
        if not options["date"]:
            raise CommandError("--record 须给出 --date（奖励决定日期 YYYY-MM-DD）")
        decided_on = date_given(options["date"])
        return reward_distribute(
            by=None, contract=contract, members=members, decided_on=decided_on, note=options["note"]
        )


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(f"{name}：{'，'.join(texts)}" for name, texts in error.message_dict.items())
    return "；".join(error.messages)
