"""API for competitions (创新大赛): the list and a competition with its rubric (and awards once closed),
its entries (read as the pages do; POST enters a project), a judge's assignments and their scores, the
results table for those who run it. Reads through fanxing.competitions.selectors, writes through
fanxing.competitions.services."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from fanxing.achievements.models import Achievement
from fanxing.competitions import selectors as s
from fanxing.competitions import services
from fanxing.competitions.models import Competition, Entry
from fanxing.core.models import Organisation
from fanxing.core.schemas import InputSchema, PageQuery, RecordId

router = Router(tags=["创新大赛"])


class CriterionOut(Schema):
    key: str
    label: str
    weight: float = Field(description="权重（%），合计 100")
    max_score: int


class AwardOut(Schema):
    rank: int
    prize: str
    entry: int
    title: str
    organisation: str


class CompetitionOut(Schema):
    id: int
    title: str
    year: int
    organiser: dict[str, Any]
    status: str
    status_label: str
    opens_on: datetime.date
    closes_on: datetime.date
    entries: int


class CompetitionDetailOut(CompetitionOut):
    description: str
    judges_per_entry: int
    rubric: list[CriterionOut]
    awards: list[AwardOut] = Field(description="获奖名单（大赛结束后公布）")


class CompetitionPage(Schema):
    count: int
    items: list[CompetitionOut]


class EntryOut(Schema):
    id: int
    title: str
    summary: str
    organisation: dict[str, Any]
    achievement: dict[str, Any] | None
    team: str
    status: str
    submitted_at: datetime.datetime


class EntryIn(InputSchema):
    title: str = Field(description="项目名称")
    summary: str = Field(description="项目简介")
    team: str = Field("", description="团队成员，每行一人")
    achievement: RecordId | None = Field(None, description="关联的本机构成果编号（id）")
    organisation: int | None = Field(
        None, description="参赛单位编号；默认为本人所属机构（科技局管理员须填写）"
    )


class AssignmentOut(Schema):
    id: int
    competition: dict[str, Any]
    entry: EntryOut
    scores: dict[str, Any] | None
    total: float | None
    comment: str
    submitted_at: datetime.datetime | None


class ScoreIn(InputSchema):
    scores: dict[str, Decimal] = Field(description='各项指标的评分，键为指标代码，如 {"tech": 8}')
    comment: str = Field("", description="评语")


class ResultOut(Schema):
    place: int
    entry: int
    title: str
    organisation: str
    score: float = Field(description="标准化得分（各评委 z 分数的平均）")
    raw_mean: float = Field(description="原始平均分（0–100）")
    judges: int
    spread: float = Field(description="最高与最低总分之差")
    disputed: bool = Field(description="分差超过 20 分，宜合议")
    prize: str


class ResultsOut(Schema):
    competition: int
    title: str
    scored: int
    assignments: int
    results: list[ResultOut]


def competition_out(c: Competition) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "year": c.year,
        "organiser": {"id": c.organiser_id, "name": c.organiser.name},
        "status": c.status,
        "status_label": c.get_status_display(),
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "entries": getattr(c, "entry_count", 0),
    }


def competition_detail_out(c: Competition) -> dict[str, Any]:
    closed = c.status == Competition.Status.CLOSED
    return competition_out(c) | {
        "description": c.description,
        "judges_per_entry": c.judges_per_entry,
        "rubric": [
            {"key": k.key, "label": k.label, "weight": float(k.weight), "max_score": k.max_score}
            for k in c.review_rubric.criteria
        ],
        "awards": [
            {
                "rank": a.rank,
                "prize": a.prize,
                "entry": a.entry_id,
                "title": a.entry.title,
                "organisation": a.entry.organisation.name,
            }
            for a in (s.awards_of(c) if closed else [])
        ],
    }


def entry_out(e: Entry) -> dict[str, Any]:
    achievement = e.achievement
    return {
        "id": e.pk,
        "title": e.title,
        "summary": e.summary,
        "organisation": {"id": e.organisation_id, "name": e.organisation.name},
        "achievement": {"id": achievement.pk, "title": achievement.title} if achievement else None,
        "team": e.team,
        "status": e.status,
        "submitted_at": e.submitted_at,
    }


def assignment_out(a: Any) -> dict[str, Any]:
    score = getattr(a, "score", None)
    c = a.entry.competition
    return {
        "id": a.pk,
        "competition": {"id": c.pk, "title": c.title, "status": c.status},
        "entry": entry_out(a.entry),
        "scores": score.scores if score else None,
        "total": float(score.total) if score else None,
        "comment": score.comment if score else "",
        "submitted_at": score.submitted_at if score else None,
    }


def results_data(competition: Competition) -> dict[str, Any]:
    """The results table as the API and `fanxing competitions results --json` write it."""
    progress = s.progress_of(competition)
    return {
        "competition": competition.pk,
        "title": competition.title,
        "scored": progress.scored,
        "assignments": progress.assignments,
        "results": [
            {
                "place": r.place,
                "entry": r.entry.pk,
                "title": r.entry.title,
                "organisation": r.entry.organisation.name,
                "score": r.ranked.score,
                "raw_mean": r.ranked.raw_mean,
                "judges": r.ranked.judges,
                "spread": r.ranked.spread,
                "disputed": r.ranked.disputed,
                "prize": r.award.prize if r.award else "",
            }
            for r in s.results(competition)
        ],
    }


@router.get("", response=CompetitionPage, summary="大赛列表")
def list_competitions(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    qs = s.competition_list(request.auth)  # type: ignore[attr-defined]
    start = (query.page - 1) * query.page_size  # sliced here: the shared pager drops the entry counts
    return {"count": qs.count(), "items": [competition_out(c) for c in qs[start : start + query.page_size]]}


@router.get("/assignments/mine", response=list[AssignmentOut], summary="我的评审任务")
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    return [assignment_out(a) for a in s.my_assignments(request.auth)]  # type: ignore[attr-defined]


@router.post("/assignments/{int:assignment_id}/score", response=AssignmentOut, summary="提交评分（评委）")
def submit_score(request: HttpRequest, assignment_id: int, payload: ScoreIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    assignment = s.assignment_get(user, assignment_id)
    services.score_submit(by=user, assignment=assignment, scores=payload.scores, comment=payload.comment)
    return assignment_out(s.assignment_get(user, assignment_id))


@router.get("/{int:competition_id}", response=CompetitionDetailOut, summary="大赛详情（评分细则、获奖名单）")
def get_competition(request: HttpRequest, competition_id: int) -> dict[str, Any]:
    return competition_detail_out(s.competition_get(request.auth, competition_id))  # type: ignore[attr-defined]


@router.get("/{int:competition_id}/entries", response=list[EntryOut], summary="参赛项目")
def list_entries(request: HttpRequest, competition_id: int) -> list[dict[str, Any]]:
    """Those who run the competition read every entry; others their organisation's and those assigned to them."""
    user = request.auth  # type: ignore[attr-defined]
    competition = s.competition_get(user, competition_id)
    return [entry_out(e) for e in s.entry_list(user, competition)]


@router.post("/{int:competition_id}/entries", response={201: EntryOut}, summary="报名参赛")
def submit_entry(request: HttpRequest, competition_id: int, payload: EntryIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    competition = s.competition_get(user, competition_id)
    fields: dict[str, Any] = {"title": payload.title, "summary": payload.summary, "team": payload.team}
    if payload.organisation:
        fields["organisation"] = get_object_or_404(Organisation, pk=payload.organisation)
    if payload.achievement:
        fields["achievement"] = get_object_or_404(Achievement, pk=payload.achievement)
    entry = services.entry_submit(by=user, competition=competition, fields=fields)
    return Status(201, entry_out(entry))


@router.get("/{int:competition_id}/results", response=ResultsOut, summary="评审结果（主办方）")
def get_results(request: HttpRequest, competition_id: int) -> dict[str, Any]:
    """Those who run the competition: 403 for others who see it."""
    return results_data(s.competition_managed(request.auth, competition_id))  # type: ignore[attr-defined]
