"""Writes on leads, technology contracts and inventor rewards (the package's modules); the names other
apps and the tests use are gathered here."""

from fanxing.deals.services.contracts import (
    contract_register,
    contract_save,
    instalment_add,
    payment_add,
    total_of,
)
from fanxing.deals.services.leads import (
    lead_activity_add,
    lead_assign,
    lead_create,
    lead_move,
)
from fanxing.deals.services.rewards import (
    contract_reward,
    cost_add,
    payout_mark_paid,
    reward_calculation,
    reward_distribute,
)

__all__ = [
    "contract_register",
    "contract_reward",
    "contract_save",
    "cost_add",
    "instalment_add",
    "lead_activity_add",
    "lead_assign",
    "lead_create",
    "lead_move",
    "payment_add",
    "total_of",
    "payout_mark_paid",
    "reward_calculation",
    "reward_distribute",
]
