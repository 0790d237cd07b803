"""The ledger page of a unit's service achievements (单列管理台账): who sees it, what it shows, the grant form
and the export of what is shown."""

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fanxing.achievements.models import RightsGrant
from fanxing.achievements.services import rights_grant_add
from fanxing.core.models import AuditEntry
from fanxing.core.workflow import Status
from fanxing.deals.models import ContractKind, ContractParty
from fanxing.deals.services import contract_save, payment_add
from tests.base import PersonasTestCase, make_achievement

OWNERSHIP = {
    "kind": "ownership",
    "grantees": "张海、李青",
    "share": Decimal("70"),
    "granted_on": date(2025, 3, 1),
}


class LedgerTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shrimp = make_achievement(cls.qdu, title="对虾养殖尾水微生物处理技术", ref="CG-Q0001")
        cls.draft = make_achievement(cls.qdu, title="海藻多糖提取工艺", ref="CG-Q0002", status=Status.DRAFT)
        cls.elsewhere = make_achievement(cls.ouc, title="海洋牧场监测浮标")
        rights_grant_add(by=None, achievement=cls.shrimp, fields=OWNERSHIP)
        cls.licence = contract_save(
            by=cls.tto_staff,
            fields={
                "number": "QDU-2025-001",
                "title": "对虾养殖尾水处理技术专利实施许可",
                "kind": ContractKind.LICENCE,
                "subkind": "ordinary",
                "organisation": cls.qdu,
                "amount": Decimal("120"),
                "signed_on": date(2025, 5, 6),
            },
            parties=[
                {"role": ContractParty.Role.SELLER, "organisation": cls.qdu},
                {"role": ContractParty.Role.BUYER, "organisation": cls.haichuan},
            ],
            achievements=[cls.shrimp, cls.draft],
        )
        payment_add(by=cls.tto_staff, contract=cls.licence, received_on=date(2025, 6, 1), amount="40")
        payment_add(by=cls.tto_staff, contract=cls.licence, received_on=date(2025, 9, 1), amount="12.5")

    def url(self, organisation: Any = None, **params: str) -> str:
        base = reverse("achievements:ledger", args=[(organisation or self.qdu).pk])
        return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")

    def grant_url(self) -> str:
        return reverse("achievements:ledger_grant", args=[self.qdu.pk])


class LedgerPageTest(LedgerTestCase):
    def test_the_ledger_is_seen_by_the_units_members_and_the_bureau_only(self) -> None:
        for name, status in [
            ("bureau_admin", 200),
            ("tto_admin", 200),
            ("tto_staff", 200),
            ("other_staff", 403),
            ("enterprise_user", 403),
            ("outsider", 403),
            ("manager", 403),
        ]:
            with self.subTest(name):
                self.login(getattr(self, name))
                self.assertEqual(self.client.get(self.url()).status_code, status)
                self.assertEqual(self.client.get(self.url(export="csv")).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(self.url()).status_code, 302)  # to the login page
        self.login(self.bureau_admin)
        self.assertEqual(self.client.get(reverse("achievements:ledger", args=[99999])).status_code, 404)

    def test_it_shows_every_achievement_with_its_grants_conversions_income_and_totals(self) -> None:
        self.login(self.tto_staff)
        page = self.client.get(self.url()).content.decode()
        for text in (
            "对虾养殖尾水微生物处理技术",
            "海藻多糖提取工艺",  # a draft: the ledger holds every achievement of the unit
            "2025-03-01 所有权 70%：张海、李青",
            "QDU-2025-001 技术许可 120 万元 2025-05-06 签订，已到账 52.5 万元",
            "1 份合同，2 项成果已转化",
        ):
            self.assertIn(text, page)
        self.assertNotIn("海洋牧场监测浮标", page)
        # the contract converts two achievements: shown under each, counted once in the totals
        totals = self.client.get(self.url()).context["ledger"]
        self.assertEqual((totals.contracts, totals.amount, totals.received), (1, 120, Decimal("52.5")))

    def test_the_page_costs_the_same_queries_however_many_achievements_it_shows(self) -> None:
        self.login(self.tto_staff)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url())
        for _ in range(5):
            rights_grant_add(by=None, achievement=make_achievement(self.qdu), fields=OWNERSHIP)
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url())
        self.assertEqual(len(many), len(few))

    def test_the_organisation_page_links_to_the_ledger_for_those_who_may_see_it(self) -> None:
        link = self.url()
        for user, shown in [(self.tto_staff, True), (self.bureau_admin, True), (self.other_staff, False)]:
            with self.subTest(user.username):
                self.login(user)
                page = self.client.get(reverse("core:organisation", args=[self.qdu.pk])).content.decode()
                self.assertEqual(link in page, shown)

    def test_the_export_holds_exactly_the_rows_and_totals_shown(self) -> None:
        self.login(self.tto_admin)
        shown = self.client.get(self.url()).context
        expected = [[str(c) for c in cells] for _, cells in shown["rows"]] + [
            [str(c) for c in shown["totals"]]
        ]
        response = self.client.get(self.url(export="csv"))
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:2], ["成果编号", "成果名称"])
        self.assertEqual(rows[1:], expected)
        sheet = load_workbook(io.BytesIO(self.client.get(self.url(export="xlsx")).content)).active
        values = [
            [("" if v is None else v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)
        ]
        self.assertEqual([r[1] for r in values], [r[1] for r in expected])
        self.assertEqual(values[-1][6:], [120, 52.5])


class LedgerGrantFormTest(LedgerTestCase):
    def post(self, **data: Any) -> Any:
        values = {
            "achievement": self.shrimp.pk,
            "kind": "use",
            "grantees": "王洋",
            "share": "100",
            "granted_on": "2025-04-01",
            "term_years": "10",
            "document_no": "青大科字〔2025〕8号",
        } | data
        return self.client.post(self.grant_url(), values)

    def test_the_units_admin_records_a_grant_that_the_ledger_then_shows(self) -> None:
        self.login(self.tto_admin)
        self.assertIn("登记赋权", self.client.get(self.url()).content.decode())
        response = self.post()
        self.assertRedirects(response, self.url())
        grant = RightsGrant.objects.get(grantees="王洋")
        self.assertEqual((grant.kind, grant.term_years, grant.achievement), ("use", 10, self.shrimp))
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=grant.pk).exists())
        self.assertIn(
            "长期使用权 100% 10 年：王洋，青大科字〔2025〕8号", self.client.get(self.url()).content.decode()
        )

    def test_staff_see_no_form_and_are_refused_with_nothing_written(self) -> None:
        self.login(self.tto_staff)
        self.assertNotIn("登记赋权", self.client.get(self.url()).content.decode())
        self.assertEqual(self.post().status_code, 403)
        self.login(self.other_staff)
        self.assertEqual(self.post().status_code, 403)
        self.assertEqual(RightsGrant.objects.count(), 1)

    def test_ownership_beyond_100_percent_is_shown_on_the_share_field_and_nothing_is_written(self) -> None:
        self.login(self.tto_admin)
        response = self.post(kind="ownership", share="40", term_years="")
        self.assertEqual(response.status_code, 200)
        self.assertIn("已赋予所有权 70%，再赋 40% 将超过 100%", response.context["form"].errors["share"][0])
        self.assertIn("is-invalid", response.content.decode())
        self.assertEqual(RightsGrant.objects.count(), 1)

    def test_bad_input_names_the_field(self) -> None:
        self.login(self.bureau_admin)
        cases = [
            ({"term_years": ""}, "term_years"),  # a use right needs its term
            ({"share": "120"}, "share"),
            ({"granted_on": "2025-13-01"}, "granted_on"),
            ({"achievement": str(self.elsewhere.pk)}, "achievement"),  # another unit's achievement
            ({"grantees": ""}, "grantees"),
        ]
        for data, field in cases:
            with self.subTest(field):
                self.assertIn(field, self.post(**data).context["form"].errors)
        self.assertEqual(RightsGrant.objects.count(), 1)
