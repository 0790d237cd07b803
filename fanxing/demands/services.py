"""Writes on demands: create, change, workflow moves, expiry after the deadline."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from fanxing.accounts.models import User
from fanxing.core.services import record_move, reviewed_record_save
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand
from fanxing.matching.services import index_schedule_rebuild


@transaction.atomic
def demand_save(
    *, by: User | None, fields: dict[str, Any], ways: list[Any] | None = None, demand: Demand | None = None
) -> Demand:
    """Create a demand (as a draft) or change one."""
    was_published = (
        demand is not None and Demand.objects.filter(pk=demand.pk, status=Status.PUBLISHED).exists()
    )
    record = reviewed_record_save(record=demand or Demand(), by=by, fields=fields, ways=ways, prefix="XQ")
    if record.status == Status.PUBLISHED or was_published:
        index_schedule_rebuild("demands")
    return record


def demand_move(*, demand: Demand, action: str, by: User | None, reason: str = "") -> Demand:
    """Submit, publish, return (with a reason) or withdraw a demand."""
    record = record_move(record=demand, action=action, by=by, reason=reason)
    if action in ("publish", "withdraw", "expire"):  # the moves that change what is published
        index_schedule_rebuild("demands")
    return record


def demands_expire(*, today: Any = None) -> int:
    """Move published demands whose deadline has passed to 已过期, each with its audit entry."""
    today = today or timezone.localdate()
    overdue = Demand.objects.filter(status=Status.PUBLISHED, deadline__lt=today)
    count = 0
    for demand in overdue.iterator():
        demand_move(demand=demand, action="expire", by=None, reason=f"截止日期 {demand.deadline} 已过")
        count += 1
    return count
