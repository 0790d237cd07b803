"""The drill-down of a figure: the records it counts, as rows a person can read, and which of them the reader
may open. Who may see a record is the rule of its own app (fanxing.accounts.permissions); the reader sees the
count of the others, never their names."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser


@dataclass(frozen=True)
class Row:
    title: str
    organisation: str
    day: date | None
    amount: Decimal | None
    url: str


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _url(record: Any) -> str:
    getter = getattr(record, "get_absolute_url", None)
    return getter() if getter else ""


def _everyone(user: AnyUser) -> Q:
    return Q()


def _bureau(user: AnyUser) -> Q:
    return Q() if permissions.is_admin(user) else Q(pk__in=[])


def _managers(user: AnyUser) -> Q:
    if permissions.is_admin(user):
        return Q()
    if permissions.can_view_directory(user, "managers"):
        return Q(user__is_active=True)
    return Q(user_id=user.pk) if user.is_authenticated else Q(pk__in=[])


@dataclass(frozen=True)
class Kind:
    """How one model's records show in a drill-down: who sees which, and the row of one."""

    visible: Callable[[AnyUser], Q]
    row: Callable[[Any], Row]
    related: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "achievements.achievement": Kind(
        lambda u: permissions.visible_q(u),
        lambda r: Row(f"{r.ref} {r.title}", r.organisation.name, _day(r.published_at), None, _url(r)),
        ("organisation",),
    ),
    "demands.demand": Kind(
        lambda u: permissions.visible_q(u),
        lambda r: Row(f"{r.ref} {r.title}", r.organisation.name, _day(r.published_at), None, _url(r)),
        ("organisation",),
    ),
    "deals.techcontract": Kind(
        permissions.contract_visible_q,
        lambda r: Row(f"{r.number} {r.title}", r.organisation.name, r.signed_on, r.amount, _url(r)),
        ("organisation",),
    ),
    "deals.lead": Kind(
        permissions.lead_visible_q,
        lambda r: Row(str(r), str(r.manager or "未分配"), _day(r.created_at), None, _url(r)),
        ("manager", "demand", "achievement"),
    ),
    "events.event": Kind(
        permissions.event_visible_q,
        lambda r: Row(r.title, r.organiser.name, _day(r.starts_at), None, _url(r)),
        ("organiser",),
    ),
    "events.meeting": Kind(
        _bureau,
        lambda r: Row(
            f"{r.registration_a.organisation} × {r.registration_b.organisation}（{r.get_outcome_display()}）",
            r.event.title,
            _day(r.event.starts_at),
            None,
            "",
        ),
        ("event", "registration_a__organisation", "registration_b__organisation"),
    ),
    "managers.managerprofile": Kind(
        _managers,
        lambda r: Row(str(r.user), r.affiliation or "", None, None, _url(r)),
        ("user",),
    ),
    "poc.pocapplication": Kind(
        permissions.poc_application_visible_q,
        lambda r: Row(str(r), r.applicant.name, _day(r.decision.decided_on), r.decision.amount, _url(r)),
        ("applicant", "decision", "achievement"),
    ),
    "poc.pocplatform": Kind(
        _everyone,
        lambda r: Row(r.name, r.host.name, None, None, ""),
        ("host",),
    ),
    "platforms.platform": Kind(
        _everyone,
        lambda r: Row(f"{r.name}（{r.get_level_display()}）", r.host.name, None, None, _url(r)),
        ("host",),
    ),
    "platforms.park": Kind(_everyone, lambda r: Row(r.name, r.theme, None, None, _url(r))),
    "core.organisation": Kind(_everyone, lambda r: Row(r.name, r.get_kind_display(), None, None, _url(r))),
}


@dataclass
class Drilldown:
    rows: list[Row]
    counted: int  # every record the figure counts
    hidden: int  # of those, the ones this reader may not open


def drilldown(user: AnyUser, records: QuerySet[Any]) -> Drilldown:
    """The records a figure counts that this user may see, as rows; and how many are hidden."""
    kind = KINDS[records.model._meta.label_lower]
    counted = records.count()
    visible = records.filter(pk__in=records.model._default_manager.filter(kind.visible(user)).values("pk"))
    if kind.related:
        visible = visible.select_related(*kind.related)
    rows = [kind.row(r) for r in visible]
    return Drilldown(rows, counted, counted - len(rows))
