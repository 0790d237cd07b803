"""The leaderboard's PDF and workbook show the same figures as its HTML page: each is read back (the page's
data-key and data-value, the workbook with openpyxl, the PDF's text with pypdf) and compared."""

import io
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from fanxing.reports import report
from fanxing.reports.renderers import render
from fanxing.reports.tests.leaderboard_base import YEAR, LeaderboardTestCase, page_figures


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def sheet_rows(workbook: Any, name: str) -> list[tuple[Any, ...]]:
    return list(workbook[name].iter_rows(values_only=True))


class RenderersTest(LeaderboardTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = report.build(YEAR)
        cls.page = page_figures(render(cls.report, "html").decode())

    def test_the_page_shows_every_district_figure_and_the_organisations_with_figures(self) -> None:
        keys = [key for key, _ in self.page.figures]
        district = [f["key"] for f in self.report["figures"]]
        self.assertEqual(sorted(keys[: len(district)]), sorted(district))  # grouped, then each organisation
        self.assertIn("qdu", self.page.organisations)
        self.assertIn("qdu.all.amount", keys)
        shown = dict(self.page.figures)
        self.assertEqual(shown["contracts.all.amount"], "500.5")  # the December contract is after 统计截至
        self.assertEqual(shown["qdu.all.amount"], "420.5")
        self.assertEqual(shown["stats.gdp"], "512.3")
        self.assertEqual(shown["stats.rd_spending"], "—")
        other = {page["key"] for page in self.report["organisations"]} - set(self.page.organisations)
        for page in self.report["organisations"]:
            if page["key"] in other:
                self.assertTrue(all(not f["value"] for f in page["figures"]), page["name"])

    def test_the_workbook_holds_each_figure_of_the_page_as_a_number(self) -> None:
        workbook = load_workbook(io.BytesIO(render(self.report, "xlsx")))
        self.assertEqual(workbook.sheetnames[:4], ["指标", "排名", "目标评估", "机构"])
        district = sheet_rows(workbook, "指标")
        self.assertEqual(district[0][:3], ("代码", "指标", "数值"))
        values = {row[0]: row[2] for row in district[1:]}
        values |= {row[1]: row[3] for row in sheet_rows(workbook, "机构")[1:]}
        for key, value in self.page.figures:
            with self.subTest(key=key):
                self.assertIn(key, values)
                if value == "—":
                    self.assertIsNone(values[key])
                else:
                    self.assertIsInstance(values[key], int | float)
                    self.assertEqual(values[key], float(value))
        self.assertEqual(len(values), len(self.page.figures))

    def test_the_pdf_prints_each_figure_of_the_page_after_its_key(self) -> None:
        words = pdf_text(render(self.report, "pdf")).split()
        for key, value in self.page.figures:
            with self.subTest(key=key):
                self.assertIn(key, words)
                self.assertEqual(words[words.index(key) + 1], value)

    def test_the_pdf_reads_in_chinese(self) -> None:
        text = pdf_text(render(self.report, "pdf"))
        self.assertIn("2025年度科技成果榜单", text)
        self.assertIn("统计期间 2025-01-01 至 2025-11-30", text)
        self.assertIn("青岛大学", text)
        self.assertIn("已完成", text)  # the target's verdict

    def test_the_rankings_agree_in_the_three_formats(self) -> None:
        top = self.report["rankings"]["organisations_by_amount"][0]
        self.assertEqual((top["name"], top["amount"], top["projects"]), ("青岛大学", 420.5, 2))
        rows = sheet_rows(load_workbook(io.BytesIO(render(self.report, "xlsx"))), "排名")
        self.assertEqual(rows[0][0], "机构技术合同金额排名")
        self.assertEqual(rows[2][:4], (1, "青岛大学", 420.5, 2))
        self.assertIn("技术领域活跃度排名", [row[0] for row in rows])
        self.assertIn("1 青岛大学 420.5 2", " ".join(pdf_text(render(self.report, "pdf")).split()))
        self.assertIn(
            '<a href="#qdu">青岛大学</a></td><td class="lb-num">420.5</td>',
            render(self.report, "html").decode(),
        )

    def test_the_targets_carry_their_verdict_and_comments(self) -> None:
        self.assertEqual(self.page.targets, {"contracts.all.amount": "met"})
        rows = sheet_rows(load_workbook(io.BytesIO(render(self.report, "xlsx"))), "目标评估")
        self.assertEqual(
            rows[1][:8], ("contracts.all.amount", "技术合同金额", "不低于", 400, 500.5, 400, 125.1, "已完成")
        )
        self.assertIn("转化项目还需加力", rows[1][9])
        self.assertIn("转化项目还需加力", render(self.report, "html").decode())

    def test_the_html_file_stands_alone(self) -> None:
        html = render(self.report, "html").decode()
        self.assertEqual((self.page.scripts, self.page.links), (0, 0))
        self.assertIn("<style>", html)
        link = f'href="{settings.FANXING_SITE_URL}/reports/2025/figures/contracts.all.amount/"'
        self.assertIn(link, html)

    def test_a_year_without_records_or_targets_renders_in_every_format(self) -> None:
        empty = report.build(2023)
        html = render(empty, "html").decode()
        self.assertIn("本年度尚未设定目标", html)
        self.assertIn("未填报", html)
        self.assertEqual(page_figures(html).organisations, [])
        self.assertIn("本年度尚未设定目标", pdf_text(render(empty, "pdf")))
        rows = sheet_rows(load_workbook(io.BytesIO(render(empty, "xlsx"))), "目标评估")
        self.assertEqual(rows[1][0], "本年度尚未设定目标")


class ReportCommandTest(LeaderboardTestCase):
    def test_it_writes_each_format(self) -> None:
        starts = {"json": b"{", "html": b"<!doctype html>", "pdf": b"%PDF", "xlsx": b"PK"}
        with TemporaryDirectory() as folder:
            for fmt, start in starts.items():
                path = Path(folder) / f"leaderboard.{fmt}"
                call_command("report", year=YEAR, format=fmt, out=str(path), stderr=io.StringIO())
                self.assertTrue(path.read_bytes().startswith(start), fmt)
            self.assertEqual(
                sorted(p.name for p in Path(folder).iterdir()), sorted(f"leaderboard.{f}" for f in starts)
            )

    def test_it_names_a_missing_output_folder(self) -> None:
        with self.assertRaisesMessage(CommandError, "输出目录“/nonexistent/folder”不存在"):
            call_command("report", year=YEAR, format="pdf", out="/nonexistent/folder/leaderboard.pdf")
