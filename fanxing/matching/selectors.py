"""Matches with their reasons: text relevance from the engine, structured fit, matched terms.

Directions: demand → achievements and achievement → demands (`Match`), and demand or achievement →
technology managers and experts, achievement → enterprises likely to need it (`Recommendation`).

The engine ranks by text (techmatch.search, or Milvus with FANXING_SEARCH_BACKEND=milvus:
techmatch.milvus); each candidate the user may see is then scored on its
structured fit and the two are combined by techmatch.explain: 0.7 × text relevance (the engine's score
scaled between the best and the last candidate) + 0.3 × fit, the fit being techmatch.fit's (field, TRL,
price, ways, region), with the query's words the record contains. For people and
enterprises the fit is the field — their specialty fields, or the fields of an enterprise's published
demands, against the record's field — and counts more: 0.4 × text relevance + 0.6 × field fit.
"""

import re
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement
from fanxing.achievements.selectors import achievement_list
from fanxing.core.models import Organisation, TechField
from fanxing.core.services import require
from fanxing.core.workflow import Status, split_keywords
from fanxing.demands.models import Demand
from fanxing.demands.selectors import demand_list
from fanxing.managers.models import ExpertProfile, ManagerProfile
from fanxing.matching import indexes
from fanxing.matching.bridge import (
    PREFIX,
    attributes,
    doc_id,
    doc_kind,
    enterprise_document,
    field_names,
    labels,
    query_text,
    record_pk,
)
from fanxing.matching.models import FactorWeights, MatchFeedback
from techmatch.explain import GENERIC_TERMS, explain, hit_terms
from techmatch.fit import DEFAULT_WEIGHTS, Factor, compatibility
from techmatch.search import Hit

CANDIDATES = 50


@dataclass(frozen=True)
class Match:
    """A record that answers another, with the score and the reasons a person reads."""

    record: Any
    score: float  # 0..1
    text_score: float  # 0..1, relative to the best candidate
    fit_score: float  # 0..1
    factors: tuple[Factor, ...]
    terms: tuple[str, ...]  # query terms found in the record's title or text

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def misfits(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if not f.fits)


def achievements_for_demand(user: AnyUser, demand: Demand, top: int = 10) -> list[Match] | None:
    """The achievements that answer a demand, best first; None when there is no index yet.
    Achievements this user judged 不相关 for this demand are left out."""
    visible = achievement_list(user).exclude(
        pk__in=rejected(user).filter(demand=demand).values("achievement")
    )
    return _matches(user, demand, "achievements", visible, top, demand_side=demand)


def demands_for_achievement(user: AnyUser, achievement: Achievement, top: int = 10) -> list[Match] | None:
    """The demands an achievement answers, best first; None when there is no index yet."""
    visible = demand_list(user).exclude(
        pk__in=rejected(user).filter(achievement=achievement).values("demand")
    )
    return _matches(user, achievement, "demands", visible, top, demand_side=None)


def rejected(user: AnyUser) -> Any:
    if not user.is_authenticated:
        return MatchFeedback.objects.none()
    return MatchFeedback.objects.filter(user=user, verdict=MatchFeedback.Verdict.IRRELEVANT)


def factor_weights() -> dict[str, float]:
    """The weights feedback has taught (services.learned_weights), or the defaults."""
    row = FactorWeights.objects.first()
    return dict(row.weights) if row and row.weights else dict(DEFAULT_WEIGHTS)


def _matches(
    user: AnyUser, source: Any, library: str, visible: Any, top: int, demand_side: Demand | None
) -> list[Match] | None:
    searcher = indexes.searcher(library)
    if searcher is None:
        return None
    found = searcher.candidates(query_text(source), CANDIDATES, exclude=frozenset({doc_id(source)}))
    hits = found.hits
    if not hits:
        return []
    records = (
        visible.filter(pk__in=[record_pk(h.id) for h in hits])
        .select_related("organisation__region", "field")
        .prefetch_related("ways")
    )
    by_pk = {r.pk: r for r in records}
    names = labels()
    source_attrs = attributes(source)

    def factors_of(hit: Hit) -> tuple[Factor, ...] | None:
        record = by_pk.get(record_pk(hit.id))
        if record is None:  # not visible to this user, or changed since the index was built
            return None
        if demand_side:
            return compatibility(source_attrs, attributes(record), names)
        return compatibility(attributes(record), source_attrs, names)

    explained = explain(searcher.index, hits, found.tokens, factors_of, factor_weights())
    return [
        Match(by_pk[record_pk(e.hit.id)], e.score, e.text_score, e.fit_score, e.factors, e.terms)
        for e in explained[:top]
    ]


@dataclass(frozen=True)
class Found:
    """A search result: the record, its rank score and the query terms it contains."""

    record: Any
    score: float
    terms: tuple[str, ...]


SEARCHED = ("achievements", "demands")
# A search result shares a word with the query, or scores at least this share of the best result: the long
# tail of meaning-only neighbours (the latent vectors') is noise in a search box, though not in matching.
SEARCH_FLOOR = 0.3


def search(
    user: AnyUser, text: str, top: int = 20, libraries: tuple[str, ...] = SEARCHED
) -> dict[str, list[Found]]:
    """One search box over the libraries: each library's index ranks, the user's visibility filters; the
    `top` best found in each."""
    results: dict[str, list[Found]] = {}
    for library in libraries:
        visible = achievement_list(user) if library == "achievements" else demand_list(user)
        searcher = indexes.searcher(library)
        if searcher is None or not text.strip():
            results[library] = []
            continue
        candidates = searcher.candidates(text, top * 2)
        hits = candidates.hits
        by_pk = {r.pk: r for r in visible.filter(pk__in=[record_pk(h.id) for h in hits])}
        found = [
            Found(by_pk[record_pk(h.id)], h.score, hit_terms(searcher.index, h, candidates.tokens))
            for h in hits
            if record_pk(h.id) in by_pk
        ]
        floor = SEARCH_FLOOR * max((f.score for f in found), default=0.0)
        results[library] = [f for f in found if f.terms or f.score >= floor][:top]
    return results


# People and enterprises ---------------------------------------------------------------------------------

ROLES = {"manager": "managers", "expert": "experts"}
PEOPLE_CANDIDATES = 100  # one library holds both roles: enough hits that each role keeps its best
# What a person declared (their specialty fields) or an enterprise asked for (its demands' fields) weighs
# more than words that happen to be shared: 0.4 × text relevance + 0.6 × field fit; ties go to the better fit.
DIRECTORY_TEXT_WEIGHT = 0.4
FIT_SAME_FIELD, FIT_SAME_AREA = 1.0, 0.5
MAX_TERMS = 8
# Shared words too broad to name a specialty (besides GENERIC_TERMS).
BROAD_TERMS = frozenset("产品 开发 服务 项目 企业 成果 转化 功能 治疗 临床 行业 材料 工程 管理".split())
WORDLIKE = re.compile(r"^\w+$")
FUNCTION_CHARS = frozenset("的与和及或在对于为用是等")


@dataclass(frozen=True)
class Recommendation:
    """A person (a ManagerProfile or ExpertProfile) or an enterprise (an Organisation) suggested for a record:
    0.4 × text relevance (scaled to the best candidate) + 0.6 × field fit, and the reasons in words."""

    record: Any
    score: float  # 0..1
    text_score: float  # 0..1
    fit_score: float  # 0..1: 1 the same field, 0.5 the same area, 0 neither
    fit_reason: str
    terms: tuple[str, ...] = ()  # words the record and the candidate share
    closest: Any = None  # an enterprise's demand closest to the achievement, when one is visible

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def fits(self) -> bool:
        return self.fit_score >= FIT_SAME_FIELD

    @property
    def reasons(self) -> tuple[str, ...]:
        found = [f"共同关键词：{'、'.join(self.terms)}"] if self.terms else []
        found.append(self.fit_reason)
        if self.closest is not None:
            found.append(f"最接近的需求：{self.closest.title}")
        return tuple(found)

    def as_dict(self) -> dict[str, Any]:
        """What the API and `fanxing match --json` print for this recommendation."""
        record = self.record
        if isinstance(record, Organisation):
            about: dict[str, Any] = {"kind": "enterprise", "id": record.pk, "name": record.name}
            closest = self.closest
            about["closest_demand"] = (
                {"id": closest.pk, "ref": closest.ref, "title": closest.title} if closest else None
            )
        else:
            about = {
                "kind": "manager" if isinstance(record, ManagerProfile) else "expert",
                "id": record.pk,
                "name": record.name,
                "level": record.get_level_display() if isinstance(record, ManagerProfile) else "",
                "title": getattr(record, "title", ""),
                "affiliation": record.affiliation,
                "fields": [f.name for f in record.specialty_fields.all()],
            }
        return about | {
            "score": round(self.score, 4),
            "text_score": round(self.text_score, 4),
            "fit_score": round(self.fit_score, 4),
            "fits": self.fits,
            "terms": list(self.terms),
            "reasons": list(self.reasons),
        }


def people_for(
    user: AnyUser | None, record: Achievement | Demand, role: str = "manager", top: int = 5
) -> list[Recommendation] | None:
    """The technology managers (role "manager") or experts ("expert") whose specialties fit a demand or an
    achievement, best first; None when there is no index yet. `user=None` is the platform (CLI)."""
    if user is not None:
        require(
            permissions.can_see_recommendations(user, record),
            "只有该记录的所属机构和科技局管理员可以查看推荐的技术经理人和评审专家",
        )
    if role not in ROLES:
        raise ValidationError({"role": "role 应为 manager（技术经理人）或 expert（评审专家）"})
    return rank_people(record, ROLES[role], top)


def default_manager(record: Achievement | Demand) -> Any:
    """The manager whose specialties fit this record best: the default assignee of a lead (or None)."""
    best = rank_people(record, "managers", 1)
    return best[0].record.user if best else None


def rank_people(record: Achievement | Demand, kind: str, top: int) -> list[Recommendation] | None:
    searcher = indexes.searcher("people")
    if searcher is None:
        return None
    text = query_text(record)
    hits = [h for h in searcher.search(text, top=PEOPLE_CANDIDATES) if doc_kind(h.id) == kind]
    model = ManagerProfile if kind == "managers" else ExpertProfile
    profiles = model.objects.filter(pk__in=[record_pk(h.id) for h in hits], user__is_active=True)
    by_pk = {p.pk: p for p in profiles.select_related("user").prefetch_related("specialty_fields__parent")}
    relevance = _relevance([h.score for h in hits])
    found = []
    for hit, text_score in zip(hits, relevance, strict=True):
        profile = by_pk.get(record_pk(hit.id))
        if profile is None:  # left the platform since the index was built
            continue
        fit, reason = _field_fit(record, list(profile.specialty_fields.all()), "专长领域", "尚未填写专长领域")
        found.append(Recommendation(profile, _combined(text_score, fit), text_score, fit, reason))
    found.sort(key=lambda r: (-r.score, -r.fit_score))
    return [replace(r, terms=_person_terms(record, text, r.record)) for r in found[:top]]


def enterprises_for_achievement(
    user: AnyUser | None, achievement: Achievement, top: int = 10
) -> list[Recommendation] | None:
    """The enterprises likely to need an achievement (潜在需求企业), best first; never its own organisation.
    Their demands are read only as far as this user may see them; None when there is no index yet."""
    if user is not None:
        require(
            permissions.can_see_recommendations(user, achievement),
            "只有成果的所属机构和科技局管理员可以查看潜在需求企业",
        )
    searcher = indexes.searcher("enterprises")
    if searcher is None:
        return None
    text = query_text(achievement)
    own = frozenset({f"{PREFIX['enterprises']}{achievement.organisation_id}"})
    hits = searcher.search(text, top=CANDIDATES, exclude=own)
    enterprises = Organisation.objects.filter(
        pk__in=[record_pk(h.id) for h in hits], kind=Organisation.Kind.ENTERPRISE
    ).exclude(pk=achievement.organisation_id)
    by_pk = {o.pk: o for o in enterprises}
    demands = _visible_demands(user, list(by_pk))
    closeness = _demand_ranks(text)
    found = []
    for hit, text_score in zip(hits, _relevance([h.score for h in hits]), strict=True):
        organisation = by_pk.get(record_pk(hit.id))
        if organisation is None:
            continue
        theirs = demands.get(organisation.pk, [])
        fit, reason = _field_fit(achievement, [d.field for d in theirs], "已发布需求", "暂无可见的已发布需求")
        closest = min(theirs, key=lambda d: closeness.get(d.pk, len(closeness)), default=None)
        found.append(
            Recommendation(organisation, _combined(text_score, fit), text_score, fit, reason, closest=closest)
        )
    found.sort(key=lambda r: (-r.score, -r.fit_score))
    return [
        replace(r, terms=_enterprise_terms(achievement, text, r.record, demands.get(r.record.pk, [])))
        for r in found[:top]
    ]


def _visible_demands(user: AnyUser | None, organisation_ids: list[int]) -> dict[int, list[Demand]]:
    """The published demands of these organisations that this user may see (for the platform: the indexed ones)."""
    qs = demand_list(user) if user is not None else indexes.indexed_records("demands")
    qs = qs.filter(organisation_id__in=organisation_ids, status=Status.PUBLISHED).select_related(
        "field__parent"
    )
    grouped: dict[int, list[Demand]] = {}
    for demand in qs.order_by("-published_at", "-pk"):
        grouped.setdefault(demand.organisation_id, []).append(demand)
    return grouped


def _demand_ranks(text: str) -> dict[int, int]:
    """Demand pk → its rank for this text in the demands index (to name an enterprise's closest demand)."""
    searcher = indexes.searcher("demands")
    hits = searcher.search(text, top=CANDIDATES * 4) if searcher is not None else []
    return {record_pk(h.id): rank for rank, h in enumerate(hits)}


def _relevance(scores: list[float]) -> list[float]:
    """The engine's scores scaled to 0..1 between the weakest and the best candidate."""
    if not scores:
        return []
    best, low = max(scores), min(scores)
    return [(s - low) / (best - low) if best > low else 1.0 for s in scores]


def _combined(text_score: float, fit: float) -> float:
    return DIRECTORY_TEXT_WEIGHT * text_score + (1 - DIRECTORY_TEXT_WEIGHT) * fit


def _field_fit(
    record: Achievement | Demand, fields: list[TechField], whose: str, empty: str
) -> tuple[float, str]:
    """How the candidate's fields meet the record's field: the same field, the same area, or neither."""
    side = "需求" if isinstance(record, Demand) else "成果"
    target = record.field
    if not fields:
        return 0.0, empty
    if any(f.pk == target.pk for f in fields):
        return FIT_SAME_FIELD, f"{whose}与{side}领域一致（{target.name}）"
    area = target.parent_id or target.pk
    if any((f.parent_id or f.pk) == area for f in fields):
        top = target.parent.name if target.parent_id else target.name
        return FIT_SAME_AREA, f"{whose}与{side}同属{top}"
    names = "、".join(dict.fromkeys(f.name for f in fields))
    return 0.0, f"{whose}（{names}）与{side}领域（{target.name}）不同"


def _person_terms(record: Any, text: str, profile: Any) -> tuple[str, ...]:
    own = "。".join([profile.specialties, profile.bio, *field_names(list(profile.specialty_fields.all()))])
    phrases = split_keywords(profile.specialties) + [f.name for f in profile.specialty_fields.all()]
    return shared_terms(record.keyword_list, own, phrases, text)


def _enterprise_terms(
    achievement: Achievement, text: str, organisation: Any, demands: list[Demand]
) -> tuple[str, ...]:
    document = enterprise_document(organisation, demands)  # only the demands this user may see
    theirs = "。".join([document.text, *document.keywords])
    phrases = [k for d in demands for k in d.keyword_list] + [
        clause for d in demands for clause in re.split(r"[，,、；;：:（）()\s]+", d.title) if clause
    ]
    return shared_terms(achievement.keyword_list, theirs, phrases, text)


def shared_terms(
    keywords: list[str], their_text: str, their_phrases: list[str], our_text: str
) -> tuple[str, ...]:
    """Words both sides use, as a person reads them: our keywords found in their text, and of each of their
    phrases the longest part found in our text (a part of two characters only at the phrase's start or end,
    so it is a word rather than a fragment). Broad words and words inside a longer found word are left out."""
    found = [k for k in keywords if k in their_text]
    found += [_longest_part(p, our_text) for p in their_phrases]
    kept = [t for t in dict.fromkeys(found) if len(t) > 1 and t not in GENERIC_TERMS and t not in BROAD_TERMS]
    return tuple(t for t in kept if not any(t != o and t in o for o in kept))[:MAX_TERMS]


def _longest_part(phrase: str, text: str) -> str:
    for size in range(len(phrase), 1, -1):
        starts = range(len(phrase) - size + 1) if size > 2 else {0, len(phrase) - 2}
        for start in starts:
            part = phrase[start : start + size]
            if part in text and WORDLIKE.match(part) and not {part[0], part[-1]} & FUNCTION_CHARS:
                return part
    return ""
