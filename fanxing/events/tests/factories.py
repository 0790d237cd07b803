"""An event ready for registration, and its participants, for the events tests."""

import datetime
from typing import Any

from django.utils import timezone

from fanxing.core.models import TechField
from fanxing.events.models import Event


def make_event(organiser: Any, **fields: Any) -> Event:
    """A published 对接会 next week on aquaculture tail water, registration open now, 4 slots × 2 tables."""
    now = timezone.now()
    starts = (now + datetime.timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    values: dict[str, Any] = {
        "kind": Event.Kind.FAIR,
        "title": "海水养殖尾水处理技术对接会",
        "theme": "对虾养殖尾水处理、氨氮去除、微生物水质净化技术的供需对接",
        "organiser": organiser,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "place": "崂山区科技创新中心 3 楼",
        "capacity": 10,
        "registration_opens": now - datetime.timedelta(days=1),
        "registration_closes": starts - datetime.timedelta(days=1),
        "slot_count": 4,
        "slot_minutes": 20,
        "first_slot_at": starts + datetime.timedelta(hours=1),
        "tables": 2,
        "status": Event.Status.PUBLISHED,
    }
    values.update(fields)
    theme_fields = values.pop("theme_fields", ["marine.fishery"])
    event = Event.objects.create(**values)
    event.theme_fields.set(TechField.objects.filter(code__in=theme_fields))
    return event
