"""Import and export of achievements, demands and organisations as xlsx or csv with Chinese headers.

- `records_import(kind, path, by, dry_run, progress=callback)` validates every row and writes all or nothing;
  it returns an `ImportReport` with the counts and every problem as (row, column, reason).
- `records_export(kind, records, user, target, fmt)` writes what the user may see, in the columns import reads.
- `export_response(kind, queryset, user)` is the "导出 Excel" download of any filtered list.
- `template_workbook(kind, user, target)` is the import template with an example row and notes.
"""

from fanxing.core.io.exporting import (
    export_response,
    local_minute,
    records_export,
    table_response,
    template_response,
    template_workbook,
)
from fanxing.core.io.importing import ImportReport, may_import, records_import
from fanxing.core.io.kinds import KINDS, get_kind
from fanxing.core.tabular import Problem, TabularError

__all__ = [
    "KINDS",
    "ImportReport",
    "Problem",
    "TabularError",
    "export_response",
    "get_kind",
    "local_minute",
    "may_import",
    "records_export",
    "records_import",
    "table_response",
    "template_response",
    "template_workbook",
]
