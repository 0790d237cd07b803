"""Writes on leads (对接线索): created from a match, an event meeting or by hand; assigned to a technology
manager; moved through their stages with an activity log. Each one atomic, checked, audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.core.services import audit, require
from fanxing.deals.models import Lead


def can_hand_over(user: Any, demand: Any, achievement: Any) -> bool:
    """The bureau, or an editor of the demand's or the achievement's organisation, hands a match over."""
    return permissions.is_admin(user) or any(
        record is not None and permissions.can_edit(user, record) for record in (demand, achievement)
    )


@transaction.atomic
def lead_create_from_match(
    *, by: User, demand: Any, achievement: Any, manager: User, note: str = "", score: float | None = None
) -> Lead:
    """Hand a demand–achievement match to a technology manager as a new lead."""
    require(can_hand_over(by, demand, achievement), "只有需求或成果的所属机构、或科技局管理员可以移交线索")
    if manager.role != Role.MANAGER or not manager.is_active:
        raise ValidationError({"manager": "请选择一位在册的技术经理人"})
    lead, created = Lead.objects.get_or_create(
        demand=demand,
        achievement=achievement,
        manager=manager,
        defaults={"created_by": by, "note": note.strip()[:2000], "score": score},
    )
    if created:
        audit(
            actor=by,
            action="lead_create",
            target=lead,
            changes={"manager": [None, str(manager)]},
            reason=note[:200],
        )
    return lead
