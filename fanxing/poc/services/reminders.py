"""The day's reminders, each sent once (the notice key)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.core.services import notify
from fanxing.poc.models import (
    Milestone,
    PocApplication,
    PocCall,
    ReviewAssignment,
)
from fanxing.poc.services.calls import application_owners

App = PocApplication.Status
CallStatus = PocCall.Status

DEADLINE_DAYS = 3
MILESTONE_DAYS = 7


def poc_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send the day's reminders, each once (by its notice key), and count them:
    - `deadline`: a call closing within 3 days, to the admins of the organisations that applied;
    - `reviews`: a review still to be scored in a call under review, to its expert;
    - `milestones`: a milestone due within 7 days and not yet reported, to the project's owners."""
    today = today or timezone.localdate()
    sent = {"deadline": 0, "reviews": 0, "milestones": 0}
    calls = PocCall.objects.filter(
        status=CallStatus.OPEN, deadline__gte=today, deadline__lte=today + datetime.timedelta(DEADLINE_DAYS)
    )
    for call in calls:
        organisations = call.applications.exclude(status=App.WITHDRAWN).values("applicant_id")
        admins = User.objects.filter(organisation_id__in=organisations, role=Role.ORG_ADMIN)
        sent["deadline"] += len(
            notify(
                users=admins,
                subject=f"概念验证征集即将截止：{call}",
                body=f"“{call}”将于 {call.deadline} 截止申报，请确认本单位的申报材料。",
                url=call.get_absolute_url(),
                key=f"poc-deadline-{call.pk}",
            )
        )
    pending = ReviewAssignment.objects.filter(
        review__isnull=True,
        application__status=App.UNDER_REVIEW,
        application__call__status=CallStatus.REVIEWING,
    ).select_related("reviewer", "application__achievement")
    for assignment in pending:
        sent["reviews"] += len(
            notify(
                users=[assignment.reviewer],
                subject=f"待评审：{assignment.application.achievement.title}",
                body="您有一项概念验证申报待评审，请按评分细则逐项打分。",
                url=reverse("poc:reviews"),
                key=f"poc-review-{assignment.pk}",
            )
        )
    due = Milestone.objects.filter(
        reported_on__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(MILESTONE_DAYS)
    ).select_related("application__submitted_by")
    for milestone in due:
        sent["milestones"] += len(
            notify(
                users=application_owners(milestone.application),
                subject=f"项目节点即将到期：{milestone.title}",
                body=f"节点“{milestone.title}”计划于 {milestone.due_on} 完成，交付物：{milestone.deliverable}。",
                url=milestone.application.get_absolute_url(),
                key=f"poc-milestone-{milestone.pk}",
            )
        )
    return sent
