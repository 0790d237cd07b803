"""Template helpers of the contract pages."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """An amount as written (120, 80.5), without the column's trailing zeros; — when there is none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"
