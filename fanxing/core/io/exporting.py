"""Exporting records to xlsx or csv, the download every filtered list offers, and the template workbook.

Export writes exactly the columns import reads. It shows only what the person may see: the selectors
choose the records, and confidential columns are blank where the person may not see them. `user=None`
is the platform itself (the CLI): every record, every column.
"""

import datetime
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.selectors import achievement_list
from fanxing.core.io.cells import Lookups
from fanxing.core.io.kinds import Kind, example_context, get_kind
from fanxing.core.models import Organisation
from fanxing.core.selectors import ListFilters, organisation_list
from fanxing.core.tabular import Column, Source, file_format, write_csv, write_xlsx
from fanxing.core.workflow import Status, Visibility
from fanxing.deals.models import TechContract
from fanxing.deals.selectors import contract_list
from fanxing.demands.selectors import demand_list
from fanxing.platforms.selectors import platform_list

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def export_queryset(spec: Kind, records: QuerySet | ListFilters | None, user: AnyUser | None) -> QuerySet:
    """The records to export, visible to this user, with what the columns need loaded."""
    if spec.name == "contracts":
        return contract_export_queryset(records, user)
    if spec.name == "platforms":  # the register is public: every platform, whoever exports
        qs = records if isinstance(records, QuerySet) else platform_list()
        return qs.select_related("kind", "host", "park", "chain").prefetch_related("fields")
    if isinstance(records, QuerySet):
        qs = records
        if user is not None and spec.is_reviewed:
            qs = qs.filter(permissions.visible_q(user, expires=spec.name == "demands"))
    elif spec.name == "organisations":
        qs = organisation_list()
    elif user is None:
        qs = spec.model.objects.order_by("ref")
    else:
        select = achievement_list if spec.name == "achievements" else demand_list
        qs = select(user, records)
    if spec.name == "organisations":
        return qs.select_related("region", "region__parent", "region__parent__parent")
    related = ["ways", "patents", "team"] if spec.name == "achievements" else ["ways"]
    return qs.select_related("organisation", "field", "field__parent").prefetch_related(*related)


def contract_export_queryset(records: QuerySet | None, user: AnyUser | None) -> QuerySet:
    """Contracts to export: a filtered list (visibility applied again), or all this user may read."""
    if isinstance(records, QuerySet):
        qs = records if user is None else records.filter(permissions.contract_visible_q(user))
    else:
        qs = contract_list(user) if user is not None else TechContract.objects.order_by("number")
    return qs.select_related("organisation").prefetch_related("parties__organisation", "achievements")


def confidential_checker(user: AnyUser | None, spec: Kind) -> Callable[[Any], bool]:
    """`permissions.can_see_confidential` for many records at once (one query for the grants)."""
    if user is None or permissions.is_admin(user) or not spec.is_reviewed:
        return lambda record: True
    grants = permissions.confidential_grants(user, spec.model)
    return lambda record: permissions.is_member(user, record.organisation_id) or record.pk in grants


def export_rows(spec: Kind, qs: QuerySet, user: AnyUser | None) -> Iterator[list[Any]]:
    may_see = confidential_checker(user, spec)
    hidden = [spec.is_confidential(c) for c in spec.cols]
    for record in qs.iterator(chunk_size=1000):
        show = may_see(record)
        yield [
            col.render(record) if show or not secret else ""
            for col, secret in zip(spec.cols, hidden, strict=True)
        ]


def records_export(
    kind: str,
    records: QuerySet | ListFilters | None,
    user: AnyUser | None,
    target: Source,
    fmt: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the records this user may see to an xlsx or csv file (or stream); returns how many.

    `records` is a queryset (a filtered list; visibility is applied again), ListFilters, or None for all.
    The format comes from `fmt`, else from the file name, else xlsx.
    """
    spec = get_kind(kind)
    if fmt is None:
        name = os.fspath(target) if isinstance(target, str | os.PathLike) else getattr(target, "name", "")
        fmt = file_format(name) if name else "xlsx"
    rows = export_rows(spec, export_queryset(spec, records, user), user)
    if fmt == "csv":
        return write_csv(target, spec.columns, rows, progress=progress)
    return write_xlsx(target, spec.columns, rows, title=spec.label, progress=progress)


def download_name(label: str, suffix: str = "") -> str:
    return f"{label}{suffix}-{timezone.localdate():%Y%m%d}.xlsx"


def _xlsx_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def local_minute(moment: datetime.datetime | None) -> str:
    """A moment as a table cell: the platform's local date and minute (2025-03-10 14:20), empty for none."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def table_response(label: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An xlsx download of any list that is not an importable kind (the audit log, ...)."""
    response = _xlsx_response(download_name(label))
    write_xlsx(response, columns, rows, title=label)
    return response


def export_response(
    kind: str, queryset: QuerySet | ListFilters | None, user: AnyUser, fmt: str = "xlsx"
) -> HttpResponse:
    """An xlsx (or csv) download of a filtered list, as this user may see it ("导出 Excel" on every list)."""
    spec = get_kind(kind)
    if fmt == "csv":
        response = HttpResponse(content_type=CSV_TYPE)
        filename = download_name(spec.label).removesuffix(".xlsx") + ".csv"
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = _xlsx_response(download_name(spec.label))
    records_export(kind, queryset, user, response, fmt)
    return response


# The template -----------------------------------------------------------------------------------------


def _notes(spec: Kind, example: list[Any], lookups: Lookups) -> list[list[Any]]:
    rows: list[list[Any]] = [["列名", "必需", "填写说明", "示例"]]
    for col, value in zip(spec.cols, example, strict=True):
        rows.append([col.header, "是" if col.column.required else "否", col.column.help, value])
    rows += [
        [],
        [
            "通用说明",
            "",
            "第1行是列名，请勿修改；从第2行起每行一条记录。列的顺序可以调整，不需要的非必需列可以删除"
            "（删除的列在更新已有记录时保持原值）。",
            "",
        ],
        [
            "",
            "",
            "导入前会先校验全部行，列出每个问题的行号、列名和原因；只要有一个问题，整个文件都不会写入。",
            "",
        ],
        ["", "", "从本平台导出的文件可以直接修改后导入；编号相同的行更新原记录，内容未变的行不作改动。", ""],
    ]
    if spec.is_reviewed:
        ways = "、".join(w.name for w in lookups.ways)
        rows.append(["可选方式", "", f"转化方式/合作方式可选：{ways}", ""])
        rows.append(["状态", "", "可选：" + "、".join(str(s.label) for s in Status), ""])
        rows.append(["可见范围", "", "可选：" + "、".join(str(v.label) for v in Visibility), ""])
    return rows


def _fields_sheet(lookups: Lookups) -> list[list[str]]:
    rows = [["代码", "一级领域", "二级领域", "填写示例"]]
    fields = {f.pk: f for f in lookups.fields.values() if f.active}.values()
    for top in sorted((f for f in fields if not f.parent_id), key=lambda f: (f.order, f.code)):
        children = sorted((f for f in fields if f.parent_id == top.pk), key=lambda f: (f.order, f.code))
        if not children:
            rows.append([top.code, top.name, "", top.name])
        rows += [[c.code, top.name, c.name, f"{top.name}/{c.name}"] for c in children]
    return rows


def template_workbook(kind: str, user: AnyUser | None, target: Source) -> None:
    """The import template: the column headers, one valid example row, and sheets explaining each column."""
    spec = get_kind(kind)
    lookups = Lookups()
    organisation: Organisation | None = getattr(user, "organisation", None) if user is not None else None
    context = example_context(organisation, lookups)
    example = [col.example(context) if callable(col.example) else col.example for col in spec.cols]
    sheets = [("填写说明", _notes(spec, example, lookups))]
    if spec.is_reviewed:
        sheets.append(("技术领域", _fields_sheet(lookups)))
    write_xlsx(target, spec.columns, [example], title=spec.label, sheets=sheets)


def template_response(kind: str, user: AnyUser | None) -> HttpResponse:
    spec = get_kind(kind)
    response = _xlsx_response(f"{spec.label}导入模板.xlsx")
    template_workbook(kind, user, response)
    return response
