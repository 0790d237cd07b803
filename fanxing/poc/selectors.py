"""Reads of the proof-of-concept app, with the access rules of fanxing.accounts.permissions applied."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.workspace import Todo
from fanxing.poc.models import Milestone, PocApplication, PocCall, PocPlatform, ReviewAssignment


def platform_list(*, level: str = "", q: str = "") -> QuerySet[PocPlatform]:
    """The platform directory (public): filtered by level and by words in the name, host or services."""
    qs = PocPlatform.objects.select_related("host").prefetch_related("fields")
    if level:
        qs = qs.filter(level=level)
    for word in q.split():
        qs = qs.filter(Q(name__icontains=word) | Q(host__name__icontains=word) | Q(services__icontains=word))
    return qs.order_by("level", "name")


def call_list(user: AnyUser | None, *, status: str = "", funder: str = "") -> QuerySet[PocCall]:
    qs = (
        PocCall.objects.all()
        if user is None
        else PocCall.objects.filter(permissions.poc_call_visible_q(user))
    )
    if status:
        qs = qs.filter(status=status)
    if funder:
        qs = qs.filter(funder=funder)
    return (
        qs.select_related("platform", "host")
        .annotate(applied=Count("applications"))
        .order_by("-deadline", "-pk")
    )


def call_get(user: AnyUser | None, pk: int) -> PocCall:
    call = call_list(user).filter(pk=pk).first()
    if call is None:
        raise Http404("征集不存在或无权查看")
    return call


def application_list(user: AnyUser | None, *, call: PocCall | None = None) -> QuerySet[PocApplication]:
    """Applications this user may read (`None`: all), optionally of one call."""
    qs = PocApplication.objects.all()
    if user is not None:
        qs = qs.filter(permissions.poc_application_visible_q(user)).distinct()
    if call is not None:
        qs = qs.filter(call=call)
    return qs.select_related(
        "call", "applicant", "achievement", "submitted_by", "decision", "outcome"
    ).order_by("call", "pk")


def application_get(user: AnyUser | None, pk: int) -> PocApplication:
    application = application_list(user).filter(pk=pk).first()
    if application is None:
        raise Http404("申报不存在或无权查看")
    return application


def my_assignments(user: AnyUser) -> QuerySet[ReviewAssignment]:
    """The reviews assigned to this expert, those still to score first."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(reviewer_id=user.pk)
        .select_related("application__call", "application__achievement", "application__applicant", "review")
        .order_by("review", "-application__call__deadline", "pk")
    )


def call_assignments(call: PocCall) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(application__call=call)
        .select_related("reviewer", "application__applicant", "application__achievement", "review")
        .order_by("application", "pk")
    )


@dataclass(frozen=True)
class Progress:
    """How far a call's review has come."""

    assigned: int
    reviewed: int

    @property
    def percent(self) -> int:
        return int(100 * self.reviewed / self.assigned) if self.assigned else 0


def review_progress(call: PocCall) -> Progress:
    rows = ReviewAssignment.objects.filter(application__call=call)
    return Progress(rows.count(), rows.filter(review__isnull=False).count())


def call_milestones(call: PocCall) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(application__call=call)
        .select_related("application__applicant", "application__achievement")
        .order_by("due_on", "pk")
    )


def granted(call: PocCall) -> Decimal:
    from fanxing.core.services import summed

    return summed(PocApplication.objects.filter(call=call, decision__isnull=False), "decision__amount")


def may_manage(user: AnyUser, call: Any) -> bool:
    return permissions.can_manage_poc_call(user, call)


def todo(user: AnyUser) -> list[Todo]:
    """The workspace's to-do: applications given to this expert and not yet scored, in calls under review."""
    pending = my_assignments(user).filter(
        review__isnull=True, application__call__status=PocCall.Status.REVIEWING
    )
    return [Todo("待评审的概念验证申报", pending.count(), reverse("poc:reviews"))]
