"""Reading what a command is given (a date, the records it names), with an error that says what is wrong."""

import datetime

from django.core.management.base import CommandError

from fanxing.core.models import Organisation


def organisation_named(key: str) -> Organisation:
    """An organisation by its id or its exact name."""
    found = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
    found = found or Organisation.objects.filter(name=key.strip()).first()
    if found is None:
        raise CommandError(f"机构“{key}”不存在（填写机构 id 或全称）")
    return found


def date_given(value: str, option: str = "--date") -> datetime.date:
    """A date written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}“{value}”不是 YYYY-MM-DD 格式的日期") from error
