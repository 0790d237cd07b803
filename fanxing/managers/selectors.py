"""Reads on the people directories, with the access rules of fanxing.accounts.permissions applied."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.models import Organisation
from fanxing.core.selectors import field_ids
from fanxing.managers.models import Certificate, ExpertProfile, ManagerProfile, Profile, TrainingRecord

MODELS: dict[str, type[Profile]] = {"managers": ManagerProfile, "experts": ExpertProfile}


def profile_list(
    user: AnyUser, directory: str, *, q: str = "", field: str = "", level: str = ""
) -> QuerySet[Any]:
    """The active people of a directory this user may list (their own profile alone otherwise), filtered:
    `q` in the name, 专长 or affiliation; `field` a TechField code (a top-level code includes its children);
    `level` a manager level."""
    model = MODELS[directory]
    qs = model.objects.filter(user__is_active=True).select_related("user")
    qs = qs.prefetch_related("specialty_fields", "specialty_fields__parent")
    if not permissions.can_view_directory(user, directory):
        qs = qs.filter(user_id=user.pk) if user.is_authenticated else qs.none()
    for word in q.split():
        qs = qs.filter(
            Q(user__display_name__icontains=word)
            | Q(specialties__icontains=word)
            | Q(affiliation__icontains=word)
            | Q(bio__icontains=word)
        )
    if field:
        qs = qs.filter(
            pk__in=model.specialty_fields.through.objects.filter(techfield_id__in=field_ids(field)).values(
                f"{model._meta.model_name}_id"
            )
        )
    if level and directory == "managers":
        qs = qs.filter(level=level)
    return qs.order_by("user__display_name", "pk")


def profile_get(user: AnyUser, directory: str, pk: int) -> Any:
    """A profile this user may see; 404 otherwise, so nothing hints that it exists."""
    profile = (
        MODELS[directory]
        .objects.select_related("user")
        .prefetch_related("specialty_fields", "specialty_fields__parent")
        .filter(pk=pk)
        .first()
    )
    if profile is None or not permissions.can_view_profile(user, profile):
        raise Http404("该人员不存在或无权查看")
    return profile


def own_profile(user: AnyUser) -> Profile | None:
    """The signed-in manager's or expert's own profile, None before they first save it."""
    if not permissions.has_own_profile(user):
        return None
    model = ManagerProfile if user.role == ManagerProfile.ROLE else ExpertProfile
    return model.objects.filter(user=user).prefetch_related("specialty_fields").first()


@dataclass(frozen=True)
class TrainingYear:
    """One year of the corps of technology managers: people trained, hours, people certified."""

    year: int
    trained: int
    hours: Decimal
    certified: int


def training_by_year() -> list[TrainingYear]:
    """Per year, the managers who attended training, their hours, and the managers certified that year."""
    trained = {
        row["year"]: row
        for row in TrainingRecord.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(people=Count("manager", distinct=True), hours=Sum("hours"))
    }
    certified = dict(
        Certificate.objects.annotate(year=ExtractYear("issued_on"))
        .values("year")
        .annotate(people=Count("manager", distinct=True))
        .values_list("year", "people")
    )
    years = sorted(set(trained) | set(certified))
    return [
        TrainingYear(
            year,
            trained[year]["people"] if year in trained else 0,
            trained[year]["hours"] if year in trained else Decimal(0),
            certified.get(year, 0),
        )
        for year in years
    ]


def person_organisation_ids(user: Any) -> set[int]:
    """The organisations a person belongs to for conflicts of interest (利益回避) in expert review: their
    account's organisation, plus the organisation named by their expert profile's 工作单位 (matched to an
    organisation's full or short name). Used by every panel (概念验证, 创新大赛) with `core.review.conflicted`."""
    ids = {user.organisation_id} if getattr(user, "organisation_id", None) else set()
    affiliation = (
        ExpertProfile.objects.filter(user_id=user.pk).values_list("affiliation", flat=True).first() or ""
    ).strip()
    if affiliation:
        ids |= set(
            Organisation.objects.filter(Q(name=affiliation) | Q(short_name=affiliation)).values_list(
                "pk", flat=True
            )
        )
    return ids
