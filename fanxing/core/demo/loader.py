"""Load the demo into the database as named steps; loading again creates only what is missing.

Records are known by their numbers (CG-DEMO-0001, XQ-DEMO-0001), organisations by name, users by
username. Achievements and demands are written in bulk for speed, each with the audit entries of its
history (create, submit, publish, return, withdraw, expire) dated as the plan says. Later features add
their own steps to `STEPS` (building the search index, ...).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.achievements.models import Achievement, Patent, TeamMember
from fanxing.core.demo.catalogue import (
    BUREAU,
    DEMO_PASSWORD,
    INSTITUTIONS,
    LOGINS,
    OTHER_ORGANISATIONS,
    STAFF_NAMES,
    OrgSpec,
    enterprise_spec,
)
from fanxing.core.demo.conversions import load_all_contracts
from fanxing.core.demo.data import DemoData
from fanxing.core.demo.events import load_events
from fanxing.core.demo.leads import load_leads
from fanxing.core.demo.people import EXPERTS, MANAGERS, PersonSpec
from fanxing.core.demo.plan import (
    AchievementPlan,
    DemandPlan,
    Event,
    keywords,
    plan_achievements,
    plan_demands,
)
from fanxing.core.demo.platforms import load_platforms
from fanxing.core.demo.poc import load_competition, load_poc
from fanxing.core.demo.reports import load_reports
from fanxing.core.demo.training import load_training
from fanxing.core.models import AuditEntry, ConversionWay, Organisation, Region, TechField
from fanxing.core.reference import load_defaults
from fanxing.core.services import audit, organisation_save
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand
from fanxing.managers.models import ExpertProfile, ManagerProfile

STATUS_AFTER = {
    "create": Status.DRAFT,
    "submit": Status.SUBMITTED,
    "publish": Status.PUBLISHED,
    "return": Status.RETURNED,
    "withdraw": Status.WITHDRAWN,
    "expire": Status.EXPIRED,
}


@dataclass(frozen=True)
class LoginRow:
    """A demo login as printed: role, username, password (unless its owner changed it), organisation."""

    role: str
    username: str
    password: str
    organisation: str
    existed: bool


@dataclass
class DemoContext:
    """What the steps share: the data files, the moment of loading, and what earlier steps made."""

    data: DemoData
    now: datetime
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # organisation name → the user who files its records (the institution's staff, the enterprise's user)
    owners: dict[str, User] = field(default_factory=dict)
    existing_users: set[str] = field(default_factory=set)
    results: dict[str, str] = field(default_factory=dict)

    def actor(self, by: str, owner: str) -> User | None:
        return {"owner": self.owners.get(owner), "reviewer": self.users.get("admin")}.get(by)

    def logins(self) -> list[LoginRow]:
        rows = []
        for login in LOGINS:
            user = self.users[login.username]
            existed = login.username in self.existing_users
            rows.append(
                LoginRow(
                    role=Role(login.role).label,
                    username=login.username,
                    password=DEMO_PASSWORD
                    if not existed or user.check_password(DEMO_PASSWORD)
                    else "（已修改）",
                    organisation=user.organisation.name if user.organisation_id else "—",
                    existed=existed,
                )
            )
        return rows


@dataclass(frozen=True)
class Step:
    """One named part of the demo load; `run` returns a line saying what it did."""

    name: str
    label: str
    run: Callable[[DemoContext], str]


def load_reference(ctx: DemoContext) -> str:
    load_defaults(django_apps)
    return f"技术领域 {TechField.objects.count()} 个，转化方式 {ConversionWay.objects.count()} 种"


def all_organisation_specs(ctx: DemoContext) -> list[OrgSpec]:
    enterprises = [enterprise_spec(e.name, e.description, i) for i, e in enumerate(ctx.data.enterprises)]
    return [BUREAU, *INSTITUTIONS, *OTHER_ORGANISATIONS, *enterprises]


def load_organisations(ctx: DemoContext) -> str:
    """The bureau, 16 universities and institutes, agencies, PoC platforms, investors and the enterprises."""
    specs = all_organisation_specs(ctx)
    existing = Organisation.objects.in_bulk([s.name for s in specs], field_name="name")
    regions = {r.code: r for r in Region.objects.filter(code__in={s.region for s in specs})}
    created = 0
    for spec in specs:
        if spec.name not in existing:
            existing[spec.name] = organisation_save(
                by=None,
                fields={
                    "name": spec.name,
                    "short_name": spec.short_name,
                    "code": spec.code,
                    "kind": spec.kind,
                    "uscc": spec.uscc,
                    "region": regions[spec.region],
                    "description": spec.description,
                    "verified": True,
                },
            )
            created += 1
    ctx.organisations = existing
    coded = set_missing_codes(specs, existing)
    note = f"（补填代码 {coded} 家）" if coded else ""
    return f"新建 {created} 家，已有 {len(specs) - created} 家{note}"


def set_missing_codes(specs: Sequence[OrgSpec], organisations: dict[str, Organisation]) -> int:
    """Organisations of an earlier load without a code are given theirs, unless another organisation has it."""
    taken = set(Organisation.objects.exclude(code="").values_list("code", flat=True))
    done = 0
    for spec in specs:
        organisation = organisations[spec.name]
        if spec.code and not organisation.code and spec.code not in taken:
            organisations[spec.name] = organisation_save(
                by=None, fields={"code": spec.code}, organisation=organisation
            )
            taken.add(spec.code)
            done += 1
    return done


def wanted_users(ctx: DemoContext) -> list[dict[str, Any]]:
    """Every demo account: the printed logins, a staff member per institution, a user per enterprise."""
    users = [
        {
            "username": login.username,
            "role": login.role,
            "display_name": login.display_name,
            "organisation": login.organisation,
            "is_staff": login.is_superuser,
            "is_superuser": login.is_superuser,
        }
        for login in LOGINS
        if login.username != "enterprise"
    ]
    for i, spec in enumerate(INSTITUTIONS):
        users.append(
            {
                "username": f"{spec.slug}_staff",
                "role": Role.ORG_STAFF,
                "display_name": STAFF_NAMES[i],
                "organisation": spec.name,
            }
        )
    for i, enterprise in enumerate(ctx.data.enterprises):
        users.append(
            {
                "username": "enterprise" if i == 0 else f"ent{i + 1:03d}",
                "role": Role.ENTERPRISE,
                "display_name": enterprise.contact,
                "phone": enterprise.phone,
                "organisation": enterprise.name,
            }
        )
    for role, people in ((Role.MANAGER, MANAGERS), (Role.EXPERT, EXPERTS)):
        users += [
            {"username": p.username, "role": role, "display_name": p.name, "organisation": ""} for p in people
        ]
    unique: dict[str, dict[str, Any]] = {}
    for user in users:
        unique.setdefault(user["username"], user)
    return list(unique.values())


def load_users(ctx: DemoContext) -> str:
    """Accounts that do not exist yet are created with the demo password (hashed once, shared)."""
    wanted = wanted_users(ctx)
    usernames = [u["username"] for u in wanted]
    ctx.existing_users = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    new = []
    for spec in wanted:
        if spec["username"] in ctx.existing_users:
            continue
        org_name = spec.pop("organisation")
        user = User(password=password, organisation=ctx.organisations.get(org_name), **spec)
        user.full_clean(exclude=["password", "organisation"])
        new.append(user)
    User.objects.bulk_create(new)
    ctx.users = User.objects.select_related("organisation").in_bulk(usernames, field_name="username")
    ctx.owners = {
        u.organisation.name: u
        for u in ctx.users.values()
        if u.organisation_id and u.role in (Role.ORG_STAFF, Role.ENTERPRISE)
    }
    return f"新建 {len(new)} 个，已有 {len(ctx.existing_users)} 个（已有账号的密码不变）"


def missing(model: type[models.Model], plans: Sequence[Any]) -> tuple[list[Any], int]:
    existing = set(model.objects.filter(ref__in=[p.ref for p in plans]).values_list("ref", flat=True))
    return [p for p in plans if p.ref not in existing], len(existing)


def stamps(events: tuple[Event, ...]) -> dict[str, datetime | None]:
    """The record's timestamps as its history says."""
    last = {e.action: e.at for e in events}
    return {
        "created_at": events[0].at,
        "updated_at": events[-1].at,
        "submitted_at": last.get("submit"),
        "published_at": last.get("publish"),
    }


def new_achievement(ctx: DemoContext, plan: AchievementPlan, fields: dict[str, TechField]) -> Achievement:
    paper, owner = plan.paper, ctx.organisations[plan.owner]
    negotiable, low, high = plan.price
    record = Achievement(
        ref=plan.ref,
        organisation=owner,
        title=paper.title[:200],
        summary=paper.summary,
        description=paper.abstract,
        field=fields[paper.field_code],
        trl=plan.trl,
        keywords=paper.keyword_text,
        price_negotiable=negotiable,
        price_min=low,
        price_max=high,
        status=plan.status,
        visibility=plan.visibility,
        return_reason=return_reason(plan.events),
        contact_name=plan.contact[0],
        contact_phone=plan.contact[1],
        contact_email=plan.contact[2],
        confidential_details=plan.confidential,
        created_by=ctx.owners.get(plan.owner),
        **stamps(plan.events),
    )
    record.full_clean(exclude=["organisation", "field", "created_by"], validate_unique=False)
    return record


def return_reason(events: tuple[Event, ...]) -> str:
    return events[-1].reason if events[-1].action == "return" else ""


def load_achievements(ctx: DemoContext) -> str:
    """The 411 published, public achievements and the extra ones in review, returned, drafted, withdrawn."""
    todo, existed = missing(Achievement, plan_achievements(ctx.data, ctx.now))
    fields = TechField.objects.in_bulk(field_name="code")
    records = [new_achievement(ctx, plan, fields) for plan in todo]
    ids = bulk_insert(Achievement, records)
    ways = ConversionWay.objects.in_bulk(field_name="code")
    Achievement.ways.through.objects.bulk_create(
        Achievement.ways.through(achievement_id=ids[p.ref], conversionway_id=ways[code].pk)
        for p in todo
        for code in p.ways
    )
    patents = [
        Patent(
            achievement_id=ids[p.ref],
            number=number,
            title=title,
            legal_status=legal,
            kind=Patent.Kind.INVENTION if number[6] in "18" else Patent.Kind.UTILITY,
        )
        for p in todo
        for number, title, legal in p.patents
    ]
    for patent in patents:
        patent.full_clean(exclude=["achievement"], validate_unique=False)
    Patent.objects.bulk_create(patents)
    TeamMember.objects.bulk_create(
        TeamMember(achievement_id=ids[p.ref], name=name, title=title, is_lead=lead, order=i)
        for p in todo
        for i, (name, title, lead) in enumerate(p.team)
    )
    entries = write_history(ctx, Achievement, [(p.ref, p.paper.title, p.owner, p.events) for p in todo], ids)
    return f"新建 {len(todo)} 项（专利 {len(patents)} 件，审计记录 {entries} 条），已有 {existed} 项"


def new_demand(ctx: DemoContext, plan: DemandPlan, fields: dict[str, TechField]) -> Demand:
    row = plan.row
    negotiable, low, high = plan.budget
    enterprise = next(e for e in ctx.data.enterprises if e.name == row.enterprise)
    record = Demand(
        ref=plan.ref,
        organisation=ctx.organisations[row.enterprise],
        title=row.title[:200],
        problem=row.problem,
        wanted_effect=row.wanted_effect,
        field=fields[plan.field_code],
        min_trl=row.min_trl,
        keywords=keywords(row),
        budget_negotiable=negotiable,
        budget_min=low,
        budget_max=high,
        deadline=plan.deadline,
        status=plan.status,
        visibility=plan.visibility,
        return_reason=return_reason(plan.events),
        contact_name=enterprise.contact,
        contact_phone=enterprise.phone,
        confidential_details=plan.confidential,
        created_by=ctx.owners.get(row.enterprise),
        **stamps(plan.events),
    )
    record.full_clean(exclude=["organisation", "field", "created_by"], validate_unique=False)
    return record


def load_demands(ctx: DemoContext) -> str:
    """The 118 published, public, open demands and the others (draft, in review, returned, withdrawn, expired)."""
    todo, existed = missing(Demand, plan_demands(ctx.data, ctx.now))
    fields = TechField.objects.in_bulk(field_name="code")
    ids = bulk_insert(Demand, [new_demand(ctx, plan, fields) for plan in todo])
    ways = ConversionWay.objects.in_bulk(field_name="code")
    Demand.ways.through.objects.bulk_create(
        Demand.ways.through(demand_id=ids[p.ref], conversionway_id=ways[code].pk)
        for p in todo
        for code in p.row.ways
    )
    entries = write_history(
        ctx, Demand, [(p.ref, p.row.title, p.row.enterprise, p.events) for p in todo], ids
    )
    return f"新建 {len(todo)} 条（审计记录 {entries} 条），已有 {existed} 条"


def refresh_deadlines(ctx: DemoContext) -> str:
    """Published demo demands whose deadline came closer than planned are given their planned deadline again.

    The plan counts deadlines from today, so a database loaded months ago still shows 118 open demands.
    """
    planned = {p.ref: p.deadline for p in plan_demands(ctx.data, ctx.now) if p.status == Status.PUBLISHED}
    stale = [
        d
        for d in Demand.objects.filter(ref__in=planned, status=Status.PUBLISHED)
        if d.deadline < planned[d.ref]
    ]
    for demand in stale:
        demand.deadline = planned[demand.ref]
    Demand.objects.bulk_update(stale, ["deadline"], batch_size=500)
    return f"顺延 {len(stale)} 条已发布需求的截止日期" if stale else "已发布需求均未到期"


def bulk_insert(model: type[Any], records: list[Any]) -> dict[str, int]:
    """Insert the records, then set the timestamps that auto_now fields overwrote; ref → id."""
    stamp_fields = ["created_at", "updated_at"]
    wanted = [{name: getattr(r, name) for name in stamp_fields} for r in records]
    model.objects.bulk_create(records, batch_size=500)
    ids = dict(model.objects.filter(ref__in=[r.ref for r in records]).values_list("ref", "id"))
    for record, values in zip(records, wanted, strict=True):
        record.pk = ids[record.ref]
        for name, value in values.items():
            setattr(record, name, value)
    model.objects.bulk_update(records, stamp_fields, batch_size=500)
    return ids


def write_history(
    ctx: DemoContext,
    model: type[models.Model],
    records: list[tuple[str, str, str, tuple[Event, ...]]],
    ids: dict[str, int],
) -> int:
    """One audit entry per event of each record, with the event's actor, time, status change and reason."""
    content_type = ContentType.objects.get_for_model(model)
    entries, times = [], []
    for ref, title, owner, events in records:
        status = None
        for event in events:
            after = STATUS_AFTER[event.action]
            changes: dict[str, Any] = {"status": [status, after]}
            if event.action == "create":
                changes |= {"ref": [None, ref], "title": [None, title], "organisation": [None, owner]}
            entries.append(
                AuditEntry(
                    actor=ctx.actor(event.by, owner),
                    action=event.action,
                    content_type=content_type,
                    object_id=ids[ref],
                    target_repr=title[:200],
                    changes=changes,
                    reason=event.reason or ("演示数据" if event.action == "create" else ""),
                )
            )
            times.append(event.at)
            status = after
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    for entry, at in zip(entries, times, strict=True):
        entry.at = at
    AuditEntry.objects.bulk_update(entries, ["at"], batch_size=500)
    return len(entries)


def load_people(ctx: DemoContext) -> str:
    """The technology managers and experts with their specialty fields and 专长 (profiles not yet made)."""
    fields = TechField.objects.in_bulk(field_name="code")
    created = 0
    for model, people in ((ManagerProfile, MANAGERS), (ExpertProfile, EXPERTS)):
        existing = set(
            model.objects.filter(user__username__in=[p.username for p in people]).values_list(
                "user__username", flat=True
            )
        )
        for spec in people:
            if spec.username not in existing:
                new_profile(ctx, model, spec, [fields[code] for code in spec.fields])
                created += 1
    total = len(MANAGERS) + len(EXPERTS)
    return f"技术经理人 {len(MANAGERS)} 位、评审专家 {len(EXPERTS)} 位：新建 {created} 份档案，已有 {total - created} 份"


def new_profile(ctx: DemoContext, model: type[Any], spec: PersonSpec, fields: list[TechField]) -> None:
    grade = {"level": spec.grade} if model is ManagerProfile else {"title": spec.grade}
    profile = model(
        user=ctx.users[spec.username],
        affiliation=spec.affiliation,
        specialties=spec.specialties,
        bio=spec.bio,
        **grade,
    )
    profile.full_clean()
    profile.save()
    profile.specialty_fields.set(fields)
    audit(
        actor=None,
        action="create",
        target=profile,
        changes={"specialty_fields": [None, sorted(spec.fields)]},
        reason="演示数据",
    )


def build_indexes(ctx: DemoContext) -> str:
    from fanxing.matching.indexes import LIBRARIES, rebuild

    built = [rebuild(library) for library in LIBRARIES]
    return (
        "，".join(f"{b.library} {b.documents} 条（版本 {b.version}）" for b in built if b) or "无可索引记录"
    )


STEPS: list[Step] = [
    Step("reference", "参考数据", load_reference),
    Step("organisations", "机构", load_organisations),
    Step("users", "账号", load_users),
    Step("achievements", "科技成果", load_achievements),
    Step("demands", "技术需求", load_demands),
    Step("deadlines", "需求截止日期", refresh_deadlines),
    Step("people", "技术经理人与专家", load_people),
    Step("contracts", "技术合同", load_all_contracts),
    Step("training", "技术经理人培训", load_training),
    Step("index", "匹配索引", build_indexes),
    Step("leads", "对接线索与奖励", load_leads),
    Step("events", "对接活动", load_events),
    Step("poc", "概念验证", load_poc),
    Step("platforms", "创新平台", load_platforms),
    Step("competition", "创新大赛", load_competition),
    Step("reports", "指标与榜单", load_reports),
]


def load_demo(
    *,
    data: DemoData | None = None,
    steps: Sequence[Step] | None = None,
    report: Callable[[Step, str], None] | None = None,
    now: datetime | None = None,
) -> DemoContext:
    """Run the steps in one transaction; `report` hears each step's result as it finishes."""
    ctx = DemoContext(data=data or DemoData.read(), now=now or timezone.now())
    with transaction.atomic():
        for step in steps if steps is not None else STEPS:
            ctx.results[step.name] = step.run(ctx)
            if report:
                report(step, ctx.results[step.name])
    return ctx
