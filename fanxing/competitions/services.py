"""Writes on competitions: the competition and its rubric, entries within the window, the panel, assignments
that never give a judge an entry of their own organisation, scores under the rubric, awards by rank. Each
one atomic, checked through `permissions`, audited; `by=None` is the platform (the CLI)."""

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.competitions.models import Assignment, Award, Competition, Entry, Judge, Score
from fanxing.competitions.selectors import is_conflicted, results
from fanxing.core.review import ReviewError, Rubric
from fanxing.core.services import allowed_fields, audit, diff, notify, require, snapshot
from fanxing.managers.selectors import person_organisation_ids

Status = Competition.Status
COMPETITION_FIELDS = [
    "title",
    "year",
    "organiser",
    "description",
    "rubric",
    "opens_on",
    "closes_on",
    "judges_per_entry",
    "status",
    "event",
]
ENTRY_FIELDS = ["organisation", "title", "summary", "achievement", "team"]
# The prizes offered when awards are decided: (label, how many), given to the places in this order.
DEFAULT_PRIZES = [("一等奖", 1), ("二等奖", 2), ("三等奖", 3), ("优秀奖", 4)]


def manage_check(by: User | None, competition: Competition) -> None:
    if by is not None:
        require(
            permissions.can_manage_competition(by, competition),
            "只有主办单位的管理员、工作人员或科技局管理员可以管理大赛",
        )


def has_scores(competition: Competition) -> bool:
    return Score.objects.filter(assignment__entry__competition=competition).exists()


@transaction.atomic
def competition_save(
    *, by: User | None, fields: dict[str, Any], competition: Competition | None = None
) -> Competition:
    """Create or change a competition. The rubric must be valid (core.review.Rubric: weights adding up to
    100) and is frozen once a score is in."""
    allowed_fields(fields, COMPETITION_FIELDS)
    creating = competition is None
    if competition is None:
        competition = Competition(rubric=fields.get("rubric", []))
    else:
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        manage_check(by, competition)
        if "organiser" in fields and fields["organiser"].pk != competition.organiser_id:
            raise ValidationError({"organiser": "大赛创建后不能更换主办单位"})
    before = snapshot(competition, COMPETITION_FIELDS) if not creating else {}
    if "rubric" in fields:
        try:
            Rubric.of(fields["rubric"])
        except ReviewError as error:
            raise ValidationError({"rubric": str(error)}) from error
        if not creating and fields["rubric"] != competition.rubric and has_scores(competition):
            raise ValidationError({"rubric": "已有评委提交评分，不能再修改评分细则"})
    if not creating and fields.get("status", competition.status) != competition.status:
        check_status(competition, fields["status"])
    for name, value in fields.items():
        setattr(competition, name, value)
    if creating and by is not None:
        require(
            permissions.can_run_competitions_for(by, competition.organiser_id),
            "只有主办单位的管理员、工作人员或科技局管理员可以创建大赛",
        )
    competition.full_clean()
    competition.save()
    after = snapshot(competition, COMPETITION_FIELDS)
    audit(
        actor=by,
        action="competition_create" if creating else "competition_update",
        target=competition,
        changes=diff(before, after),
    )
    return competition


def check_status(competition: Competition, status: str) -> None:
    """A competition goes back to 筹备中 only before any entry, and to 报名中 only before any assignment."""
    if status == Status.DRAFT and competition.entries.exists():
        raise ValidationError({"status": "已有参赛项目，不能退回“筹备中”"})
    if (
        status in (Status.DRAFT, Status.OPEN)
        and Assignment.objects.filter(entry__competition=competition).exists()
    ):
        raise ValidationError({"status": "已分配评审任务，不能退回报名阶段"})


def check_window(competition: Competition) -> None:
    today = timezone.localdate()
    if competition.status != Status.OPEN:
        raise ValidationError({"competition": f"大赛{competition.get_status_display()}，不接受报名"})
    if not competition.opens_on <= today <= competition.closes_on:
        raise ValidationError(
            {
                "competition": f"报名时间为 {competition.opens_on} 至 {competition.closes_on}，"
                f"今天（{today}）不在报名时间内"
            }
        )


@transaction.atomic
def entry_submit(*, by: User | None, competition: Competition, fields: dict[str, Any]) -> Entry:
    """Enter a project for an organisation (its editors, or the bureau) while the competition is open and
    within its window; the achievement, if any, must be the organisation's own."""
    allowed_fields(fields, ENTRY_FIELDS, "填写")
    organisation = fields.get("organisation") or (by.organisation if by is not None else None)
    if organisation is None:
        raise ValidationError({"organisation": "请选择参赛单位"})
    if by is not None:
        require(
            permissions.can_enter_competition(by, organisation.pk),
            "只能以本机构的名义报名（机构的管理员、工作人员或企业用户）",
        )
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    check_window(competition)
    achievement = fields.get("achievement")
    if achievement is not None and achievement.organisation_id != organisation.pk:
        raise ValidationError({"achievement": f"只能关联{organisation}自己的成果"})
    entry = Entry(competition=competition, submitted_by=by, **(fields | {"organisation": organisation}))
    entry.full_clean()
    entry.save()
    audit(actor=by, action="entry_submit", target=entry, changes={"competition": [None, str(competition)]})
    return entry


@transaction.atomic
def entry_withdraw(*, by: User | None, entry: Entry) -> Entry:
    """The entering organisation's editors (or the bureau) withdraw an entry while entries are open; a
    withdrawn entry is neither assigned nor ranked."""
    entry = Entry.objects.select_for_update().select_related("competition").get(pk=entry.pk)
    if by is not None:
        require(permissions.can_enter_competition(by, entry.organisation_id), "只能撤回本机构的参赛项目")
    if entry.competition.status != Status.OPEN:
        raise ValidationError({"status": f"大赛{entry.competition.get_status_display()}，不能再撤回报名"})
    if entry.status == Entry.Status.WITHDRAWN:
        return entry
    entry.status = Entry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    audit(
        actor=by,
        action="entry_withdraw",
        target=entry,
        changes={"status": [Entry.Status.SUBMITTED, entry.status]},
    )
    return entry


@transaction.atomic
def judge_add(*, by: User | None, competition: Competition, user: User) -> Judge:
    """Put a user (usually an expert of the pool) on the competition's panel."""
    manage_check(by, competition)
    if not user.is_active:
        raise ValidationError({"user": f"账号“{user}”已停用，不能担任评委"})
    if competition.status == Status.CLOSED:
        raise ValidationError({"user": "大赛已结束，不能再增加评委"})
    if Judge.objects.filter(competition=competition, user=user).exists():
        raise ValidationError({"user": f"{user} 已是本大赛的评委"})
    judge = Judge.objects.create(competition=competition, user=user)
    audit(actor=by, action="judge_add", target=competition, changes={"judge": [None, str(user)]})
    return judge


@transaction.atomic
def judge_remove(*, by: User | None, judge: Judge) -> None:
    """Take a judge off the panel; not once they have scored."""
    manage_check(by, judge.competition)
    if Score.objects.filter(assignment__judge=judge).exists():
        raise ValidationError({"user": f"{judge.user} 已提交评分，不能移出评委"})
    audit(
        actor=by, action="judge_remove", target=judge.competition, changes={"judge": [str(judge.user), None]}
    )
    judge.delete()


def plan_assignments(
    entries: Sequence[Entry], judges: Sequence[Judge], per_entry: int
) -> dict[int, list[Judge]]:
    """{entry pk: its judges}: each entry to `per_entry` judges none of whom is conflicted, the least loaded
    first (ties in the panel's order, so the load goes round). The entries with the fewest possible judges
    are served first. ValidationError naming the entries that cannot get enough."""
    orgs = {j.pk: person_organisation_ids(j.user) for j in judges}
    eligible = {e.pk: [j for j in judges if not is_conflicted(orgs[j.pk], e)] for e in entries}
    short = [e for e in entries if len(eligible[e.pk]) < per_entry]
    if short:
        names = "、".join(f"“{e.title}”（{len(eligible[e.pk])} 位）" for e in short)
        raise ValidationError(
            {"judges_per_entry": f"每件作品需要 {per_entry} 位无利益冲突的评委，这些作品不足：{names}"}
        )
    load = {j.pk: 0 for j in judges}
    order = {j.pk: n for n, j in enumerate(judges)}
    plan = {}
    for entry in sorted(entries, key=lambda e: (len(eligible[e.pk]), e.pk)):
        chosen = sorted(eligible[entry.pk], key=lambda j: (load[j.pk], order[j.pk]))[:per_entry]
        for judge in chosen:
            load[judge.pk] += 1
        plan[entry.pk] = chosen
    return plan


@transaction.atomic
def assignments_make(*, by: User | None, competition: Competition, per_entry: int | None = None) -> int:
    """Give every entry to `per_entry` judges (the competition's setting by default), never a conflicted
    one, balancing the load; replaces earlier assignments, so only before any score is in. The judges are
    notified once the assignments are saved. Returns how many were made."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    manage_check(by, competition)
    per_entry = per_entry or competition.judges_per_entry
    if competition.status != Status.JUDGING:
        raise ValidationError({"competition": "大赛进入“评审中”后才能分配评审任务"})
    if has_scores(competition):
        raise ValidationError({"competition": "已有评委提交评分，不能重新分配"})
    entries = list(competition.entries.filter(status=Entry.Status.SUBMITTED).select_related("achievement"))
    judges = list(competition.judges.select_related("user__expert_profile").order_by("pk"))
    if not entries:
        raise ValidationError({"competition": "还没有参赛项目"})
    plan = plan_assignments(entries, judges, per_entry)
    Assignment.objects.filter(entry__competition=competition).delete()
    Assignment.objects.bulk_create(
        [Assignment(judge=judge, entry=entry) for entry in entries for judge in plan[entry.pk]]
    )
    made = sum(len(js) for js in plan.values())
    audit(
        actor=by,
        action="assignments_make",
        target=competition,
        changes={"assignments": [None, made]},
        reason=f"每件作品 {per_entry} 位评委",
    )
    transaction.on_commit(lambda: notify_judges(competition))
    return made


def notify_judges(competition: Competition) -> None:
    """Tell each judge what they have to score (once per set of entries)."""
    url = reverse("competitions:mine")
    for judge in competition.judges.select_related("user"):
        ids = sorted(judge.assignments.values_list("entry_id", flat=True))
        if not ids:
            continue
        digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]
        notify(
            users=[judge.user],
            subject=f"评审任务：“{competition.title}”的 {len(ids)} 件参赛项目待您评分",
            body="请登录平台，在“活动 › 我的大赛评审”中逐项评分并提交。",
            url=url,
            key=f"competition:{competition.pk}:assigned:{judge.pk}:{digest}",
        )


@transaction.atomic
def score_submit(
    *, by: User | None, assignment: Assignment, scores: dict[str, Any], comment: str = ""
) -> Score:
    """The assigned judge scores the entry on every criterion of the rubric while the competition is under
    review (again to change it). The conflict of interest is checked again: a conflicted judge writes
    nothing."""
    assignment = Assignment.objects.select_related(
        "judge__user", "entry__competition", "entry__achievement"
    ).get(pk=assignment.pk)
    if by is not None:
        require(permissions.can_score(by, assignment), "只有分配到该项目的评委可以评分")
    if is_conflicted(person_organisation_ids(assignment.judge.user), assignment.entry):
        raise PermissionDenied("评委与参赛单位存在利益冲突，不能为该项目评分")
    competition = assignment.entry.competition
    if competition.status != Status.JUDGING:
        raise ValidationError({"scores": f"大赛{competition.get_status_display()}，不能评分"})
    try:
        total = competition.review_rubric.total(scores)
    except ReviewError as error:
        raise ValidationError({"scores": str(error)}) from error
    scores = {key: number(value) for key, value in scores.items()}
    score, created = Score.objects.select_for_update().get_or_create(
        assignment=assignment,
        defaults={"scores": scores, "total": total, "comment": comment, "submitted_at": timezone.now()},
    )
    before = str(score.total)
    if not created:
        score.scores, score.total, score.comment = scores, total, comment
        score.submitted_at = timezone.now()
        score.save()
    audit(
        actor=by,
        action="score_submit",
        target=assignment.entry,
        changes={"total": [None if created else before, str(total)]},
        reason=f"评委 {assignment.judge.user}",
    )
    return score


def number(value: Any) -> int | float:
    """A criterion's score as JSON keeps it: 8, or 7.5."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def parse_prizes(text: str) -> list[tuple[str, int]]:
    """“一等奖:1,二等奖:2,三等奖:3” → [("一等奖", 1), ...]; ValidationError on the prizes field."""
    prizes = []
    for part in text.replace("，", ",").replace("：", ":").split(","):
        if not part.strip():
            continue
        label, _, count = part.partition(":")
        if not label.strip() or not count.strip().isdigit() or int(count) < 1:
            raise ValidationError({"prizes": f"“{part.strip()}”应写作 奖项:数量，如 一等奖:1"})
        prizes.append((label.strip(), int(count)))
    if not prizes:
        raise ValidationError({"prizes": "请至少设一个奖项"})
    return prizes


@transaction.atomic
def awards_decide(
    *, by: User | None, competition: Competition, prizes: Sequence[tuple[str, int]]
) -> list[Award]:
    """Give the prizes to the ranked entries in order (the first prize's count to the first places, and so
    on), once every assigned score is in; replaces earlier awards and closes the competition."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    manage_check(by, competition)
    if competition.status not in (Status.JUDGING, Status.CLOSED):
        raise ValidationError({"prizes": "大赛评审后才能评定奖项"})
    missing = Assignment.objects.filter(
        entry__competition=competition, entry__status=Entry.Status.SUBMITTED, score__isnull=True
    ).count()
    if missing:
        raise ValidationError({"prizes": f"尚有 {missing} 份评分未提交，不能评定奖项"})
    ranked = results(competition)
    wanted = sum(count for _, count in prizes)
    if wanted > len(ranked):
        raise ValidationError({"prizes": f"奖项共 {wanted} 个，多于已评分的项目数 {len(ranked)}"})
    competition.awards.all().delete()
    labels = [label for label, count in prizes for _ in range(count)]
    awards = Award.objects.bulk_create(
        [
            Award(competition=competition, entry=row.entry, prize=label, rank=row.place)
            for row, label in zip(ranked, labels, strict=False)
        ]
    )
    before = competition.status
    competition.status = Status.CLOSED
    competition.save(update_fields=["status"])
    audit(
        actor=by,
        action="awards_decide",
        target=competition,
        changes={
            "status": [before, Status.CLOSED],
            "awards": [None, [f"{a.prize} {a.entry}" for a in awards]],
        },
    )
    return awards
