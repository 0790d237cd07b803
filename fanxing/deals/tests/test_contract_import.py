"""Technology contracts in files: export, import through the services, row-level problems, the CLI and the
web import page."""

import datetime
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fanxing.core.io import records_export, records_import, template_workbook
from fanxing.core.models import AuditEntry, Job
from fanxing.deals.models import ContractParty, TechContract
from fanxing.deals.services import contract_register
from fanxing.deals.tests.test_contracts import ContractTestCase

GOOD = {
    "合同编号": "QDU-2026-501",
    "合同名称": "对虾养殖尾水处理技术普通许可",
    "合同类型": "技术许可",
    "合同子类型": "技术许可/普通许可",
    "作价投资": "否",
    "股权比例": "",
    "所属机构": "青岛大学",
    "卖方": "青岛大学",
    "买方": "青岛海川科技有限公司",
    "中介方": "青岛崂山技术转移中心",
    "合同金额（万元）": "120",
    "技术交易额（万元）": "",
    "签订日期": "2026-03-02",
    "履行期限起": "2026-03-02",
    "履行期限止": "2029-03-01",
    "登记状态": "未登记",
    "登记编号": "",
    "登记日期": "",
}


def workbook(rows: list[dict[str, Any]]) -> io.BytesIO:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "contracts.xlsx"
    return data


class ContractImportTestCase(ContractTestCase):
    def row(self, **changes: Any) -> dict[str, Any]:
        return GOOD | {"涉及成果编号": self.achievement.ref} | changes

    def run_import(self, rows: list[dict[str, Any]], by: Any = None, dry_run: bool = False) -> Any:
        return records_import("contracts", workbook(rows), by=by, dry_run=dry_run)


class ContractImportTest(ContractImportTestCase):
    def test_a_good_file_creates_contracts_with_parties_achievements_and_an_audit_entry(self) -> None:
        report = self.run_import(
            [
                self.row(),
                self.row(
                    **{"合同编号": "QDU-2026-502", "合同类型": "技术咨询", "合同子类型": "", "中介方": ""}
                ),
            ],
            by=self.tto_staff,
        )
        self.assertTrue(report.ok, report.problems)
        self.assertEqual((report.created, report.updated), (2, 0))
        contract = TechContract.objects.get(number="QDU-2026-501")
        self.assertEqual(
            (contract.kind, contract.subkind, contract.amount), ("licence", "ordinary", Decimal("120"))
        )
        self.assertEqual(contract.created_by, self.tto_staff)
        self.assertEqual(
            sorted(str(p) for p in contract.parties.all()),
            ["中介方：青岛崂山技术转移中心", "买方/受让方：青岛海川科技有限公司", "卖方/让与方：青岛大学"],
        )
        self.assertEqual(contract.parties.get(role=ContractParty.Role.BUYER).organisation, self.haichuan)
        self.assertEqual(list(contract.achievements.all()), [self.achievement])
        self.assertTrue(AuditEntry.objects.filter(action="contract_create", object_id=contract.pk).exists())
        self.assertEqual(TechContract.objects.get(number="QDU-2026-502").subkind, "")

    def test_a_sub_type_is_read_by_its_label_alone_or_under_its_type(self) -> None:
        report = self.run_import([self.row(**{"合同子类型": "独占许可"})])
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(TechContract.objects.get().subkind, "exclusive")

    def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_written(self) -> None:
        rows = [
            self.row(),
            self.row(**{"合同编号": "A-1", "合同类型": "技术租赁"}),
            self.row(**{"合同编号": "A-2", "合同金额（万元）": "-5"}),
            self.row(**{"合同编号": "A-3", "合同子类型": "委托开发"}),
            self.row(**{"合同编号": "A-4", "签订日期": "2026-13-45"}),
            self.row(
                **{
                    "合同编号": "A-5",
                    "登记状态": "已登记",
                    "登记编号": "37021201",
                    "登记日期": "2026-03-10",
                    "技术交易额（万元）": "150",
                }
            ),
            self.row(**{"合同编号": "A-6", "合同子类型": "技术开发/普通许可"}),
            self.row(**{"合同编号": "A-7", "所属机构": "不存在的大学"}),
            self.row(**{"合同编号": "A-8", "涉及成果编号": "CG-NOPE"}),
        ]
        before = self.written()
        report = self.run_import(rows, by=self.tto_staff)
        self.assertFalse(report.committed)
        found = {(p.row, p.column): p.reason for p in report.problems}
        self.assertIn("技术租赁", found[(3, "合同类型")])
        self.assertIn("金额不能为负数", found[(4, "合同金额（万元）")])
        self.assertIn("“委托开发”不属于技术许可合同", found[(5, "合同子类型")])
        self.assertIn("无法识别", found[(6, "签订日期")])
        self.assertIn("不能高于合同金额", found[(7, "技术交易额（万元）")])
        self.assertIn("不是技术开发合同的子类型", found[(8, "合同子类型")])
        self.assertIn("不存在", found[(9, "所属机构")])
        self.assertIn("CG-NOPE", found[(10, "涉及成果编号")])
        self.assertNotIn(2, {p.row for p in report.problems})
        self.assertIn("未写入任何数据", report.summary())
        self.assertEqual(self.written(), before)

    def test_rules_only_the_services_know_are_reported_by_row_even_in_a_dry_run(self) -> None:
        rows = [
            self.row(),
            self.row(**{"合同编号": "B-1", "买方": ""}),
            self.row(
                **{
                    "合同编号": "B-2",
                    "登记状态": "已登记",
                    "技术交易额（万元）": "100",
                    "登记日期": "2026-03-10",
                }
            ),
            self.row(
                **{
                    "合同编号": "B-3",
                    "登记状态": "已登记",
                    "登记编号": "R-1",
                    "登记日期": "2026-01-01",
                    "技术交易额（万元）": "100",
                }
            ),
        ]
        before = self.written()
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                report = self.run_import(rows, by=self.tto_staff, dry_run=dry_run)
                found = {(p.row, p.column): p.reason for p in report.problems}
                self.assertIn("至少要有一个卖方", found[(3, "买方")])
                self.assertIn("须填写登记编号", found[(4, "登记编号")])
                self.assertIn("不能早于签订日期", found[(5, "登记日期")])
                self.assertEqual(self.written(), before)

    def test_a_dry_run_of_a_good_file_writes_nothing(self) -> None:
        report = self.run_import([self.row()], by=self.tto_staff, dry_run=True)
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(report.created, 1)
        self.assertFalse(report.committed)
        self.assertFalse(TechContract.objects.exists())
        self.assertFalse(AuditEntry.objects.exists())

    def test_registration_columns_go_through_the_registration(self) -> None:
        row = self.row(
            **{
                "登记状态": "已登记",
                "登记编号": "3702120009",
                "登记日期": "2026-03-10",
                "技术交易额（万元）": "100",
            }
        )
        report = self.run_import([row], by=self.tto_staff)
        self.assertTrue(report.ok, report.problems)
        contract = TechContract.objects.get()
        self.assertEqual(contract.registration_status, "registered")
        self.assertEqual(contract.certified_amount, Decimal("100"))
        self.assertTrue(AuditEntry.objects.filter(action="contract_register", object_id=contract.pk).exists())

    def test_unregistered_rows_with_registration_details_are_refused(self) -> None:
        report = self.run_import([self.row(**{"登记编号": "3702120009"})], by=self.tto_staff)
        self.assertIn("未登记的合同不填登记编号", report.problems[0].reason)
        self.assertFalse(TechContract.objects.exists())

    def test_a_number_twice_in_a_file_is_refused(self) -> None:
        report = self.run_import([self.row(), self.row()], by=self.tto_staff)
        self.assertEqual([(p.row, p.column) for p in report.problems], [(3, "合同编号")])
        self.assertFalse(TechContract.objects.exists())


class ContractImportAccessTest(ContractImportTestCase):
    def test_staff_import_only_for_their_own_organisation_and_an_empty_cell_means_theirs(self) -> None:
        report = self.run_import([self.row(**{"所属机构": "中国海洋大学"})], by=self.tto_staff)
        self.assertIn("只能导入本机构的合同", report.problems[0].reason)
        report = self.run_import([self.row(**{"所属机构": ""})], by=self.tto_staff)
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(TechContract.objects.get().organisation, self.qdu)

    def test_another_organisations_contract_cannot_be_changed_by_import(self) -> None:
        self.sign(number="QDU-2026-501")
        report = self.run_import(
            [self.row(**{"所属机构": "中国海洋大学", "合同名称": "改名"})], by=self.other_staff
        )
        self.assertIn("无权修改", " ".join(p.reason for p in report.problems))
        self.assertEqual(TechContract.objects.get().title, "对虾养殖尾水处理技术专利实施许可")

    def test_enterprise_users_and_managers_may_not_import_contracts(self) -> None:
        for user in (self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.run_import([self.row()], by=user)


class ContractExportTest(ContractImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp())

    def exported_rows(self, user: Any = None) -> list[dict[str, Any]]:
        path = self.tmp / "contracts.xlsx"
        records_export("contracts", None, user, path)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]

    def test_an_exported_file_imports_back_as_updates_and_changes_nothing(self) -> None:
        contract = self.sign(lead=self.lead)
        contract.achievements.set([self.achievement])
        contract_register(
            by=self.tto_staff,
            contract=contract,
            status="registered",
            number="3702120001",
            registered_on=datetime.date(2026, 3, 20),
            certified_amount="100",
        )
        path = self.tmp / "contracts.xlsx"
        self.assertEqual(records_export("contracts", None, None, path), 1)
        before = self.written()
        report = records_import("contracts", path, by=self.tto_staff)
        self.assertTrue(report.ok, report.problems)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 1))
        self.assertEqual(self.written(), before)

    def test_a_changed_export_updates_the_contract_instead_of_adding_one(self) -> None:
        contract = self.sign()
        rows = self.exported_rows()
        self.assertEqual(rows[0]["合同子类型"], "普通许可")
        self.assertEqual(rows[0]["卖方"], "青岛大学")
        rows[0]["合同金额（万元）"] = "150"
        rows[0]["买方"] = "某水产养殖合作社"
        report = records_import("contracts", workbook(rows), by=self.tto_staff)
        self.assertTrue(report.ok, report.problems)
        self.assertEqual((report.created, report.updated), (0, 1))
        contract.refresh_from_db()
        self.assertEqual(contract.amount, Decimal("150"))
        self.assertEqual(contract.parties.get(role=ContractParty.Role.BUYER).name, "某水产养殖合作社")
        self.assertEqual(TechContract.objects.count(), 1)

    def test_an_export_holds_only_the_contracts_the_user_may_read(self) -> None:
        self.sign(title="青大合同")
        parties = [{"role": "seller", "organisation": self.ouc}, {"role": "buyer", "name": "某公司"}]
        self.sign(by=self.other_staff, organisation=self.ouc, parties=parties, title="海大合同")
        self.assertEqual({r["合同名称"] for r in self.exported_rows(self.tto_staff)}, {"青大合同"})
        self.assertEqual({r["合同名称"] for r in self.exported_rows(self.enterprise_user)}, {"青大合同"})
        self.assertEqual(self.exported_rows(self.outsider), [])
        self.assertEqual({r["合同名称"] for r in self.exported_rows()}, {"青大合同", "海大合同"})

    def test_the_template_has_every_column_and_an_example_that_imports(self) -> None:
        path = self.tmp / "template.xlsx"
        template_workbook("contracts", self.tto_staff, path)
        book = load_workbook(path)
        headers, example = list(book.active.iter_rows(values_only=True))[:2]
        for header in [
            "合同编号",
            "合同子类型",
            "作价投资",
            "股权比例",
            "技术交易额（万元）",
            "涉及成果编号",
        ]:
            self.assertIn(header, headers)
        report = records_import("contracts", path, by=self.tto_staff)
        self.assertTrue(report.ok, report.problems)


class ContractCommandTest(ContractImportTestCase):
    def test_the_cli_exports_and_imports_contracts(self) -> None:
        self.sign(title="命令行合同")
        path = Path(tempfile.mkdtemp()) / "contracts.csv"
        out = io.StringIO()
        call_command("export", "contracts", str(path), "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["count"], 1)
        text = path.read_text(encoding="utf-8-sig").replace("命令行合同", "命令行合同（修订）")
        path.write_text(text, encoding="utf-8-sig")
        out = io.StringIO()
        call_command("import", "contracts", str(path), "--json", stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual((result["updated"], result["created"]), (1, 0))
        self.assertEqual(TechContract.objects.get().title, "命令行合同（修订）")

    def test_the_cli_refuses_a_bad_file_and_writes_nothing(self) -> None:
        path = Path(tempfile.mkdtemp()) / "bad.xlsx"
        path.write_bytes(workbook([self.row(**{"合同金额（万元）": "-1"})]).getvalue())
        err = io.StringIO()
        with self.assertRaises(SystemExit):
            call_command("import", "contracts", str(path), stdout=io.StringIO(), stderr=err)
        self.assertIn("第2行 [合同金额（万元）] 金额不能为负数", err.getvalue())
        self.assertFalse(TechContract.objects.exists())


@override_settings(FANXING_JOBS="sync")
class ContractImportPageTest(ContractImportTestCase):
    def test_staff_check_then_import_a_file_on_the_web_page(self) -> None:
        self.login(self.tto_staff)
        url = reverse("core:io_import", args=["contracts"])
        self.assertContains(self.client.get(url), "技术合同")
        response = self.client.post(url, {"file": workbook([self.row()])})
        job = Job.objects.latest("pk")
        self.assertRedirects(response, reverse("core:io_job", args=[job.pk]))
        self.assertTrue(job.result["ok"], job.result)
        self.assertFalse(TechContract.objects.exists())
        self.client.post(url, {"job": job.pk})
        self.assertTrue(TechContract.objects.filter(number="QDU-2026-501").exists())

    def test_a_bad_file_shows_its_problems_on_the_job_page(self) -> None:
        self.login(self.tto_staff)
        url = reverse("core:io_import", args=["contracts"])
        self.client.post(url, {"file": workbook([self.row(**{"合同类型": "技术租赁"})])})
        job = Job.objects.latest("pk")
        page = self.client.get(reverse("core:io_job", args=[job.pk]))
        self.assertContains(page, "技术租赁")
        self.assertFalse(TechContract.objects.exists())

    def test_enterprise_users_get_no_contract_import_page(self) -> None:
        self.login(self.enterprise_user)
        self.assertEqual(self.client.get(reverse("core:io_import", args=["contracts"])).status_code, 403)
