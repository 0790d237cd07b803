"""Importing the innovation platform register (创新平台): every row through `platform_save`.

Planning reads every cell (types, parks and chains by name, the host from the organisation register) and
runs the model's checks for every row; then every row that planned cleanly is written through the service
inside one transaction, which is rolled back for a dry run or when any row has a problem, so a file is
written whole or not at all. The key is 平台名称: a row with the name of a platform updates it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fanxing.core.io.importing import CHUNK, RowPlan, ServiceImporter, batched, unchanged
from fanxing.core.io.kinds.platforms import PlatformLookups
from fanxing.platforms.models import Platform
from fanxing.platforms.services import platform_save


class PlatformImporter(ServiceImporter):
    """Plans like the others; writes through the platform service (also for a dry run, then rolled back)."""

    lookups_class = PlatformLookups

    def load_existing(self) -> dict[str, Any]:
        names = sorted({str(row.get("name", "")).strip() for _, row in self.table.rows} - {""})
        found: dict[str, Any] = {}
        for chunk in batched(names, CHUNK):
            qs = Platform.objects.filter(name__in=chunk).prefetch_related("fields")
            found.update((p.name, p) for p in qs)
        return found

    def plan_row(self, number: int, row: dict[str, Any], existing: dict[str, Any], seen: dict) -> RowPlan:
        before = len(self.report.problems)
        values, failed = self.parse(number, row)
        extras = {"fields": values.pop("fields")} if "fields" in values else {}
        key = values.get("name") or ""
        record = existing.get(key) if self.claim(number, "name", key, seen["key"]) else None
        plan = RowPlan(number, values, extras, existing=record)
        plan.instance = self.validate(number, plan, failed)
        if len(self.report.problems) == before:
            self.decide(plan)
        return plan

    def decide(self, plan: RowPlan) -> None:
        record = plan.existing
        same_fields = "fields" not in plan.extras or (
            record is not None
            and {f.pk for f in record.fields.all()} == {f.pk for f in plan.extras["fields"]}
        )
        if record is None:
            plan.action = "create"
            self.report.created += 1
        elif unchanged(record, plan.values, {}) and same_fields:
            plan.action = "unchanged"
            self.report.unchanged += 1
        else:
            plan.action = "update"
            self.report.updated += 1

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action != "unchanged":
                self.save_one(plan)
            self.tick()

    def save_one(self, plan: RowPlan) -> None:
        try:
            with transaction.atomic():
                platform_save(by=self.by, fields=plan.values | plan.extras, platform=plan.existing)
        except ValidationError as error:
            self.model_problems(plan.row, error)
        except (PermissionDenied, IntegrityError) as error:
            self.problem(plan.row, "", str(error))
