"""Import and export of achievements, demands and organisations: files, CLI and the import pages."""

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
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fanxing.accounts.models import AccessRequest
from fanxing.achievements.models import Achievement, Patent, TeamMember
from fanxing.core.io import TabularError, cells, records_export, records_import, template_workbook
from fanxing.core.io.kinds import KINDS
from fanxing.core.models import AuditEntry, Job, Organisation
from fanxing.core.tabular import Problem
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from tests.base import PersonasTestCase, make_achievement, make_demand

GOOD = {
    "成果名称": "一种海参加工副产物的酶解方法",
    "成果简介": "利用复合酶解得到高附加值海参肽。",
    "技术领域": "海洋生物医药/海洋生物制品",
    "关键词": "海参肽，酶解",
    "技术就绪水平": 5,
    "转化方式": "转让、许可",
    "价格（万元）": "30-60",
    "所属机构": "青岛大学",
    "专利": "ZL201710601862.3|一种海参肽制备方法|发明专利|有效",
    "团队成员": "王五（研究员，负责人）、赵六",
    "状态": "草稿",
    "可见范围": "公开",
    "联系人": "王老师",
}


def workbook(rows: list[dict[str, Any]], headers: list[str] | None = None) -> io.BytesIO:
    headers = headers or list(dict.fromkeys(h for row in rows for h in row))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "upload.xlsx"
    return data


def csv_file(rows: list[dict[str, Any]], encoding: str = "utf-8-sig") -> io.BytesIO:
    import csv

    headers = list(dict.fromkeys(h for row in rows for h in row))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    data = io.BytesIO(text.getvalue().encode(encoding))
    data.name = "upload.csv"
    return data


class ImportExportTestCase(PersonasTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())

    def save(self, data: io.BytesIO, name: str) -> Path:
        path = self.tmp / name
        path.write_bytes(data.getvalue())
        return path

    def counts(self) -> tuple[int, ...]:
        return (
            Achievement.objects.count(),
            Demand.objects.count(),
            Organisation.objects.count(),
            Patent.objects.count(),
            TeamMember.objects.count(),
            AuditEntry.objects.count(),
        )

    def fields_of(self, record: Achievement) -> dict[str, Any]:
        return {
            **{
                f.name: getattr(record, f.attname)
                for f in Achievement._meta.concrete_fields
                if f.name
                not in ("id", "created_at", "updated_at", "created_by", "submitted_at", "published_at")
            },
            "ways": sorted(record.ways.values_list("code", flat=True)),
            "patents": sorted(record.patents.values_list("number", "title", "kind", "legal_status")),
            "team": list(record.team.order_by("order").values_list("name", "title", "is_lead")),
        }


class ImportValidationTests(ImportExportTestCase):
    def bad_file(self) -> io.BytesIO:
        return workbook(
            [
                {**GOOD, "编号": "CG-NEW-1"},
                {**GOOD, "编号": "CG-NEW-1", "所属机构": "不存在大学"},
                {**GOOD, "技术就绪水平": 12, "价格（万元）": "120-50"},
                {**GOOD, "专利": "ZL201710601862.4", "技术领域": "不存在的领域"},
                {**GOOD, "成果名称": "", "团队成员": "张三（教授", "联系邮箱": "不是邮箱"},
            ],
            headers=["编号", *GOOD, "联系邮箱"],
        )

    def test_it_refuses_a_file_with_bad_rows_naming_each_row_column_and_reason(self) -> None:
        before = self.counts()
        report = records_import("achievements", self.bad_file(), by=None, name="bad.xlsx")
        self.assertFalse(report.committed)
        self.assertEqual(self.counts(), before)
        found = {(p.row, p.column) for p in report.problems}
        self.assertTrue(
            {
                (3, "编号"),
                (3, "所属机构"),
                (4, "技术就绪水平"),
                (4, "价格（万元）"),
                (5, "专利"),
                (5, "技术领域"),
                (6, "成果名称"),
                (6, "团队成员"),
                (6, "联系邮箱"),
            }
            <= found,
            found,
        )
        self.assertNotIn(2, {p.row for p in report.problems})
        reasons = {(p.row, p.column): p.reason for p in report.problems}
        self.assertIn("与第2行重复", reasons[(3, "编号")])
        self.assertIn("不存在大学", reasons[(3, "所属机构")])
        self.assertIn("校验位", reasons[(5, "专利")])
        self.assertIn("下限 120 大于上限 50", reasons[(4, "价格（万元）")])
        self.assertEqual(reasons[(6, "成果名称")], "必填，不能为空")

    def test_a_dry_run_finds_exactly_what_a_commit_finds(self) -> None:
        dry = records_import("achievements", self.bad_file(), dry_run=True, name="bad.xlsx")
        commit = records_import("achievements", self.bad_file(), dry_run=False, name="bad.xlsx")
        self.assertEqual(dry.problems, commit.problems)

    def test_a_problem_reads_as_row_column_reason(self) -> None:
        self.assertEqual(str(Problem(7, "技术领域", "不存在")), "第7行 [技术领域] 不存在")

    def test_it_refuses_a_wrong_uscc_check_character(self) -> None:
        rows = [{"名称": "青岛新设科技有限公司", "类型": "企业", "统一社会信用代码": "91370212MA3C12345X"}]
        report = records_import("organisations", workbook(rows), by=self.bureau_admin, name="o.xlsx")
        self.assertEqual([(p.row, p.column) for p in report.problems], [(2, "统一社会信用代码")])
        self.assertIn("校验位错误：应为 T", report.problems[0].reason)
        self.assertFalse(Organisation.objects.filter(name="青岛新设科技有限公司").exists())

    def test_it_imports_organisations_with_region_by_name_or_code(self) -> None:
        rows = [
            {
                "名称": "青岛新设科技有限公司",
                "类型": "企业",
                "统一社会信用代码": "91370212ma3c12345t",
                "所在地区": "崂山区",
            },
            {"名称": "青岛另一研究院", "类型": "科研院所", "所在地区": "370212"},
        ]
        report = records_import("organisations", workbook(rows), by=self.bureau_admin, name="o.xlsx")
        self.assertTrue(report.committed, report.problems)
        created = Organisation.objects.get(name="青岛新设科技有限公司")
        self.assertEqual(
            (created.uscc, created.region.code, created.kind), ("91370212MA3C12345T", "370212", "enterprise")
        )

    def test_all_or_nothing_when_one_row_of_many_is_bad(self) -> None:
        rows = [GOOD] * 30 + [{**GOOD, "技术就绪水平": 0}]
        before = self.counts()
        report = records_import("achievements", workbook(rows), name="a.xlsx")
        self.assertEqual([(p.row, p.column) for p in report.problems], [(32, "技术就绪水平")])
        self.assertEqual(self.counts(), before)

    def test_a_good_file_creates_records_with_their_patents_team_ways_and_audit(self) -> None:
        report = records_import("achievements", workbook([GOOD]), by=self.tto_staff, name="a.xlsx")
        self.assertTrue(report.committed, report.problems)
        record = Achievement.objects.get(title=GOOD["成果名称"])
        self.assertEqual(record.organisation, self.qdu)
        self.assertEqual(record.created_by, self.tto_staff)
        self.assertTrue(record.ref.startswith("CG"))
        self.assertEqual((record.price_min, record.price_max), (Decimal("30"), Decimal("60")))
        self.assertEqual(sorted(record.ways.values_list("code", flat=True)), ["licence", "transfer"])
        self.assertEqual(
            list(record.patents.values_list("number", "kind", "legal_status")),
            [("ZL201710601862.3", "invention", "granted")],
        )
        self.assertEqual(
            list(record.team.values_list("name", "title", "is_lead")),
            [("王五", "研究员", True), ("赵六", "", False)],
        )
        entry = AuditEntry.objects.get(object_id=record.pk, action="create")
        self.assertEqual(entry.actor, self.tto_staff)

    def test_a_row_with_an_existing_ref_updates_that_record(self) -> None:
        record = make_achievement(self.qdu, ref="CG-OLD-1", status=Status.DRAFT)
        report = records_import(
            "achievements", workbook([{**GOOD, "编号": "CG-OLD-1"}]), by=self.tto_staff, name="a.xlsx"
        )
        self.assertEqual((report.created, report.updated), (0, 1))
        record.refresh_from_db()
        self.assertEqual(record.title, GOOD["成果名称"])
        self.assertTrue(AuditEntry.objects.filter(object_id=record.pk, action="update").exists())

    def test_an_empty_organisation_cell_means_the_importers_own(self) -> None:
        report = records_import(
            "achievements", workbook([{**GOOD, "所属机构": ""}]), by=self.tto_staff, name="a.xlsx"
        )
        self.assertTrue(report.committed, report.problems)
        self.assertEqual(Achievement.objects.get(title=GOOD["成果名称"]).organisation, self.qdu)

    def test_demands_read_deadlines_as_text_or_excel_dates_and_budgets_as_negotiable(self) -> None:
        base = {
            "需求名称": "寻求海水淡化膜技术",
            "需解决的问题": "膜污染严重",
            "技术领域": "节能环保/污染治理",
            "合作方式": "技术开发",
            "所属机构": "青岛海川科技有限公司",
        }
        rows = [
            {**base, "截止日期": "2030-06-30", "预算（万元）": "面议"},
            {**base, "需求名称": "另一需求", "截止日期": datetime.datetime(2030, 7, 1), "预算（万元）": 80},
        ]
        report = records_import("demands", workbook(rows), by=self.enterprise_user, name="d.xlsx")
        self.assertTrue(report.committed, report.problems)
        first, second = Demand.objects.get(title="寻求海水淡化膜技术"), Demand.objects.get(title="另一需求")
        self.assertEqual((first.deadline, first.budget_negotiable), (datetime.date(2030, 6, 30), True))
        self.assertEqual(
            (second.deadline, second.budget_min, second.budget_max),
            (datetime.date(2030, 7, 1), Decimal("80"), Decimal("80")),
        )
        self.assertEqual(first.min_trl, 1)

    def test_it_reports_a_bad_deadline(self) -> None:
        rows = [
            {
                "需求名称": "x",
                "需解决的问题": "y",
                "技术领域": "其他",
                "所属机构": "青岛海川科技有限公司",
                "截止日期": "明年",
            }
        ]
        report = records_import("demands", workbook(rows), name="d.xlsx")
        self.assertEqual([(p.row, p.column) for p in report.problems], [(2, "截止日期")])


class ImportPermissionTests(ImportExportTestCase):
    def test_staff_cannot_import_rows_for_another_organisation(self) -> None:
        before = self.counts()
        rows = [GOOD, {**GOOD, "所属机构": "中国海洋大学"}]
        report = records_import("achievements", workbook(rows), by=self.tto_staff, name="a.xlsx")
        self.assertEqual([(p.row, p.column) for p in report.problems], [(3, "所属机构")])
        self.assertIn("只能导入本机构", report.problems[0].reason)
        self.assertEqual(self.counts(), before)

    def test_staff_cannot_change_another_organisations_record_by_its_ref(self) -> None:
        make_achievement(self.ouc, ref="CG-OUC-1")
        report = records_import(
            "achievements", workbook([{**GOOD, "编号": "CG-OUC-1"}]), by=self.tto_staff, name="a.xlsx"
        )
        self.assertIn((2, "编号"), {(p.row, p.column) for p in report.problems})
        self.assertEqual(Achievement.objects.get(ref="CG-OUC-1").organisation, self.ouc)

    def test_staff_cannot_publish_by_import_but_may_submit(self) -> None:
        report = records_import(
            "achievements", workbook([{**GOOD, "状态": "已发布"}]), by=self.tto_staff, name="a.xlsx"
        )
        self.assertEqual([(p.row, p.column) for p in report.problems], [(2, "状态")])
        report = records_import(
            "achievements", workbook([{**GOOD, "状态": "待审核"}]), by=self.tto_staff, name="a.xlsx"
        )
        self.assertTrue(report.committed, report.problems)
        self.assertEqual(Achievement.objects.get(title=GOOD["成果名称"]).status, Status.SUBMITTED)

    def test_the_platform_imports_for_any_organisation(self) -> None:
        rows = [GOOD, {**GOOD, "所属机构": "中国海洋大学", "状态": "已发布"}]
        report = records_import("achievements", workbook(rows), by=None, name="a.xlsx")
        self.assertTrue(report.committed, report.problems)
        published = Achievement.objects.get(organisation=self.ouc, title=GOOD["成果名称"])
        self.assertEqual(published.status, Status.PUBLISHED)
        self.assertIsNotNone(published.published_at)

    def test_roles_without_an_organisation_cannot_import(self) -> None:
        with self.assertRaises(PermissionDenied):
            records_import("achievements", workbook([GOOD]), by=self.manager, name="a.xlsx")

    def test_only_bureau_admins_create_organisations(self) -> None:
        rows = [
            {"名称": "青岛新设科技有限公司", "类型": "企业"},
            {"名称": "青岛大学", "类型": "高校", "简称": "青大"},
        ]
        report = records_import("organisations", workbook(rows), by=self.tto_admin, name="o.xlsx")
        self.assertEqual([(p.row, p.column) for p in report.problems], [(2, "名称")])
        report = records_import("organisations", workbook(rows[1:]), by=self.tto_admin, name="o.xlsx")
        self.assertTrue(report.committed, report.problems)
        self.assertEqual(Organisation.objects.get(name="青岛大学").short_name, "青大")


class FileRefusalTests(ImportExportTestCase):
    def refusal(self, data: bytes | io.BytesIO, name: str) -> str:
        source = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
        with self.assertRaises(TabularError) as caught:
            records_import("achievements", source, name=name)
        return str(caught.exception)

    def test_it_refuses_files_that_are_not_xlsx_or_csv(self) -> None:
        self.assertIn("只支持 .xlsx 和 .csv", self.refusal(b"hello", "notes.txt"))
        self.assertIn("另存为 .xlsx", self.refusal(b"hello", "old.xls"))

    def test_it_refuses_a_corrupt_workbook(self) -> None:
        self.assertIn("已损坏", self.refusal(b"PK\x03\x04 not really a zip", "broken.xlsx"))

    def test_it_refuses_an_empty_file(self) -> None:
        self.assertIn("空", self.refusal(b"", "empty.csv"))
        self.assertIn("没有数据行", self.refusal(workbook([], headers=list(GOOD)), "headers-only.xlsx"))

    def test_it_names_the_missing_required_headers(self) -> None:
        message = self.refusal(workbook([{"成果名称": "x", "所属机构": "青岛大学"}]), "a.xlsx")
        self.assertIn("缺少必需的列：成果简介、技术领域、技术就绪水平", message)

    @override_settings(FANXING_MAX_UPLOAD_BYTES=1000)
    def test_it_refuses_a_file_larger_than_the_limit(self) -> None:
        self.assertIn("超过上限", self.refusal(workbook([GOOD] * 50), "big.xlsx"))

    def test_it_reads_csv_saved_by_excel_in_gb18030(self) -> None:
        report = records_import(
            "achievements", csv_file([GOOD], encoding="gb18030"), dry_run=True, name="a.csv"
        )
        self.assertEqual((report.problems, report.created), ([], 1))


class RoundTripTests(ImportExportTestCase):
    def make_records(self) -> list[Achievement]:
        first = make_achievement(self.qdu, ways=["transfer", "equity"], description="第一行\n第二行")
        Patent.objects.create(
            achievement=first,
            number="ZL201710601862.3",
            title="一种方法",
            kind="invention",
            legal_status="granted",
        )
        TeamMember.objects.create(achievement=first, name="张三", title="教授", is_lead=True, order=0)
        TeamMember.objects.create(achievement=first, name="李四", order=1)
        second = make_achievement(
            self.ouc,
            price_min=None,
            price_max=None,
            price_negotiable=True,
            status=Status.DRAFT,
            visibility=Visibility.REGISTERED,
            title="=SUM(A1)恶意公式",
        )
        return [first, second]

    def check_round_trip(self, suffix: str) -> None:
        records = self.make_records()
        expected = {r.ref: self.fields_of(r) for r in records}
        path = self.tmp / f"export.{suffix}"
        self.assertEqual(records_export("achievements", None, None, path), 2)
        Achievement.objects.all().delete()
        report = records_import("achievements", path, by=None)
        self.assertTrue(report.committed, report.problems)
        self.assertEqual({r.ref: self.fields_of(r) for r in Achievement.objects.all()}, expected)
        audits = AuditEntry.objects.count()
        again = records_import("achievements", path, by=None)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_an_exported_workbook_imports_back_unchanged(self) -> None:
        self.check_round_trip("xlsx")

    def test_an_exported_csv_imports_back_unchanged(self) -> None:
        self.check_round_trip("csv")
        raw = (self.tmp / "export.csv").read_bytes()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "csv starts with a byte-order mark for Excel")
        self.assertIn("'=SUM(A1)", raw.decode("utf-8-sig"))

    def test_staff_reimporting_their_export_changes_nothing(self) -> None:
        make_achievement(self.qdu)  # published: a change by staff would send it back to review
        path = self.tmp / "mine.xlsx"
        records_export("achievements", None, self.tto_staff, path)
        report = records_import("achievements", path, by=self.tto_staff)
        self.assertEqual((report.problems, report.unchanged), ([], 1))
        self.assertEqual(Achievement.objects.get().status, Status.PUBLISHED)

    def test_demands_and_organisations_round_trip(self) -> None:
        make_demand(self.haichuan, ways=["development", "service"])
        for kind, model in (("demands", Demand), ("organisations", Organisation)):
            path = self.tmp / f"{kind}.xlsx"
            records_export(kind, None, None, path)
            report = records_import(kind, path)
            self.assertEqual((report.problems, report.unchanged), ([], model.objects.count()), kind)

    def test_template_example_rows_are_valid(self) -> None:
        for kind in KINDS:
            path = self.tmp / f"template-{kind}.xlsx"
            template_workbook(kind, self.bureau_admin, path)
            book = load_workbook(path)
            self.assertEqual(book.sheetnames[:2], [KINDS[kind].label, "填写说明"])
            report = records_import(kind, path, by=self.bureau_admin)
            self.assertEqual((report.problems, report.created), ([], 1), kind)


class ExportVisibilityTests(ImportExportTestCase):
    def rows(self, user: Any, kind: str = "achievements") -> list[dict[str, Any]]:
        path = self.tmp / f"{kind}.xlsx"
        records_export(kind, None, user, path)
        values = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]

    def test_export_shows_only_what_the_user_may_see_with_confidential_columns_blank(self) -> None:
        public = make_achievement(self.qdu)
        make_achievement(self.qdu, status=Status.DRAFT)
        rows = self.rows(self.enterprise_user)
        self.assertEqual([r["编号"] for r in rows], [public.ref])
        self.assertEqual([rows[0][h] for h in ("价格（万元）", "联系人", "联系电话", "保密信息")], [None] * 4)
        self.assertEqual(rows[0]["成果名称"], public.title)

    def test_owners_and_granted_users_see_confidential_columns(self) -> None:
        record = make_achievement(self.qdu)
        make_achievement(self.qdu, status=Status.DRAFT)
        staff_rows = self.rows(self.tto_staff)
        self.assertEqual(len(staff_rows), 2)
        self.assertEqual(staff_rows[0]["联系人"], "张老师")
        AccessRequest.objects.create(requester=self.enterprise_user, target=record, status="granted")
        self.assertEqual(self.rows(self.enterprise_user)[0]["联系人"], "张老师")

    def test_a_queryset_is_narrowed_to_what_the_user_may_see(self) -> None:
        make_achievement(self.qdu, status=Status.DRAFT)
        path = self.tmp / "qs.xlsx"
        self.assertEqual(records_export("achievements", Achievement.objects.all(), self.outsider, path), 0)

    def test_export_response_is_an_xlsx_download(self) -> None:
        from fanxing.core.io import export_response

        make_demand(self.haichuan)
        response = export_response("demands", Demand.objects.all(), self.outsider)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertIn("attachment", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(sheet.max_row, 2)


class CommandTests(ImportExportTestCase):
    def run_command(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*args, stdout=out, stderr=err)
            code = 0
        except SystemExit as exit:
            code = int(exit.code or 0)
        return code, out.getvalue(), err.getvalue()

    def test_the_cli_exits_non_zero_on_bad_input_and_writes_nothing(self) -> None:
        path = self.save(workbook([GOOD, {**GOOD, "技术就绪水平": 10}]), "bad.xlsx")
        before = self.counts()
        code, out, err = self.run_command("import", "achievements", str(path))
        self.assertEqual(code, 1)
        self.assertIn("第3行 [技术就绪水平]", err)
        self.assertEqual(self.counts(), before)

    def test_the_cli_refuses_a_file_it_cannot_read(self) -> None:
        path = self.tmp / "a.txt"
        path.write_text("x")
        code, out, err = self.run_command("import", "achievements", str(path))
        self.assertEqual((code, out), (1, ""))
        self.assertIn("只支持 .xlsx 和 .csv", err)

    def test_the_cli_imports_a_good_file_and_exits_zero(self) -> None:
        path = self.save(csv_file([GOOD]), "good.csv")
        code, out, err = self.run_command("import", "achievements", str(path), "--dry-run")
        self.assertEqual((code, Achievement.objects.count()), (0, 0))
        self.assertIn("试运行", out)
        code, out, err = self.run_command("import", "achievements", str(path))
        self.assertEqual((code, Achievement.objects.count()), (0, 1))

    def test_the_cli_prints_only_json_with_json(self) -> None:
        path = self.save(workbook([{**GOOD, "技术领域": "无"}]), "bad.xlsx")
        code, out, err = self.run_command("import", "achievements", str(path), "--json")
        report = json.loads(out)
        self.assertEqual((code, report["ok"], report["problems"][0]["column"]), (1, False, "技术领域"))

    def test_the_cli_export_writes_a_file_that_imports_back(self) -> None:
        make_achievement(self.qdu)
        path = self.tmp / "out.csv"
        code, out, err = self.run_command("export", "achievements", str(path), "--json")
        self.assertEqual((code, json.loads(out)["count"]), (0, 1))
        code, out, err = self.run_command("import", "achievements", str(path), "--json")
        self.assertEqual((code, json.loads(out)["unchanged"]), (0, 1))


class CellFormatTests(PersonasTestCase):
    def test_team_members_read_and_write_the_same(self) -> None:
        team = cells.parse_team("张三(教授,负责人)、李四（副教授）、王五")
        self.assertEqual(
            team,
            [
                {"name": "张三", "title": "教授", "is_lead": True},
                {"name": "李四", "title": "副教授", "is_lead": False},
                {"name": "王五", "title": "", "is_lead": False},
            ],
        )
        members = [TeamMember(order=i, pk=i, **m) for i, m in enumerate(team)]
        self.assertEqual(cells.render_team(members), "张三（教授，负责人）、李四（副教授）、王五")

    def test_prices_read_numbers_ranges_and_negotiable(self) -> None:
        self.assertEqual(cells.parse_amount_range("50-120"), (False, Decimal("50"), Decimal("120")))
        self.assertEqual(cells.parse_amount_range(80.0), (False, Decimal("80"), Decimal("80")))
        self.assertEqual(cells.parse_amount_range("面议"), (True, None, None))
        self.assertEqual(cells.parse_amount_range(""), (False, None, None))
        with self.assertRaises(cells.CellError):
            cells.parse_amount_range("很贵")

    def test_patents_check_the_number_and_its_kind(self) -> None:
        with self.assertRaisesMessage(cells.CellError, "第2项专利"):
            cells.parse_patents("ZL201710601862.3；ZL201710601862.4", Patent.Kind, Patent.LegalStatus)
        with self.assertRaisesMessage(cells.CellError, "与所填类型不符"):
            cells.parse_patents("ZL201710601862.3||实用新型", Patent.Kind, Patent.LegalStatus)


class ImportPageTests(ImportExportTestCase):
    def upload(self, data: io.BytesIO, kind: str = "achievements") -> Job:
        self.client.post(reverse("core:io_import", args=[kind]), {"file": data})
        return Job.objects.filter(owner__isnull=False).latest("created_at")

    def test_the_template_downloads_and_imports_back_through_the_page(self) -> None:
        self.login(self.tto_staff)
        response = self.client.get(reverse("core:io_template", args=["achievements"]))
        self.assertEqual(response.status_code, 200)
        data = io.BytesIO(response.content)
        data.name = "模板.xlsx"
        job = self.upload(data)
        self.assertEqual((job.status, job.result["ok"], job.result["created"]), ("done", True, 1))
        page = self.client.get(reverse("core:io_job", args=[job.pk]))
        self.assertContains(page, "确认导入")
        self.assertEqual(Achievement.objects.count(), 0)
        self.client.post(reverse("core:io_import", args=["achievements"]), {"job": job.pk})
        self.assertEqual(Achievement.objects.get().organisation, self.qdu)

    def test_the_page_lists_each_problem_and_writes_nothing(self) -> None:
        self.login(self.tto_staff)
        job = self.upload(workbook([GOOD, {**GOOD, "所属机构": "中国海洋大学"}]))
        page = self.client.get(reverse("core:io_job", args=[job.pk]))
        self.assertContains(page, "第 3 行")
        self.assertContains(page, "只能导入本机构的记录")
        self.assertNotContains(page, "确认导入")
        self.assertEqual(Achievement.objects.count(), 0)

    def test_a_dry_run_with_problems_cannot_be_confirmed(self) -> None:
        self.login(self.tto_staff)
        job = self.upload(workbook([{**GOOD, "技术就绪水平": 0}]))
        response = self.client.post(reverse("core:io_import", args=["achievements"]), {"job": job.pk})
        self.assertEqual(response.status_code, 403)

    def test_the_page_refuses_a_file_of_the_wrong_type(self) -> None:
        self.login(self.tto_staff)
        data = io.BytesIO(b"hello")
        data.name = "notes.txt"
        response = self.client.post(reverse("core:io_import", args=["achievements"]), {"file": data})
        self.assertContains(response, "只支持 .xlsx 和 .csv")
        self.assertFalse(Job.objects.exists())

    def test_a_running_job_polls_with_a_progress_bar(self) -> None:
        self.login(self.tto_staff)
        job = Job.objects.create(
            kind="import",
            owner=self.tto_staff,
            status="running",
            total=200,
            done=50,
            params={"kind": "achievements", "dry_run": True, "filename": "a.xlsx"},
        )
        page = self.client.get(reverse("core:io_job", args=[job.pk]), HTTP_HX_REQUEST="true")
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "width: 25%")

    def test_other_peoples_jobs_are_not_found(self) -> None:
        job = Job.objects.create(kind="import", owner=self.tto_staff, params={"kind": "achievements"})
        self.login(self.other_staff)
        self.assertEqual(self.client.get(reverse("core:io_job", args=[job.pk])).status_code, 404)

    def test_roles_that_cannot_import_are_refused(self) -> None:
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("core:io_import", args=["achievements"])).status_code, 403)
        self.login(self.tto_staff)
        self.assertEqual(self.client.get(reverse("core:io_import", args=["organisations"])).status_code, 403)
        self.assertEqual(self.client.get(reverse("core:io_import", args=["achievements"])).status_code, 200)

    def test_the_finished_import_is_stamped_with_its_time(self) -> None:
        self.login(self.tto_staff)
        job = self.upload(csv_file([GOOD]))
        self.assertLessEqual(job.finished_at, timezone.now())
