"""Reads on accounts: the access requests a user has made or must decide."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from fanxing.accounts import permissions
from fanxing.accounts.models import AccessRequest, User


def access_requests_to_decide(user: User) -> QuerySet[AccessRequest]:
    """Pending requests on records of the user's organisation (all of them for bureau admins)."""
    qs = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).select_related(
        "requester", "content_type"
    )
    if permissions.is_admin(user):
        return qs
    if not user.organisation_id or user.role not in permissions.EDITOR_ROLES:
        return qs.none()
    from fanxing.achievements.models import Achievement
    from fanxing.demands.models import Demand

    owned = Q()
    for model in (Achievement, Demand):
        owned |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.filter(organisation_id=user.organisation_id).values("pk"),
        )
    return qs.filter(owned)


def access_request_for(user: User, record: object) -> AccessRequest | None:
    if not user.is_authenticated:
        return None
    return AccessRequest.objects.filter(
        requester=user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,  # type: ignore[attr-defined]
    ).first()
