"""The on-disk index: BM25 postings (bm25s), a forward index for feedback, and latent document vectors.

An index is built from `Document`s, saved to a folder with a `manifest.json` (format, version, counts,
parameters) and loaded back from it. Each save gets a new version string so processes can tell when a
newer index is available.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from techmatch.tokenize import Tokenizer, default_tokenizer

__all__ = ["FORMAT", "Document", "Index", "IndexParams", "InvalidIndexError"]

FORMAT = "techmatch-index/1"
F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]


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
    the rank of the latent (LSA) document vectors, 0 for none, and
    `latent_iterations` the power iterations of their randomized SVD (more: closer to the exact SVD).
    """

    k1: float = 1.5
    b: float = 0.75
    title_weight: int = 1
    latent_dims: int = 64
    latent_iterations: int = 8
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


def _doc_tokens(doc: Document, tokenizer: Tokenizer, title_weight: int) -> list[str]:
    title = tokenizer.tokens(doc.title)
    body = tokenizer.tokens(doc.text)
    keywords = [tok for kw in doc.keywords for tok in tokenizer.tokens(kw)]
    return title * title_weight + keywords + body


def latent_vectors(
    forward: sp.csr_matrix, idf: F32, term_rank: I32, dims: int, seed: int, iterations: int = 8
) -> F32:
    """Unit-length LSA document vectors: a randomized truncated SVD of the log-tf-idf matrix.

    The random test matrix is drawn in the terms' alphabetical order (`term_rank`), so the result
    does not depend on the order in which the vocabulary was numbered.
    """
    n_docs, n_terms = forward.shape
    dims = min(dims, n_docs - 1, n_terms - 1)
    if dims <= 0:
        return np.zeros((n_docs, 0), dtype=np.float32)
    x = forward.astype(np.float64, copy=True)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()) + 1e-9
    x = sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float64)
    rng = np.random.default_rng(seed)
    width = min(2 * dims, n_docs, n_terms)
    y = x @ rng.standard_normal((n_terms, width))[term_rank]
    for _ in range(iterations):  # power iterations converge on the leading subspace
        q, _r = np.linalg.qr(y)
        q, _r = np.linalg.qr(x.T @ q)
        y = x @ q
    q, _r = np.linalg.qr(y)
    small = (x.T @ q).T
    u, s, _vt = np.linalg.svd(small, full_matrices=False)
    vectors = np.asarray((q @ u[:, :dims]) * s[:dims], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return vectors


class Index:
    """A searchable index over documents; build with `Index.build`, persist with `save`/`load`."""

    def __init__(
        self,
        *,
        ids: list[str],
        retriever: bm25s.BM25,
        forward: sp.csr_matrix,
        latent: F32,
        manifest: Manifest,
        tokenizer: Tokenizer | None = None,
    ) -> None:
        self.ids = ids
        self.position = {doc_id: i for i, doc_id in enumerate(ids)}
        self.retriever = retriever
        self.vocab: dict[str, int] = retriever.vocab_dict
        scores = retriever.scores
        self.data: F32 = np.asarray(scores["data"], dtype=np.float32)
        self.indices: I32 = np.asarray(scores["indices"], dtype=np.int32)
        self.indptr: npt.NDArray[np.int64] = np.asarray(scores["indptr"], dtype=np.int64)
        self.forward = forward
        df = np.diff(self.indptr).astype(np.float32)
        n = float(len(ids))
        self.idf: F32 = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.latent = latent
        self.manifest = manifest
        self.tokenizer = tokenizer or default_tokenizer()
        self.terms: list[str] = [""] * len(self.vocab)
        for term, tid in self.vocab.items():
            self.terms[tid] = term
        self.term_rank: I32 = np.empty(len(self.terms), dtype=np.int32)
        self.term_rank[np.argsort(np.asarray(self.terms, dtype=str), kind="stable")] = np.arange(
            len(self.terms), dtype=np.int32
        )

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def version(self) -> str:
        """The version string of this index (new for every build)."""
        return self.manifest.version

    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        params: IndexParams | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> Index:
        """Tokenize and index `documents` (ids must be unique)."""
        params = params or IndexParams()
        tokenizer = tokenizer or default_tokenizer()
        ids = [doc.id for doc in documents]
        if len(set(ids)) != len(ids):
            raise InvalidIndexError("文档编号重复：每个文档的 id 必须唯一")
        if not ids:
            raise InvalidIndexError("没有文档可以建立索引")
        tokens = [_doc_tokens(doc, tokenizer, params.title_weight) for doc in documents]
        retriever = bm25s.BM25(k1=params.k1, b=params.b)
        retriever.index(tokens, show_progress=False)
        vocab: dict[str, int] = retriever.vocab_dict
        rows: list[int] = []
        cols: list[int] = []
        for row, doc_tokens in enumerate(tokens):
            rows.extend([row] * len(doc_tokens))
            cols.extend(vocab[tok] for tok in doc_tokens)
        forward = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (np.asarray(rows), np.asarray(cols))),
            shape=(len(ids), len(vocab)),
            dtype=np.float32,
        )
        forward.sum_duplicates()
        manifest = Manifest(
            format=FORMAT,
            version=f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}",
            created=time.time(),
            documents=len(ids),
            vocabulary=len(vocab),
            params=params,
        )
        index = cls(
            ids=ids,
            retriever=retriever,
            forward=forward,
            latent=np.zeros((len(ids), 0), dtype=np.float32),
            manifest=manifest,
            tokenizer=tokenizer,
        )
        if params.latent_dims > 0:
            index.latent = latent_vectors(
                forward, index.idf, index.term_rank, params.latent_dims, params.seed, params.latent_iterations
            )
        return index

    def save(self, folder: Path | str) -> Path:
        """Write the index into `folder` (created if needed); the manifest is written last."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(path / "bm25"), show_progress=False)
        (path / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        sp.save_npz(path / "forward.npz", self.forward)
        np.save(path / "latent.npy", self.latent)
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
            raise InvalidIndexError(f"索引格式为 {raw.get('format')!r}，本程序只能读取 {FORMAT!r}")
        manifest = Manifest(**{**raw, "params": IndexParams(**raw["params"])})
        retriever = bm25s.BM25.load(str(path / "bm25"), show_progress=False, verbosity=0)
        ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
        forward = sp.csr_matrix(sp.load_npz(path / "forward.npz"), dtype=np.float32)
        latent = np.asarray(np.load(path / "latent.npy"), dtype=np.float32)
        if len(ids) != manifest.documents or forward.shape[0] != len(ids):
            raise InvalidIndexError(f"索引目录 {path} 不完整：文档数与 manifest.json 不一致")
        return cls(
            ids=ids,
            retriever=retriever,
            forward=forward,
            latent=latent,
            manifest=manifest,
            tokenizer=tokenizer,
        )
