"""From a demand to the inventors' rewards, end to end (issue 4's "Must show"): the demand is matched, the
lead goes to the manager whose specialty fits, moves through its stages, a licence contract is signed and
registered, payments arrive, the team's rewards come out to the cent as worked by hand, and the audit
trail shows every step. Each step goes through the platform's outside: the lead's pages, the contracts
and rewards API (as an office's own system would call it) and the contract's cost form."""

import datetime
from decimal import Decimal as D
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry
from fanxing.deals.models import Lead, RewardDistribution, RewardRule, TechContract
from fanxing.matching import indexes
from fanxing.matching.selectors import achievements_for_demand
from tests.base import PersonasTestCase, make_achievement, make_demand, make_profile, make_user

# The hand-worked example (fanxing/deals/tests/test_rewards.py): a 120 万元 licence; 70 + 50 万元 received
# = 1,200,000.00 元; deductible costs 23,456.78 (patent maintenance) + 10,000.00 (evaluation) = 33,456.78;
# 5,000.00 (other) is not deductible under the rule. Net income 1,166,543.22; 70 % → 816,580.254 → pool
# 816,580.25 元. Split 50/30/20: 408,290.125, 244,974.075, 163,316.050 → rounded down 408,290.12,
# 244,974.07, 163,316.05 (sum 816,580.24), the remaining cent to the largest remainder (甲) → 408,290.13.
POOL = D("816580.25")
PAYOUTS = {"甲": D("408290.13"), "乙": D("244974.07"), "丙": D("163316.05")}


class BrokerageEndToEndTest(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_profile(cls.manager, ["marine.fishery"], "对虾养殖、养殖尾水处理、水产病害防控")
        cls.vision = make_user("vision", Role.MANAGER)
        make_profile(cls.vision, ["ai.vision"], "计算机视觉、工业质检、图像识别")
        RewardRule.objects.create(
            organisation=cls.qdu, transfer_share=D(70), deductible=["maintenance", "evaluation"]
        )

    def setUp(self) -> None:
        self.achievement = make_achievement(
            self.qdu,
            title="对虾养殖尾水微生物处理技术",
            summary="以复合微生物菌剂降解对虾养殖尾水中的氨氮与亚硝酸盐，处理后达标排放。",
        )
        make_achievement(self.ouc, title="工业视觉缺陷检测系统", summary="基于深度学习的表面缺陷检测。")
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水氨氮处理技术")
        for library in ("achievements", "people"):
            indexes.rebuild(library)

    def api(self, path: str, body: dict[str, Any], status: int = 201) -> Any:
        response = self.client.post(f"/api/v1{path}", body, content_type="application/json")
        self.assertEqual(response.status_code, status, response.content.decode())
        return response.json()

    def test_a_demand_matched_becomes_a_licence_whose_inventors_are_rewarded_to_the_cent(self) -> None:
        # 1. The enterprise's demand is matched: the shrimp-farming achievement comes first.
        matches = achievements_for_demand(self.enterprise_user, self.demand) or []
        self.assertEqual(matches[0].record, self.achievement)

        # 2. The enterprise hands the match over without naming a manager: the platform assigns the one
        #    whose specialty (marine fishery) fits, not the computer-vision manager.
        self.login(self.enterprise_user)
        self.client.post(
            reverse("deals:lead_create"), {"demand": self.demand.pk, "achievement": self.achievement.pk}
        )
        lead = Lead.objects.get()
        self.assertEqual(lead.manager, self.manager)
        self.assertIn("专长匹配", lead.assignment)

        # 3. The manager logs a call and moves the lead: 已联系, 洽谈中.
        self.login(self.manager)
        today = timezone.localdate()
        self.client.post(
            reverse("deals:lead_activity", args=[lead.pk]),
            {"kind": "call", "happened_on": today.isoformat(), "note": "与企业技术负责人通话"},
        )
        for stage in ("contacted", "negotiating"):
            self.client.post(reverse("deals:lead_move", args=[lead.pk]), {"stage": stage})
        lead.refresh_from_db()
        self.assertEqual(lead.stage, Lead.Stage.NEGOTIATING)

        # 4. The university's office keeps the licence contract on the lead, signed, then registered
        #    (its staff's API client, as an office's own system would).
        signed = today - datetime.timedelta(days=30)
        self.login(self.tto_staff)
        created = self.api(
            "/contracts",
            {
                "number": "QDU-2026-XK-001",
                "title": "对虾养殖尾水微生物处理技术普通许可",
                "kind": "licence",
                "subkind": "ordinary",
                "lead": lead.pk,
                "amount": "120",
                "signed_on": signed.isoformat(),
                "parties": [
                    {"role": "seller", "organisation": self.qdu.pk},
                    {"role": "buyer", "organisation": self.haichuan.pk},
                    {"role": "intermediary", "name": "崂山区技术转移服务中心"},
                ],
                "achievements": [self.achievement.ref],
            },
        )
        contract = TechContract.objects.get(pk=created["id"])
        self.api(
            f"/contracts/{contract.pk}/register",
            {
                "registration_status": "registered",
                "registration_number": "370212-2026-0001",
                "registered_on": (signed + datetime.timedelta(days=5)).isoformat(),
                "certified_amount": "120",
            },
            status=200,
        )
        self.login(self.manager)
        self.client.post(reverse("deals:lead_move", args=[lead.pk]), {"stage": "signed"})
        lead.refresh_from_db()
        self.assertEqual(lead.stage, Lead.Stage.SIGNED)

        # 5. Payments arrive (API); the direct costs are recorded on the contract's page.
        self.login(self.tto_staff)
        for day, amount in ((signed, "70"), (today, "50")):
            self.api(f"/contracts/{contract.pk}/payments", {"received_on": day.isoformat(), "amount": amount})
        for kind, amount in (("maintenance", "23456.78"), ("evaluation", "10000.00"), ("other", "5000.00")):
            self.client.post(
                reverse("deals:contract_cost", args=[contract.pk]),
                {"kind": kind, "amount": amount, "incurred_on": today.isoformat()},
            )
        self.assertEqual(contract.costs.count(), 3)

        # 6. The office's admin records the team's rewards (API): to the cent, as worked by hand.
        self.login(self.tto_admin)
        recorded = self.api(
            f"/rewards/contracts/{contract.pk}/distributions",
            {
                "members": [
                    {"name": "甲", "contribution": "50"},
                    {"name": "乙", "contribution": "30"},
                    {"name": "丙", "contribution": "20"},
                ],
                "decided_on": today.isoformat(),
            },
        )
        self.assertEqual(D(recorded["pool"]), POOL)
        self.assertEqual({p["name"]: D(p["amount"]) for p in recorded["payouts"]}, PAYOUTS)
        self.assertEqual(sum(PAYOUTS.values()), POOL)
        distribution = RewardDistribution.objects.get()
        self.assertEqual({p.name: p.amount for p in distribution.payouts.all()}, PAYOUTS)

        # 7. The audit trail shows each step, in order, by whom.
        steps = [
            (e.action, e.actor.username if e.actor else None)
            for e in AuditEntry.objects.filter(
                content_type__in=ContentType.objects.get_for_models(Lead, TechContract).values()
            ).order_by("pk")
        ]
        self.assertEqual(
            steps,
            [
                ("lead_create", "enterprise_user"),
                ("lead_activity", "manager"),
                ("lead_move", "manager"),
                ("lead_move", "manager"),
                ("contract_create", "tto_staff"),
                ("contract_register", "tto_staff"),
                ("lead_move", "manager"),
                ("payment_add", "tto_staff"),
                ("payment_add", "tto_staff"),
                ("cost_add", "tto_staff"),
                ("cost_add", "tto_staff"),
                ("cost_add", "tto_staff"),
                ("reward_distribute", "tto_admin"),
            ],
        )
        self.login(self.manager)
        page = self.client.get(reverse("deals:lead", args=[lead.pk])).content.decode()
        for shown in (
            "已签约",
            "QDU-2026-XK-001",
            "与企业技术负责人通话",
            "推进线索",
            "阶段：洽谈中 → 已签约",
        ):
            self.assertIn(shown, page)
