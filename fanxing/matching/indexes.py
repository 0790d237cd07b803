"""Index snapshots on disk, versioned, and the newest one loaded in every process.

Each library ("achievements", "demands") has a folder under FANXING_INDEX_DIR (DATA_DIR/index/): one sub-folder per
version and a file CURRENT naming the version in use. A rebuild writes a new version completely, then
replaces CURRENT atomically (os.replace), then removes versions older than the two newest; searches
go on with the old index until the new one is complete. Every process checks CURRENT before a search
(one small file read) and loads a newer version when there is one, so a publication shows in every web
process as soon as its rebuild is written.
"""

import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fanxing.achievements.models import Achievement
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from fanxing.matching.bridge import document
from techmatch.index import Index
from techmatch.search import Searcher

logger = logging.getLogger(__name__)
LIBRARIES = {"achievements": Achievement, "demands": Demand}
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


def indexed_records(library: str):  # type: ignore[no-untyped-def]
    """What goes into an index: published records that are public or for registered users."""
    model = LIBRARIES[library]
    return model.objects.filter(
        status=Status.PUBLISHED, visibility__in=[Visibility.PUBLIC, Visibility.REGISTERED]
    ).order_by("pk")


def rebuild(library: str) -> IndexStatus | None:
    """Build a new version from the database and make it current; None when there is nothing to index."""
    documents = [document(r) for r in indexed_records(library).iterator(chunk_size=2000)]
    if not documents:  # nothing published any more: searches find nothing rather than old records
        (root(library) / "CURRENT").unlink(missing_ok=True)
        return None
    index = Index.build(documents)
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
