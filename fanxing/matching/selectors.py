"""Matches, both ways, with their reasons: text relevance from the engine, structured fit, matched terms.

The engine ranks by text (techmatch.search); each candidate the user may see is then scored on its
structured fit (techmatch.fit) and the two are combined: 0.7 × text relevance (the engine's score
scaled to the best candidate) + 0.3 × structured fit.
"""

from dataclasses import dataclass, replace
from typing import Any

from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement
from fanxing.achievements.selectors import achievement_list
from fanxing.demands.models import Demand
from fanxing.demands.selectors import demand_list
from fanxing.matching import indexes
from fanxing.matching.bridge import attributes, doc_id, labels, query_text, record_pk
from fanxing.matching.models import FactorWeights, MatchFeedback
from techmatch.fit import DEFAULT_WEIGHTS, Factor, compatibility, structured_score

TEXT_WEIGHT, FIT_WEIGHT = 0.7, 0.3
# Words too general to explain a match; the engine still ranks with them, the reasons leave them out.
GENERIC_TERMS = frozenset(
    "研究 方法 技术 分析 应用 影响 问题 系统 提高 进行 采用 结果 表明 实验 试验 条件 工艺 测定 设计 基于 一种 "
    "我们 公司 希望 需要 寻求 目前 能够 可以 通过 实现 处理 效果 作用 特性 性能 情况 发展 建立 利用".split()
)
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
    text = query_text(source)
    hits = searcher.search(text, top=CANDIDATES, exclude=frozenset({doc_id(source)}))
    if not hits:
        return []
    records = visible.filter(pk__in=[record_pk(h.id) for h in hits]).select_related("organisation__region")
    by_pk = {r.pk: r for r in records}
    best, low = hits[0].score, hits[-1].score
    spread = (best - low) or 1.0
    query_terms = list(dict.fromkeys(searcher.index.tokenizer.tokens(text)))  # no second ranking
    names = labels()
    source_attrs = attributes(source)
    weights = factor_weights()
    matches = []
    for hit in hits:
        record = by_pk.get(record_pk(hit.id))
        if record is None:  # not visible to this user, or changed since the index was built
            continue
        wanted, offered = (
            (source_attrs, attributes(record)) if demand_side else (attributes(record), source_attrs)
        )
        factors = compatibility(wanted, offered, names)
        fit = structured_score(factors, weights)
        relevance = (hit.score - low) / spread
        matches.append(Match(record, TEXT_WEIGHT * relevance + FIT_WEIGHT * fit, relevance, fit, factors, ()))
    matches.sort(key=lambda m: -m.score)
    # the matched terms only for what is shown: tokenizing every candidate costs more than ranking them
    return [replace(m, terms=_terms_in(m.record, query_terms, searcher)) for m in matches[:top]]


def _terms_in(record: Any, query_terms: list[str], searcher: Any) -> tuple[str, ...]:
    own = set(searcher.index.tokenizer.tokens(query_text(record)))
    return tuple(dict.fromkeys(t for t in query_terms if t in own and len(t) > 1 and t not in GENERIC_TERMS))[
        :12
    ]


@dataclass(frozen=True)
class Found:
    """A search result: the record, its rank score and the query terms it contains."""

    record: Any
    score: float
    terms: tuple[str, ...]


def search(user: AnyUser, text: str, top: int = 20) -> dict[str, list[Found]]:
    """One search box over both libraries: each library's index ranks, the user's visibility filters."""
    results: dict[str, list[Found]] = {}
    for library, visible in (("achievements", achievement_list(user)), ("demands", demand_list(user))):
        searcher = indexes.searcher(library)
        if searcher is None or not text.strip():
            results[library] = []
            continue
        hits = searcher.search(text, top=top * 2)
        by_pk = {r.pk: r for r in visible.filter(pk__in=[record_pk(h.id) for h in hits])}
        terms = list(dict.fromkeys(searcher.index.tokenizer.tokens(text)))
        found = [
            Found(by_pk[record_pk(h.id)], h.score, _terms_in(by_pk[record_pk(h.id)], terms, searcher))
            for h in hits
            if record_pk(h.id) in by_pk
        ]
        results[library] = found[:top]
    return results


@dataclass(frozen=True)
class Prospect:
    """An enterprise likely to need an achievement: its matching demands and the best match's score."""

    organisation: Any
    score: float
    demands: tuple[Any, ...]


def enterprises_for_achievement(matches: list[Match] | None, top: int = 5) -> list[Prospect]:
    """The enterprises behind an achievement's matching demands, best first."""
    grouped: dict[int, list[Match]] = {}
    for m in matches or []:
        grouped.setdefault(m.record.organisation_id, []).append(m)
    prospects = [
        Prospect(ms[0].record.organisation, max(m.score for m in ms), tuple(m.record for m in ms))
        for ms in grouped.values()
    ]
    return sorted(prospects, key=lambda p: -p.score)[:top]
