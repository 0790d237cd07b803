"""Index snapshots on disk, versioned, and the newest one loaded in every process.

Each library has a folder under FANXING_INDEX_DIR (DATA_DIR/index/): one sub-folder per version and a
file CURRENT naming the version in use. A rebuild writes a new version completely, then replaces CURRENT
atomically (os.replace), then removes versions older than the two newest; searches go on with the old
index until the new one is complete. Every process checks CURRENT before a search (one small file read)
and loads a newer version when there is one, so a change shows in every web process as soon as its
rebuild is written.

The libraries: "achievements" and "demands" (published records that are public or for registered users),
"people" (active technology managers and experts, ids M… and E…) and "enterprises" (organisations of the
enterprise kind, each with its indexed demands). `READERS` says which libraries read each kind of record,
so a change to one rebuilds exactly those (fanxing.matching.services).

With FANXING_SEARCH_BACKEND=milvus the libraries live in the Milvus at FANXING_MILVUS_URI instead
(techmatch.milvus: one collection per version and a pointer to the current one, kept in Milvus so every
node sees the same); `rebuild`, `searcher` and `status` answer the same for both backends, and the
searchers answer the same calls (techmatch.search.Backend). docs/search-backends.md compares the two.
"""

import fcntl
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, QuerySet

from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from fanxing.managers.models import ExpertProfile, ManagerProfile
from fanxing.matching.bridge import document, enterprise_document, person_document
from techmatch.dense import Encoder, load_encoder
from techmatch.index import Document, Index, InvalidIndexError, new_version
from techmatch.milvus import MilvusStatus, MilvusStore
from techmatch.search import Backend, Searcher

logger = logging.getLogger(__name__)
LIBRARIES = ("achievements", "demands", "people", "enterprises")
# kind of record changed → the libraries whose documents it is part of
READERS = {
    "achievements": ("achievements",),
    "demands": ("demands", "enterprises"),
    "people": ("people",),
    "organisations": ("enterprises",),
}
KEEP = 2

_loaded: dict[str, tuple[str, Searcher]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class IndexStatus:
    library: str
    version: str
    documents: int
    folder: str
    vocabulary: int = 0
    postings: int = 0
    build_seconds: float = 0.0

    @classmethod
    def of_milvus(cls, found: MilvusStatus) -> "IndexStatus":
        folder = f"{settings.FANXING_MILVUS_URI} {found.collection}"
        return cls(found.library, found.version, found.documents, folder, build_seconds=found.build_seconds)

    @classmethod
    def of(cls, library: str, index: Index) -> "IndexStatus":
        extra = index.manifest.extra
        return cls(
            library,
            index.version,
            len(index),
            str(root(library) / index.version),
            index.manifest.vocabulary,
            int(extra.get("postings", 0)),
            round(sum(extra.get("build_seconds", {}).values()), 2),
        )


def encoder() -> Encoder | None:
    """The dense model named by FANXING_DENSE_MODEL, loaded once per process; None when unset.
    A wrong path is reported by `fanxing check` (fanxing.matching.checks) before any search."""
    return encoder_at(settings.FANXING_DENSE_MODEL)


@cache
def encoder_at(path: str) -> Encoder | None:
    """The dense model in this folder ("" for none), loaded once per process and path."""
    return load_encoder(path or None)


def milvus() -> MilvusStore | None:
    """The Milvus store when FANXING_SEARCH_BACKEND is "milvus" (one per process and uri); None for the
    engine's own index. Raises MilvusUnavailableError naming FANXING_MILVUS_URI when it cannot connect."""
    backend = settings.FANXING_SEARCH_BACKEND
    if backend == "engine":
        return None
    if backend != "milvus":
        raise ImproperlyConfigured(f"FANXING_SEARCH_BACKEND 应为 engine 或 milvus，而不是 {backend!r}")
    return milvus_at(
        settings.FANXING_MILVUS_URI,
        settings.FANXING_MILVUS_PREFIX,
        settings.FANXING_DENSE_MODEL,
        settings.FANXING_MILVUS_TIMEOUT,
    )


@cache
def milvus_at(uri: str, prefix: str, dense_model: str, timeout: float = 10.0) -> MilvusStore:
    """The store of this Milvus, with the dense model in this folder ("" for none); connecting waits
    `timeout` seconds at most."""
    return MilvusStore(
        uri, prefix=prefix, setting="FANXING_MILVUS_URI", timeout=timeout, encoder=encoder_at(dense_model)
    )


def root(library: str) -> Path:
    return Path(settings.FANXING_INDEX_DIR) / library


def indexed_records(library: str) -> QuerySet[Any]:
    """The achievements or demands that go into their index: published, public or for registered users."""
    model = Achievement if library == "achievements" else Demand
    return model.objects.filter(
        status=Status.PUBLISHED, visibility__in=[Visibility.PUBLIC, Visibility.REGISTERED]
    ).order_by("pk")


def documents(library: str) -> Iterator[Document]:
    """Every document of a library, built from the database by the bridge."""
    if library in ("achievements", "demands"):
        return (document(r) for r in indexed_records(library).iterator(chunk_size=2000))
    if library == "people":
        people = (
            model.objects.filter(user__is_active=True)
            .select_related("user")
            .prefetch_related("specialty_fields__parent")
            .order_by("pk")
            for model in (ManagerProfile, ExpertProfile)
        )
        return (person_document(p) for p in chain.from_iterable(people))
    demands = indexed_records("demands").select_related("field__parent")
    enterprises = (
        Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
        .prefetch_related(Prefetch("demand_set", queryset=demands, to_attr="indexed_demands"))
        .order_by("pk")
    )
    return (enterprise_document(o, o.indexed_demands) for o in enterprises)


def rebuild(library: str, workers: int = 1) -> IndexStatus | None:
    """Build a new version from the database and make it current; None when there is nothing to index.
    The documents stream from the database into the build (tokenized in `workers` processes).

    Rebuilds may run at the same time in several processes. The version is named by the time the
    documents were read, and a version is made current only if no version read later is current
    already (under a lock on the library's folder): a slow rebuild that read the data first never
    replaces a newer one."""
    store = milvus()
    if store is not None:
        published = store.publish(library, documents(library), version=new_version())
        return IndexStatus.of_milvus(published) if published else None
    folder = root(library)
    folder.mkdir(parents=True, exist_ok=True)
    as_of = new_version()  # before the first read: this version holds every write committed by now
    stream = documents(library)
    first = next(stream, None)
    if first is None:  # nothing to index any more: searches find nothing rather than old records
        with _locked(folder):
            if current_version(library) < as_of:
                (folder / "CURRENT").unlink(missing_ok=True)
        return None
    index = Index.build(chain([first], stream), workers=workers, encoder=encoder(), version=as_of)
    index.save(folder / index.version)
    with _locked(folder):
        current = current_version(library)
        if current > index.version:  # a rebuild that read the data later has already been published
            shutil.rmtree(folder / index.version, ignore_errors=True)
            return status(library)
        tmp = folder / f".CURRENT.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(index.version, encoding="utf-8")
        os.replace(tmp, folder / "CURRENT")
        _prune(folder, keep=index.version)
    return IndexStatus.of(library, index)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a library's folder, across processes (flock on its .lock file)."""
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune(folder: Path, keep: str) -> None:
    """Remove versions older than the KEEP newest (called under the lock, so never the current one)."""
    versions = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    for old in versions[KEEP:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_version(library: str) -> str:
    try:
        return (root(library) / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def searcher(library: str) -> Backend | None:
    """The searcher over the newest index of this library (in this process: loaded when it changed);
    None when there is none yet."""
    store = milvus()
    if store is not None:
        return store.searcher(library)
    return engine_searcher(library)


def engine_searcher(library: str) -> Searcher | None:
    """The engine's searcher over the newest index of this library in this process (loaded when it changed)."""
    version = current_version(library)
    if not version:
        return None
    loaded = _loaded.get(library)
    if loaded and loaded[0] == version:
        return loaded[1]
    with _lock:
        loaded = _loaded.get(library)
        if loaded and loaded[0] == version:
            return loaded[1]
        try:
            index = Index.load(root(library) / version)
        except Exception:  # a half-removed or unreadable version: keep what this process has
            logger.exception("could not load index %s/%s", library, version)
            return loaded[1] if loaded else None
        try:
            result = Searcher(index, encoder=encoder())
        except InvalidIndexError:  # built with another dense model: words and latent vectors only
            logger.warning("index %s/%s was built with another dense model; rebuild it", library, version)
            result = Searcher(index)
        _loaded[library] = (version, result)
        return result


def status(library: str) -> IndexStatus | None:
    store = milvus()
    if store is not None:
        published = store.status(library)
        return IndexStatus.of_milvus(published) if published else None
    found = engine_searcher(library)
    return None if found is None else IndexStatus.of(library, found.index)
