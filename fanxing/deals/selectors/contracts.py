"""Reads on technology contracts, with the visibility rule of `permissions.contract_visible_q` applied."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
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
