"""Writes on events (对接活动): the event, registration and check-in, curation by matching and the
organiser's invitations, meeting requests, the schedule of one-to-one meetings and their outcomes (an
interest becomes a lead). Each one atomic, checked through fanxing.accounts.permissions, audited;
`by=None` is the platform (the CLI).

- `events`: event_save, event_publish, event_close, registration_create, check_in
- `curation`: curation_proposals, invitation_move (accept, remove, invite)
- `meetings`: meeting_request, meeting_request_answer, candidate_pairs, schedule_make, meeting_outcome
"""

from fanxing.events.services.curation import (
    curation_proposals,
    invitation_accept,
    invitation_invite,
    invitation_move,
    invitation_remove,
)
from fanxing.events.services.events import (
    EVENT_FIELDS,
    check_in,
    event_close,
    event_publish,
    event_save,
    registration_availability_set,
    registration_create,
)
from fanxing.events.services.meetings import (
    candidate_pairs,
    meeting_outcome,
    meeting_request,
    meeting_request_answer,
    schedule_make,
)
from fanxing.events.services.reminders import event_reminders

__all__ = [
    "EVENT_FIELDS",
    "candidate_pairs",
    "check_in",
    "curation_proposals",
    "event_close",
    "event_publish",
    "event_reminders",
    "event_save",
    "invitation_accept",
    "invitation_invite",
    "invitation_move",
    "invitation_remove",
    "meeting_outcome",
    "meeting_request",
    "meeting_request_answer",
    "registration_availability_set",
    "registration_create",
    "schedule_make",
]
