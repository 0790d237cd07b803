"""Matching over the API: a record's matches with reasons, the people and enterprises recommended for it,
the search box, feedback."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.selectors import achievement_get
from fanxing.demands.selectors import demand_get
from fanxing.matching.selectors import (
    Match,
    Recommendation,
    achievements_for_demand,
    demands_for_achievement,
    enterprises_for_achievement,
    people_for,
    search,
)
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


class PeopleQuery(Schema):
    role: Literal["manager", "expert"] = Field("manager", description="manager 技术经理人，expert 评审专家")
    top: int = 5


class DemandRef(Schema):
    id: int
    ref: str
    title: str


class RecommendationOut(Schema):
    kind: str = Field(description="manager、expert 或 enterprise")
    id: int = Field(description="技术经理人/专家档案编号，或企业（机构）编号")
    name: str
    level: str | None = Field(None, description="技术经理人等级：初级、中级、高级")
    title: str | None = Field(None, description="专家职称")
    affiliation: str | None = None
    fields: list[str] | None = Field(None, description="专长领域")
    closest_demand: DemandRef | None = Field(None, description="企业已发布需求中与成果最接近的一条")
    score: float
    text_score: float
    fit_score: float
    fits: bool = Field(description="领域是否一致")
    terms: list[str]
    reasons: list[str]


class RecommendationsOut(Schema):
    indexed: bool
    count: int
    items: list[RecommendationOut]


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


def recommendations(found: list[Recommendation] | None) -> dict[str, Any]:
    items = [r.as_dict() for r in found or []]
    return {"indexed": found is not None, "count": len(items), "items": items}


def signed_in(request: HttpRequest) -> AnyUser:
    user = request.auth  # type: ignore[attr-defined]
    if not user.is_authenticated:
        raise AuthenticationError(401, "请先登录，或在 Authorization 请求头中提供 API 令牌（Bearer）")
    return user  # type: ignore[no-any-return]


@router.get(
    "/demands/{int:demand_id}/people",
    response=RecommendationsOut,
    summary="需求的推荐技术经理人或评审专家（需求所属企业与科技局管理员）",
)
def demand_people(request: HttpRequest, demand_id: int, query: Query[PeopleQuery]) -> dict[str, Any]:
    user = signed_in(request)
    demand = demand_get(user, demand_id)
    return recommendations(people_for(user, demand, query.role, top=max(1, min(query.top, 50))))


@router.get(
    "/achievements/{int:achievement_id}/people",
    response=RecommendationsOut,
    summary="成果的推荐技术经理人或评审专家（成果所属机构与科技局管理员）",
)
def achievement_people(
    request: HttpRequest, achievement_id: int, query: Query[PeopleQuery]
) -> dict[str, Any]:
    user = signed_in(request)
    achievement = achievement_get(user, achievement_id)
    return recommendations(people_for(user, achievement, query.role, top=max(1, min(query.top, 50))))


@router.get(
    "/achievements/{int:achievement_id}/enterprises",
    response=RecommendationsOut,
    summary="成果的潜在需求企业（成果所属机构与科技局管理员）",
)
def achievement_enterprises(
    request: HttpRequest, achievement_id: int, query: Query[TopQuery]
) -> dict[str, Any]:
    user = signed_in(request)
    achievement = achievement_get(user, achievement_id)
    return recommendations(enterprises_for_achievement(user, achievement, top=top_of(query)))


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
    user = signed_in(request)
    match_feedback_record(
        by=user,
        demand=demand_get(user, payload.demand),
        achievement=achievement_get(user, payload.achievement),
        relevant=payload.verdict == "relevant",
    )
    return Status(204, None)
