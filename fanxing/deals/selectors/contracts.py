"""Reads on technology contracts, with the visibility rule of `permissions.contract_visible_q` applied."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.models import Organisation
from fanxing.deals.models import ContractKind, TechContract


def contract_list(user: AnyUser) -> QuerySet[TechContract]:
    """The contracts this user may read, newest signed first."""
    return (
        TechContract.objects.filter(permissions.contract_visible_q(user))
        .select_related("organisation", "lead")
        .prefetch_related("parties__organisation", "achievements")
    )


def contract_get(user: AnyUser, pk: int) -> TechContract:
    record = contract_list(user).filter(pk=pk).first()
    if record is None:
        raise Http404("技术合同不存在或无权查看")
    return record


def contract_received(contract: TechContract) -> Decimal:
    """Money received so far under a contract (万元): the income side of a reward's net income."""
    return contract.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)


@dataclass(frozen=True)
class ContractTotals:
    """One contract type's figures for a year: contracts signed and their amount, contracts registered
    and their certified amount (技术合同成交额 sums the latter)."""

    signed: int = 0
    amount: Decimal = Decimal(0)
    registered: int = 0
    certified_amount: Decimal = Decimal(0)


def contract_totals(*, year: int, organisation: Organisation | None = None) -> dict[str, ContractTotals]:
    """Totals by contract type (every type present, zero when none): amounts of the contracts signed in
    the year, certified amounts of those registered (已登记) in the year. No organisation: all of them."""
    qs = TechContract.objects.all()
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    signed = {
        row["kind"]: row
        for row in qs.filter(signed_on__year=year)
        .values("kind")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    }
    registered = {
        row["kind"]: row
        for row in qs.filter(
            registration_status=TechContract.Registration.REGISTERED, registered_on__year=year
        )
        .values("kind")
        .annotate(n=Count("id"), total=Sum("certified_amount"))
        .order_by()
    }
    empty = {"n": 0, "total": Decimal(0)}
    return {
        kind: ContractTotals(
            signed=signed.get(kind, empty)["n"],
            amount=signed.get(kind, empty)["total"] or Decimal(0),
            registered=registered.get(kind, empty)["n"],
            certified_amount=registered.get(kind, empty)["total"] or Decimal(0),
        )
        for kind in ContractKind.values
    }


@dataclass(frozen=True)
class ContractFilters:
    """The filters of the contract list (web page, API, export): each one optional."""

    kind: str = ""
    year: int | None = None
    registration_status: str = ""
    organisation: int | None = None
    q: str = ""


def contract_filter(qs: QuerySet[TechContract], filters: ContractFilters) -> QuerySet[TechContract]:
    """Narrow a list of visible contracts by type, year signed, registration status, organisation, words."""
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(signed_on__year=filters.year)
    if filters.registration_status:
        qs = qs.filter(registration_status=filters.registration_status)
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(title__icontains=filters.q))
    return qs


def contract_sums(qs: QuerySet[TechContract]) -> dict[str, Decimal]:
    """The count, contract amount and certified amount (万元) of a list of contracts."""
    sums = qs.order_by().aggregate(n=Count("id"), amount=Sum("amount"), certified=Sum("certified_amount"))
    return {
        "count": sums["n"],
        "amount": sums["amount"] or Decimal(0),
        "certified_amount": sums["certified"] or Decimal(0),
    }


def contract_years(qs: QuerySet[TechContract]) -> list[int]:
    """The years in which the contracts of a list were signed, newest first."""
    return [d.year for d in qs.order_by().dates("signed_on", "year", order="DESC")]
