"""Recorded reward distributions and payouts: the hand-worked example to the cent, a second distribution
rewarding only the increment, bad teams refused with nothing written, who records and who reads, the
pages and their Excel exports, the API and the CLI."""

import datetime
from decimal import Decimal as D
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.core.models import AuditEntry
from fanxing.deals.models import RewardDistribution, RewardPayout, RewardRule
from fanxing.deals.services import cost_add, payment_add, payout_mark_paid, reward_distribute
from fanxing.deals.tests.test_contracts import SIGNED, ContractTestCase

TEAM = [("甲", "50"), ("乙", "30"), ("丙", "20")]
DECIDED = datetime.date(2026, 7, 1)
SECOND_PAYMENT = datetime.date(2026, 6, 1)


class RewardTestCase(ContractTestCase):
    """The hand-worked licence: 120 万元 under a 70 % rule deducting maintenance and evaluation costs."""

    def setUp(self) -> None:
        super().setUp()
        RewardRule.objects.create(
            organisation=self.qdu, transfer_share=D(70), deductible=["maintenance", "evaluation"]
        )
        self.contract = self.sign()
        for kind, amount in (("maintenance", "23456.78"), ("evaluation", "10000.00"), ("other", "5000.00")):
            cost_add(
                by=self.tto_staff,
                contract=self.contract,
                fields={"kind": kind, "amount": D(amount), "incurred_on": SIGNED},
            )

    def pay(self, amount: int, on: datetime.date = SIGNED) -> None:
        payment_add(by=self.tto_staff, contract=self.contract, received_on=on, amount=D(amount))

    def distribute(self, by: Any = None, members: Any = TEAM, **kwargs: Any) -> RewardDistribution:
        return reward_distribute(
            by=by or self.tto_admin,
            contract=self.contract,
            members=members,
            decided_on=kwargs.pop("decided_on", DECIDED),
            **kwargs,
        )

    def written(self) -> tuple[int, ...]:
        return (
            RewardDistribution.objects.count(),
            RewardPayout.objects.count(),
            AuditEntry.objects.count(),
        )

    def amounts(self, distribution: RewardDistribution) -> list[D]:
        return [p.amount for p in distribution.payouts.order_by("id")]


class RewardDistributeTest(RewardTestCase):
    def test_the_hand_worked_example_recorded_gives_exactly_its_payouts(self) -> None:
        self.pay(70)
        self.pay(50, SECOND_PAYMENT)
        distribution = self.distribute(note="2026 年第一次奖励")
        self.assertEqual((distribution.base, distribution.pool), (D("1166543.22"), D("816580.25")))
        self.assertEqual(self.amounts(distribution), [D("408290.13"), D("244974.07"), D("163316.05")])
        self.assertEqual(
            [(p.name, p.contribution, p.paid_on) for p in distribution.payouts.order_by("id")],
            [("甲", D(50), None), ("乙", D(30), None), ("丙", D(20), None)],
        )
        lines = {label: (amount, note) for label, amount, note in distribution.lines}
        self.assertEqual(lines["净收入"][0], "1166543.22")
        self.assertEqual(lines["奖励总额"][0], "816580.25")
        self.assertEqual(lines["本次可分配奖励"][0], "816580.25")
        self.assertNotIn("减：此前已发放奖励", lines)
        entry = AuditEntry.objects.get(action="reward_distribute")
        self.assertEqual((entry.actor, entry.object_id), (self.tto_admin, self.contract.pk))
        self.assertIn("甲 50% 408290.13", entry.changes["payouts"][1])

    def test_a_second_distribution_rewards_only_what_the_later_income_added(self) -> None:
        self.pay(70)
        first = self.distribute()
        # 700,000 − 33,456.78 deducted = 666,543.22 × 70 % = 466,580.25
        self.assertEqual(first.pool, D("466580.25"))
        with self.assertRaises(ValidationError) as caught:
            self.distribute(decided_on=datetime.date(2026, 7, 2))
        self.assertIn("没有可分配的奖励", caught.exception.message_dict["contract"][0])
        self.pay(50, SECOND_PAYMENT)
        second = self.distribute(decided_on=datetime.date(2026, 8, 1))
        self.assertEqual(second.pool, D("350000.00"))
        self.assertEqual(first.pool + second.pool, D("816580.25"))
        self.assertEqual(self.amounts(second), [D("175000.00"), D("105000.00"), D("70000.00")])
        lines = {label: amount for label, amount, _ in second.lines}
        self.assertEqual(lines["减：此前已发放奖励"], "466580.25")
        self.assertEqual(lines["本次可分配奖励"], "350000.00")

    def test_payouts_add_up_to_the_pool_to_the_cent(self) -> None:
        self.pay(70)
        distribution = self.distribute(members=[("甲", "33.34"), ("乙", "33.33"), ("丙", "33.33")])
        self.assertEqual(sum(self.amounts(distribution)), distribution.pool)

    def test_a_bad_team_is_refused_on_members_and_nothing_is_written(self) -> None:
        self.pay(70)
        before = self.written()
        for members, words in (
            ([("甲", "50"), ("乙", "40")], "贡献比例合计须为 100%（现为 90%）"),
            ([("甲", "60"), ("乙", "50")], "贡献比例合计须为 100%（现为 110%）"),
            ([("甲", "50"), ("甲", "50")], "成员姓名“甲”重复"),
            ([("甲", "100"), ("乙", "0")], "应大于 0"),
            ([("", "100")], "姓名不能为空"),
            ([("甲", "abc")], "不是数字"),
            ([], "至少需要一名"),
        ):
            with self.subTest(members=members), self.assertRaises(ValidationError) as caught:
                self.distribute(members=members)
            self.assertIn(words, " ".join(caught.exception.message_dict["members"]))
        self.assertEqual(self.written(), before)

    def test_only_the_organisations_admins_and_the_bureau_record_a_distribution(self) -> None:
        self.pay(70)
        for user in (self.tto_staff, self.other_staff, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.distribute(by=user)
        self.assertEqual(RewardDistribution.objects.count(), 0)
        self.distribute(by=self.bureau_admin)
        self.assertEqual(RewardDistribution.objects.count(), 1)

    def test_a_payout_is_marked_paid_not_before_the_decision_and_audited(self) -> None:
        self.pay(70)
        payout = self.distribute().payouts.order_by("id").first()
        assert payout is not None
        with self.assertRaises(ValidationError) as caught:
            payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=datetime.date(2026, 6, 30))
        self.assertIn("不能早于奖励决定日期", caught.exception.message_dict["paid_on"][0])
        with self.assertRaises(PermissionDenied):
            payout_mark_paid(by=self.tto_staff, payout=payout, paid_on=DECIDED)
        payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=DECIDED)
        payout.refresh_from_db()
        self.assertEqual(payout.paid_on, DECIDED)
        self.assertTrue(
            AuditEntry.objects.filter(action="payout_mark_paid", object_id=self.contract.pk).exists()
        )
        with self.assertRaises(ValidationError):
            payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=DECIDED)
