"""Technology contracts: the type table, amounts, parties, registration, payments, who sees what, totals."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.accounts import permissions
from fanxing.core.models import AuditEntry
from fanxing.deals.models import (
    CONTRACT_TYPES,
    ContractKind,
    ContractParty,
    Lead,
    Payment,
    PaymentInstalment,
    TechContract,
)
from fanxing.deals.selectors import contract_get, contract_list, contract_received, contract_totals
from fanxing.deals.services import contract_register, contract_save, instalment_add, payment_add
from tests.base import PersonasTestCase, make_achievement, make_demand

SIGNED = datetime.date(2026, 3, 2)
SELLER, BUYER = ContractParty.Role.SELLER, ContractParty.Role.BUYER


class ContractTestCase(PersonasTestCase):
    def setUp(self) -> None:
        self.achievement = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        self.lead = Lead.objects.create(
            demand=make_demand(self.haichuan), achievement=self.achievement, manager=self.manager
        )
        self.numbers = iter(range(1, 1000))

    def fields(self, **overrides: Any) -> dict[str, Any]:
        return {
            "number": f"QDU-2026-{next(self.numbers):03d}",
            "title": "对虾养殖尾水处理技术专利实施许可",
            "kind": ContractKind.LICENCE,
            "subkind": "ordinary",
            "organisation": self.qdu,
            "amount": Decimal("120"),
            "signed_on": SIGNED,
            "term_start": SIGNED,
            "term_end": datetime.date(2029, 3, 1),
        } | overrides

    def sign(self, by: Any = None, parties: Any = None, **overrides: Any) -> TechContract:
        by = by or self.tto_staff
        if parties is None:
            parties = [
                {"role": SELLER, "organisation": self.qdu},
                {"role": BUYER, "organisation": self.haichuan},
            ]
        return contract_save(by=by, fields=self.fields(**overrides), parties=parties)

    def written(self) -> tuple[int, ...]:
        return (
            TechContract.objects.count(),
            ContractParty.objects.count(),
            Payment.objects.count(),
            PaymentInstalment.objects.count(),
            AuditEntry.objects.count(),
        )

    def assert_refused(self, field: str, words: str, call: Any) -> None:
        """The call raises a ValidationError on this field whose message holds these words, writing nothing."""
        before = self.written()
        with self.assertRaises(ValidationError) as caught:
            call()
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(words, " ".join(caught.exception.message_dict[field]))
        self.assertEqual(self.written(), before)


class ContractSaveTest(ContractTestCase):
    def test_a_signed_contract_is_kept_with_its_parties_achievements_lead_and_an_audit_entry(self) -> None:
        contract = contract_save(
            by=self.tto_staff,
            fields=self.fields(lead=self.lead),
            parties=[
                {"role": SELLER, "organisation": self.qdu},
                {"role": BUYER, "organisation": self.haichuan},
                {"role": ContractParty.Role.INTERMEDIARY, "name": "青岛崂山技术转移中心"},
            ],
            achievements=[self.achievement],
        )
        contract.refresh_from_db()
        self.assertEqual(contract.registration_status, TechContract.Registration.UNREGISTERED)
        self.assertEqual(contract.parties.count(), 3)
        self.assertEqual(list(contract.achievements.all()), [self.achievement])
        self.assertEqual(contract.lead, self.lead)
        entry = AuditEntry.objects.get(action="contract_create", object_id=contract.pk)
        self.assertEqual(entry.actor, self.tto_staff)
        self.assertEqual(entry.changes["amount"], [None, "120"])
        self.assertIn("中介方：青岛崂山技术转移中心", entry.changes["parties"][1])

    def test_every_pair_of_the_type_table_is_accepted(self) -> None:
        for kind, subkinds in CONTRACT_TYPES.items():
            for subkind in subkinds:
                with self.subTest(kind=kind, subkind=subkind):
                    self.assertEqual(self.sign(kind=kind, subkind=subkind).subkind, subkind)
        self.assertEqual(TechContract.objects.count(), sum(len(s) for s in CONTRACT_TYPES.values()))

    def test_an_unknown_type_is_refused(self) -> None:
        self.assert_refused("kind", "合同类型“lease”不存在", lambda: self.sign(kind="lease"))

    def test_an_unknown_subtype_is_refused(self) -> None:
        self.assert_refused("subkind", "合同子类型“rental”不存在", lambda: self.sign(subkind="rental"))

    def test_a_subtype_of_another_type_is_refused(self) -> None:
        self.assert_refused(
            "subkind",
            "“委托开发”不属于技术许可合同",
            lambda: self.sign(kind="licence", subkind="commissioned"),
        )
        self.assert_refused("subkind", "技术咨询合同不分子类型", lambda: self.sign(kind="consulting"))

    def test_a_zero_negative_or_unreadable_amount_is_refused(self) -> None:
        for amount in ("0", Decimal("-5"), "十万"):
            with self.subTest(amount=amount):
                self.assert_refused("amount", "合同金额", lambda a=amount: self.sign(amount=a))

    def test_a_term_ending_before_it_starts_is_refused(self) -> None:
        self.assert_refused(
            "term_end", "履行期限止不能早于履行期限起", lambda: self.sign(term_end=datetime.date(2026, 1, 1))
        )

    def test_a_signed_contract_needs_a_seller_and_a_buyer_but_a_draft_does_not(self) -> None:
        only_seller = [{"role": SELLER, "organisation": self.qdu}]
        self.assert_refused("parties", "至少要有一个卖方", lambda: self.sign(parties=only_seller))
        draft = self.sign(parties=only_seller, signed_on=None)
        self.assert_refused(
            "parties",
            "至少要有一个卖方",
            lambda: contract_save(by=self.tto_staff, fields={"signed_on": SIGNED}, contract=draft),
        )
        signed = contract_save(
            by=self.tto_staff,
            fields={"signed_on": SIGNED},
            parties=only_seller + [{"role": BUYER, "name": "某水产养殖合作社"}],
            contract=draft,
        )
        self.assertEqual(signed.parties.get(role=BUYER).name, "某水产养殖合作社")

    def test_a_party_needs_an_organisation_or_a_name_and_a_known_role(self) -> None:
        self.assert_refused(
            "parties",
            "第 2 个当事人须选择机构或填写名称",
            lambda: self.sign(parties=[{"role": SELLER, "name": "甲"}, {"role": BUYER}]),
        )
        self.assert_refused(
            "parties", "角色“lessor”不存在", lambda: self.sign(parties=[{"role": "lessor", "name": "甲"}])
        )

    def test_equity_needs_a_share_and_a_transfer_or_licence(self) -> None:
        self.assert_refused("equity_share", "股权/出资比例", lambda: self.sign(equity=True))
        self.assert_refused(
            "equity",
            "只适用于技术转让或技术许可",
            lambda: self.sign(equity=True, equity_share=Decimal("20"), kind="consulting", subkind=""),
        )
        contract = self.sign(kind="transfer", subkind="patent", equity=True, equity_share=Decimal("30"))
        self.assertEqual(contract.equity_share, Decimal("30"))

    def test_a_duplicate_number_is_refused(self) -> None:
        self.sign(number="QDU-2026-X")
        self.assert_refused("number", "合同编号", lambda: self.sign(number="QDU-2026-X"))

    def test_registration_fields_cannot_be_set_by_a_save(self) -> None:
        before = self.written()
        with self.assertRaises(ValidationError):
            self.sign(certified_amount=Decimal("100"))
        self.assertEqual(self.written(), before)

    def test_an_update_writes_what_changed(self) -> None:
        contract = self.sign()
        contract_save(by=self.tto_admin, fields={"amount": "150"}, contract=contract)
        entry = AuditEntry.objects.get(action="contract_update", object_id=contract.pk)
        self.assertEqual(entry.changes, {"amount": ["120", "150"]})
        self.assertEqual(entry.actor, self.tto_admin)


class ContractRegisterTest(ContractTestCase):
    def register(self, contract: TechContract, **values: Any) -> TechContract:
        values = {
            "status": TechContract.Registration.REGISTERED,
            "number": "2026370212000123",
            "registered_on": datetime.date(2026, 4, 1),
            "certified_amount": "100",
        } | values
        return contract_register(by=self.tto_staff, contract=contract, **values)

    def test_registering_sets_the_number_date_and_certified_amount_with_an_audit_entry(self) -> None:
        contract = self.register(self.sign())
        contract.refresh_from_db()
        self.assertEqual(
            (contract.registration_status, contract.registration_number, contract.certified_amount),
            (TechContract.Registration.REGISTERED, "2026370212000123", Decimal("100")),
        )
        entry = AuditEntry.objects.get(action="contract_register", object_id=contract.pk)
        self.assertEqual(entry.changes["certified_amount"], [None, "100"])

    def test_a_certified_amount_above_the_contract_amount_is_refused(self) -> None:
        contract = self.sign()
        self.assert_refused(
            "certified_amount", "不能高于合同金额", lambda: self.register(contract, certified_amount="120.5")
        )
        self.assert_refused(
            "certified_amount", "必须大于 0", lambda: self.register(contract, certified_amount="0")
        )
        self.assert_refused(
            "certified_amount", "须填写技术交易额", lambda: self.register(contract, certified_amount=None)
        )
        contract.refresh_from_db()
        self.assertEqual(contract.registration_status, TechContract.Registration.UNREGISTERED)

    def test_a_registration_needs_a_number_a_date_and_a_signed_contract(self) -> None:
        contract = self.sign()
        self.assert_refused(
            "registration_number", "须填写登记编号", lambda: self.register(contract, number=" ")
        )
        self.assert_refused(
            "registered_on", "须填写登记日期", lambda: self.register(contract, registered_on=None)
        )
        self.assert_refused(
            "registered_on",
            "不能早于签订日期",
            lambda: self.register(contract, registered_on=datetime.date(2026, 1, 1)),
        )
        draft = self.sign(signed_on=None)
        self.assert_refused("signed_on", "尚未签订", lambda: self.register(draft))

    def test_a_registration_number_belongs_to_one_contract(self) -> None:
        self.register(self.sign())
        other = self.sign()
        self.assert_refused("registration_number", "已被另一份合同使用", lambda: self.register(other))

    def test_a_refused_registration_keeps_no_number_or_certified_amount(self) -> None:
        contract = self.register(self.sign())
        contract = contract_register(
            by=self.tto_staff,
            contract=contract,
            status=TechContract.Registration.REFUSED,
            registered_on=datetime.date(2026, 4, 2),
            reason="不属于技术合同",
        )
        self.assertEqual((contract.registration_number, contract.certified_amount), ("", None))
        self.assertEqual(
            AuditEntry.objects.filter(action="contract_register").latest("id").reason, "不属于技术合同"
        )

    def test_the_amount_cannot_drop_below_the_certified_amount(self) -> None:
        contract = self.register(self.sign())
        self.assert_refused(
            "certified_amount",
            "不能高于合同金额",
            lambda: contract_save(by=self.tto_staff, fields={"amount": "90"}, contract=contract),
        )


class PaymentTest(ContractTestCase):
    def test_payments_are_recorded_audited_and_summed(self) -> None:
        contract = self.sign()
        payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount="40", note="首期款")
        payment_add(by=self.tto_staff, contract=contract, received_on=datetime.date(2026, 6, 1), amount="80")
        self.assertEqual(contract_received(contract), Decimal("120"))
        entries = AuditEntry.objects.filter(action="payment_add", object_id=contract.pk)
        self.assertEqual(
            [e.changes["received"] for e in entries.order_by("id")], [["0", "40"], ["40", "120"]]
        )

    def test_a_payment_before_signing_is_refused(self) -> None:
        contract = self.sign()
        self.assert_refused(
            "received_on",
            "不能早于合同签订日期",
            lambda: payment_add(
                by=self.tto_staff, contract=contract, received_on=datetime.date(2026, 3, 1), amount="1"
            ),
        )
        draft = self.sign(signed_on=None)
        self.assert_refused(
            "received_on",
            "尚未签订",
            lambda: payment_add(by=self.tto_staff, contract=draft, received_on=SIGNED, amount="1"),
        )

    def test_payments_above_the_contract_amount_are_refused(self) -> None:
        contract = self.sign()
        payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount="100")
        self.assert_refused(
            "amount",
            "不能超过合同金额",
            lambda: payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount="20.0001"),
        )
        self.assert_refused(
            "amount",
            "必须大于 0",
            lambda: payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount="-1"),
        )

    def test_the_schedule_may_not_exceed_the_contract_amount(self) -> None:
        contract = self.sign()
        instalment_add(by=self.tto_staff, contract=contract, due_on=SIGNED, amount="60", note="首期")
        instalment_add(by=self.tto_staff, contract=contract, due_on=datetime.date(2027, 3, 1), amount="60")
        self.assert_refused(
            "amount",
            "付款计划合计",
            lambda: instalment_add(by=self.tto_staff, contract=contract, due_on=SIGNED, amount="0.5"),
        )
        self.assertEqual(AuditEntry.objects.filter(action="instalment_add", object_id=contract.pk).count(), 2)

    def test_the_amount_or_signing_date_cannot_contradict_recorded_payments(self) -> None:
        contract = self.sign()
        payment_add(by=self.tto_staff, contract=contract, received_on=SIGNED, amount="100")
        self.assert_refused(
            "amount",
            "不能低于已到账金额",
            lambda: contract_save(by=self.tto_staff, fields={"amount": "99"}, contract=contract),
        )
        later = datetime.date(2026, 5, 1)
        self.assert_refused(
            "signed_on",
            "不能晚于已有到账记录的日期",
            lambda: contract_save(by=self.tto_staff, fields={"signed_on": later}, contract=contract),
        )


class ContractAccessTest(ContractTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.qdu_contract = self.sign(lead=self.lead)
        self.ouc_contract = self.sign(
            by=self.other_staff,
            organisation=self.ouc,
            parties=[{"role": SELLER, "organisation": self.ouc}, {"role": BUYER, "name": "某水产养殖合作社"}],
        )

    def test_each_persona_lists_the_contracts_the_rule_gives_them(self) -> None:
        both = {self.qdu_contract, self.ouc_contract}
        expected = {
            "bureau_admin": both,
            "tto_admin": {self.qdu_contract},
            "tto_staff": {self.qdu_contract},
            "other_staff": {self.ouc_contract},
            "enterprise_user": {self.qdu_contract},  # 海川 is the buyer
            "outsider": set(),
            "manager": {self.qdu_contract},  # linked to the manager's lead
            "expert": set(),
        }
        for persona, contracts in expected.items():
            user = getattr(self, persona)
            with self.subTest(persona=persona):
                self.assertEqual(set(contract_list(user)), contracts)
                for contract in both:
                    self.assertEqual(permissions.can_view_contract(user, contract), contract in contracts)
        self.assertFalse(contract_list(AnonymousUser()).exists())

    def test_a_party_organisation_named_twice_lists_the_contract_once(self) -> None:
        contract_save(
            by=self.tto_staff,
            fields={},
            parties=[
                {"role": SELLER, "organisation": self.qdu},
                {"role": BUYER, "organisation": self.haichuan},
                {"role": ContractParty.Role.INTERMEDIARY, "organisation": self.haichuan},
            ],
            contract=self.qdu_contract,
        )
        self.assertEqual(list(contract_list(self.enterprise_user)), [self.qdu_contract])

    def test_only_the_bureau_and_the_owning_office_change_a_contract(self) -> None:
        editors = {"bureau_admin", "tto_admin", "tto_staff"}
        for persona in (
            "bureau_admin",
            "tto_admin",
            "tto_staff",
            "other_staff",
            "enterprise_user",
            "manager",
            "expert",
        ):
            with self.subTest(persona=persona):
                allowed = permissions.can_edit_contract(getattr(self, persona), self.qdu_contract)
                self.assertEqual(allowed, persona in editors)

    def test_read_only_users_are_refused_by_every_service_and_nothing_changes(self) -> None:
        contract = self.qdu_contract
        calls = [
            lambda by: contract_save(by=by, fields={"title": "改名"}, contract=contract),
            lambda by: contract_register(
                by=by,
                contract=contract,
                status="registered",
                number="1",
                registered_on=SIGNED,
                certified_amount="1",
            ),
            lambda by: payment_add(by=by, contract=contract, received_on=SIGNED, amount="1"),
            lambda by: instalment_add(by=by, contract=contract, due_on=SIGNED, amount="1"),
        ]
        before = self.written()
        for user in (self.enterprise_user, self.manager, self.other_staff):
            for call in calls:
                with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                    call(user)
        self.assertEqual(self.written(), before)
        contract.refresh_from_db()
        self.assertEqual(contract.title, "对虾养殖尾水处理技术专利实施许可")

    def test_an_office_keeps_contracts_for_itself_only(self) -> None:
        before = self.written()
        with self.assertRaises(PermissionDenied):
            self.sign(by=self.tto_staff, organisation=self.ouc)
        with self.assertRaises(PermissionDenied):
            contract_save(by=self.tto_staff, fields={"organisation": self.ouc}, contract=self.qdu_contract)
        self.assertEqual(self.written(), before)

    def test_a_contract_the_user_may_not_see_answers_404(self) -> None:
        from django.http import Http404

        self.assertEqual(contract_get(self.manager, self.qdu_contract.pk), self.qdu_contract)
        with self.assertRaises(Http404):
            contract_get(self.outsider, self.qdu_contract.pk)


class ContractTotalsTest(ContractTestCase):
    def test_totals_sum_amounts_signed_and_certified_amounts_registered_by_type_and_year(self) -> None:
        licence = self.sign(amount="120")
        self.sign(amount="30.5")  # licence, unregistered
        transfer = self.sign(kind="transfer", subkind="patent", amount="200")
        self.sign(kind="consulting", subkind="", amount="10", signed_on=datetime.date(2025, 12, 30))
        self.sign(by=self.other_staff, organisation=self.ouc, amount="999")  # another office
        for contract, number, certified in ((licence, "R1", "100"), (transfer, "R2", "180.25")):
            contract_register(
                by=self.tto_staff,
                contract=contract,
                status="registered",
                number=number,
                registered_on=datetime.date(2026, 5, 1),
                certified_amount=certified,
            )
        totals = contract_totals(year=2026, organisation=self.qdu)
        self.assertEqual(set(totals), set(ContractKind.values))
        self.assertEqual(
            (totals["licence"].signed, totals["licence"].amount, totals["licence"].certified_amount),
            (2, Decimal("150.5"), Decimal("100")),
        )
        self.assertEqual(
            (totals["transfer"].registered, totals["transfer"].certified_amount), (1, Decimal("180.25"))
        )
        self.assertEqual((totals["consulting"].signed, totals["development"].amount), (0, Decimal(0)))
        self.assertEqual(
            contract_totals(year=2025, organisation=self.qdu)["consulting"].amount, Decimal("10")
        )
        self.assertEqual(contract_totals(year=2026)["licence"].amount, Decimal("1149.5"))


class ContractWithoutPartiesTest(ContractTestCase):
    def test_a_new_signed_contract_given_no_parties_is_refused_by_name(self) -> None:
        self.assert_refused(
            "parties",
            "至少要有一个卖方",
            lambda: contract_save(by=self.tto_staff, fields=self.fields()),
        )


class ContractAchievementsTest(ContractTestCase):
    def test_a_contract_concerns_achievements_of_its_parties_only(self) -> None:
        foreign = make_achievement(self.ouc, ref="CG-OUC-1")
        with self.assertRaises(ValidationError) as caught:
            contract_save(
                by=self.tto_staff,
                fields=self.fields(),
                achievements=[self.achievement, foreign],
                parties=[
                    {"role": SELLER, "organisation": self.qdu},
                    {"role": BUYER, "organisation": self.haichuan},
                ],
            )
        self.assertIn("CG-OUC-1", caught.exception.message_dict["achievements"][0])
        self.assertFalse(TechContract.objects.exists())
        contract = contract_save(
            by=self.tto_staff,
            fields=self.fields(),
            achievements=[self.achievement, foreign],
            parties=[
                {"role": SELLER, "organisation": self.qdu},
                {"role": SELLER, "organisation": self.ouc},  # co-owners license together
                {"role": BUYER, "organisation": self.haichuan},
            ],
        )
        self.assertEqual(contract.achievements.count(), 2)
