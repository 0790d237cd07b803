"""Curation (推荐与邀请): the matching engine's proposals for an event's theme stored as invitations, and the
organiser's decisions (accept, remove, invite with a notice)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import audit, notify
from fanxing.events.models import Event, Invitation
from fanxing.events.selectors import curation
from fanxing.events.services.events import check_manage


@transaction.atomic
def curation_proposals(*, by: User | None, event: Event) -> list[Invitation]:
    """Ask the matching engine which achievements, demands and enterprises fit the event's theme and store
    them as proposals (score, reasons). A refresh updates scores and reasons, keeps the organiser's
    decisions, and drops proposals no longer proposed."""
    check_manage(by, event)
    proposals = curation(event)
    kept: list[int] = []
    for p in proposals:
        key: dict[str, Any] = {"event": event}
        if p.achievement is not None:
            key["achievement"] = p.achievement
        elif p.demand is not None:
            key["demand"] = p.demand
        else:
            key |= {"organisation": p.organisation, "achievement": None, "demand": None}
        invitation, _ = Invitation.objects.update_or_create(
            **key, defaults={"organisation": p.organisation, "score": p.score, "reasons": list(p.reasons)}
        )
        kept.append(invitation.pk)
    event.invitations.filter(status=Invitation.Status.PROPOSED).exclude(pk__in=kept).delete()
    audit(actor=by, action="event_curate", target=event, changes={"proposals": [None, len(kept)]})
    return list(event.invitations.select_related("organisation", "achievement", "demand"))


MOVES = {
    "accept": ((Invitation.Status.PROPOSED, Invitation.Status.REMOVED), Invitation.Status.ACCEPTED, "采纳"),
    "remove": (
        (Invitation.Status.PROPOSED, Invitation.Status.ACCEPTED, Invitation.Status.INVITED),
        Invitation.Status.REMOVED,
        "移除",
    ),
    "invite": ((Invitation.Status.PROPOSED, Invitation.Status.ACCEPTED), Invitation.Status.INVITED, "邀请"),
}


@transaction.atomic
def invitation_move(*, by: User | None, invitation: Invitation, action: str) -> Invitation:
    """The organiser accepts (采纳), removes (移除) or invites (邀请: a notice to the organisation's editors)."""
    if action not in MOVES:
        raise ValidationError({"action": f"未知的操作：{action}"})
    invitation = (
        Invitation.objects.select_for_update().select_related("event", "organisation").get(pk=invitation.pk)
    )
    check_manage(by, invitation.event)
    sources, target, label = MOVES[action]
    if invitation.status not in sources:
        raise ValidationError({"status": f"该推荐{invitation.get_status_display()}，不能{label}"})
    before = invitation.status
    invitation.status = target
    invitation.save(update_fields=["status", "updated_at"])
    if action == "invite":
        send_invitation(invitation)
    audit(
        actor=by,
        action=f"invitation_{action}",
        target=invitation.event,
        changes={str(invitation): [before, target]},
    )
    return invitation


def invitation_accept(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="accept")


def invitation_remove(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="remove")


def invitation_invite(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="invite")


def send_invitation(invitation: Invitation) -> None:
    event = invitation.event
    users = User.objects.filter(
        organisation=invitation.organisation, role__in=permissions.EDITOR_ROLES, is_active=True
    )
    about = (
        f"（{invitation.kind_label}：{invitation}）"
        if invitation.achievement_id or invitation.demand_id
        else ""
    )
    when = timezone.localtime(event.starts_at)
    notify(
        users=users,
        subject=f"邀请参加{event.get_kind_display()}：{event.title}",
        body=f"{event.organiser}邀请贵单位参加“{event.title}”{about}，时间 {when:%Y-%m-%d %H:%M}，"
        f"地点 {event.place or event.online_url}。",
        url=event.get_absolute_url(),
        key=f"event-invite-{event.pk}-{invitation.organisation_id}",
    )
