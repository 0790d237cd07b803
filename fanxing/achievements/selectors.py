"""Reads on achievements, with the visibility rules applied."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement, RightsGrant
from fanxing.core.models import Organisation
from fanxing.core.selectors import ListFilters, apply_filters

SORTS = {
    "newest": ("-published_at", "-id"),
    "oldest": ("published_at", "id"),
    "trl_desc": ("-trl", "-published_at", "-id"),
    "trl_asc": ("trl", "-published_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
SORT_LABELS = {
    "newest": "最新发布",
    "oldest": "最早发布",
    "trl_desc": "成熟度从高到低",
    "trl_asc": "成熟度从低到高",
    "updated": "最近更新",
}


def achievement_list(user: AnyUser, filters: ListFilters | None = None) -> QuerySet[Achievement]:
    qs = Achievement.objects.select_related("field", "field__parent", "organisation").prefetch_related("ways")
    return apply_filters(
        qs,
        user,
        filters or ListFilters(),
        text_fields=("title", "summary", "keywords"),
        trl_field="trl",
        sorts=SORTS,
    )
    return qs


def achievement_get(user: AnyUser, pk: int) -> Achievement:
    """The achievement if this user may see it; 404 otherwise (no hint that it exists)."""
    record = (
        Achievement.objects.select_related("field", "field__parent", "organisation", "created_by")
        .prefetch_related("ways", "patents", "team")
        .filter(pk=pk)
        .first()
    )
    if record is None or not permissions.can_view(user, record):
        raise Http404("成果不存在或无权查看")
    return record


def service_ledger(user: AnyUser | None, organisation: Organisation) -> QuerySet[Achievement]:
    """A university's or institute's ledger of service achievements (单列管理): every achievement of the
    unit, whatever its status, with its grants of rights; for the unit's members and the bureau (`None`:
    the platform, the CLI)."""
    if user is not None and not permissions.can_view_ledger(user, organisation):
        raise PermissionDenied("只有本单位人员和科技局管理员可以查看职务科技成果台账")
    return (
        Achievement.objects.filter(organisation=organisation)
        .select_related("field")
        .prefetch_related("rights_grants")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class LedgerConversion:
    """A technology contract that converts an achievement, with the money received under it (万元)."""

    contract: Any
    received: Decimal


@dataclass(frozen=True)
class LedgerEntry:
    """One service achievement of the ledger: its grants of rights and its conversions."""

    achievement: Achievement
    grants: list[RightsGrant]
    conversions: list[LedgerConversion]

    @property
    def amount(self) -> Decimal:
        return sum((c.contract.amount for c in self.conversions), Decimal(0))

    @property
    def received(self) -> Decimal:
        return sum((c.received for c in self.conversions), Decimal(0))


@dataclass(frozen=True)
class Ledger:
    """A unit's ledger of service achievements (单列管理台账) and its totals. A contract that converts several
    of the unit's achievements shows under each, and counts once in the totals."""

    organisation: Organisation
    entries: list[LedgerEntry]
    contracts: int
    amount: Decimal
    received: Decimal

    @property
    def grants(self) -> int:
        return sum(len(e.grants) for e in self.entries)

    @property
    def converted(self) -> int:
        """Achievements with at least one contract."""
        return sum(1 for e in self.entries if e.conversions)


def ledger_get(user: AnyUser | None, organisation: Organisation) -> Ledger:
    """The ledger of `service_ledger` with each achievement's technology contracts (those this user may read,
    by `contract_visible_q`) and the payments received under them; PermissionDenied as `service_ledger`."""
    from fanxing.deals.models import Payment, TechContract  # deals imports this app's models

    contracts = (
        TechContract.objects.all()
        if user is None
        else TechContract.objects.filter(permissions.contract_visible_q(user))
    )
    contracts = contracts.order_by("signed_on", "pk")
    achievements = list(
        service_ledger(user, organisation)
        .select_related("field__parent")
        .prefetch_related(Prefetch("contracts", queryset=contracts))
    )
    ids = {c.pk for a in achievements for c in a.contracts.all()}
    received = dict(
        Payment.objects.filter(contract_id__in=ids)
        .values("contract_id")
        .annotate(s=Sum("amount"))
        .values_list("contract_id", "s")
        .order_by()
    )
    entries = [
        LedgerEntry(
            a,
            list(a.rights_grants.all()),
            [LedgerConversion(c, received.get(c.pk) or Decimal(0)) for c in a.contracts.all()],
        )
        for a in achievements
    ]
    unique = {c.contract.pk: c for e in entries for c in e.conversions}.values()
    return Ledger(
        organisation,
        entries,
        contracts=len(unique),
        amount=sum((c.contract.amount for c in unique), Decimal(0)),
        received=sum((c.received for c in unique), Decimal(0)),
    )
