"""Finding the records a command names, with an error that says what was not found."""

from django.core.management.base import CommandError

from fanxing.core.models import Organisation


def organisation_named(key: str) -> Organisation:
    """An organisation by its id or its exact name."""
    found = Organisation.objects.filter(pk=int(key)).first() if key.isdigit() else None
    found = found or Organisation.objects.filter(name=key.strip()).first()
    if found is None:
        raise CommandError(f"机构“{key}”不存在（填写机构 id 或全称）")
    return found
