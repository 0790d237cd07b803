"""The Milvus search backend: a library's documents in a Milvus collection, ranked there; the engine's
structured scoring and reasons applied to what Milvus returns.

For a corpus that outgrows one machine, Milvus (a distributed vector and full-text engine) holds the
documents and ranks them; `MilvusSearcher` answers the same calls as the engine's own `Searcher`
(techmatch.search.Backend: `candidates`, `search`), so the platform's matching, explanations and
structured fit (techmatch.explain, techmatch.fit) run unchanged on its hits.

It lives in techmatch rather than in the platform because it needs nothing of Django: documents in, hits
out, tested with the engine's own tests; fanxing.matching.indexes picks it by settings. pymilvus is
imported only when a store is opened, so the engine runs without the `milvus` extra.

In Milvus (one database; names start with a prefix, default "fanxing"):

- `<prefix>_<library>_v<version>`, one collection per build: `id`; `text` (title, keywords and text)
  analyzed by Milvus's Chinese analyzer (`{"type": "chinese"}`, jieba) into `sparse` by Milvus's BM25
  function; `terms`, the engine tokenizer's distinct tokens of the document, from which the reasons
  name the query's words a hit contains (as the engine's forward index does); and, when the platform
  has a dense model (techmatch.dense), `dense`, the document's vector.
- `<prefix>_current`: which version each library searches, one row per library (milvus-lite has no
  collection aliases). A build writes its collection completely, then points the library at it unless
  a build that read the data later is current already, then drops versions older than the two newest;
  searches go on with the old version until then.

A search is Milvus's BM25 over `sparse` (the query analyzed by the same analyzer) or, with dense
vectors, a hybrid search: BM25 and the vectors' inner product, fused by reciprocal rank (RRF, k = 60).
Excluded ids are a filter in Milvus. The engine's own ranking steps (feedback, latent fusion) need its
index and do not run here: docs/search-backends.md compares the two on the shared benchmarks.
"""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from techmatch.dense import Encoder
from techmatch.index import Document, dense_text, new_version
from techmatch.search import Candidates, Hit
from techmatch.tokenize import Tokenizer, default_tokenizer

__all__ = ["MilvusSearcher", "MilvusStatus", "MilvusStore", "MilvusUnavailableError", "close", "connect"]

ANALYZER = {"type": "chinese"}
MAX_BYTES = 65_535  # Milvus's longest VARCHAR
MAX_LIMIT = 16_384  # Milvus's largest top-k
BATCH = 1000  # documents per insert
KEEP = 2  # versions kept per library
RRF_K = 60


class MilvusUnavailableError(Exception):
    """Milvus cannot be reached or refuses a request, or pymilvus is not installed."""


@dataclass(frozen=True)
class MilvusStatus:
    """A library's current version in Milvus: its collection, documents, dense model and build time."""

    library: str
    version: str
    documents: int
    collection: str
    model: str = ""
    build_seconds: float = 0.0


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def connect(uri: str, setting: str = "uri", timeout: float = 10.0) -> Any:
    """The pymilvus client of the Milvus at `uri` (a server, http://host:19530, or a milvus-lite file,
    path/to/name.db), one per uri in a process. `setting` names where the uri came from, for the error."""
    with _clients_lock:
        client = _clients.get(uri)
        if client is not None:
            return client
        try:
            from pymilvus import MilvusClient
        except ImportError as exc:
            raise MilvusUnavailableError(
                f"未安装 pymilvus，不能使用 Milvus（{setting}={uri}）：pip install -e '.[milvus]'"
            ) from exc
        if not uri:
            raise MilvusUnavailableError(f"没有设置 Milvus 的地址（{setting}）")
        try:
            with warnings.catch_warnings():  # milvus-lite 2.5.1 imports pkg_resources, deprecated
                warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
                client = MilvusClient(uri=uri, timeout=timeout)
        except Exception as exc:
            lite = (
                "（milvus-lite 文件同时只能由一个进程打开：多个进程请用 Milvus 服务器）"
                if uri.endswith(".db")
                else ""
            )
            raise MilvusUnavailableError(f"无法连接 Milvus（{setting}={uri}）：{exc}{lite}") from exc
        _clients[uri] = client
        return client


def close(uri: str) -> None:
    """Close this process's client of `uri` (a milvus-lite file's server stops with its last client)."""
    with _clients_lock:
        client = _clients.pop(uri, None)
    if client is not None:
        client.close()


def _fit(text: str, limit: int = MAX_BYTES) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, on a character boundary."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")


def _name(part: str) -> str:
    """A part of a collection name: letters, digits and underscores only."""
    return re.sub(r"[^0-9A-Za-z_]", "_", part)


def full_text(doc: Document) -> str:
    """What Milvus's analyzer reads of a document: title, keywords and text, as the engine indexes them."""
    return "。".join(p for p in (doc.title, " ".join(doc.keywords), doc.text) if p)


class MilvusStore:
    """The libraries kept in one Milvus: build (`publish`), look up (`current`, `status`) and search
    (`searcher`). `setting` names where `uri` came from, so errors say what to fix."""

    def __init__(
        self,
        uri: str,
        *,
        prefix: str = "fanxing",
        setting: str = "uri",
        timeout: float = 10.0,
        tokenizer: Tokenizer | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        self.uri, self.setting, self.prefix = uri, setting, _name(prefix)
        self.client = connect(uri, setting, timeout)
        self.tokenizer = tokenizer or default_tokenizer()
        self.encoder = encoder
        self.pointers = f"{self.prefix}_current"
        self._searchers: dict[str, MilvusSearcher] = {}  # per library, of its current version

    def call(self, what: str, *args: Any, **kwargs: Any) -> Any:
        """`client.<what>(...)`, its failures as MilvusUnavailableError naming the uri and its setting."""
        try:
            return getattr(self.client, what)(*args, **kwargs)
        except Exception as exc:
            raise MilvusUnavailableError(f"Milvus（{self.setting}={self.uri}）{what} 失败：{exc}") from exc

    def collection(self, library: str, version: str) -> str:
        return f"{self.prefix}_{_name(library)}_v{_name(version)}"

    # Which version each library searches ------------------------------------------------------------------

    def _ensure_pointers(self) -> None:
        if self.call("has_collection", self.pointers):
            return
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("library", DataType.VARCHAR, is_primary=True, max_length=255)
        schema.add_field("version", DataType.VARCHAR, max_length=255)
        schema.add_field("collection", DataType.VARCHAR, max_length=255)
        schema.add_field("documents", DataType.INT64)
        schema.add_field("model", DataType.VARCHAR, max_length=1024)
        schema.add_field("seconds", DataType.DOUBLE)
        schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants one vector field
        index = self.client.prepare_index_params()
        index.add_index(field_name="unused", index_type="FLAT", metric_type="L2")
        self.call(
            "create_collection", self.pointers, schema=schema, index_params=index, consistency_level="Strong"
        )

    def status(self, library: str) -> MilvusStatus | None:
        """The library's current version; None when it has none (never built, or nothing to index)."""
        if not self.call("has_collection", self.pointers):
            return None
        rows = self.call(
            "query",
            self.pointers,
            filter=f"library == {json.dumps(library)}",
            output_fields=["version", "collection", "documents", "model", "seconds"],
        )
        if not rows:
            return None
        row = rows[0]
        return MilvusStatus(
            library,
            str(row["version"]),
            int(row["documents"]),
            str(row["collection"]),
            str(row["model"]),
            float(row["seconds"]),
        )

    def current(self, library: str) -> str:
        """The version the library searches ("" for none)."""
        found = self.status(library)
        return found.version if found else ""

    # Building -------------------------------------------------------------------------------------------

    def publish(
        self, library: str, documents: Iterable[Document], version: str | None = None
    ) -> MilvusStatus | None:
        """Write `documents` into a new version of the library (their ids unique) and make it current
        unless a version read later is current already; None when there are no documents (the library
        then searches nothing). `version` names the build: give the time the documents were read."""
        version = version or new_version()
        started = time.perf_counter()
        self._ensure_pointers()
        batches = _batches(documents)
        first = next(batches, None)
        if first is None:
            if self.current(library) < version:
                self.call("delete", self.pointers, filter=f"library == {json.dumps(library)}")
            return None
        name = self.collection(library, version)
        vectors = self.encoder.encode([dense_text(d) for d in first]) if self.encoder else None
        self._create(name, None if vectors is None else int(vectors.shape[1]))
        count = self._insert(name, first, vectors)
        for batch in batches:
            count += self._insert(name, batch, self._vectors(batch))
        if self.current(library) > version:  # a build that read the data later is current already
            self.call("drop_collection", name)
            return self.status(library)
        published = MilvusStatus(
            library,
            version,
            count,
            name,
            self.encoder.name if self.encoder else "",
            round(time.perf_counter() - started, 2),
        )
        pointer = {
            "library": library,
            "version": version,
            "collection": name,
            "documents": count,
            "model": published.model,
            "seconds": published.build_seconds,
            "unused": [0.0, 0.0],  # Milvus wants one vector field
        }
        self.call("upsert", self.pointers, [pointer])
        self._prune(library, keep=name)
        return published

    def _vectors(self, batch: Sequence[Document]) -> Any:
        return self.encoder.encode([dense_text(d) for d in batch]) if self.encoder else None

    def _create(self, name: str, dims: int | None) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=255)
        schema.add_field(
            "text", DataType.VARCHAR, max_length=MAX_BYTES, enable_analyzer=True, analyzer_params=ANALYZER
        )
        schema.add_field("terms", DataType.VARCHAR, max_length=MAX_BYTES)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(
            Function(
                name="bm25",
                function_type=FunctionType.BM25,
                input_field_names=["text"],
                output_field_names=["sparse"],
            )
        )
        index = self.client.prepare_index_params()
        index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        if dims is not None:
            schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dims)
            index.add_index(field_name="dense", index_type="AUTOINDEX", metric_type="IP")
        self.call("create_collection", name, schema=schema, index_params=index, consistency_level="Strong")

    def _insert(self, name: str, batch: Sequence[Document], vectors: Any) -> int:
        rows: list[dict[str, Any]] = []
        for i, doc in enumerate(batch):
            terms = " ".join(sorted(set(self.tokenizer.tokens(full_text(doc)))))
            row: dict[str, Any] = {"id": doc.id, "text": _fit(full_text(doc)), "terms": _fit(terms)}
            if vectors is not None:
                row["dense"] = vectors[i].tolist()
            rows.append(row)
        result = self.call("insert", name, rows)
        return int(result["insert_count"])

    def _prune(self, library: str, keep: str) -> None:
        """Drop the library's versions older than the KEEP newest (never `keep`, the current one)."""
        own = f"{self.prefix}_{_name(library)}_v"
        versions = sorted((c for c in self.call("list_collections") if c.startswith(own)), reverse=True)
        for old in versions[KEEP:]:
            if old != keep:
                self.call("drop_collection", old)

    def drop(self, library: str) -> None:
        """Remove every version of the library and its pointer."""
        own = f"{self.prefix}_{_name(library)}_v"
        for name in self.call("list_collections"):
            if name.startswith(own):
                self.call("drop_collection", name)
        if self.call("has_collection", self.pointers):
            self.call("delete", self.pointers, filter=f"library == {json.dumps(library)}")

    # Searching ------------------------------------------------------------------------------------------

    def searcher(self, library: str) -> MilvusSearcher | None:
        """The searcher over the library's current version; None when it has none."""
        found = self.status(library)
        if found is None:
            return None
        searcher = self._searchers.get(library)
        if searcher is None or searcher.version != found.version:
            encoder = self.encoder if self.encoder and self.encoder.name == found.model else None
            searcher = self._searchers[library] = MilvusSearcher(self, found, encoder)
        return searcher


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    stream = iter(documents)
    while batch := list(islice(stream, BATCH)):
        yield batch


class MilvusSearcher:
    """Ranks one version of a library in Milvus (techmatch.search.Backend). Its hits carry the documents'
    `terms`; it has no engine index (`index` is None)."""

    index = None

    def __init__(self, store: MilvusStore, status: MilvusStatus, encoder: Encoder | None = None) -> None:
        self.store = store
        self.status = status
        self.encoder = encoder  # only the model that made the version's vectors (None: BM25 alone)

    @property
    def version(self) -> str:
        return self.status.version

    def __len__(self) -> int:
        return self.status.documents

    def candidates(self, text: str, top: int, exclude: frozenset[str] = frozenset()) -> Candidates:
        """The best `top` documents for `text` (BM25, or hybrid with dense vectors), best first, leaving
        out the ids in `exclude`, with the query's tokens (for the reasons)."""
        tokens = tuple(self.store.tokenizer.tokens(text))
        limit = min(top, MAX_LIMIT)
        if limit <= 0 or not tokens:
            return Candidates([], tokens)
        expr = f"id not in {json.dumps(sorted(exclude), ensure_ascii=False)}" if exclude else ""
        name = self.status.collection
        if self.encoder is None:
            result = self.store.call(
                "search",
                name,
                data=[_fit(text)],
                anns_field="sparse",
                limit=limit,
                filter=expr,
                output_fields=["terms"],
                search_params={"metric_type": "BM25"},
            )
        else:
            from pymilvus import AnnSearchRequest, RRFRanker

            vector = self.encoder.encode([text])[0].tolist()
            requests = [
                AnnSearchRequest([_fit(text)], "sparse", {"metric_type": "BM25"}, limit, expr=expr or None),
                AnnSearchRequest([vector], "dense", {"metric_type": "IP"}, limit, expr=expr or None),
            ]
            result = self.store.call(
                "hybrid_search", name, requests, RRFRanker(RRF_K), limit=limit, output_fields=["terms"]
            )
        hits = [
            Hit(
                id=str(found["id"]),
                rank=rank,
                score=float(found["distance"]),
                lexical=float(found["distance"]),
                latent=0.0,
                terms=frozenset(str(found["entity"].get("terms", "")).split()),
            )
            for rank, found in enumerate(result[0] if result else [], start=1)
        ]
        return Candidates(hits, tokens)

    def search(self, text: str, top: int = 10, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """The best `top` documents for `text`, best first, leaving out the ids in `exclude`."""
        return self.candidates(text, top, exclude).hits
