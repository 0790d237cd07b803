"""Query processing and ranking: BM25 over weighted terms, pseudo-relevance feedback, latent fusion.

A search runs in four steps:

1. the query's tokens are weighted by their count and scored with BM25 (first pass);
2. RM3-style pseudo-relevance feedback: the top `fb_docs` documents (weighted by a softmax of their
   scores) vote for their most probable terms, weighted by IDF; the expanded query mixes the original
   (1 - `fb_weight`) with the feedback terms (`fb_weight`) and is scored again;
3. the `candidates` best documents by text (the expanded query's standardised score, plus
   `original_weight` times the first pass's) go on to fusion; in a collection no larger than
   `candidates` that is every document;
4. latent fusion: the softmax-weighted centroid of the LSA vectors of the `latent_docs` candidates
   with the best expanded-query scores is compared with each candidate's; both signals are
   standardised (z-scores over the whole collection: the latent scores' mean and spread come from the
   index's mean vector and covariance) and mixed by `latent_weight`, and `original_weight` times the
   standardised first-pass score is added so the query's own words keep a say;
5. with a dense model (techmatch.dense, optional: the index built with the same encoder), the
   candidates' cosine similarity to the query's vector, standardised the same way, weighted
   `dense_weight`.

An exact-match safeguard keeps the first pass's best document first when the original query matches it
clearly better than any other (its score at least `pin_ratio` times the runner-up's): feedback and
latent similarity then order the rest. This keeps known-item lookups (a title, a keyword list) exact
while topical requests gain from expansion.

Every step touches each document at most a few times in compiled code (postings accumulation, one
partial sort per selection, no full sort), which keeps a match fast on a million documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from techmatch.dense import Encoder
from techmatch.index import Index, InvalidIndexError

__all__ = ["Backend", "Candidates", "Hit", "Query", "Ranking", "SearchParams", "Searcher", "search", "top_k"]

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


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
    candidates: int = 1000
    dense_weight: float = 0.3


@dataclass(frozen=True)
class Query:
    """The processed query: its weighted terms before and after feedback."""

    terms: tuple[tuple[str, float], ...]
    expanded: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Hit:
    """One ranked document: id, row in the index, rank (1-based), fused score and its two parts.

    `terms` are the document's tokens when the backend returns them with the hit (techmatch.milvus);
    None when they are read from the index's forward arrays (the engine's own Searcher)."""

    id: str
    rank: int
    score: float
    lexical: float
    latent: float
    row: int = -1
    terms: frozenset[str] | None = None


@dataclass(frozen=True)
class Candidates:
    """A query's best documents (best first) and the query's tokens, which explanations look for in them."""

    hits: list[Hit]
    tokens: tuple[str, ...]


class Backend(Protocol):
    """What the platform asks of a search backend: the engine's own `Searcher`, or
    `techmatch.milvus.MilvusSearcher`. `index` is the engine's index, None for a backend without one (its
    hits then carry their documents' `terms`)."""

    @property
    def index(self) -> Index | None: ...

    def candidates(self, text: str, top: int, exclude: frozenset[str] = frozenset()) -> Candidates: ...

    def search(self, text: str, top: int = 10, exclude: frozenset[str] = frozenset()) -> list[Hit]: ...


@dataclass(frozen=True)
class Ranking:
    """A query's candidates (rows) with their fused score and its parts, and the query's terms."""

    rows: I64
    fused: F64
    lexical: F64
    latent: F64
    original: dict[int, float]
    expanded: dict[int, float]
    tokens: tuple[str, ...]


def top_k(scores: npt.NDArray[np.floating], k: int) -> I64:
    """The rows of the `k` highest scores, best first, ties by row: the first `k` of a stable
    descending sort, found with one partial sort."""
    n = len(scores)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if k >= n:
        return np.argsort(-scores, kind="stable").astype(np.int64)
    kth = np.partition(scores, n - k)[n - k]
    above = np.flatnonzero(scores > kth)
    ties = np.flatnonzero(scores == kth)[: k - len(above)]
    chosen = np.concatenate([above, ties])
    ordered: I64 = chosen[np.lexsort((chosen, -scores[chosen]))].astype(np.int64)
    return ordered


def _moments(scores: F32) -> tuple[float, float]:
    """Mean and standard deviation over the whole collection (0 spread → 1, so z-scores stay 0)."""
    n = len(scores)
    mean = float(scores.sum(dtype=np.float64)) / n
    square = float(np.square(scores, dtype=np.float64).sum()) / n
    std = float(np.sqrt(max(square - mean * mean, 0.0)))
    return mean, (std if std > 1e-12 else 1.0)


def _accumulate_numpy(scores: F32, pointers: I32, docs: I32, values: F32, weights: F32) -> None:
    for k in range(len(weights)):
        start, end = pointers[2 * k], pointers[2 * k + 1]
        scores[docs[start:end]] += weights[k] * values[start:end]


def _accumulate_scipy(scores: F32, pointers: I32, docs: I32, values: F32, weights: F32) -> None:
    # each posting list as a one-column CSC matrix (its two pointers into the whole postings arrays,
    # no copy) times its weight, added to `scores` by scipy's compiled sparse matrix-vector kernel:
    # three times faster than NumPy's scatter-add
    n = len(scores)
    for k in range(len(weights)):
        _sparsetools.csc_matvec(n, 1, pointers[2 * k : 2 * k + 2], docs, values, weights[k : k + 1], scores)


try:  # scipy's compiled kernel is not public API: tests check it against the NumPy form
    from scipy.sparse import _sparsetools

    accumulate = _accumulate_scipy
except ImportError:  # pragma: no cover
    accumulate = _accumulate_numpy


def _similarity_z(vectors: F32, rows: I64, towards: F64, mean: F64, cov: F64) -> F64:
    """The rows' cosine with the direction `towards`, as z-scores over the whole collection: the
    similarity's mean and spread over every row follow from the rows' mean vector and covariance
    (Index.moments), so only the candidates' vectors are read. Zeros when there is no direction."""
    norm = float(np.linalg.norm(towards))
    if norm == 0:
        return np.zeros(len(rows))
    direction = towards / norm
    spread = float(np.sqrt(max(float(direction @ cov @ direction), 0.0)))
    if spread <= 1e-12:
        return np.zeros(len(rows))
    z: F64 = (vectors[rows].astype(np.float64) @ direction - float(mean @ direction)) / spread
    return z


def _softmax_weights(scores: F64, temperature: float) -> F64:
    top = float(scores.max())
    if top <= 0 or temperature <= 0:
        return np.full(len(scores), 1.0 / max(len(scores), 1))
    weights: F64 = np.exp((scores - top) / (temperature * top))
    normalised: F64 = weights / weights.sum()
    return normalised


class Searcher:
    """Runs queries against one `Index` with one set of `SearchParams`."""

    def __init__(
        self, index: Index, params: SearchParams | None = None, encoder: Encoder | None = None
    ) -> None:
        self.index = index
        self.params = params or SearchParams()
        if encoder is not None and index.dense_model is None:
            encoder = None  # an index built without dense vectors: text and latent signals only
        if encoder is not None and encoder.name != index.dense_model:
            raise InvalidIndexError(
                f"索引的稠密向量由模型 {index.dense_model!r} 生成，当前模型是 {encoder.name!r}：请重建索引"
            )
        self.encoder = encoder

    def bm25(self, weights: Mapping[int, float], into: F32 | None = None) -> F32:
        """BM25 scores of every document for a query of weighted term ids (added to `into` if given)."""
        ix = self.index
        scores = np.zeros(len(ix), dtype=np.float32) if into is None else into
        terms = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        # per term k, its postings run from pointers[2k] to pointers[2k + 1] (the kernel wants one integer type)
        pointers = np.empty(2 * len(terms), dtype=ix.postings_docs.dtype)
        pointers[0::2], pointers[1::2] = ix.postings_indptr[terms], ix.postings_indptr[terms + 1]
        values = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        accumulate(scores, pointers, ix.postings_docs, ix.postings_scores, values)
        return scores

    def tokens(self, text: str) -> list[str]:
        """The query's tokens (the index's tokenizer)."""
        return self.index.tokenizer.tokens(text)

    def term_weights(self, tokens: list[str]) -> dict[int, float]:
        """The query's known terms with their counts."""
        vocab = self.index.vocab
        counts = Counter(vocab[tok] for tok in tokens if tok in vocab)
        return {term: float(count) for term, count in counts.items()}

    def feedback(self, original: dict[int, float], first: F32, top: I64) -> dict[int, float]:
        """RM3's feedback part: the IDF-weighted terms of the top documents, weighted `fb_weight` in all.
        The expanded query is the original scaled by (1 - `fb_weight`) / its total weight plus this
        (see `expand`); empty when there is no feedback."""
        p = self.params
        ix = self.index
        if p.fb_docs <= 0 or p.fb_weight <= 0 or not original:
            return {}
        top = top[: p.fb_docs]
        top = top[first[top] > 0]
        if len(top) == 0:
            return {}
        doc_weights = _softmax_weights(first[top].astype(np.float64), p.fb_temperature)
        starts, ends = ix.forward_indptr[top], ix.forward_indptr[top + 1]
        terms = np.concatenate([ix.forward_terms[s:e] for s, e in zip(starts, ends, strict=True)])
        shares = np.concatenate(
            [
                ix.forward_counts[s:e] * (w / max(float(ix.lengths[row]), 1e-9))
                for s, e, w, row in zip(starts, ends, doc_weights, top, strict=True)
            ]
        )
        candidates, inverse = np.unique(terms, return_inverse=True)
        model = np.bincount(inverse, weights=shares)
        kept = model > 0  # a document far below the best can weigh nothing at all
        candidates, model = candidates[kept], model[kept]
        relevance = model * ix.idf[candidates]
        # ties (common: rare terms of the same document) are broken by the term itself, not its number
        order = np.lexsort((ix.term_rank[candidates], -relevance))[: p.fb_terms]
        chosen = candidates[order]
        chosen_weights = relevance[order]
        total_fb = float(chosen_weights.sum()) or 1.0
        return {
            term: p.fb_weight * weight / total_fb
            for term, weight in zip(chosen.tolist(), chosen_weights.tolist(), strict=True)
        }

    def original_share(self, original: dict[int, float]) -> float:
        """The factor of the original query's weights in the expanded query."""
        return (1 - self.params.fb_weight) / sum(original.values())

    def expand(self, original: dict[int, float], feedback: dict[int, float]) -> dict[int, float]:
        """The expanded query: the original scaled by `original_share` plus the feedback terms."""
        if not feedback:
            return original
        share = self.original_share(original)
        mixed = {t: share * w for t, w in original.items()}
        for term, weight in feedback.items():
            mixed[term] = mixed.get(term, 0.0) + weight
        return mixed

    def rank(self, text: str) -> Ranking:
        """The candidates of `text` with their fused scores and parts (see the module docstring)."""
        p = self.params
        ix = self.index
        tokens = tuple(self.tokens(text))
        original = self.term_weights(list(tokens))
        empty = np.zeros(0)
        if not original:
            return Ranking(np.zeros(0, dtype=np.int64), empty, empty, empty, original, original, tokens)
        first = self.bm25(original)
        best_first = top_k(first, max(p.fb_docs, 2))
        feedback = self.feedback(original, first, best_first)
        expanded = self.expand(original, feedback)
        with_feedback = bool(feedback)
        # BM25 is linear in the query's weights: the expanded query's scores are the first pass's,
        # scaled, plus the feedback terms' (the original terms' postings are not read twice)
        lexical = self.bm25(feedback, into=self.original_share(original) * first) if with_feedback else first
        lex_mean, lex_std = _moments(lexical)
        weight = p.latent_weight if ix.latent.shape[1] > 0 else 0.0
        text_score = (1 - weight) / lex_std * lexical
        if p.original_weight > 0 and with_feedback:
            first_mean, first_std = _moments(first)
            text_score += (p.original_weight / first_std) * first
        rows = top_k(text_score, max(p.candidates, p.latent_docs))
        lexical_z = (lexical[rows].astype(np.float64) - lex_mean) / lex_std
        fused = (1 - weight) * lexical_z
        if p.original_weight > 0 and with_feedback:
            fused += p.original_weight * (first[rows].astype(np.float64) - first_mean) / first_std
        latent_z = np.zeros(len(rows))
        if weight > 0:
            lexical_rows = lexical[rows]
            best = top_k(lexical_rows, p.latent_docs)
            centroid = _softmax_weights(lexical_rows[best].astype(np.float64), p.fb_temperature) @ ix.latent[
                rows[best]
            ].astype(np.float64)
            latent_z = _similarity_z(ix.latent, rows, centroid, ix.latent_mean, ix.latent_cov)
            fused = fused + weight * latent_z
        if self.encoder is not None and p.dense_weight > 0:
            fused = fused + p.dense_weight * self._dense_z(text, rows)
        if p.pin_ratio > 0 and len(best_first) > 0:
            best, runner_up = best_first[0], (float(first[best_first[1]]) if len(best_first) > 1 else 0.0)
            if first[best] > 0 and first[best] >= p.pin_ratio * runner_up:
                where = np.flatnonzero(rows == best)
                if len(where) == 0:
                    rows = np.append(rows, best)
                    fused, lexical_z, latent_z = (np.append(a, 0.0) for a in (fused, lexical_z, latent_z))
                    where = np.array([len(rows) - 1])
                fused[where[0]] = float(fused.max()) + 1.0
        return Ranking(rows, fused, lexical_z, latent_z, original, expanded, tokens)

    def _dense_z(self, text: str, rows: I64) -> F64:
        """The candidates' dense similarity to the query, as z-scores over the whole collection."""
        assert self.encoder is not None
        query = self.encoder.encode([text])[0].astype(np.float64)
        return _similarity_z(self.index.arrays["dense"], rows, query, *self.index.dense_moments)

    def query(self, text: str) -> Query:
        """The weighted terms of `text` before and after feedback (for explanations)."""
        ranking = self.rank(text)
        terms = self.index.terms
        top = sorted(ranking.expanded.items(), key=lambda item: -item[1])
        return Query(
            terms=tuple((terms[t], w) for t, w in ranking.original.items()),
            expanded=tuple((terms[t], w) for t, w in top),
        )

    def hits(self, ranking: Ranking, top: int = 10, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """The best `top` documents of a ranking, best first, leaving out the ids in `exclude`."""
        ix = self.index
        order = top_k(ranking.fused, min(len(ranking.rows), top + len(exclude)))
        hits: list[Hit] = []
        for at in order.tolist():
            row = int(ranking.rows[at])
            doc_id = ix.ids[row]
            if doc_id in exclude:
                continue
            hits.append(
                Hit(
                    id=doc_id,
                    rank=len(hits) + 1,
                    score=float(ranking.fused[at]),
                    lexical=float(ranking.lexical[at]),
                    latent=float(ranking.latent[at]),
                    row=row,
                )
            )
            if len(hits) == top:
                break
        return hits

    def search(self, text: str, top: int = 10, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """The best `top` documents for `text`, best first, leaving out the ids in `exclude`."""
        return self.hits(self.rank(text), top, exclude)

    def candidates(self, text: str, top: int, exclude: frozenset[str] = frozenset()) -> Candidates:
        """`search` with the query's tokens (for explanations: techmatch.explain)."""
        ranking = self.rank(text)
        return Candidates(self.hits(ranking, top, exclude), ranking.tokens)


def search(index: Index, text: str, top: int = 10, params: SearchParams | None = None) -> list[Hit]:
    """Shortcut: `Searcher(index, params).search(text, top)`."""
    return Searcher(index, params).search(text, top)
