"""Writes on demands: create, change, workflow moves, expiry after the deadline."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fanxing.accounts.models import User
from fanxing.core.services import record_move, reviewed_record_save
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand


@transaction.atomic
def demand_save(
    *, by: User | None, fields: dict[str, Any], ways: list[Any] | None = None, demand: Demand | None = None
) -> Demand:
    """Create a demand (as a draft) or change one."""
    return reviewed_record_save(record=demand or Demand(), by=by, fields=fields, ways=ways, prefix="XQ")


def demand_move(*, demand: Demand, action: str, by: User | None, reason: str = "") -> Demand:
    """Submit, publish, return (with a reason) or withdraw a demand."""
    return record_move(record=demand, action=action, by=by, reason=reason)


def demands_expire(*, today: Any = None) -> int:
    """Move published demands whose deadline has passed to 已过期, each with its audit entry."""
    today = today or timezone.localdate()
    overdue = Demand.objects.filter(status=Status.PUBLISHED, deadline__lt=today)
    count = 0
    for demand in overdue.iterator():
        record_move(record=demand, action="expire", by=None, reason=f"截止日期 {demand.deadline} 已过")
        count += 1
    return count
