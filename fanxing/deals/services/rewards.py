"""Writes and computations on inventor rewards: a contract's direct costs, its reward under the owning
organisation's rule (fanxing.deals.rewards does the arithmetic), payouts recorded."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fanxing.accounts.models import User
from fanxing.core.services import audit
from fanxing.deals import rewards
from fanxing.deals.models import ContractCost, ContractKind, RewardRule, TechContract
from fanxing.deals.services.contracts import locked_for_money

TEN_THOUSAND = Decimal(10_000)


@transaction.atomic
def cost_add(*, by: User | None, contract: TechContract, fields: dict[str, Any]) -> ContractCost:
    """Record a direct cost of a contract (元), audited."""
    contract = locked_for_money(by, contract)
    cost = ContractCost(contract=contract, **fields)
    cost.full_clean(
        validate_constraints=False
    )  # the fields' own checks name the field; the table's repeat them
    cost.save()
    audit(actor=by, action="cost_add", target=contract, changes={"cost": [None, str(cost)]})
    return cost


def contract_reward(contract: TechContract, members: list[rewards.Member]) -> rewards.Reward:
    """The team's reward for a transfer or licence contract, from the payments received (万元 → 元) and
    its costs, under the owning organisation's rule (the law's minimum when it has none); for 作价投资, from
    the share obtained. Raises ValidationError with the reason when it cannot be computed."""
    rule_row = RewardRule.objects.filter(organisation_id=contract.organisation_id).first()
    try:
        rule = rule_row.as_rule() if rule_row else rewards.RewardRule()
        if contract.equity:
            return rewards.compute_reward(rule, rewards.Mode.EQUITY, members, base=contract.equity_share)
        mode = {ContractKind.TRANSFER: rewards.Mode.TRANSFER, ContractKind.LICENCE: rewards.Mode.LICENCE}.get(
            ContractKind(contract.kind)
        )
        if mode is None:
            raise rewards.RewardError(
                f"{contract.get_kind_display()}合同的奖励按本单位规则另行计算，不按转让、许可收入计算"
            )
        received = [(p.amount * TEN_THOUSAND).quantize(Decimal("0.01")) for p in contract.payments.all()]
        costs = [rewards.Cost(c.kind, c.amount, c.note) for c in contract.costs.all()]
        return rewards.compute_reward(rule, mode, members, received=received, costs=costs)
    except rewards.RewardError as error:
        raise ValidationError(str(error)) from error
