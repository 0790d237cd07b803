"""Reads on competitions, with the visibility rules of `permissions` applied; the conflict-of-interest rule
(whose organisations a judge belongs to) and the results table."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.competitions.models import Assignment, Award, Competition, Entry, Judge, Score
from fanxing.core.review import Ranked, conflicted, rank
from fanxing.core.workspace import Todo


def entry_organisation_ids(entry: Entry) -> set[int]:
    """The organisations an entry comes from: the entrant and the owner of the achievement it rests on."""
    ids = {entry.organisation_id}
    if entry.achievement_id:
        ids.add(entry.achievement.organisation_id)
    return ids


def is_conflicted(judge_ids: set[int], entry: Entry) -> bool:
    return conflicted(judge_ids, entry_organisation_ids(entry))


def competition_list(user: AnyUser) -> QuerySet[Competition]:
    return (
        Competition.objects.filter(permissions.competition_visible_q(user))
        .select_related("organiser")
        .annotate(entry_count=Count("entries", filter=Q(entries__status=Entry.Status.SUBMITTED)))
        .order_by(*Competition._meta.ordering)  # a grouped query drops Meta.ordering
    )


def competition_get(user: AnyUser, pk: int) -> Competition:
    competition = competition_list(user).filter(pk=pk).first()
    if competition is None:
        raise Http404("大赛不存在或无权查看")
    return competition


def competition_managed(user: AnyUser, pk: int) -> Competition:
    """A competition this user runs: 404 when they may not see it, PermissionDenied when they may not run it."""
    competition = competition_get(user, pk)
    if not permissions.can_manage_competition(user, competition):
        raise PermissionDenied("只有主办单位的管理员、工作人员或科技局管理员可以管理大赛")
    return competition


def entry_list(user: AnyUser | None, competition: Competition) -> QuerySet[Entry]:
    """The competition's entries this user may read (`None`: the platform, all of them)."""
    qs = competition.entries.all()
    if user is not None and not permissions.can_manage_competition(user, competition):
        qs = qs.filter(permissions.entry_visible_q(user)).distinct()
    return qs.select_related("organisation", "achievement__organisation", "submitted_by")


def judges_of(competition: Competition) -> QuerySet[Judge]:
    return competition.judges.select_related("user__organisation", "user__expert_profile").annotate(
        assigned=Count("assignments", distinct=True),
        scored=Count("assignments__score", distinct=True),
    )


def my_assignments(user: AnyUser) -> QuerySet[Assignment]:
    """The entries given to this user to score, in competitions under review first."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(judge__user_id=user.pk, entry__status=Entry.Status.SUBMITTED)
        .select_related("entry__organisation", "entry__achievement", "entry__competition", "score")
        .order_by("-entry__competition__year", "entry__competition_id", "entry_id")
    )


def assignment_get(user: AnyUser, pk: int) -> Assignment:
    """One of this user's own assignments (anyone else's is not found)."""
    assignment = my_assignments(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404("评审任务不存在或不是分配给您的")
    return assignment


def assignments_of(competition: Competition) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(entry__competition=competition)
        .select_related("judge__user", "entry__organisation", "score")
        .order_by("entry_id", "judge_id")
    )


@dataclass(frozen=True)
class Progress:
    assignments: int
    scored: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.assignments) if self.assignments else 0


def progress_of(competition: Competition) -> Progress:
    qs = Assignment.objects.filter(entry__competition=competition, entry__status=Entry.Status.SUBMITTED)
    return Progress(qs.count(), qs.filter(score__isnull=False).count())


@dataclass(frozen=True)
class Result:
    """An entry's line in the results table: its place by normalised score (core.review.rank), the raw mean
    of its totals, how many judges scored it, their spread, the 争议 flag and the award decided."""

    entry: Entry
    ranked: Ranked
    award: Award | None

    @property
    def place(self) -> int:
        return self.ranked.place


def results(competition: Competition) -> list[Result]:
    """The scored entries best first; entries nobody has scored yet are left out."""
    scores = Score.objects.filter(
        assignment__entry__competition=competition, assignment__entry__status=Entry.Status.SUBMITTED
    ).values_list("assignment__judge_id", "assignment__entry_id", "total")
    totals = {(judge, entry): float(total) for judge, entry, total in scores}
    entries = Entry.objects.filter(pk__in={e for _, e in totals}).select_related("organisation")
    by_pk = {e.pk: e for e in entries}
    awards = {a.entry_id: a for a in competition.awards.all()}
    return [Result(by_pk[r.entry], r, awards.get(r.entry)) for r in rank(totals)]  # type: ignore[index]


def awards_of(competition: Competition) -> QuerySet[Award]:
    return competition.awards.select_related("entry__organisation").order_by("rank")


def todo(user: AnyUser) -> list[Todo]:
    """The workspace's to-do: entries given to this judge and not yet scored."""
    return [
        Todo(
            "待评分的大赛项目",
            my_assignments(user).filter(score__isnull=True).count(),
            reverse("competitions:mine"),
        )
    ]
