"""The brokerage's reading commands: the ledger, the training statistics, the alliance, with --json."""

import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management import CommandError, call_command

from fanxing.achievements.services import rights_grant_add
from fanxing.core.services import alliance_member_save
from fanxing.managers.services import training_add
from tests.base import PersonasTestCase, make_achievement, make_profile


def run_json(*args: str) -> Any:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


class BrokerageCommandsTest(PersonasTestCase):
    def test_the_ledger_lists_the_units_achievements_with_their_grants(self) -> None:
        achievement = make_achievement(self.qdu, title="海藻多糖提取工艺")
        rights_grant_add(
            by=self.tto_admin,
            achievement=achievement,
            fields={
                "kind": "ownership",
                "grantees": "张三、李四",
                "share": Decimal(70),
                "granted_on": datetime.date(2025, 3, 1),
            },
        )
        ledger = run_json("ledger", self.qdu.name)
        self.assertEqual(ledger["organisation"]["name"], self.qdu.name)
        row = next(r for r in ledger["achievements"] if r["title"] == "海藻多糖提取工艺")
        self.assertEqual([(g["grantees"], g["share"]) for g in row["grants"]], [("张三、李四", "70.00")])
        with self.assertRaisesMessage(CommandError, "机构“没有这家”不存在"):
            call_command("ledger", "没有这家", stdout=io.StringIO())

    def test_training_statistics_count_people_and_hours_per_year(self) -> None:
        profile = make_profile(self.manager, ["marine.fishery"], "养殖尾水处理")
        for day, hours in ((datetime.date(2025, 4, 1), 48), (datetime.date(2025, 9, 1), 16)):
            training_add(
                by=None,
                manager=profile,
                fields={
                    "course": "技术经理人培训",
                    "hours": hours,
                    "date": day,
                    "provider": "青岛市技术市场服务中心",
                },
            )
        years = run_json("training")
        self.assertEqual(
            [(y["year"], y["trained"], Decimal(str(y["hours"]))) for y in years], [(2025, 1, Decimal(64))]
        )

    def test_the_alliance_lists_members_of_the_year(self) -> None:
        alliance_member_save(
            by=None, organisation=self.qdu, fields={"role": "chair", "joined_on": datetime.date(2023, 5, 1)}
        )
        found = run_json("alliance", "--year", "2025")
        self.assertEqual([m["organisation"]["name"] for m in found["members"]], [self.qdu.name])
        with self.assertRaisesMessage(CommandError, "年度应在"):
            call_command("alliance", "--year", "1999", stdout=io.StringIO())
