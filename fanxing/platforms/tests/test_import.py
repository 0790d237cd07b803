import io

from django.core.exceptions import PermissionDenied

from fanxing.core.io import records_export, records_import
from fanxing.core.io.kinds import get_kind
from fanxing.core.tabular import write_xlsx
from fanxing.platforms.models import Platform
from fanxing.platforms.tests.base import PlatformTestCase

GOOD = [
    "青岛市海洋生物制品工程技术研究中心",
    "市级",
    "工程技术研究中心",
    "中国海洋大学",
    2024,
    "",
    "",
    "",
    "",
    "海洋生物医药",
    "",
]


def workbook(*rows: list[object]) -> io.BytesIO:
    target = io.BytesIO()
    write_xlsx(target, get_kind("platforms").columns, rows, title="创新平台")
    target.seek(0)
    target.name = "platforms.xlsx"
    return target


class PlatformImportTest(PlatformTestCase):
    def test_a_clean_file_creates_and_updates_by_name(self) -> None:
        changed = [self.lab.name, "national", "全国重点实验室", "青岛大学", "2010年", "运行中", "", self.park.name,
                   self.chain.name, "海洋生物医药、mbio.drug", "新的简介"]  # fmt: skip
        report = records_import("platforms", workbook(GOOD, changed))
        self.assertTrue(report.ok, report.problems)
        self.assertEqual((report.created, report.updated), (1, 1))
        created = Platform.objects.get(name=GOOD[0])
        self.assertEqual((created.level, created.kind.name, created.host, created.recognised_year),
                         ("municipal", "工程技术研究中心", self.ouc, 2024))  # fmt: skip
        self.lab.refresh_from_db()
        self.assertEqual(self.lab.description, "新的简介")
        self.assertEqual(sorted(f.code for f in self.lab.fields.all()), ["mbio", "mbio.drug"])

    def test_one_bad_row_writes_nothing_and_each_problem_names_row_and_column(self) -> None:
        bad = [
            "山东省海洋观测技术创新中心",
            "省部级",
            "技术中心",
            "不存在的大学",
            "去年",
            "已撤销",
            "",
            "",
            "",
            "",
            "",
        ]
        report = records_import("platforms", workbook(GOOD, bad, [self.lab.name, "国家级", "全国重点实验室",
                                "青岛大学", 2010, "已撤销", "", "", "", "", ""]))  # fmt: skip
        self.assertFalse(report.committed)
        found = {(p.row, p.column) for p in report.problems}
        self.assertEqual(
            found,
            {
                (3, "级别"),
                (3, "平台类型"),
                (3, "依托单位"),
                (3, "认定年份"),
                (3, "撤销年份"),
                (4, "撤销年份"),
            },
        )
        self.assertIn("“省部级”不是可选值", next(p.reason for p in report.problems if p.column == "级别"))
        self.assertFalse(Platform.objects.filter(name=GOOD[0]).exists())
        self.lab.refresh_from_db()
        self.assertEqual(self.lab.status, "active")

    def test_a_dry_run_writes_nothing_and_duplicates_are_named(self) -> None:
        report = records_import("platforms", workbook(GOOD), dry_run=True)
        self.assertTrue(report.ok)
        self.assertEqual(report.created, 1)
        self.assertFalse(Platform.objects.filter(name=GOOD[0]).exists())
        report = records_import("platforms", workbook(GOOD, GOOD))
        self.assertEqual([(p.row, p.column) for p in report.problems], [(3, "平台名称")])

    def test_an_export_imports_back_unchanged(self) -> None:
        target = io.BytesIO()
        target.name = "platforms.xlsx"
        self.assertEqual(records_export("platforms", None, None, target), 5)
        target.seek(0)
        report = records_import("platforms", target, dry_run=True)
        self.assertTrue(report.ok, report.problems)
        self.assertEqual(report.unchanged, 5)

    def test_only_the_bureau_imports_platforms(self) -> None:
        with self.assertRaises(PermissionDenied):
            records_import("platforms", workbook(GOOD), by=self.tto_admin)
        self.assertTrue(records_import("platforms", workbook(GOOD), by=self.bureau_admin).committed)
