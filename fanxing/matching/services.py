"""Keeping the indexes fresh: a rebuild is scheduled when a write commits.

In the embedded default a rebuild runs in a background thread of the process that made the write
(several writes during one rebuild cause one more rebuild, not one each); with FANXING_JOBS=sync it
runs inline after the commit (tests, CLI). Every process loads the new version on its next search.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from fanxing.matching.indexes import LIBRARIES, rebuild

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_running: set[str] = set()
_dirty: set[str] = set()


def index_schedule_rebuild(library: str) -> None:
    """Rebuild this library's index once the current transaction commits."""
    if library in LIBRARIES:
        transaction.on_commit(lambda: _start(library))


def _start(library: str) -> None:
    if settings.FANXING_JOBS == "sync":
        rebuild(library)
        return
    with _lock:
        if library in _running:
            _dirty.add(library)
            return
        _running.add(library)
    threading.Thread(target=_loop, args=(library,), name=f"index-{library}", daemon=True).start()


def _loop(library: str) -> None:
    try:
        while True:
            close_old_connections()
            try:
                rebuild(library)
            except Exception:  # the old index stays in use; the next write tries again
                logger.exception("index rebuild of %s failed", library)
            with _lock:
                if library in _dirty:
                    _dirty.discard(library)
                    continue
                _running.discard(library)
                return
    finally:
        connection.close()
