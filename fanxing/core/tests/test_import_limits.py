"""Files refused before any row is read, on the web and the command line: too large, a small xlsx that
unpacks to a huge one, a file that only has the name of a workbook, an empty file; a CSV saved by a
Chinese Excel (GBK) is read."""

import io
import zipfile

from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from fanxing.achievements.models import Achievement
from fanxing.core.io import TabularError, records_import
from fanxing.core.models import Job
from fanxing.core.tabular import MAX_ROWS
from fanxing.core.tests.test_import_export import GOOD, ImportExportTestCase, csv_file, workbook


def named(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def padded_workbook(padding: int) -> io.BytesIO:
    """A good workbook with an extra part of `padding` zero bytes: a few kilobytes on disk."""
    data = io.BytesIO(workbook([GOOD]).getvalue())
    with zipfile.ZipFile(data, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(padding))
    data.seek(0)
    return data


def far_row_workbook(row: int) -> io.BytesIO:
    """A header and one cell at `row`: read in full it is `row` rows of empty cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(GOOD))
    sheet.cell(row=row, column=1, value="x")
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


class ImportLimitTests(ImportExportTestCase):
    def refusal(self, data: io.BytesIO, name: str) -> str:
        with self.assertRaises(TabularError) as caught:
            records_import("achievements", data, name=name)
        return str(caught.exception)

    @override_settings(FANXING_MAX_UPLOAD_BYTES=1000)
    def test_a_file_over_the_limit_is_refused_with_both_sizes(self) -> None:
        message = self.refusal(csv_file([GOOD] * 20), "big.csv")
        self.assertIn("超过上限 0.0 MB", message)
        self.assertIn("请拆分后分批导入", message)

    @override_settings(FANXING_MAX_UNZIPPED_BYTES=5 * 1024 * 1024)
    def test_a_workbook_that_unpacks_past_the_limit_is_refused(self) -> None:
        bomb = padded_workbook(50 * 1024 * 1024)
        self.assertLess(len(bomb.getvalue()), 100 * 1024)
        message = self.refusal(bomb, "bomb.xlsx")
        self.assertIn("解压后有 50.0 MB，超过上限 5.0 MB", message)

    def test_a_workbook_under_the_unpacked_limit_is_read(self) -> None:
        report = records_import("achievements", padded_workbook(1024 * 1024), dry_run=True, name="a.xlsx")
        self.assertEqual((report.problems, report.created), ([], 1))

    def test_a_sheet_declaring_more_rows_than_the_limit_is_refused(self) -> None:
        message = self.refusal(far_row_workbook(MAX_ROWS + 10), "far.xlsx")
        self.assertIn(f"文件超过 {MAX_ROWS} 行", message)

    def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(self) -> None:
        pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        self.assertIn("不是 .xlsx 格式", self.refusal(named(pdf, "a.xlsx"), "a.xlsx"))
        text = csv_file([GOOD]).getvalue()
        self.assertIn("不是 .xlsx 格式", self.refusal(named(text, "a.xlsx"), "a.xlsx"))

    def test_an_empty_workbook_file_is_refused(self) -> None:
        self.assertEqual(self.refusal(named(b"", "a.xlsx"), "a.xlsx"), "文件是空的")

    def test_a_csv_saved_in_gbk_is_read(self) -> None:
        report = records_import("achievements", csv_file([GOOD], encoding="gbk"), dry_run=True, name="a.csv")
        self.assertEqual((report.problems, report.created), ([], 1))
        self.assertEqual(report.as_dict()["ok"], True)

    def test_a_csv_in_no_known_encoding_is_refused_naming_utf8(self) -> None:
        data = named("成果名称\n".encode("utf-16-le") + b"\xff\xfe\x81\x30", "a.csv")
        message = self.refusal(data, "a.csv")
        self.assertTrue("UTF-8" in message or "不是文本" in message, message)


class ImportPageLimitTests(ImportExportTestCase):
    def post(self, data: io.BytesIO) -> str:
        """The page shown again with the reason (a file accepted for a dry run redirects to its job)."""
        self.login(self.tto_staff)
        response = self.client.post(reverse("core:io_import", args=["achievements"]), {"file": data})
        return response.content.decode()

    @override_settings(FANXING_MAX_UPLOAD_BYTES=1000)
    def test_the_page_refuses_a_file_over_the_limit(self) -> None:
        data = workbook([GOOD] * 20)
        data.name = "big.xlsx"
        self.assertIn("超过上限", self.post(data))
        self.assertFalse(Job.objects.exists())

    def test_the_page_refuses_an_empty_file(self) -> None:
        self.assertIn("空", self.post(named(b"", "empty.xlsx")))
        self.assertFalse(Job.objects.exists())

    @override_settings(FANXING_MAX_UNZIPPED_BYTES=5 * 1024 * 1024)
    def test_the_dry_run_of_a_workbook_bomb_says_what_is_wrong(self) -> None:
        bomb = padded_workbook(50 * 1024 * 1024)
        bomb.name = "bomb.xlsx"
        self.post(bomb)
        job = Job.objects.get()
        self.assertIn("解压后有 50.0 MB", job.result["error"])
        self.assertEqual(Achievement.objects.count(), 0)
