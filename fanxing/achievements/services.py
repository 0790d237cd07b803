"""Writes on achievements: create, change (with patents and team), workflow moves, grants of rights."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.achievements.models import Achievement, Patent, RightsGrant, TeamMember
from fanxing.core.services import (
    allowed_fields,
    audit,
    diff,
    record_move,
    require,
    reviewed_record_save,
    snapshot,
    summed,
)
from fanxing.core.validators import parse_patent_number
from fanxing.core.workflow import Status
from fanxing.matching.services import index_schedule_rebuild


@transaction.atomic
def achievement_save(
    *,
    by: User | None,
    fields: dict[str, Any],
    ways: list[Any] | None = None,
    patents: list[dict[str, Any]] | None = None,
    team: list[dict[str, Any]] | None = None,
    achievement: Achievement | None = None,
) -> Achievement:
    """Create an achievement (as a draft) or change one. `patents` and `team`, when given, replace the lists."""
    was_published = (
        achievement is not None
        and Achievement.objects.filter(pk=achievement.pk, status=Status.PUBLISHED).exists()
    )
    record = reviewed_record_save(
        record=achievement or Achievement(), by=by, fields=fields, ways=ways, prefix="CG"
    )
    if patents is not None:
        _replace_patents(record, patents, by)
    if team is not None:
        _replace_team(record, team)
    if record.status == Status.PUBLISHED or was_published:
        index_schedule_rebuild("achievements")
    return record


def _replace_patents(achievement: Achievement, patents: list[dict[str, Any]], by: User | None) -> None:
    """Replace the patents when the list differs; each number is checked and normalised first."""
    new, seen = [], set()
    for i, data in enumerate(patents, start=1):
        try:
            number, kind = parse_patent_number(data.get("number", ""))
        except ValidationError as error:
            raise ValidationError({"patents": f"第{i}项专利：{error.messages[0]}"}) from error
        if number in seen:
            raise ValidationError({"patents": f"第{i}项专利：专利号 {number} 重复"})
        seen.add(number)
        patent = Patent(
            achievement=achievement,
            number=number,
            title=data.get("title", ""),
            kind=data.get("kind") or kind,
            legal_status=data.get("legal_status") or Patent.LegalStatus.PENDING,
        )
        try:  # numbers are unique within the list (checked above), so no query is needed here
            patent.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError({"patents": f"第{i}项专利：{'；'.join(error.messages)}"}) from error
        new.append(patent)
    row = ("number", "title", "kind", "legal_status")
    old = list(achievement.patents.order_by("id").values_list(*row))
    if old == [tuple(getattr(p, f) for f in row) for p in new]:
        return
    achievement.patents.all().delete()
    Patent.objects.bulk_create(new)
    before, after = sorted(o[0] for o in old), sorted(seen)
    if before != after:
        audit(actor=by, action="patents", target=achievement, changes={"patents": [before, after]})


def _replace_team(achievement: Achievement, team: list[dict[str, Any]]) -> None:
    """Replace the team when the list differs."""
    new = [
        TeamMember(
            achievement=achievement,
            name=m["name"].strip(),
            title=m.get("title", ""),
            is_lead=bool(m.get("is_lead")),
            order=i,
        )
        for i, m in enumerate(team)
        if m.get("name", "").strip()
    ]
    row = ("name", "title", "is_lead")
    if list(achievement.team.values_list(*row)) == [tuple(getattr(m, f) for f in row) for m in new]:
        return
    achievement.team.all().delete()
    TeamMember.objects.bulk_create(new)


def achievement_move(
    *, achievement: Achievement, action: str, by: User | None, reason: str = ""
) -> Achievement:
    """Submit, publish, return (with a reason) or withdraw an achievement."""
    record = record_move(record=achievement, action=action, by=by, reason=reason)
    if action in ("publish", "withdraw", "expire"):  # the moves that change what is published
        index_schedule_rebuild("achievements")
    return record


GRANT_FIELDS = ["kind", "grantees", "share", "granted_on", "term_years", "document_no"]


@transaction.atomic
def rights_grant_add(*, by: User | None, achievement: Achievement, fields: dict[str, Any]) -> RightsGrant:
    """Record a grant of rights (赋权) in a service achievement: by its unit's admins or the bureau. The
    ownership granted in one achievement cannot pass 100 %, and a grant cannot be dated in the future."""
    if by is not None:
        require(permissions.can_grant_rights(by, achievement), "只有成果所属单位的管理员可以登记赋权")
    allowed_fields(fields, GRANT_FIELDS, "填写")
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)  # one grant at a time
    grant = RightsGrant(
        achievement=achievement, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    grant.full_clean()
    if grant.granted_on > timezone.localdate():
        raise ValidationError({"granted_on": "赋权日期不能晚于今天"})
    if grant.kind == RightsGrant.Kind.OWNERSHIP:
        granted = summed(achievement.rights_grants.filter(kind=RightsGrant.Kind.OWNERSHIP), "share")
        if granted + grant.share > 100:
            raise ValidationError(
                {"share": f"该成果已赋予所有权 {granted}%，再赋 {grant.share}% 将超过 100%"}
            )
    grant.save()
    audit(actor=by, action="create", target=grant, changes=diff({}, snapshot(grant, list(fields))))
    return grant
