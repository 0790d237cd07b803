"""Reads on inventor rewards with the rules of fanxing.accounts.permissions: a contract's distributions
for those who may read its organisation's rewards, the payout ledger (奖励发放台账) as `payout_visible_q`
allows, an organisation's rule."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.deals import rewards
from fanxing.deals.models import RewardDistribution, RewardPayout, RewardRule, TechContract
from fanxing.deals.selectors.contracts import contract_get

PAID_CHOICES = {"paid": "已发放", "unpaid": "未发放"}


def reward_contract_get(user: AnyUser, pk: int) -> TechContract:
    """A contract whose rewards this user may read: 404 when the contract is not theirs to see, 403 when
    they see it but not its rewards (a party's enterprise, the lead's manager)."""
    contract = contract_get(user, pk)
    if not permissions.can_view_rewards(user, contract.organisation_id):
        raise PermissionDenied("只有合同所属机构的管理员、工作人员和科技局管理员可以查看奖励")
    return contract


def reward_contract_by_number(number: str) -> TechContract:
    """A contract by its number, for the CLI (the platform sees every contract)."""
    contract = TechContract.objects.select_related("organisation").filter(number=number.strip()).first()
    if contract is None:
        raise Http404(f"没有编号为“{number}”的技术合同")
    return contract


def reward_rule_of(organisation_id: int) -> tuple[rewards.RewardRule, RewardRule | None]:
    """The rule the calculation applies (the law's minimum when the organisation has none) and its row."""
    row = RewardRule.objects.filter(organisation_id=organisation_id).first()
    try:
        return (row.as_rule() if row else rewards.RewardRule()), row
    except rewards.RewardError:
        return rewards.RewardRule(), row


def distribution_list(contract: TechContract) -> QuerySet[RewardDistribution]:
    """A contract's distributions, oldest first, with their payouts (the caller checked the reader)."""
    return (
        RewardDistribution.objects.filter(contract=contract)
        .select_related("created_by")
        .prefetch_related("payouts__user")
    )


def payout_list(
    user: AnyUser, *, year: int | None = None, paid: str = "", organisation_id: int | None = None
) -> QuerySet[RewardPayout]:
    """Payouts this user may read, newest decision first: of the decisions of a year, paid or not."""
    qs = RewardPayout.objects.filter(permissions.payout_visible_q(user)).select_related(
        "distribution__contract__organisation", "user"
    )
    if year:
        qs = qs.filter(distribution__decided_on__year=year)
    if paid == "paid":
        qs = qs.filter(paid_on__isnull=False)
    elif paid == "unpaid":
        qs = qs.filter(paid_on__isnull=True)
    if organisation_id:
        qs = qs.filter(distribution__contract__organisation_id=organisation_id)
    return qs.order_by("-distribution__decided_on", "-distribution_id", "-contribution", "id")


def payout_get(user: AnyUser, pk: int) -> RewardPayout:
    payout = payout_list(user).filter(pk=pk).first()
    if payout is None:
        raise Http404("奖励明细不存在或无权查看")
    return payout


def may_read_ledger(user: AnyUser) -> bool:
    """The ledger page: organisation admins and staff, the bureau, and anyone named on a payout."""
    if permissions.can_view_rewards(user, getattr(user, "organisation_id", None)):
        return True
    return bool(user.is_authenticated and RewardPayout.objects.filter(user_id=user.pk).exists())
