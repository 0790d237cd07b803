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
"""

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from fanxing.managers.models import ExpertProfile, ManagerProfile
from fanxing.matching.bridge import document, enterprise_document, person_document
from techmatch.index import Document, Index
from techmatch.search import Searcher

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


def rebuild(library: str) -> IndexStatus | None:
    """Build a new version from the database and make it current; None when there is nothing to index."""
    built = list(documents(library))
    if not built:  # nothing to index any more: searches find nothing rather than old records
        (root(library) / "CURRENT").unlink(missing_ok=True)
        return None
    index = Index.build(built)
    folder = root(library)
    index.save(folder / index.version)
    pointer = folder / "CURRENT"
    tmp = folder / f".CURRENT.{os.getpid()}.{threading.get_ident()}"
    tmp.write_text(index.version, encoding="utf-8")
    os.replace(tmp, pointer)
    _prune(folder, keep=index.version)
    return IndexStatus(library, index.version, len(index), str(folder / index.version))


def _prune(folder: Path, keep: str) -> None:
    versions = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    for old in versions[KEEP:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_version(library: str) -> str:
    try:
        return (root(library) / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def searcher(library: str) -> Searcher | None:
    """The searcher over the newest index of this library in this process (loaded when it changed)."""
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
        result = Searcher(index)
        _loaded[library] = (version, result)
        return result


def status(library: str) -> IndexStatus | None:
    found = searcher(library)
    if found is None:
        return None
    return IndexStatus(
        library, found.index.version, len(found.index), str(root(library) / found.index.version)
    )
