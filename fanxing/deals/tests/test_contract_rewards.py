"""A contract's reward to the team: its payments and costs under its organisation's rule, to the cent."""

import datetime
from decimal import Decimal as D

from django.core.exceptions import ValidationError

from fanxing.deals.models import ContractKind, RewardRule
from fanxing.deals.rewards import Member
from fanxing.deals.services import contract_reward, cost_add, payment_add
from fanxing.deals.tests.test_contracts import SIGNED, ContractTestCase

TEAM = [Member("甲", D(50)), Member("乙", D(30)), Member("丙", D(20))]


class ContractRewardTest(ContractTestCase):
    def test_a_licence_under_a_70_per_cent_rule_as_worked_by_hand(self) -> None:
        """The example of test_rewards.py through records: 120 万元 signed, 70 + 50 万元 received, costs
        23,456.78 (maintenance) + 10,000.00 (evaluation) deducted, 5,000.00 (other) not: pool 816,580.25,
        paid 408,290.13 / 244,974.07 / 163,316.05."""
        RewardRule.objects.create(
            organisation=self.qdu, transfer_share=D(70), deductible=["maintenance", "evaluation"]
        )
        contract = self.sign()
        payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount=D(70))
        payment_add(by=self.tto_staff, contract=contract, received_on=datetime.date(2026, 6, 1), amount=D(50))
        for kind, amount in (("maintenance", "23456.78"), ("evaluation", "10000.00"), ("other", "5000.00")):
            cost_add(
                by=self.tto_staff,
                contract=contract,
                fields={"kind": kind, "amount": D(amount), "incurred_on": SIGNED},
            )
        reward = contract_reward(contract, TEAM)
        self.assertEqual((reward.base, reward.pool), (D("1166543.22"), D("816580.25")))
        self.assertEqual([p.amount for p in reward.payouts], [D("408290.13"), D("244974.07"), D("163316.05")])

    def test_without_a_rule_the_laws_minimum_applies(self) -> None:
        contract = self.sign(kind=ContractKind.TRANSFER, subkind="patent")
        payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount=D("0.0101"))  # 101.00 元
        reward = contract_reward(contract, [Member("甲", D(100))])
        self.assertEqual(
            (reward.base, reward.pool, reward.payouts[0].amount), (D("101.00"), D("50.50"), D("50.50"))
        )

    def test_a_rule_below_the_law_or_a_service_contract_is_refused_with_the_reason(self) -> None:
        contract = self.sign()
        RewardRule.objects.create(organisation=self.qdu, transfer_share=D(30))
        with self.assertRaisesMessage(ValidationError, "不得低于法定的 50%"):
            contract_reward(contract, TEAM)
        RewardRule.objects.filter(organisation=self.qdu).update(transfer_share=D(60))
        service = self.sign(kind=ContractKind.SERVICE, subkind="general_service")
        with self.assertRaisesMessage(ValidationError, "另行计算"):
            contract_reward(service, TEAM)

    def test_a_cost_must_be_positive_and_of_a_known_kind(self) -> None:
        contract = self.sign()
        for fields, field in (
            ({"kind": "travel", "amount": D(5), "incurred_on": SIGNED}, "kind"),
            ({"kind": "tax", "amount": D(-5), "incurred_on": SIGNED}, "amount"),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                cost_add(by=self.tto_staff, contract=contract, fields=fields)
            self.assertIn(field, caught.exception.message_dict)
        self.assertEqual(contract.costs.count(), 0)
