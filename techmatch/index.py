"""The on-disk index: BM25 postings, a forward index for feedback and explanations, latent vectors.

An index is built from `Document`s and saved to a folder of NumPy arrays with a `manifest.json`
(format, version, counts, parameters); `load` maps the large arrays from disk read-only, so the web
processes of one machine share one copy in the page cache. Each build gets a new version string so
processes can tell when a newer index is available.

The build streams: documents are tokenized in chunks (in `workers` processes when asked), each chunk's
tokens become term ids at once, so a million documents never exist as Python token lists. Scores are
BM25 as bm25s computes it by default (Lucene's variant: idf = ln(1 + (N − df + 0.5)/(df + 0.5)),
tf part = tf / (tf + k1·(1 − b + b·dl/avgdl))), stored per posting. The latent (LSA) vectors come from
a randomized truncated SVD of the log-tf-idf matrix fitted on at most `latent_sample` documents spread
evenly over the collection; every document is then projected onto the fitted term basis.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from techmatch.dense import Encoder, InvalidVectorsError, load_vectors, save_vectors
from techmatch.tokenize import Remembered, Tokenizer, default_tokenizer

__all__ = ["FORMAT", "Document", "Index", "IndexParams", "InvalidIndexError", "new_version"]

FORMAT = "techmatch-index/2"
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
CHUNK = 20_000  # documents per tokenizing task
# arrays saved as <name>.npy and mapped read-only on load
ARRAYS = (
    "postings_indptr",
    "postings_docs",
    "postings_scores",
    "forward_indptr",
    "forward_terms",
    "forward_counts",
    "lengths",
    "idf",
    "term_rank",
    "latent",
    "latent_mean",
    "latent_cov",
)


class InvalidIndexError(Exception):
    """An index folder is missing, incomplete or of another format."""


@dataclass(frozen=True)
class Document:
    """One document to index: its id, title and body text (keywords, if any, count as text)."""

    id: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexParams:
    """How an index is built.

    `k1` and `b` are BM25's; `title_weight` repeats title tokens (field weighting); `latent_dims` is
    the rank of the latent (LSA) document vectors, 0 for none; `latent_iterations` the power iterations
    of their randomized SVD (more: closer to the exact SVD); `latent_sample` how many documents at most
    the SVD is fitted on.
    """

    k1: float = 1.5
    b: float = 0.75
    title_weight: int = 1
    latent_dims: int = 64
    latent_iterations: int = 8
    latent_sample: int = 30_000
    seed: int = 20261126


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` records about a saved index."""

    format: str
    version: str
    created: float
    documents: int
    vocabulary: int
    params: IndexParams
    extra: dict[str, Any] = field(default_factory=dict)


# Tokenizing, in this process or in workers --------------------------------------------------------------


class _Numberer:
    """Turns documents into term ids, numbering terms first seen first. It remembers each word of the
    segmentation as the ids of its tokens, so the same word costs one dictionary lookup the next time.
    A build makes one in this process, or one in each worker process (`_worker_setup`)."""

    def __init__(self, tokenizer: Tokenizer, title_weight: int) -> None:
        self.tokenizer = tokenizer
        self.title_weight = title_weight
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.reported = 0  # terms already sent with an earlier chunk
        self.word_ids = Remembered(self._number_word)

    def _number_word(self, word: str) -> tuple[int, ...]:
        vocab, terms = self.vocab, self.terms
        out = []
        for tok in self.tokenizer.word_tokens(word):
            if tok not in vocab:
                vocab[tok] = len(terms)
                terms.append(tok)
            out.append(vocab[tok])
        return tuple(out)

    def ids(self, text: str) -> list[int]:
        return list(chain.from_iterable(map(self.word_ids.__getitem__, self.tokenizer.words(text))))

    def chunk(self, docs: Sequence[Document]) -> tuple[int, list[str], I32, I32]:
        """A chunk's term ids (this numberer's numbering) and lengths, with the terms first seen in it
        and this process's id (the numbering is per process)."""
        ids: list[int] = []
        lengths: list[int] = []
        for doc in docs:
            start = len(ids)
            ids.extend(self.ids(doc.title) * self.title_weight)
            for keyword in doc.keywords:
                ids.extend(self.ids(keyword))
            ids.extend(self.ids(doc.text))
            lengths.append(len(ids) - start)
        new_terms = self.terms[self.reported :]
        self.reported = len(self.terms)
        return os.getpid(), new_terms, np.asarray(ids, dtype=np.int32), np.asarray(lengths, dtype=np.int32)


_worker: dict[str, _Numberer] = {}


def _worker_setup(tokenizer: Tokenizer, title_weight: int) -> None:
    _worker["numberer"] = _Numberer(tokenizer, title_weight)


def _worker_chunk(docs: Sequence[Document]) -> tuple[int, list[str], I32, I32]:
    return _worker["numberer"].chunk(docs)


def _chunks(
    documents: Iterable[Document], ids: list[str], encoder: Encoder | None, vectors: list[F32]
) -> Iterator[list[Document]]:
    """The documents in chunks of CHUNK, their ids appended to `ids` as they pass, and their dense
    vectors to `vectors` when there is an `encoder`."""
    stream = iter(documents)
    while chunk := list(islice(stream, CHUNK)):
        ids.extend(doc.id for doc in chunk)
        if encoder is not None:
            vectors.append(encoder.encode([dense_text(d) for d in chunk]))
        yield chunk


def dense_text(doc: Document) -> str:
    """What a dense model reads of a document: its title and text (the model cuts what is too long)."""
    return f"{doc.title}。{doc.text}"


def _tokenized(
    documents: Iterable[Document],
    ids: list[str],
    tokenizer: Tokenizer,
    title_weight: int,
    workers: int,
    encoder: Encoder | None = None,
    vectors: list[F32] | None = None,
) -> Iterator[tuple[int, list[str], I32, I32]]:
    """Each chunk's term ids (see `_Numberer.chunk`) in order; with `workers` > 1 and more than one
    chunk, numbered in that many processes, a few chunks ahead (memory stays bounded)."""
    chunks = _chunks(documents, ids, encoder, [] if vectors is None else vectors)
    head = next(chunks, None)
    if head is None:
        return
    if workers <= 1 or len(head) < CHUNK:
        numberer = _Numberer(tokenizer, title_weight)
        yield numberer.chunk(head)
        yield from map(numberer.chunk, chunks)
        return
    # spawn, not fork: the caller may be a threaded web process
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_worker_setup, initargs=(tokenizer, title_weight)) as pool:
        pending = deque([pool.apply_async(_worker_chunk, (head,))])
        for chunk in chunks:
            pending.append(pool.apply_async(_worker_chunk, (chunk,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _forward_matrix(
    documents: Iterable[Document],
    ids: list[str],
    tokenizer: Tokenizer,
    title_weight: int,
    workers: int,
    encoder: Encoder | None = None,
    vectors: list[F32] | None = None,
) -> tuple[sp.csr_matrix, I32, dict[str, int]]:
    """Term counts per document (rows: documents, columns: term ids, first seen first), the lengths;
    the documents' ids are appended to `ids`."""
    vocab: dict[str, int] = {}
    pieces: list[tuple[I32, I32]] = []
    to_global: dict[int, I32] = {}  # per numbering process: its term ids → the index's
    numbered = _tokenized(documents, ids, tokenizer, title_weight, workers, encoder, vectors)
    for source, new_terms, local_ids, lengths in numbered:
        added = np.fromiter(
            (vocab.setdefault(t, len(vocab)) for t in new_terms), dtype=np.int32, count=len(new_terms)
        )
        mapping = to_global[source] = np.concatenate([to_global.get(source, np.zeros(0, np.int32)), added])
        pieces.append((mapping[local_ids], lengths))
    if not pieces:
        return sp.csr_matrix((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int32), vocab
    all_lengths = np.concatenate([lengths for _ids, lengths in pieces])
    blocks = []
    while pieces:  # each chunk's token ids become its rows of counts, and are let go at once
        term_ids, lengths = pieces.pop(0)
        rows = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        block = sp.csr_matrix(
            (np.ones(len(term_ids), dtype=np.float32), (rows, term_ids)), shape=(len(lengths), len(vocab))
        )
        del term_ids, rows
        block.sum_duplicates()  # sums repeated terms and sorts each row's terms
        # exact-size copies: summing leaves the arrays at their size before (every token)
        blocks.append((block.indptr, block.indices[: block.nnz].copy(), block.data[: block.nnz].copy()))
        del block
    # the blocks stacked by hand (scipy's vstack holds more temporaries)
    offsets = np.cumsum([0] + [len(block_data) for _ptr, _ind, block_data in blocks])
    indptr = np.concatenate(
        [[0]]
        + [
            ptr[1:].astype(np.int64) + start
            for (ptr, _i, _d), start in zip(blocks, offsets[:-1], strict=True)
        ]
    )
    indices = np.concatenate([ind.astype(np.int32, copy=False) for _ptr, ind, _d in blocks])
    data = np.concatenate([block_data for _ptr, _ind, block_data in blocks])
    del blocks
    forward = sp.csr_matrix((data, indices, indptr), shape=(len(all_lengths), len(vocab)), copy=False)
    return forward, all_lengths, vocab


def _bm25_scores(forward: sp.csr_matrix, lengths: I32, idf: F64, params: IndexParams) -> F32:
    """Each posting's BM25 score (module docstring), computed a block of rows at a time."""
    avgdl = float(lengths.mean()) or 1.0
    scores = np.empty(forward.nnz, dtype=np.float32)
    indptr = forward.indptr
    for start in range(0, forward.shape[0], 100_000):
        stop = min(start + 100_000, forward.shape[0])
        lo, hi = indptr[start], indptr[stop]
        dl = np.repeat(lengths[start:stop].astype(np.float64), np.diff(indptr[start : stop + 1]))
        tf = forward.data[lo:hi].astype(np.float64)
        norm = params.k1 * (1 - params.b + params.b * dl / avgdl)
        scores[lo:hi] = idf[forward.indices[lo:hi]] * tf / (tf + norm)
    return scores


# Latent vectors ------------------------------------------------------------------------------------------


def _log_tfidf(forward: sp.csr_matrix, idf: F32) -> sp.csr_matrix:
    """Rows of (1 + ln tf)·idf scaled to unit length (float64)."""
    x = sp.csr_matrix(forward, dtype=np.float64, copy=True)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()) + 1e-9
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float64)


def _orthonormal(y: F64) -> F64:
    """An orthonormal basis of y's columns: Cholesky QR twice (two small Gram matrices and triangular
    solves, several times faster than Householder QR on a tall matrix), Householder QR when y is
    (nearly) rank deficient."""
    q = y
    try:
        for _ in range(2):
            upper = np.linalg.cholesky(q.T @ q).T
            q = q @ np.linalg.inv(upper)
    except np.linalg.LinAlgError:
        q, _r = np.linalg.qr(y)
    if not np.all(np.isfinite(q)):
        q, _r = np.linalg.qr(y)
    return np.ascontiguousarray(q)


def latent_basis(
    forward: sp.csr_matrix, idf: F32, term_rank: I32, dims: int, seed: int, iterations: int = 8
) -> F64:
    """The `dims` leading right singular vectors of the log-tf-idf matrix (terms × dims), found by a
    randomized SVD. The random test matrix is drawn in the terms' alphabetical order (`term_rank`), so
    the result does not depend on the order in which the vocabulary was numbered."""
    n_docs, n_terms = forward.shape
    # float32 and an explicit transpose in CSR: the sparse products are memory-bound, this is ~5x faster
    x = sp.csr_matrix(_log_tfidf(forward, idf), dtype=np.float32)
    xt = sp.csr_matrix(x.T)
    rng = np.random.default_rng(seed)
    width = min(2 * dims, n_docs, n_terms)
    y = x @ rng.standard_normal((n_terms, width)).astype(np.float32)[term_rank]
    for _ in range(iterations):  # power iterations converge on the leading subspace
        y = x @ (xt @ _orthonormal(y.astype(np.float64)).astype(np.float32))
    q = _orthonormal(y.astype(np.float64)).astype(np.float32)
    small = np.ascontiguousarray((xt @ q).T, dtype=np.float64)  # x ≈ q · small: small's SVD gives x's
    # small = u·s·vt, found from the small Gram matrix (small·smallᵀ = u·s²·uᵀ): vt = uᵀ·small / s
    values, u = np.linalg.eigh(small @ small.T)
    order = np.argsort(values)[::-1][:dims]
    s = np.sqrt(np.maximum(values[order], 1e-30))
    basis: F64 = (small.T @ u[:, order]) / s
    return basis


def latent_vectors(
    forward: sp.csr_matrix, idf: F32, term_rank: I32, params: IndexParams
) -> tuple[F32, F64, F64]:
    """Unit-length LSA vectors of every document, with their mean and covariance (for z-scores)."""
    n_docs, n_terms = forward.shape
    dims = min(params.latent_dims, n_docs - 1, n_terms - 1)
    if dims <= 0:
        return np.zeros((n_docs, 0), dtype=np.float32), np.zeros(0), np.zeros((0, 0))
    sample = forward
    if n_docs > params.latent_sample:
        sample = forward[np.linspace(0, n_docs - 1, params.latent_sample).astype(np.int64)]
    basis = latent_basis(sample, idf, term_rank, dims, params.seed, params.latent_iterations)
    vectors = np.empty((n_docs, dims), dtype=np.float32)
    basis32 = basis.astype(np.float32)
    for start in range(0, n_docs, 100_000):
        block = sp.csr_matrix(_log_tfidf(forward[start : start + 100_000], idf), dtype=np.float32) @ basis32
        block /= np.linalg.norm(block, axis=1, keepdims=True) + 1e-9
        vectors[start : start + len(block)] = block
    return (vectors, *moments(vectors))


def moments(vectors: F32) -> tuple[F64, F64]:
    """Mean vector and covariance of the rows (float64, a block of rows at a time): with them a
    similarity's mean and spread over the whole collection are a dot product away (techmatch.search)."""
    total, products = np.zeros(vectors.shape[1]), np.zeros((vectors.shape[1], vectors.shape[1]))
    for start in range(0, len(vectors), 100_000):
        block = np.asarray(vectors[start : start + 100_000], dtype=np.float64)
        total += block.sum(axis=0)
        products += block.T @ block
    mean = total / max(len(vectors), 1)
    return mean, products / max(len(vectors), 1) - np.outer(mean, mean)


def new_version(at: float | None = None) -> str:
    """A version name that sorts by time (UTC, to the microsecond) and is unique: 20261127T024800.123456-1a2b3c4d."""
    at = time.time() if at is None else at
    micro = int(round(at * 1_000_000)) % 1_000_000
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(at))}.{micro:06d}-{uuid.uuid4().hex[:8]}"


# The index -----------------------------------------------------------------------------------------------


class Index:
    """A searchable index over documents; build with `Index.build`, persist with `save`/`load`.

    `postings_*` hold, per term, the documents containing it (ascending) and their BM25 scores;
    `forward_*`, per document, its term ids (ascending) and counts; `lengths` the documents' token counts.
    """

    def __init__(
        self,
        *,
        ids: list[str],
        terms: list[str],
        arrays: dict[str, Any],
        manifest: Manifest,
        tokenizer: Tokenizer,
    ) -> None:
        self.ids = ids
        self.terms = terms
        self.manifest = manifest
        self.tokenizer = tokenizer
        self.arrays = arrays
        self.postings_indptr: I64 = arrays["postings_indptr"]
        self.postings_docs: I32 = arrays["postings_docs"]
        self.postings_scores: F32 = arrays["postings_scores"]
        self.forward_indptr: I64 = arrays["forward_indptr"]
        self.forward_terms: I32 = arrays["forward_terms"]
        self.forward_counts: F32 = arrays["forward_counts"]
        self.lengths: I32 = arrays["lengths"]
        self.idf: F32 = arrays["idf"]
        self.term_rank: I32 = arrays["term_rank"]
        self.latent: F32 = arrays["latent"]
        self.latent_mean: F64 = arrays["latent_mean"]
        self.latent_cov: F64 = arrays["latent_cov"]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def version(self) -> str:
        """The version string of this index (new for every build)."""
        return self.manifest.version

    @cached_property
    def vocab(self) -> dict[str, int]:
        """Term → term id."""
        return {term: i for i, term in enumerate(self.terms)}

    @cached_property
    def position(self) -> dict[str, int]:
        """Document id → its row."""
        return {doc_id: i for i, doc_id in enumerate(self.ids)}

    def doc_terms(self, row: int) -> I32:
        """The term ids of the document in `row` (ascending)."""
        return self.forward_terms[self.forward_indptr[row] : self.forward_indptr[row + 1]]

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        params: IndexParams | None = None,
        tokenizer: Tokenizer | None = None,
        workers: int = 1,
        encoder: Encoder | None = None,
        version: str | None = None,
    ) -> Index:
        """Tokenize and index `documents` (ids must be unique; read once, so a generator streaming
        from a database will do), tokenizing in `workers` processes; with an `encoder`, each document's
        dense vector too (techmatch.dense, optional). `version` names the build (default: `new_version()`
        now); give the time the documents were read, so versions sort by the data they hold."""
        params = params or IndexParams()
        tokenizer = tokenizer or default_tokenizer()
        started = time.perf_counter()
        ids: list[str] = []
        dense_parts: list[F32] = []
        forward, lengths, vocab = _forward_matrix(
            documents, ids, tokenizer, params.title_weight, workers, encoder, dense_parts
        )
        if not ids:
            raise InvalidIndexError("没有文档可以建立索引")
        if len(set(ids)) != len(ids):
            raise InvalidIndexError("文档编号重复：每个文档的 id 必须唯一")
        seconds = {"tokenize": time.perf_counter() - started}
        terms = list(vocab)
        del vocab
        n_docs, n_terms = forward.shape
        df = np.bincount(forward.indices, minlength=n_terms).astype(np.float64)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        bm25 = _bm25_scores(forward, lengths, idf, params)
        postings = sp.csr_matrix((bm25, forward.indices, forward.indptr), shape=forward.shape).tocsc()
        del bm25
        postings.sort_indices()
        term_rank = np.empty(n_terms, dtype=np.int32)
        term_rank[np.argsort(np.asarray(terms, dtype=str), kind="stable")] = np.arange(
            n_terms, dtype=np.int32
        )
        idf32 = idf.astype(np.float32)
        seconds["postings"] = time.perf_counter() - started - seconds["tokenize"]
        latent, latent_mean, latent_cov = latent_vectors(forward, idf32, term_rank, params)
        seconds["latent"] = time.perf_counter() - started - seconds["tokenize"] - seconds["postings"]
        arrays = {
            "postings_indptr": postings.indptr.astype(np.int64, copy=False),
            "postings_docs": postings.indices.astype(np.int32, copy=False),
            "postings_scores": postings.data.astype(np.float32, copy=False),
            "forward_indptr": forward.indptr.astype(np.int64, copy=False),
            "forward_terms": forward.indices.astype(np.int32, copy=False),
            "forward_counts": forward.data.astype(np.float32, copy=False),
            "lengths": lengths,
            "idf": idf32,
            "term_rank": term_rank,
            "latent": latent,
            "latent_mean": latent_mean,
            "latent_cov": latent_cov,
        }
        extra: dict[str, Any] = {}
        if encoder is not None:
            arrays["dense"] = np.concatenate(dense_parts)
            extra["dense_model"] = encoder.name
        manifest = Manifest(
            format=FORMAT,
            version=version or new_version(),
            created=time.time(),
            documents=n_docs,
            vocabulary=n_terms,
            params=params,
            extra={
                "postings": int(postings.nnz),
                "workers": workers,
                "build_seconds": {k: round(v, 2) for k, v in seconds.items()},
                **extra,
            },
        )
        return cls(ids=ids, terms=terms, arrays=arrays, manifest=manifest, tokenizer=tokenizer)

    @property
    def dense_model(self) -> str | None:
        """The name of the model that made this index's dense vectors; None when it has none."""
        model = self.manifest.extra.get("dense_model")
        return str(model) if model else None

    @cached_property
    def dense_moments(self) -> tuple[F64, F64]:
        """Mean vector and covariance of the dense vectors (for z-scores over the whole collection)."""
        return moments(self.arrays["dense"])

    def save(self, folder: Path | str) -> Path:
        """Write the index into `folder` (created if needed); the manifest is written last."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            np.save(path / f"{name}.npy", self.arrays[name])
        if self.dense_model:
            save_vectors(path, self.arrays["dense"], self.dense_model)
        (path / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        (path / "terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
        manifest = asdict(self.manifest)
        (path / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return path

    @classmethod
    def load(cls, folder: Path | str, tokenizer: Tokenizer | None = None) -> Index:
        """Read an index written by `save`; raises `InvalidIndexError` naming what is wrong."""
        path = Path(folder)
        manifest_path = path / "manifest.json"
        if not manifest_path.is_file():
            raise InvalidIndexError(f"索引目录 {path} 中没有 manifest.json")
        raw = json.loads(manifest_path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            raise InvalidIndexError(
                f"索引格式为 {raw.get('format')!r}，本程序只能读取 {FORMAT!r}，请重建索引"
            )
        manifest = Manifest(**{**raw, "params": IndexParams(**raw["params"])})
        try:
            # plain ndarray views of the mapped files (numpy.memmap's own indexing is slower)
            arrays = {name: np.asarray(np.load(path / f"{name}.npy", mmap_mode="r")) for name in ARRAYS}
            if manifest.extra.get("dense_model"):
                arrays["dense"] = load_vectors(path, str(manifest.extra["dense_model"]))
            ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
            terms = json.loads((path / "terms.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, InvalidVectorsError) as exc:
            raise InvalidIndexError(f"索引目录 {path} 不完整或已损坏：{exc}") from exc
        if (
            len(ids) != manifest.documents
            or len(arrays["lengths"]) != len(ids)
            or len(terms) != manifest.vocabulary
        ):
            raise InvalidIndexError(f"索引目录 {path} 不完整：文档数或词表与 manifest.json 不一致")
        return cls(
            ids=ids, terms=terms, arrays=arrays, manifest=manifest, tokenizer=tokenizer or default_tokenizer()
        )
