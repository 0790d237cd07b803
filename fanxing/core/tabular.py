"""Reading and writing tables (xlsx and csv) with Chinese column headers, and the problems found in them.

Generic: knows columns, rows and cells, nothing about records. `fanxing.core.io` defines the columns of
each kind of record and turns rows into records and back.

- Row numbers are the ones a person sees in Excel: the header is row 1, the first data row is row 2.
- csv files are written as UTF-8 with a byte-order mark, so Excel opens them with the right encoding;
  they are read as UTF-8 (with or without the mark) or, failing that, GB18030 (what Excel saves on a
  Chinese Windows).
- Cells that would start a formula (=, +, -, @) are written as text: in xlsx with the string type, in csv
  behind an apostrophe that reading removes again.
"""

import csv
import datetime
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMATS = ("xlsx", "csv")
# A file with more rows is refused: split it into several imports.
MAX_ROWS = 100_000
# Columns read beyond the known ones (for the unknown headers a file may have).
MORE_COLUMNS = 50
FORMULA_START = ("=", "+", "-", "@")
Source = str | os.PathLike[str] | IO[bytes]


class TabularError(Exception):
    """The whole file is refused (wrong type, corrupt, empty, too large, required columns missing)."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its Chinese header, the key the code uses, and what the template says of it."""

    header: str
    key: str
    required: bool = False  # the header must be present (the model says whether a cell may be empty)
    help: str = ""
    width: int = 16
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in one cell (or one row when `column` is empty), as the person will fix it."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where} [{self.column}] {self.reason}" if self.column else f"{where} {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Table:
    """The rows of a file: `rows` holds (row number, {column key: cell value}) for non-empty rows."""

    columns: list[Column]  # the known columns present in the file, in file order
    ignored: list[str]  # headers the file has that no column knows
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def file_format(name: str) -> str:
    """ "xlsx" or "csv" from a file name; refuses anything else with the reason."""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext in FORMATS:
        return ext
    if ext in ("xls", "et", "wps", "numbers", "ods"):
        raise TabularError(f"不支持 .{ext} 文件：请在 Excel 或 WPS 中另存为 .xlsx 或 .csv 后再上传")
    raise TabularError(f"只支持 .xlsx 和 .csv 文件，“{Path(name).name}”不是")


def _size(source: Source) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    position = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_table(
    source: Source,
    columns: Sequence[Column],
    *,
    name: str = "",
    max_bytes: int = 0,
    max_unzipped_bytes: int = 0,
) -> Table:
    """Read a file into rows keyed by column; refuses (TabularError) files that cannot be imported at all:
    larger than `max_bytes`, an xlsx whose contents unpack to more than `max_unzipped_bytes`, or more
    than MAX_ROWS rows."""
    name = name or (
        os.fspath(source) if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
    )
    fmt = file_format(name)
    try:
        size = _size(source)
    except FileNotFoundError as error:
        raise TabularError(f"文件不存在：{name}") from error
    except OSError as error:
        raise TabularError(f"无法打开文件：{error.strerror or error}") from error
    if size == 0:
        raise TabularError("文件是空的")
    if max_bytes and size > max_bytes:
        raise TabularError(f"文件大小 {megabytes(size)}，超过上限 {megabytes(max_bytes)}；请拆分后分批导入")
    if fmt == "xlsx":
        raw_rows = _xlsx_rows(source, len(columns) + MORE_COLUMNS, max_unzipped_bytes)
    else:
        raw_rows = _csv_rows(source)
    return _table(raw_rows, columns)


def _xlsx_rows(source: Source, max_columns: int, max_unzipped_bytes: int) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, read no further than MAX_ROWS and `max_columns` (a sheet can declare a
    million empty rows in a few bytes)."""
    _check_unzipped_size(source, max_unzipped_bytes)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = list(itertools.islice(sheet.iter_rows(values_only=True, max_col=max_columns), MAX_ROWS + 2))
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key errors) for a broken file
        raise TabularError("无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式") from error
    return iter(rows)


def _check_unzipped_size(source: Source, limit: int) -> None:
    """Refuse an xlsx (a zip of XML files) that would unpack to more than `limit` bytes: a few kilobytes
    can unpack to gigabytes. The sizes are the ones the zip declares; reading stops at them."""
    if not limit:
        return
    try:
        with zipfile.ZipFile(source) as archive:
            unzipped = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TabularError("无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式") from error
    finally:
        if not isinstance(source, str | os.PathLike):
            source.seek(0)
    if unzipped > limit:
        raise TabularError(
            f"该 Excel 文件解压后有 {megabytes(unzipped)}，超过上限 {megabytes(limit)}；"
            "请删除多余的工作表、图片和格式，或另存为 .csv 后再上传"
        )


def _csv_rows(source: Source) -> Iterator[tuple[Any, ...]]:
    if isinstance(source, str | os.PathLike):
        data = Path(source).read_bytes()
    else:
        source.seek(0)
        data = source.read()
    if b"\x00" in data[:4096]:
        raise TabularError("无法读取该 csv 文件：内容不是文本（是否把其他格式的文件改成了 .csv？）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TabularError("无法识别 csv 文件的编码：请保存为 UTF-8 编码")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise TabularError(f"csv 文件格式错误：{error}") from error
    return (tuple(_unescape(v) for v in row) for row in rows)


def _unescape(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _clean_header(value: Any) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    return re.sub(r"(\*|（必填）|\(必填\))$", "", text)


def _table(raw_rows: Iterator[tuple[Any, ...]], columns: Sequence[Column]) -> Table:
    header_row = next(raw_rows, None)
    headers = [_clean_header(h) for h in header_row or ()]
    if not any(headers):
        raise TabularError("文件是空的：第1行应为列名")
    by_header = {name: c for c in columns for name in (c.header, *c.aliases)}
    seen: dict[str, int] = {}
    positions: list[tuple[int, Column]] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in seen:
            raise TabularError(f"列名“{header}”重复出现（第{seen[header] + 1}列和第{index + 1}列）")
        seen[header] = index
        column = by_header.get(header)
        if column is None:
            ignored.append(header)
        elif any(c.key == column.key for _, c in positions):
            raise TabularError(f"列“{column.header}”出现了两次（含别名）")
        else:
            positions.append((index, column))
    missing = [c.header for c in columns if c.required and not any(c.key == p.key for _, p in positions)]
    if missing:
        raise TabularError(f"缺少必需的列：{'、'.join(missing)}（第1行应为列名，可下载模板对照）")
    table = Table(columns=[c for _, c in positions], ignored=ignored)
    for number, raw in enumerate(raw_rows, start=2):
        if number > MAX_ROWS + 1:
            raise TabularError(
                f"文件超过 {MAX_ROWS} 行（含空行）：请删除表末多余的行，或拆分为几个文件分批导入"
            )
        values = {c.key: _cell(raw[i] if i < len(raw) else None) for i, c in positions}
        if any(v != "" for v in values.values()):
            table.rows.append((number, values))
    if not table.rows:
        raise TabularError("文件中没有数据行：第2行起应为数据")
    return table


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# Writing ---------------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="C00000")


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        value = _text(value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, Decimal):
        return float(value)
    return value


def _header_cells(sheet: Any, columns: Sequence[Column]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    return cells


def write_xlsx(
    target: Source,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a workbook: the data sheet (header row, then rows) and further sheets of notes (title, rows).

    Returns the number of data rows. Write-only mode keeps memory flat for large exports.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.append(_header_cells(sheet, columns))
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, v) for v in row])
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    for sheet_title, notes in sheets:
        _notes_sheet(workbook.create_sheet(sheet_title[:31]), notes)
    _save(workbook, target)
    return count


def _notes_sheet(sheet: Any, notes: Sequence[Sequence[Any]]) -> None:
    for i in range(1, max(len(r) for r in notes) + 1):
        longest = max(len(str(r[i - 1])) if i <= len(r) else 0 for r in notes)
        sheet.column_dimensions[get_column_letter(i)].width = min(80, max(10, longest * 2 + 2))
    for n, row in enumerate(notes):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_text(str(value)))
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if n == 0:
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cells.append(cell)
        sheet.append(cells)


def _save(workbook: Workbook, target: Source) -> None:
    if isinstance(target, str | os.PathLike):
        workbook.save(target)
        return
    buffer = io.BytesIO()
    workbook.save(buffer)
    target.write(buffer.getvalue())


def _csv_value(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return cell_text(value)


def write_csv(
    target: Source,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a csv file in UTF-8 with a byte-order mark; returns the number of data rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    data = buffer.getvalue().encode("utf-8-sig")
    if isinstance(target, str | os.PathLike):
        Path(target).write_bytes(data)
    else:
        target.write(data)
    return count
