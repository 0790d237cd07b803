"""The kinds of record that can be imported and exported, by name: achievements, demands, organisations,
contracts, platforms (each kind's columns in its own module; the pieces in `columns`)."""

import datetime
from typing import Any

from django.utils import timezone

from fanxing.core.io import cells
from fanxing.core.io.cells import Lookups
from fanxing.core.io.kinds.columns import EXTRAS, Col, Kind
from fanxing.core.io.kinds.contracts import CONTRACTS
from fanxing.core.io.kinds.platforms import PLATFORMS
from fanxing.core.io.kinds.records import ACHIEVEMENTS, DEMANDS, ORGANISATIONS
from fanxing.core.models import Organisation

__all__ = ["EXTRAS", "KINDS", "Col", "Kind", "example_context", "get_kind"]

KINDS: dict[str, Kind] = {k.name: k for k in (ACHIEVEMENTS, DEMANDS, ORGANISATIONS, CONTRACTS, PLATFORMS)}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"未知的类型“{name}”，应为：{'、'.join(KINDS)}") from None


def example_context(organisation: Organisation | None, lookups: Lookups) -> dict[str, Any]:
    """Values for the template's example row that exist in this database."""
    leaf = next((f for f in lookups.fields.values() if f.parent_id and f.code == "marine.fishery"), None)
    leaf = leaf or next((f for f in lookups.fields.values() if f.parent_id and f.active), None)
    organisation = organisation or next(iter(lookups.organisations.values()), None)
    region = lookups.regions.get("370212") or next(iter(lookups.regions.values()), None)
    return {
        "organisation": organisation.name if organisation else "",
        "field": cells.render_field(leaf),
        "ways": "、".join(w.name for w in lookups.ways[:2]),
        "deadline": timezone.localdate() + datetime.timedelta(days=180),
        "region": region.full_name if region else "",
    }
