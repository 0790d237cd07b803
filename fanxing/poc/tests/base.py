"""A proof-of-concept world on top of the personas: a platform, a call with a rubric, experts of the pool
(one of them works at 青岛大学, the applicant), and helpers that run a call through its stages."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.deals.models import TechContract
from fanxing.poc import services
from fanxing.poc.models import PocApplication, PocCall, PocPlatform
from tests.base import PersonasTestCase, make_achievement, make_profile, make_user

RUBRIC = [
    {"key": "tech", "label": "技术先进性", "weight": 40, "max_score": 10},
    {"key": "market", "label": "市场前景", "weight": 30, "max_score": 10},
    {"key": "team", "label": "团队能力", "weight": 30, "max_score": 10},
]


def make_contract(organisation: Any, number: str = "HT-POC-001") -> TechContract:
    return TechContract.objects.create(
        number=number,
        title="尾水处理技术普通许可",
        kind="licence",
        subkind="ordinary",
        organisation=organisation,
        amount=Decimal("120"),
        signed_on=timezone.localdate(),
    )


class PocTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        make_profile(cls.expert, ["marine.fishery"], "水产养殖、尾水处理", affiliation="山东大学")
        cls.qdu_expert = make_user("qdu_expert", Role.EXPERT)
        make_profile(cls.qdu_expert, ["marine.fishery"], "海水养殖、微生物", affiliation="青岛大学")
        cls.expert_b = make_user("expert_b", Role.EXPERT)
        make_profile(cls.expert_b, ["marine.fishery"], "水处理工艺", affiliation="中国科学院海洋研究所")
        cls.expert_c = make_user("expert_c", Role.EXPERT)
        make_profile(cls.expert_c, ["marine.fishery"], "环境工程", affiliation="青岛科技大学")
        cls.platform = PocPlatform.objects.create(
            name="青岛海洋概念验证中心",
            level="provincial",
            host=cls.qdu,
            recognised_year=2024,
            services="中试验证",
        )

    def setUp(self) -> None:
        self.qdu_achievement = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        self.ouc_achievement = make_achievement(self.ouc, title="海藻多糖提取新工艺")

    def make_call(self, **fields: Any) -> PocCall:
        values: dict[str, Any] = {
            "title": "2026年度概念验证项目",
            "funder": PocCall.Funder.DISTRICT,
            "budget_total": Decimal("100"),
            "per_project_cap": Decimal("50"),
            "opens_on": self.today - datetime.timedelta(days=10),
            "deadline": self.today + datetime.timedelta(days=10),
            "rubric": RUBRIC,
            "reviewers_per_application": 2,
        } | fields
        call = services.call_save(by=self.bureau_admin, fields=values)
        return services.call_open(by=self.bureau_admin, call=call)

    def apply(self, call: PocCall, user: User, achievement: Any, budget: str = "40") -> PocApplication:
        return services.application_submit(
            by=user, call=call, achievement=achievement, plan="样机试制与中试验证", budget=Decimal(budget)
        )
