"""Expert review: assignments never conflicted (core.review.conflicted with the person's organisations),
scores through the call's rubric, rankings by core.review.rank."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.core import review
from fanxing.core.services import audit, require
from fanxing.managers.models import ExpertProfile
from fanxing.managers.selectors import person_organisation_ids
from fanxing.poc.models import (
    PocApplication,
    PocCall,
    Review,
    ReviewAssignment,
)
from fanxing.poc.services.calls import money

App = PocApplication.Status
CallStatus = PocCall.Status
# Review -----------------------------------------------------------------------------------------------


def entry_organisations(application: PocApplication) -> set[int]:
    """The organisations an application comes from: the applicant and the achievement's owner."""
    return {application.applicant_id, application.achievement.organisation_id}


def is_conflicted(reviewer: User, application: PocApplication) -> bool:
    return review.conflicted(person_organisation_ids(reviewer), entry_organisations(application))


def ranked_experts(application: PocApplication) -> list[tuple[User, str]]:
    """The expert pool for an application: those whose specialties fit it best first (the people index),
    then the rest of the pool by name; each with the reason shown on the assignment."""
    from fanxing.matching.selectors import people_for  # matching imports the apps' models

    pool = ExpertProfile.objects.filter(user__is_active=True, user__role=Role.EXPERT).select_related("user")
    ordered: list[tuple[User, str]] = []
    seen: set[int] = set()
    for rec in people_for(None, application.achievement, role="expert", top=50) or []:
        if rec.record.user.is_active and rec.record.user_id not in seen:
            ordered.append((rec.record.user, f"专长匹配 {rec.percent}%"))
            seen.add(rec.record.user_id)
    for profile in pool.order_by("user__display_name", "pk"):
        if profile.user_id not in seen:
            ordered.append((profile.user, "专家库"))
            seen.add(profile.user_id)
    return ordered


@transaction.atomic
def assignments_make(*, by: User | None, call: PocCall) -> list[ReviewAssignment]:
    """Give every application under review its `reviewers_per_application` experts from the pool: the least
    loaded in this call first (the work is spread), the best fit by specialty among equals; never one from
    the applicant's organisation.
    Refused as a whole, naming the application, when the pool has too few experts free of conflicts."""
    call = PocCall.objects.select_for_update().get(pk=call.pk)
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "无权分配该征集的评审专家")
    if call.status != CallStatus.REVIEWING:
        raise ValidationError({"status": "征集进入评审阶段后才能分配评审专家"})
    need = call.reviewers_per_application
    known: dict[int, set[int]] = {}

    def organisations_of(user: User) -> set[int]:  # once per expert, however many applications
        if user.pk not in known:
            known[user.pk] = person_organisation_ids(user)
        return known[user.pk]

    load: dict[int, int] = {}
    for row in ReviewAssignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True):
        load[row] = load.get(row, 0) + 1
    made: list[ReviewAssignment] = []
    applications = call.applications.filter(status=App.UNDER_REVIEW).select_related(
        "achievement", "applicant"
    )
    for application in applications:
        have = set(application.assignments.values_list("reviewer_id", flat=True))
        entry = entry_organisations(application)
        free = [
            (u, why)
            for u, why in ranked_experts(application)
            if u.pk not in have and not review.conflicted(organisations_of(u), entry)
        ]
        missing = need - len(have)
        if missing <= 0:
            continue
        if len(free) < missing:
            raise ValidationError(
                {
                    "reviewers_per_application": (
                        f"“{application}”需要 {need} 位评审专家，专家库中与申报单位无利益关系的只有 "
                        f"{len(have) + len(free)} 位；请补充专家或减少每项评审专家数"
                    )
                }
            )
        rank = {u.pk: n for n, (u, _) in enumerate(free)}
        chosen = sorted(free, key=lambda pair: (load.get(pair[0].pk, 0), rank[pair[0].pk]))[:missing]
        for reviewer, why in chosen:
            made.append(
                ReviewAssignment.objects.create(application=application, reviewer=reviewer, reason=why)
            )
            load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
    if made:
        audit(actor=by, action="poc_assign", target=call, changes={"assignments": [None, len(made)]})
    return made


def replacements(assignment: ReviewAssignment) -> list[tuple[User, str]]:
    """The experts who could take an assignment over: the pool in the order assignments_make ranks it, less
    those conflicted with the application and those already assigned to it."""
    application = assignment.application
    have = set(application.assignments.values_list("reviewer_id", flat=True))
    return [
        (user, why)
        for user, why in ranked_experts(application)
        if user.pk not in have and not is_conflicted(user, application)
    ]


@transaction.atomic
def assignment_replace(*, by: User | None, assignment: ReviewAssignment, reviewer: User) -> ReviewAssignment:
    """Give an application's review to another expert (the one assigned cannot do it): only while the call is
    under review and the review not yet submitted, and never to an expert conflicted with the application or
    already reviewing it."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__call", "application__achievement", "reviewer")
        .get(pk=assignment.pk)
    )
    application, call = assignment.application, assignment.application.call
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "无权更换该征集的评审专家")
    if call.status != CallStatus.REVIEWING:
        raise ValidationError({"status": "只有评审阶段可以更换评审专家"})
    if Review.objects.filter(assignment=assignment).exists():
        raise ValidationError({"reviewer": f"{assignment.reviewer}已提交评审，不能更换"})
    if not (reviewer.is_active and reviewer.role == Role.EXPERT):
        raise ValidationError({"reviewer": f"{reviewer}不是专家库中的专家"})
    if application.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": f"{reviewer}已在评审这项申报"})
    if is_conflicted(reviewer, application):
        raise ValidationError({"reviewer": f"{reviewer}与申报单位有利益关系，不能评审这项申报"})
    before = str(assignment.reviewer)
    assignment.delete()
    replaced = ReviewAssignment.objects.create(
        application=application, reviewer=reviewer, reason=f"主办方更换（原为{before}）"
    )
    audit(
        actor=by,
        action="poc_assign_replace",
        target=call,
        changes={str(application): [before, str(reviewer)]},
    )
    return replaced


@transaction.atomic
def review_submit(
    *, by: User, assignment: ReviewAssignment, scores: dict[str, Any], comment: str = ""
) -> Review:
    """The assigned expert scores an application on every criterion of the call's rubric. The conflict of
    interest is checked again (an affiliation may have changed since the assignment)."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__call", "application__achievement")
        .get(pk=assignment.pk)
    )
    require(permissions.can_review_poc(by, assignment), "只有被分配的评审专家可以评分")
    application = assignment.application
    if is_conflicted(by, application):
        raise ValidationError({"reviewer": f"您与申报单位“{application.applicant}”存在利益关系，须回避评审"})
    if application.call.status != CallStatus.REVIEWING or application.status != App.UNDER_REVIEW:
        raise ValidationError({"status": "该申报当前不在评审中"})
    if hasattr(assignment, "review"):
        raise ValidationError({"scores": "您已提交过该申报的评审意见"})
    try:
        total = application.call.get_rubric().total(scores)
    except review.ReviewError as error:
        raise ValidationError({"scores": str(error)}) from error
    result = Review.objects.create(
        assignment=assignment,
        scores={k: float(v) for k, v in scores.items()},
        total=total,
        comment=comment.strip(),
    )
    audit(actor=by, action="poc_review", target=application, changes={"total": [None, money(total)]})
    return result


@dataclass(frozen=True)
class Result:
    """An application's place in its call (core.review.Ranked) with the application itself."""

    application: PocApplication
    ranked: review.Ranked


def results(*, by: User | None, call: PocCall) -> list[Result]:
    """The applications of a call ranked by normalised score (z-scores per reviewer), with the raw mean,
    the spread and the 争议 flag; those without a review yet come last, unranked."""
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "只有征集的组织方可以查看评审结果")
    rows = Review.objects.filter(assignment__application__call=call).values_list(
        "assignment__reviewer_id", "assignment__application_id", "total"
    )
    totals = {(reviewer, application): float(total) for reviewer, application, total in rows}
    ranked = review.rank(totals)
    applications = call.applications.select_related("applicant", "achievement", "decision").in_bulk(
        [r.entry for r in ranked]
    )
    return [Result(applications[r.entry], r) for r in ranked]
