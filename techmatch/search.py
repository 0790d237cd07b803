"""Query processing and ranking: BM25 over weighted terms, pseudo-relevance feedback, latent fusion.

A search runs in three steps:

1. the query's tokens are weighted by their count and scored with BM25 (first pass);
2. RM3-style pseudo-relevance feedback: the top `fb_docs` documents (weighted by a softmax of their
   scores) vote for their most probable terms, weighted by IDF; the expanded query mixes the original
   (1 - `fb_weight`) with the feedback terms (`fb_weight`) and is scored again;
3. latent fusion: the softmax-weighted centroid of the top `latent_docs` documents' LSA vectors is
   compared with every document's; both signals are standardised (z-scores) and mixed by
   `latent_weight`, and `original_weight` times the standardised first-pass score is added so the
   query's own words keep a say.

An exact-match safeguard keeps the first pass's best document first when the original query matches it
clearly better than any other (its score at least `pin_ratio` times the runner-up's): feedback and
latent similarity then order the rest. This keeps known-item lookups (a title, a keyword list) exact
while topical requests gain from expansion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from techmatch.index import Index

__all__ = ["Hit", "Query", "SearchParams", "Searcher", "search"]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SearchParams:
    """How queries are run (see the module docstring); all defaults are the evaluated settings."""

    fb_docs: int = 30
    fb_terms: int = 100
    fb_weight: float = 0.7
    fb_temperature: float = 0.2
    latent_docs: int = 10
    latent_weight: float = 0.7
    original_weight: float = 0.2
    pin_ratio: float = 1.25


@dataclass(frozen=True)
class Query:
    """The processed query: its weighted terms before and after feedback."""

    terms: tuple[tuple[str, float], ...]
    expanded: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Hit:
    """One ranked document: id, rank (1-based), fused score and its two parts (z-scores)."""

    id: str
    rank: int
    score: float
    lexical: float
    latent: float


def _zscore(scores: F64) -> F64:
    std = float(scores.std())
    return (scores - scores.mean()) / std if std > 0 else np.zeros_like(scores)


def _softmax_weights(scores: F64, temperature: float) -> F64:
    top = float(scores.max())
    if top <= 0 or temperature <= 0:
        return np.full(len(scores), 1.0 / max(len(scores), 1))
    weights: F64 = np.exp((scores - top) / (temperature * top))
    normalised: F64 = weights / weights.sum()
    return normalised


class Searcher:
    """Runs queries against one `Index` with one set of `SearchParams`."""

    def __init__(self, index: Index, params: SearchParams | None = None) -> None:
        self.index = index
        self.params = params or SearchParams()

    def bm25(self, weights: Mapping[int, float]) -> F64:
        """BM25 scores of every document for a query of weighted term ids."""
        ix = self.index
        scores = np.zeros(len(ix), dtype=np.float64)
        for term, weight in weights.items():
            start, end = ix.indptr[term], ix.indptr[term + 1]
            scores[ix.indices[start:end]] += weight * ix.data[start:end]
        return scores

    def term_weights(self, text: str) -> dict[int, float]:
        """The query's known terms with their counts."""
        vocab = self.index.vocab
        counts = Counter(vocab[tok] for tok in self.index.tokenizer.tokens(text) if tok in vocab)
        return {term: float(count) for term, count in counts.items()}

    def feedback(self, original: dict[int, float], first: F64) -> dict[int, float]:
        """RM3: the original query interpolated with the IDF-weighted terms of the top documents."""
        p = self.params
        ix = self.index
        if p.fb_docs <= 0 or p.fb_weight <= 0 or not original:
            return original
        top = np.argsort(-first, kind="stable")[: p.fb_docs]
        top = top[first[top] > 0]
        if len(top) == 0:
            return original
        doc_weights = _softmax_weights(first[top], p.fb_temperature)
        rows = ix.forward[top]
        lengths = np.asarray(rows.sum(axis=1)).ravel() + 1e-9
        model = np.asarray(rows.multiply((doc_weights / lengths)[:, None]).sum(axis=0)).ravel()
        candidates = np.flatnonzero(model)
        relevance = model[candidates] * ix.idf[candidates]
        # ties (common: rare terms of the same document) are broken by the term itself, not its number
        order = np.lexsort((ix.term_rank[candidates], -relevance))
        chosen = candidates[order[: p.fb_terms]]
        chosen_weights = model[chosen] * ix.idf[chosen]
        total_fb = float(chosen_weights.sum()) or 1.0
        total_q = sum(original.values())
        mixed: dict[int, float] = {t: (1 - p.fb_weight) * w / total_q for t, w in original.items()}
        for term, weight in zip(chosen.tolist(), chosen_weights.tolist(), strict=True):
            mixed[term] = mixed.get(term, 0.0) + p.fb_weight * weight / total_fb
        return mixed

    def scores(self, text: str) -> tuple[F64, F64, F64, dict[int, float], dict[int, float]]:
        """Fused scores of every document and their parts, with the original and expanded terms."""
        p = self.params
        ix = self.index
        original = self.term_weights(text)
        first = self.bm25(original)
        expanded = self.feedback(original, first)
        lexical = self.bm25(expanded) if expanded is not original else first
        lexical_z = _zscore(lexical)
        latent_z = np.zeros_like(lexical)
        weight = p.latent_weight if ix.latent.shape[1] > 0 and original else 0.0
        if weight > 0:
            top = np.argsort(-lexical, kind="stable")[: p.latent_docs]
            centroid = _softmax_weights(lexical[top], p.fb_temperature) @ ix.latent[top]
            norm = float(np.linalg.norm(centroid))
            if norm > 0:
                latent_z = _zscore((ix.latent @ (centroid / norm)).astype(np.float64))
        fused = (1 - weight) * lexical_z + weight * latent_z
        if p.original_weight > 0 and expanded is not original:
            fused = fused + p.original_weight * _zscore(first)
        if p.pin_ratio > 0 and original:
            best2 = np.argsort(-first, kind="stable")[:2]
            runner_up = float(first[best2[1]]) if len(best2) > 1 else 0.0
            if first[best2[0]] > 0 and first[best2[0]] >= p.pin_ratio * runner_up:
                fused[best2[0]] = float(fused.max()) + 1.0
        return fused, lexical_z, latent_z, original, expanded

    def query(self, text: str) -> Query:
        """The weighted terms of `text` before and after feedback (for explanations)."""
        _fused, _lex, _lat, original, expanded = self.scores(text)
        terms = self.index.terms
        top = sorted(expanded.items(), key=lambda item: -item[1])
        return Query(
            terms=tuple((terms[t], w) for t, w in original.items()),
            expanded=tuple((terms[t], w) for t, w in top),
        )

    def search(self, text: str, top: int = 10, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """The best `top` documents for `text`, best first, leaving out the ids in `exclude`."""
        fused, lexical_z, latent_z, original, _expanded = self.scores(text)
        if not original:
            return []
        ix = self.index
        want = min(len(ix), top + len(exclude))
        if want <= 0:
            return []
        part = np.argpartition(-fused, want - 1)[:want]
        order = part[np.lexsort((part, -fused[part]))]
        hits: list[Hit] = []
        for pos in order.tolist():
            doc_id = ix.ids[pos]
            if doc_id in exclude:
                continue
            hits.append(
                Hit(
                    id=doc_id,
                    rank=len(hits) + 1,
                    score=float(fused[pos]),
                    lexical=float(lexical_z[pos]),
                    latent=float(latent_z[pos]),
                )
            )
            if len(hits) == top:
                break
        return hits


def search(index: Index, text: str, top: int = 10, params: SearchParams | None = None) -> list[Hit]:
    """Shortcut: `Searcher(index, params).search(text, top)`."""
    return Searcher(index, params).search(text, top)
