"""Reads on leads, with the visibility rule of `permissions.lead_visible_q` applied; the stale flag."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fanxing.accounts import permissions
from fanxing.accounts.models import Role
from fanxing.accounts.permissions import AnyUser
from fanxing.core.workspace import Todo
from fanxing.deals.models import OPEN_STAGES, Lead, TechContract


def stale_q(days: int | None = None, now: datetime.datetime | None = None) -> Q:
    """Open leads with no activity or stage change for `days` days (FANXING_LEAD_STALE_DAYS)."""
    days = settings.FANXING_LEAD_STALE_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return Q(stage__in=OPEN_STAGES, last_activity_at__lt=cutoff)


def lead_list(
    user: AnyUser | None, *, stage: str = "", manager_id: int | None = None, stale: bool = False
) -> QuerySet[Lead]:
    """The leads this user may read (`None`: the platform, the CLI, reads all), newest first, each
    annotated with `stale` (True or False)."""
    qs = Lead.objects.all() if user is None else Lead.objects.filter(permissions.lead_visible_q(user))
    if stage:
        qs = qs.filter(stage=stage)
    if manager_id:
        qs = qs.filter(manager_id=manager_id)
    if stale:
        qs = qs.filter(stale_q())
    return (
        qs.annotate(stale=Case(When(stale_q(), then=Value(True)), default=Value(False)))
        .select_related("demand__organisation", "achievement__organisation", "manager", "created_by")
        .distinct()
    )


def lead_get(user: AnyUser, pk: int) -> Lead:
    lead = lead_list(user).filter(pk=pk).first()
    if lead is None:
        raise Http404("线索不存在或无权查看")
    return lead


def lead_board(leads: QuerySet[Lead]) -> list[tuple[str, str, list[Lead]]]:
    """The leads in columns by stage (code, label, leads), in the pipeline's order."""
    columns: dict[str, list[Lead]] = {code: [] for code in Lead.Stage.values}
    for lead in leads:
        columns[lead.stage].append(lead)
    return [(code, str(Lead.Stage(code).label), columns[code]) for code in Lead.Stage.values]


@dataclass(frozen=True)
class ManagerResults:
    """A technology manager's record: leads by stage, stale ones, contracts signed through their leads."""

    by_stage: dict[str, int]
    stale: int
    contracts: int
    amount: Decimal

    @property
    def open(self) -> int:
        return sum(self.by_stage.get(stage, 0) for stage in OPEN_STAGES)


def manager_results(manager: Any) -> ManagerResults:
    leads = Lead.objects.filter(manager=manager)
    counts = {row["stage"]: row["n"] for row in leads.values("stage").annotate(n=Count("id")).order_by()}
    signed = TechContract.objects.filter(lead__manager=manager, signed_on__isnull=False)
    totals = signed.aggregate(n=Count("id"), amount=Sum("amount"))
    return ManagerResults(
        by_stage={code: counts.get(code, 0) for code in Lead.Stage.values},
        stale=leads.filter(stale_q()).count(),
        contracts=totals["n"],
        amount=totals["amount"] or Decimal(0),
    )


def todo(user: AnyUser) -> list[Todo]:
    """The workspace's to-dos: the open leads this user follows (a manager: those assigned to them) or may
    read, and those gone stale; each links to the leads page with the same filter."""
    manager_id = user.pk if user.role == Role.MANAGER else None
    mine = {"manager": manager_id} if manager_id else {}
    open_leads = lead_list(user, manager_id=manager_id).filter(stage__in=OPEN_STAGES).count()
    stale = lead_list(user, manager_id=manager_id, stale=True).count()
    url = reverse("deals:leads")
    return [
        Todo("在办的对接线索", open_leads, url + ("?" + urlencode(mine) if mine else "")),
        Todo("超过期限未跟进的线索", stale, f"{url}?{urlencode(mine | {'stale': 1})}"),
    ]
