"""A full match explained: text relevance, structured fit and the words the two records share.

`explain` turns the engine's ranked hits into what a person reads: each hit's text relevance (its fused
score scaled between the best and the last candidate), its structured fit (techmatch.fit), the
combined score (TEXT_WEIGHT × relevance + FIT_WEIGHT × fit), the query's words the document contains
(from the index's forward index: no second tokenizing) and the factors that do not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from techmatch.fit import DEFAULT_WEIGHTS, Factor, structured_score
from techmatch.index import Index
from techmatch.search import Hit

__all__ = [
    "FIT_WEIGHT",
    "GENERIC_TERMS",
    "TEXT_WEIGHT",
    "Explanation",
    "explain",
    "hit_terms",
    "matched_terms",
]

TEXT_WEIGHT, FIT_WEIGHT = 0.7, 0.3
# Words too general to explain a match; the engine still ranks with them, the reasons leave them out.
GENERIC_TERMS = frozenset(
    "研究 方法 技术 分析 应用 影响 问题 系统 提高 进行 采用 结果 表明 实验 试验 条件 工艺 测定 设计 基于 一种 "
    "我们 公司 希望 需要 寻求 目前 能够 可以 通过 实现 处理 效果 作用 特性 性能 情况 发展 建立 利用".split()
)
MAX_TERMS = 12


@dataclass(frozen=True)
class Explanation:
    """One explained match: the hit, its scores (0..1), the structured factors, the shared words."""

    hit: Hit
    score: float
    text_score: float
    fit_score: float
    factors: tuple[Factor, ...]
    terms: tuple[str, ...]

    @property
    def misfits(self) -> tuple[Factor, ...]:
        """The factors that do not fit ("TRL 4，低于要求的 6")."""
        return tuple(f for f in self.factors if not f.fits)


def matched_terms(
    index: Index, row: int, query_tokens: Sequence[str], skip: frozenset[str] = GENERIC_TERMS
) -> tuple[str, ...]:
    """The query's words (in query order, once each) that the document in `row` contains."""
    vocab = index.vocab
    own = set(index.doc_terms(row).tolist())
    found = (
        t for t in dict.fromkeys(query_tokens) if len(t) > 1 and t not in skip and vocab.get(t, -1) in own
    )
    return tuple(found)[:MAX_TERMS]


def hit_terms(
    index: Index | None, hit: Hit, query_tokens: Sequence[str], skip: frozenset[str] = GENERIC_TERMS
) -> tuple[str, ...]:
    """`matched_terms` of a hit: from the tokens it carries (a backend without the engine's index,
    techmatch.milvus), else from the index's forward arrays."""
    if hit.terms is not None:
        own = hit.terms
        return tuple(t for t in dict.fromkeys(query_tokens) if len(t) > 1 and t not in skip and t in own)[
            :MAX_TERMS
        ]
    if index is None:
        return ()
    return matched_terms(index, hit.row if hit.row >= 0 else index.position[hit.id], query_tokens, skip)


def explain(
    index: Index | None,
    hits: Sequence[Hit],
    query_tokens: Sequence[str],
    factors_of: Callable[[Hit], tuple[Factor, ...] | None],
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> list[Explanation]:
    """The hits explained and ordered by combined score; `factors_of` gives a hit's structured factors,
    or None to leave the hit out (a record the reader may not see). `index` is None for hits of a backend
    that carries its documents' terms (`hit_terms`). Relevance is scaled over all `hits`
    given, so pass the same candidates whatever is shown."""
    if not hits:
        return []
    best, low = hits[0].score, hits[-1].score
    spread = (best - low) or 1.0
    out = []
    for hit in hits:
        factors = factors_of(hit)
        if factors is None:
            continue
        relevance = (hit.score - low) / spread
        fit = structured_score(factors, weights)
        terms = hit_terms(index, hit, query_tokens)
        out.append(
            Explanation(hit, TEXT_WEIGHT * relevance + FIT_WEIGHT * fit, relevance, fit, factors, terms)
        )
    out.sort(key=lambda e: -e.score)
    return out
