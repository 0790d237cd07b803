"""Template helpers: Bootstrap classes on form widgets, query-string building."""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def bs(field: BoundField) -> Any:
    """Render a form field's widget with the Bootstrap class its kind needs."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def page_url(query: str, page: int) -> str:
    return f"?{query}&page={page}" if query else f"?page={page}"
