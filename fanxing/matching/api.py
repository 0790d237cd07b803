"""Matching over the API: a record's matches with reasons, the search box, feedback."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from fanxing.achievements.selectors import achievement_get
from fanxing.demands.selectors import demand_get
from fanxing.matching.selectors import Match, achievements_for_demand, demands_for_achievement, search
from fanxing.matching.services import match_feedback_record

router = Router(tags=["智能匹配"])


class FactorOut(Schema):
    name: str
    label: str
    score: float
    fits: bool
    reason: str


class MatchOut(Schema):
    id: int
    ref: str
    title: str
    organisation: str
    score: float
    text_score: float
    fit_score: float
    terms: list[str]
    factors: list[FactorOut]


class MatchesOut(Schema):
    indexed: bool
    count: int
    items: list[MatchOut]


class SearchHit(Schema):
    id: int
    ref: str
    title: str
    organisation: str
    terms: list[str]


class SearchOut(Schema):
    achievements: list[SearchHit]
    demands: list[SearchHit]


class TopQuery(Schema):
    top: int = 10


class FeedbackIn(Schema):
    demand: int
    achievement: int
    verdict: Literal["relevant", "irrelevant"]


def match_out(m: Match) -> dict[str, Any]:
    return {
        "id": m.record.pk,
        "ref": m.record.ref,
        "title": m.record.title,
        "organisation": m.record.organisation.name,
        "score": round(m.score, 4),
        "text_score": round(m.text_score, 4),
        "fit_score": round(m.fit_score, 4),
        "terms": list(m.terms),
        "factors": [
            {"name": f.name, "label": f.label, "score": f.score, "fits": f.fits, "reason": f.reason}
            for f in m.factors
        ],
    }


def page(matches: list[Match] | None) -> dict[str, Any]:
    items = [match_out(m) for m in matches or []]
    return {"indexed": matches is not None, "count": len(items), "items": items}


def top_of(query: TopQuery) -> int:
    return max(1, min(query.top, 50))


@router.get("/demands/{int:demand_id}/matches", response=MatchesOut, summary="需求的推荐成果")
def demand_matches(request: HttpRequest, demand_id: int, query: Query[TopQuery]) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return page(achievements_for_demand(user, demand_get(user, demand_id), top=top_of(query)))


@router.get("/achievements/{int:achievement_id}/matches", response=MatchesOut, summary="成果的匹配需求")
def achievement_matches(request: HttpRequest, achievement_id: int, query: Query[TopQuery]) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return page(demands_for_achievement(user, achievement_get(user, achievement_id), top=top_of(query)))


@router.get("/search", response=SearchOut, summary="在成果库和需求库中搜索")
def search_both(request: HttpRequest, q: str) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    results = search(user, q[:200])
    return {
        library: [
            {
                "id": f.record.pk,
                "ref": f.record.ref,
                "title": f.record.title,
                "organisation": f.record.organisation.name,
                "terms": list(f.terms),
            }
            for f in found
        ]
        for library, found in results.items()
    }


@router.post("/matches/feedback", response={204: None}, summary="对一对匹配标注相关或不相关")
def feedback(request: HttpRequest, payload: FeedbackIn) -> Status[None]:
    user = request.auth  # type: ignore[attr-defined]
    if not user.is_authenticated:
        from ninja.errors import AuthenticationError

        raise AuthenticationError(401, "请先登录，或在 Authorization 请求头中提供 API 令牌（Bearer）")
    match_feedback_record(
        by=user,
        demand=demand_get(user, payload.demand),
        achievement=achievement_get(user, payload.achievement),
        relevant=payload.verdict == "relevant",
    )
    return Status(204, None)
