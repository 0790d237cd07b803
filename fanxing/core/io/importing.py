"""Importing a file of achievements, demands or organisations: validate every row, then write all or nothing.

Both a dry run and a commit first *plan* every row the same way: read each cell (`kinds`), check the
role with `fanxing.accounts.permissions`, and validate the resulting record with the model's own
`full_clean()` (patents and team members too). Any problem anywhere and nothing is written. A commit
then writes inside one transaction: changed records through the services (`achievement_save`,
`demand_save`, `organisation_save`), new achievements and demands in bulk (same validation, already
done; one audit entry per record); anything the database still refuses rolls the whole file back.
Rows whose values equal the record's are left alone, so importing an export again changes nothing.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.achievements.models import Patent, TeamMember
from fanxing.achievements.services import achievement_save
from fanxing.core.io.cells import CellError, Lookups
from fanxing.core.io.kinds import EXTRAS, Kind, get_kind
from fanxing.core.models import AuditEntry
from fanxing.core.services import AUTO_FIELDS, diff, organisation_save, ref_candidate, snapshot
from fanxing.core.tabular import Problem, Source, Table, read_table
from fanxing.core.workflow import MOVES, Status
from fanxing.demands.services import demand_save
from fanxing.matching.services import index_schedule_rebuild

Progress = Callable[[int, int], None]
CHUNK = 500
MAX_STORED_PROBLEMS = 5000


@dataclass
class ImportReport:
    """What an import found and did: counts, and every problem as (row, column, reason)."""

    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    def summary(self) -> str:
        if self.problems:
            return f"发现 {len(self.problems)} 个问题（涉及 {self.bad_rows} 行），未写入任何数据"
        counts = (
            f"共 {self.rows} 行：新建 {self.created} 条，更新 {self.updated} 条，无变化 {self.unchanged} 条"
        )
        return f"校验通过（试运行，未写入）：{counts}" if self.dry_run else f"导入完成：{counts}"

    def as_dict(self, max_problems: int | None = None) -> dict[str, Any]:
        problems = self.problems if max_problems is None else self.problems[:max_problems]
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "committed": self.committed,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_count": len(self.problems),
            "problems": [p.as_dict() for p in problems],
            "ignored_columns": self.ignored_columns,
            "summary": self.summary(),
        }


@dataclass
class RowPlan:
    """One row turned into a record to create or update (or leave alone)."""

    row: int
    values: dict[str, Any]
    extras: dict[str, Any]
    existing: Any = None
    instance: Any = None
    action: str = "create"


class Rollback(Exception):
    """Raised inside the write transaction when any row fails, so nothing stays written."""


def may_import(by: User | None, kind: Kind) -> bool:
    """Whether this person may import this kind at all (each row is then checked on its own)."""
    if by is None:
        return True
    if kind.name == "organisations":
        return permissions.is_admin(by) or bool(
            by.organisation_id and permissions.can_edit_organisation(by, by.organisation)
        )
    if kind.name == "contracts":
        return permissions.can_create_contract_for(by, by.organisation_id)
    if kind.name == "platforms":
        return permissions.can_edit_platform(by, None)
    return permissions.can_import(by)


def records_import(
    kind: str,
    path: Source,
    by: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    *,
    name: str = "",
    before_commit: Callable[["ImportReport"], None] | None = None,
) -> ImportReport:
    """Import a file of records. Raises TabularError when the file is refused as a whole,
    PermissionDenied when this person may not import this kind; row problems are in the report.
    `before_commit(report)` runs inside the write transaction once it is sure to be kept (a job records
    its end there, so the records and the job's "done" are written together or not at all)."""
    spec = get_kind(kind)
    if not may_import(by, spec):
        raise PermissionDenied(f"您的角色无权导入{spec.label}")
    table = read_table(
        path,
        spec.columns,
        name=name,
        max_bytes=settings.FANXING_MAX_UPLOAD_BYTES,
        max_unzipped_bytes=settings.FANXING_MAX_UNZIPPED_BYTES,
    )
    importer: Importer
    if spec.name == "contracts":
        from fanxing.core.io.contracts import ContractImporter  # it extends Importer, below

        importer = ContractImporter(spec, by, table, dry_run, progress)
    elif spec.name == "platforms":
        from fanxing.core.io.platforms import PlatformImporter  # it extends Importer, below

        importer = PlatformImporter(spec, by, table, dry_run, progress)
    else:
        importer = Importer(spec, by, table, dry_run, progress)
    importer.before_commit = before_commit
    return importer.run()


class Importer:
    """Plans every row of a table, then (for a commit without problems) writes them in one transaction."""

    lookups_class: type[Lookups] = Lookups  # a kind with its own reference data extends Lookups
    before_commit: Callable[[ImportReport], None] | None = None  # see records_import

    def __init__(self, spec: Kind, by: User | None, table: Table, dry_run: bool, progress: Progress | None):
        self.spec, self.by, self.table, self.progress = spec, by, table, progress
        self.report = ImportReport(
            kind=spec.name, dry_run=dry_run, rows=len(table.rows), ignored_columns=table.ignored
        )
        self.total = len(table.rows) * (1 if dry_run else 2)
        self.done = 0
        self.lookups = self.lookups_class()
        self.present = [c for c in spec.cols if table.has(c.column.key)]
        self.order = {c.header: i for i, c in enumerate(spec.cols)}
        self._taken: set[str] | None = None
        # 编号 uniqueness is settled by load_existing(): a 编号 found there updates that record.
        self.checker = ModelCheck(validate_unique=not spec.is_reviewed)

    def run(self) -> ImportReport:
        plans = self.plan()
        if not self.report.problems and not self.report.dry_run:
            try:
                with transaction.atomic():
                    self.write(plans)
                    if self.report.problems:
                        raise Rollback
                    self.committing()
                self.report.committed = True
                index_schedule_rebuild(self.spec.name)
            except Rollback:
                pass
        self.report.problems.sort(key=lambda p: (p.row, self.order.get(p.column, len(self.order))))
        return self.report

    def committing(self) -> None:
        """Inside the write transaction, when it is to be kept."""
        if self.before_commit:
            self.report.committed = True
            self.before_commit(self.report)

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % 50 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def problem(self, row: int, column: str, reason: str) -> None:
        self.report.problems.append(Problem(row, column, reason))

    def model_problems(
        self, row: int, error: ValidationError, prefix: str = "", column: str | None = None
    ) -> None:
        """Problems from a model's (or service's) ValidationError, each under the column of its field."""
        errors = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, items in errors.items():
            header = (
                column
                if column is not None
                else ("" if name == NON_FIELD_ERRORS else self.spec.header_for(name))
            )
            for item in items:
                if item.code in ("blank", "null", "required"):
                    reason = "必填，不能为空"
                else:
                    reason = "；".join(item.messages)
                self.problem(row, header, prefix + reason)

    # Planning ------------------------------------------------------------------------------------------

    def plan(self) -> list[RowPlan]:
        existing = self.load_existing()
        seen: dict[str, dict[str, int]] = {"key": {}, "uscc": {}}
        plans = []
        for number, row in self.table.rows:
            plans.append(self.plan_row(number, row, existing, seen))
            self.tick()
        return plans

    def load_existing(self) -> dict[str, Any]:
        if self.spec.name == "organisations":
            return dict(self.lookups.organisations)
        if not self.table.has("ref"):
            return {}
        refs = sorted({str(row.get("ref", "")).strip() for _, row in self.table.rows} - {""})
        related = ["ways", "patents", "team"] if self.spec.name == "achievements" else ["ways"]
        found: dict[str, Any] = {}
        for chunk in batched(refs, CHUNK):
            qs = self.spec.model.objects.filter(ref__in=chunk).select_related(
                "organisation", "field", "field__parent"
            )
            found.update((r.ref, r) for r in qs.prefetch_related(*related))
        return found

    def parse(self, number: int, row: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for col in self.present:
            try:
                values.update(col.parse(row[col.column.key], self.lookups))
            except CellError as error:
                self.problem(number, col.header, str(error))
                failed.update(col.attrs)
        return values, failed

    def plan_row(self, number: int, row: dict[str, Any], existing: dict[str, Any], seen: dict) -> RowPlan:
        before = len(self.report.problems)
        values, failed = self.parse(number, row)
        extras = {k: values.pop(k) for k in EXTRAS if k in values}
        key = values.get(self.spec.key) or ""
        record = None
        if self.claim(number, self.spec.key, key, seen["key"]):
            record = existing.get(key)
        else:
            failed.add(self.spec.key)  # reported once, as a duplicate
        if self.spec.is_reviewed:
            self.check_record_access(number, values, record)
        else:
            self.claim(number, "uscc", values.get("uscc") or "", seen["uscc"])
            self.check_organisation_access(number, record)
        plan = RowPlan(number, values, extras, existing=record)
        plan.instance = self.validate(number, plan, failed)
        self.validate_extras(number, extras)
        if len(self.report.problems) == before:
            self.decide(plan)
        return plan

    def claim(self, number: int, attr: str, value: str, seen: dict[str, int]) -> bool:
        """Note a value that must be unique within the file; False (and a problem) when seen before."""
        if not value:
            return True
        if value in seen:
            header = self.spec.header_for(attr)
            self.problem(number, header, f"{header} {value} 与第{seen[value]}行重复")
            return False
        seen[value] = number
        return True

    def check_record_access(self, number: int, values: dict[str, Any], record: Any) -> None:
        by = self.by
        if by is None:
            return
        if values.get("organisation", False) is None and by.organisation_id and not permissions.is_admin(by):
            values["organisation"] = by.organisation  # an empty cell means the importer's own organisation
        if record is not None and not permissions.can_edit(by, record):
            self.problem(number, "编号", f"编号 {record.ref} 是“{record.organisation.name}”的记录，无权修改")
        organisation = values.get("organisation")
        if organisation is not None and not permissions.can_create_for(by, organisation.pk):
            self.problem(number, "所属机构", f"无权为“{organisation.name}”导入：只能导入本机构的记录")
        status = values.get("status")
        if status and not self.may_set_status(record, organisation, status):
            current = record.get_status_display() if record else Status.DRAFT.label
            why = "：发布须经科技局审核" if status == Status.PUBLISHED else ""
            self.problem(number, "状态", f"无权把状态从“{current}”改为“{Status(status).label}”{why}")

    def may_set_status(self, record: Any, organisation: Any, status: str) -> bool:
        """Admins and the platform set any status; others only what one of their workflow moves reaches."""
        if self.by is None or permissions.is_admin(self.by):
            return True
        current = record.status if record else Status.DRAFT
        if status == current:
            return True
        probe = copy.copy(record) if record else self.spec.model(status=Status.DRAFT)
        if organisation is not None:
            probe.organisation = organisation
        return any(
            m.target == status and permissions.can_move(self.by, probe, m.action) for m in MOVES.values()
        )

    def check_organisation_access(self, number: int, organisation: Any) -> None:
        if self.by is None:
            return
        if organisation is None and not permissions.can_create_organisation(self.by):
            self.problem(number, "名称", "机构库中没有该机构；只有科技局管理员可以新建机构")
        elif organisation is not None and not permissions.can_edit_organisation(self.by, organisation):
            self.problem(number, "名称", f"无权修改机构“{organisation.name}”：只能修改本机构的信息")

    def validate(self, number: int, plan: RowPlan, failed: set[str]) -> models.Model:
        """The record as it would be saved, checked by the model's own full_clean()."""
        instance = copy.copy(plan.existing) if plan.existing is not None else self.spec.model()
        for attr, value in plan.values.items():
            setattr(instance, attr, value)
        exclude = set(failed)
        if self.spec.is_reviewed and not instance.ref:
            exclude.add("ref")  # generated when written
        error = self.checker.check(instance, exclude)
        if error is not None:
            self.model_problems(number, error)
        return instance

    def validate_extras(self, number: int, extras: dict[str, Any]) -> None:
        """Patents and team members through their models' full_clean(), as the service saves them."""
        for i, data in enumerate(extras.get("patents", []), start=1):
            try:
                Patent(**data).full_clean(exclude=["achievement"])
            except ValidationError as error:
                self.model_problems(number, error, prefix=f"第{i}项专利：", column="专利")
        for i, data in enumerate(extras.get("team", [])):
            try:
                TeamMember(order=i, **data).full_clean(exclude=["achievement"])
            except ValidationError as error:
                self.model_problems(number, error, prefix=f"团队成员“{data['name']}”：", column="团队成员")

    def decide(self, plan: RowPlan) -> None:
        if plan.existing is None:
            plan.action = "create"
            self.report.created += 1
        elif unchanged(plan.existing, plan.values, plan.extras):
            plan.action = "unchanged"
            self.report.unchanged += 1
            return
        else:
            plan.action = "update"
            self.report.updated += 1
        status = plan.values.get("status")
        if self.spec.is_reviewed and status and (plan.existing is None or status != plan.existing.status):
            stamp = {Status.SUBMITTED: "submitted_at", Status.PUBLISHED: "published_at"}.get(status)
            if stamp:
                plan.values[stamp] = timezone.now()
                setattr(plan.instance, stamp, plan.values[stamp])

    # Writing -------------------------------------------------------------------------------------------

    def write(self, plans: list[RowPlan]) -> None:
        creates = []
        for plan in plans:
            if plan.action == "create" and self.spec.is_reviewed:
                creates.append(plan)
                continue
            if plan.action != "unchanged":
                self.save_one(plan)
            self.tick()
        try:
            for chunk in batched(creates, CHUNK):
                self.bulk_create(chunk)
        except IntegrityError as error:
            self.problem(0, "", f"数据库拒绝写入：{error}")

    def save_one(self, plan: RowPlan) -> None:
        """Create or change one record through its service, inside the import's transaction."""
        values, extras, record = plan.values, plan.extras, plan.existing
        try:
            with transaction.atomic():
                if self.spec.name == "achievements":
                    achievement_save(
                        by=self.by,
                        fields=values,
                        ways=extras.get("ways"),
                        patents=extras.get("patents"),
                        team=extras.get("team"),
                        achievement=record,
                    )
                elif self.spec.name == "demands":
                    demand_save(by=self.by, fields=values, ways=extras.get("ways"), demand=record)
                else:
                    organisation_save(by=self.by, fields=values, organisation=record)
        except ValidationError as error:
            self.model_problems(plan.row, error)
        except (PermissionDenied, IntegrityError) as error:
            self.problem(plan.row, "", str(error))

    def bulk_create(self, plans: list[RowPlan]) -> None:
        """New achievements or demands of one chunk, validated while planning: as `reviewed_record_save`
        creates them (creator, generated 编号, ways, patents, team) with one audit entry each."""
        model = self.spec.model
        instances = []
        for plan in plans:
            plan.instance.created_by = self.by
            plan.instance.ref = plan.instance.ref or self.fresh_ref()
            instances.append(plan.instance)
        model.objects.bulk_create(instances)
        ways = model._meta.get_field("ways")
        through, own, other = ways.remote_field.through, ways.m2m_field_name(), ways.m2m_reverse_field_name()
        links, patents, team = [], [], []
        for plan, record in zip(plans, instances, strict=True):
            links += [
                through(**{f"{own}_id": record.pk, f"{other}_id": w.pk}) for w in plan.extras.get("ways", [])
            ]
            patents += [Patent(achievement=record, **data) for data in plan.extras.get("patents", [])]
            team += [
                TeamMember(achievement=record, order=i, **m)
                for i, m in enumerate(plan.extras.get("team", []))
            ]
        through.objects.bulk_create(links)
        Patent.objects.bulk_create(patents)
        TeamMember.objects.bulk_create(team)
        AuditEntry.objects.bulk_create(
            self.audit_entry(plan, record) for plan, record in zip(plans, instances, strict=True)
        )
        for _ in plans:
            self.tick()

    def audit_entry(self, plan: RowPlan, record: models.Model) -> AuditEntry:
        tracked = [f.name for f in type(record)._meta.concrete_fields if f.name not in AUTO_FIELDS]
        after = snapshot(record, tracked) | {"ways": sorted(w.code for w in plan.extras.get("ways", []))}
        changes = diff({}, after)
        if plan.extras.get("patents"):
            changes["patents"] = [[], sorted(p["number"] for p in plan.extras["patents"])]
        return AuditEntry(
            actor=self.by,
            action="create",
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            target_repr=str(record)[:200],
            changes=changes,
            reason=f"文件导入第{plan.row}行",
        )

    def fresh_ref(self) -> str:
        """A new 编号 that no record and no row of this file has."""
        if self._taken is None:
            prefix = f"{self.spec.ref_prefix}{timezone.localdate():%Y}-"
            self._taken = set(
                self.spec.model.objects.filter(ref__startswith=prefix).values_list("ref", flat=True)
            )
            self._taken |= {str(row.get("ref", "")).strip() for _, row in self.table.rows}
        while True:
            ref = ref_candidate(self.spec.ref_prefix)
            if ref not in self._taken:
                self._taken.add(ref)
                return ref


class ServiceImporter(Importer):
    """An importer whose rows are written through the kind's service even for a dry run (then rolled back),
    so every rule of the service is reported row by row; the rows that planned cleanly are written in one
    transaction, kept only when no row has a problem and it is not a dry run."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.total = len(self.table.rows) * 2

    def run(self) -> ImportReport:
        plans = self.plan()
        bad = {p.row for p in self.report.problems}
        try:
            with transaction.atomic():
                self.write([plan for plan in plans if plan.row not in bad])
                if self.report.problems or self.report.dry_run:
                    raise Rollback
                self.committing()
            self.report.committed = True
        except Rollback:
            pass
        self.report.problems.sort(key=lambda p: (p.row, self.order.get(p.column, len(self.order))))
        return self.report


class ModelCheck:
    """`Model.full_clean()` for thousands of rows: the same checks, with the ones that ask the database
    remembered. A foreign key's existence and a check constraint's verdict depend only on the values
    involved, so each distinct value is checked once per import; unique constraints are always asked."""

    def __init__(self, *, validate_unique: bool = True) -> None:
        self.validate_unique = validate_unique
        self.seen: dict[tuple[Any, ...], ValidationError | None] = {}

    def remember(self, key: tuple[Any, ...], check: Callable[[], Any]) -> ValidationError | None:
        if key not in self.seen:
            try:
                check()
                self.seen[key] = None
            except ValidationError as error:
                self.seen[key] = error
        return self.seen[key]

    def check(self, instance: models.Model, exclude: set[str]) -> ValidationError | None:
        meta = instance._meta
        keys = [f for f in meta.concrete_fields if f.many_to_one and f.name not in exclude]
        errors: dict[str, list[ValidationError]] = {}
        try:
            instance.full_clean(
                exclude=exclude | {f.name for f in keys},
                validate_unique=self.validate_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for key in keys:
            raw = getattr(instance, key.attname)
            if raw is None and key.blank:
                continue
            error = self.remember(("fk", key.name, raw), lambda key=key, raw=raw: key.clean(raw, instance))
            if error is not None:
                errors.setdefault(key.name, []).extend(error.error_list)
        failed = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
        for constraint in meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                fields = sorted(models.Q(constraint.condition).referenced_base_fields)
                if failed.intersection(fields):
                    continue
                values = tuple(getattr(instance, meta.get_field(f).attname) for f in fields)
                error = self.remember(
                    ("check", constraint.name, values),
                    lambda c=constraint: c.validate(type(instance), instance, exclude=failed),
                )
            else:
                try:
                    constraint.validate(type(instance), instance, exclude=failed)
                    error = None
                except ValidationError as caught:
                    error = caught
            if error is not None:
                errors = error.update_error_dict(errors)
        return ValidationError(errors) if errors else None


def _current(record: models.Model, attr: str) -> Any:
    field = record._meta.get_field(attr)
    return getattr(record, field.attname)


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, models.Model):
        b = b.pk
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()
    if a in (None, "") and b in (None, ""):
        return True
    return a == b


def unchanged(record: Any, values: dict[str, Any], extras: dict[str, Any]) -> bool:
    """Whether saving these values would change nothing in this record."""
    if not all(_same(_current(record, attr), value) for attr, value in values.items()):
        return False
    if "ways" in extras and {w.pk for w in record.ways.all()} != {w.pk for w in extras["ways"]}:
        return False
    if "patents" in extras:
        now = sorted((p.number, p.title, p.kind, p.legal_status) for p in record.patents.all())
        new = sorted((p["number"], p["title"], p["kind"], p["legal_status"]) for p in extras["patents"])
        if now != new:
            return False
    if "team" in extras:
        now_team = [
            (m.name, m.title, m.is_lead) for m in sorted(record.team.all(), key=lambda m: (m.order, m.pk))
        ]
        if now_team != [(m["name"], m["title"], m["is_lead"]) for m in extras["team"]]:
            return False
    return True


def batched(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
