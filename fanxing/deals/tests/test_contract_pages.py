"""Technology contract pages: the list with filters, totals and export, the detail, the forms, who may do what."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from fanxing.core.models import AuditEntry, Organisation
from fanxing.deals.models import ContractCost, ContractParty, Payment, PaymentInstalment, TechContract
from fanxing.deals.services import contract_register, instalment_add, payment_add
from fanxing.deals.tests.test_contracts import BUYER, SELLER, SIGNED, ContractTestCase


def contract_post(**overrides: Any) -> dict[str, Any]:
    """The contract form as a browser posts it: the fields, then the parties' formset."""
    data = {
        "organisation": str(Organisation.objects.get(name="青岛大学").pk),
        "number": "QDU-2026-100",
        "title": "海参加工副产物酶解技术转让",
        "kind": "transfer",
        "subkind": "patent",
        "amount": "80",
        "signed_on": "2026-04-01",
        "term_start": "",
        "term_end": "",
        "equity_share": "",
        "lead": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": SELLER,
        "parties-0-organisation": "",
        "parties-0-name": "",
        "parties-1-role": BUYER,
        "parties-1-organisation": "",
        "parties-1-name": "",
    }
    return data | overrides


class ContractPagesTestCase(ContractTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.contract = self.sign(title="尾水处理专利普通许可")
        self.url = reverse("deals:contract_detail", args=[self.contract.pk])

    def sign_for_ouc(self) -> TechContract:
        """A contract of 中国海洋大学 to which 青岛大学 is no party."""
        parties = [{"role": SELLER, "organisation": self.ouc}, {"role": BUYER, "name": "某海洋公司"}]
        return self.sign(by=self.other_staff, parties=parties, organisation=self.ouc, title="海大合同")


class ContractListPageTest(ContractPagesTestCase):
    def test_the_list_shows_visible_contracts_with_their_totals(self) -> None:
        self.sign(amount=Decimal("30.5"), kind="consulting", subkind="")
        contract_register(
            by=self.tto_staff,
            contract=self.contract,
            status="registered",
            number="3702120001",
            registered_on=datetime.date(2026, 3, 20),
            certified_amount="100",
        )
        self.login(self.tto_staff)
        response = self.client.get(reverse("deals:contracts"))
        self.assertContains(response, "尾水处理专利普通许可")
        self.assertContains(response, '<strong class="text-dark" id="result-count">2</strong>', html=False)
        self.assertContains(response, '合同金额合计 <strong class="text-dark">150.5</strong> 万元')
        self.assertContains(response, '技术交易额合计 <strong class="text-dark">100</strong> 万元')

    def test_filters_narrow_the_list_and_its_totals(self) -> None:
        self.sign(kind="consulting", subkind="", title="养殖规划技术咨询", amount=Decimal("10"))
        self.sign(title="旧合同", signed_on=datetime.date(2025, 5, 1), term_start=None, term_end=None)
        self.login(self.tto_staff)
        response = self.client.get(reverse("deals:contracts"), {"kind": "consulting"})
        self.assertContains(response, "养殖规划技术咨询")
        self.assertNotContains(response, "尾水处理专利普通许可")
        self.assertContains(response, '合同金额合计 <strong class="text-dark">10</strong> 万元')
        response = self.client.get(reverse("deals:contracts"), {"year": "2025"})
        self.assertContains(response, "旧合同")
        self.assertNotContains(response, "养殖规划技术咨询")
        response = self.client.get(reverse("deals:contracts"), {"registration_status": "registered"})
        self.assertContains(response, "没有符合条件的技术合同")

    def test_the_organisation_filter_is_for_bureau_admins_only(self) -> None:
        ouc = self.sign_for_ouc()
        self.login(self.bureau_admin)
        response = self.client.get(reverse("deals:contracts"), {"organisation": self.ouc.pk})
        self.assertContains(response, ouc.title)
        self.assertNotContains(response, "尾水处理专利普通许可")
        self.login(self.tto_staff)
        response = self.client.get(reverse("deals:contracts"), {"organisation": self.ouc.pk})
        self.assertNotContains(response, 'name="organisation"')
        self.assertNotContains(response, "海大合同")

    def test_the_export_holds_exactly_the_visible_filtered_list(self) -> None:
        self.sign(kind="consulting", subkind="", title="养殖规划技术咨询")
        self.sign_for_ouc()
        self.login(self.tto_staff)
        response = self.client.get(reverse("deals:contracts"), {"kind": "licence", "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("合同编号", "合同名称"))
        self.assertEqual([r[1] for r in rows[1:]], ["尾水处理专利普通许可"])
        response = self.client.get(reverse("deals:contracts"), {"export": "csv"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(sorted(r[1] for r in rows[1:]), ["养殖规划技术咨询", "尾水处理专利普通许可"])

    def test_the_nav_shows_contracts_to_members_of_an_organisation_and_bureau_admins(self) -> None:
        for user, shown in [(self.tto_staff, True), (self.bureau_admin, True), (self.manager, False)]:
            with self.subTest(user=user.username):
                self.login(user)
                page = self.client.get(reverse("core:home"))
                self.assertEqual("技术合同</a>" in page.content.decode(), shown)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for url in [reverse("deals:contracts"), self.url, reverse("deals:contract_create")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])


class ContractDetailPageTest(ContractPagesTestCase):
    def test_the_detail_shows_parties_achievements_schedule_payments_and_progress(self) -> None:
        self.contract.achievements.set([self.achievement])
        instalment_add(by=self.tto_staff, contract=self.contract, due_on=SIGNED, amount="60")
        payment_add(by=self.tto_staff, contract=self.contract, received_on=SIGNED, amount="30")
        self.login(self.tto_staff)
        response = self.client.get(self.url)
        self.assertContains(response, "买方/受让方")
        self.assertContains(response, "青岛海川科技有限公司")
        self.assertContains(response, self.achievement.title)
        self.assertContains(response, "已到账 <strong>30</strong> 万元 / 合同金额 120 万元")
        self.assertContains(response, 'style="width: 25%"')
        self.assertContains(response, "计划合计 60 万元")
        self.assertContains(response, "审计记录")
        self.assertContains(response, reverse("deals:contract_edit", args=[self.contract.pk]))

    def test_a_party_enterprise_reads_the_contract_without_edit_buttons_or_audit(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.get(self.url)
        self.assertContains(response, "尾水处理专利普通许可")
        self.assertNotContains(response, reverse("deals:contract_edit", args=[self.contract.pk]))
        self.assertNotContains(response, "审计记录")
        for name in [
            "contract_edit",
            "contract_register",
            "contract_payment",
            "contract_instalment",
            "contract_cost",
        ]:
            with self.subTest(page=name):
                url = reverse(f"deals:{name}", args=[self.contract.pk])
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {"amount": "1"}).status_code, 403)
        self.assertEqual(Payment.objects.count(), 0)

    def test_other_organisations_and_outsiders_get_not_found_for_every_page(self) -> None:
        names = ["contract_detail", "contract_edit", "contract_register", "contract_payment", "contract_cost"]
        for user in [self.other_staff, self.outsider, self.expert]:
            self.login(user)
            for name in names:
                with self.subTest(user=user.username, page=name):
                    url = reverse(f"deals:{name}", args=[self.contract.pk])
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {"amount": "1"}).status_code, 404)
        self.assertEqual(Payment.objects.count(), 0)
        self.assertEqual(ContractCost.objects.count(), 0)


class ContractFormPageTest(ContractPagesTestCase):
    def test_staff_create_a_contract_with_parties_and_an_achievement(self) -> None:
        self.login(self.tto_staff)
        form = self.client.get(reverse("deals:contract_create"))
        self.assertContains(form, "委托开发")  # the sub-type select, grouped by type
        self.assertContains(form, self.achievement.title)
        data = contract_post(
            **{
                "parties-0-organisation": str(self.qdu.pk),
                "parties-1-name": "某水产养殖合作社",
                "achievements": [str(self.achievement.pk)],
                "organisation": str(self.qdu.pk),
            }
        )
        response = self.client.post(reverse("deals:contract_create"), data)
        contract = TechContract.objects.get(number="QDU-2026-100")
        self.assertRedirects(response, reverse("deals:contract_detail", args=[contract.pk]))
        self.assertEqual(contract.organisation, self.qdu)
        self.assertEqual(
            sorted(str(p) for p in contract.parties.all()),
            ["买方/受让方：某水产养殖合作社", "卖方/让与方：青岛大学"],
        )
        self.assertEqual(list(contract.achievements.all()), [self.achievement])
        self.assertTrue(AuditEntry.objects.filter(action="contract_create", object_id=contract.pk).exists())

    def test_service_errors_show_on_their_field_and_nothing_is_written(self) -> None:
        self.login(self.tto_staff)
        before = self.written()
        cases = [
            ({"subkind": "exclusive"}, "subkind", "不属于技术转让合同"),
            ({"amount": "-3"}, "amount", "合同金额必须大于 0"),
            ({"number": self.contract.number}, "number", "已存在"),
            (
                {"term_start": "2026-05-01", "term_end": "2026-04-01"},
                "term_end",
                "履行期限止不能早于履行期限起",
            ),
        ]
        for overrides, field, words in cases:
            with self.subTest(field=field):
                data = contract_post(
                    **{"parties-0-organisation": str(self.qdu.pk), "parties-1-name": "某合作社"}, **overrides
                )
                response = self.client.post(reverse("deals:contract_create"), data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(words, " ".join(response.context["form"].errors.get(field, [])))
        self.assertEqual(self.written(), before)

    def test_a_signed_contract_without_a_buyer_is_refused_above_the_parties(self) -> None:
        self.login(self.tto_staff)
        data = contract_post(**{"parties-0-organisation": str(self.qdu.pk)})
        response = self.client.post(reverse("deals:contract_create"), data)
        self.assertContains(response, "已签订的合同至少要有一个卖方（让与方）和一个买方（受让方）")
        self.assertFalse(TechContract.objects.filter(number="QDU-2026-100").exists())

    def test_an_edit_replaces_the_parties_and_keeps_the_rest(self) -> None:
        self.login(self.tto_admin)
        data = contract_post(
            number=self.contract.number,
            kind="licence",
            subkind="exclusive",
            amount="150",
            **{
                "organisation": str(self.qdu.pk),
                "parties-TOTAL_FORMS": "4",
                "parties-INITIAL_FORMS": "2",
                "parties-0-organisation": str(self.qdu.pk),
                "parties-1-organisation": str(self.haichuan.pk),
                "parties-1-DELETE": "on",
                "parties-2-role": BUYER,
                "parties-2-name": "某合作社",
                "parties-3-role": BUYER,
            },
        )
        response = self.client.post(reverse("deals:contract_edit", args=[self.contract.pk]), data)
        self.assertRedirects(response, self.url)
        self.contract.refresh_from_db()
        self.assertEqual((self.contract.subkind, self.contract.amount), ("exclusive", Decimal("150")))
        self.assertEqual(self.contract.parties.get(role=BUYER).name, "某合作社")
        self.assertEqual(self.contract.parties.count(), 2)

    def test_members_of_an_organisation_without_a_contract_role_cannot_create(self) -> None:
        for user in [self.enterprise_user, self.manager]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("deals:contract_create")).status_code, 403)
                response = self.client.post(
                    reverse("deals:contract_create"), contract_post(organisation=str(self.qdu.pk))
                )
                self.assertEqual(response.status_code, 403)
        self.assertFalse(TechContract.objects.filter(number="QDU-2026-100").exists())

    def test_staff_cannot_create_for_another_organisation(self) -> None:
        self.login(self.tto_staff)
        data = contract_post(
            organisation=str(self.ouc.pk),
            **{"parties-0-organisation": str(self.ouc.pk), "parties-1-name": "甲"},
        )
        response = self.client.post(reverse("deals:contract_create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("organisation", response.context["form"].errors)
        self.assertFalse(TechContract.objects.filter(number="QDU-2026-100").exists())


class ContractActionPagesTest(ContractPagesTestCase):
    def test_a_registration_is_saved_and_its_errors_name_the_field(self) -> None:
        self.login(self.tto_staff)
        url = reverse("deals:contract_register", args=[self.contract.pk])
        response = self.client.post(
            url,
            {
                "status": "registered",
                "number": "37021200001",
                "registered_on": "2026-03-10",
                "certified_amount": "130",
            },
        )
        self.assertIn("不能高于合同金额", " ".join(response.context["form"].errors["certified_amount"]))
        response = self.client.post(
            url, {"status": "registered", "registered_on": "2026-03-10", "certified_amount": "100"}
        )
        self.assertIn("须填写登记编号", " ".join(response.context["form"].errors["number"]))
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.registration_status, TechContract.Registration.UNREGISTERED)
        response = self.client.post(
            url,
            {
                "status": "registered",
                "number": "37021200001",
                "registered_on": "2026-03-10",
                "certified_amount": "100",
            },
        )
        self.assertRedirects(response, self.url)
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.registration_number, "37021200001")
        self.assertEqual(self.contract.certified_amount, Decimal("100"))

    def test_payments_beyond_the_amount_are_refused_and_a_good_one_is_recorded(self) -> None:
        self.login(self.tto_staff)
        url = reverse("deals:contract_payment", args=[self.contract.pk])
        response = self.client.post(url, {"received_on": "2026-04-01", "amount": "130"})
        self.assertIn("不能超过合同金额", " ".join(response.context["form"].errors["amount"]))
        response = self.client.post(url, {"received_on": "2026-01-01", "amount": "10"})
        self.assertIn("不能早于合同签订日期", " ".join(response.context["form"].errors["received_on"]))
        self.assertEqual(Payment.objects.count(), 0)
        response = self.client.post(url, {"received_on": "2026-04-01", "amount": "40", "note": "首付款"})
        self.assertRedirects(response, self.url)
        self.assertEqual(Payment.objects.get().amount, Decimal("40"))
        self.assertContains(self.client.get(self.url), "首付款")

    def test_instalments_and_costs_are_recorded(self) -> None:
        self.login(self.tto_admin)
        url = reverse("deals:contract_instalment", args=[self.contract.pk])
        response = self.client.post(url, {"due_on": "2026-06-30", "amount": "200"})
        self.assertIn("不能超过合同金额", " ".join(response.context["form"].errors["amount"]))
        self.assertEqual(PaymentInstalment.objects.count(), 0)
        self.client.post(url, {"due_on": "2026-06-30", "amount": "60"})
        self.assertEqual(PaymentInstalment.objects.get().amount, Decimal("60"))
        url = reverse("deals:contract_cost", args=[self.contract.pk])
        response = self.client.post(url, {"kind": "maintenance", "amount": "0", "incurred_on": "2026-04-01"})
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(ContractCost.objects.count(), 0)
        response = self.client.post(
            url, {"kind": "maintenance", "amount": "3500", "incurred_on": "2026-04-01"}
        )
        self.assertRedirects(response, self.url)
        self.assertEqual(ContractCost.objects.get().amount, Decimal("3500"))

    def test_bureau_admins_may_record_on_any_contract(self) -> None:
        self.login(self.bureau_admin)
        url = reverse("deals:contract_payment", args=[self.contract.pk])
        self.assertRedirects(self.client.post(url, {"received_on": "2026-04-01", "amount": "5"}), self.url)
        self.assertEqual(Payment.objects.get().created_by, self.bureau_admin)


def parties_of(contract: TechContract) -> list[str]:
    return sorted(str(p) for p in ContractParty.objects.filter(contract=contract))


class ContractPageMatrixTest(ContractPagesTestCase):
    """Who gets what on a contract of 青岛大学 with 青岛海川科技 as the buyer (no lead)."""

    EXPECTED = {
        # persona: (detail, edit form)
        "anonymous": (302, 302),
        "bureau_admin": (200, 200),
        "tto_admin": (200, 200),
        "tto_staff": (200, 200),
        "other_staff": (404, 404),
        "enterprise_user": (200, 403),
        "outsider": (404, 404),
        "manager": (404, 404),
        "expert": (404, 404),
    }

    def test_each_persona_gets_the_detail_and_the_edit_form_as_the_rule_says(self) -> None:
        edit = reverse("deals:contract_edit", args=[self.contract.pk])
        for name, expected in self.EXPECTED.items():
            with self.subTest(name):
                self.client.logout()
                if name != "anonymous":
                    self.login(getattr(self, name))
                self.assertEqual(
                    (self.client.get(self.url).status_code, self.client.get(edit).status_code), expected
                )

    def test_the_manager_of_a_linked_lead_reads_the_contract_but_cannot_edit_it(self) -> None:
        linked = self.sign(lead=self.lead)
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("deals:contract_detail", args=[linked.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("deals:contract_edit", args=[linked.pk])).status_code, 403)
