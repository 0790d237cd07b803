"""Keeping the indexes fresh: a rebuild is scheduled when a write commits; feedback on matches.

In the embedded default a rebuild runs in a background thread of the process that made the write
(several writes during one rebuild cause one more rebuild, not one each); with FANXING_JOBS=sync it
runs inline after the commit (tests, CLI); with FANXING_JOBS=rq it is queued for a worker (writes while
one waits in the queue add none). Every process loads the new version on its next search.
"""

import logging
import threading
from functools import partial
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from redis.exceptions import RedisError

from fanxing.core.jobs import task_enqueue
from fanxing.matching.indexes import READERS, rebuild

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_running: set[str] = set()
_dirty: set[str] = set()


def index_schedule_rebuild(kind: str) -> None:
    """Rebuild the indexes that read this kind of record ("achievements", "demands", "people",
    "organisations"; see indexes.READERS) once the current transaction commits."""
    for library in READERS.get(kind, ()):
        transaction.on_commit(partial(_start, library))


def _start(library: str) -> None:
    if settings.FANXING_JOBS == "sync":
        rebuild(library)
        return
    if settings.FANXING_JOBS == "rq":
        try:
            task_enqueue(rebuild, library, once=f"index-{library}")
        except RedisError:  # the write stands; the old index stays in use until the next write's rebuild
            logger.exception("index rebuild of %s could not be queued", library)
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


LEARNING_RATE = 0.05
MIN_WEIGHT = 0.02


def learned_weights(weights: dict[str, float], factors: dict[str, float], relevant: bool) -> dict[str, float]:
    """One step of a perceptron-like rule. predicted = the weighted fit of the pair; each factor's weight
    moves by rate × (verdict − predicted) × (its score − predicted): on a pair judged 相关 the factors that
    fitted better than the whole gain weight, on a pair judged 不相关 they lose it to the factors that did
    not fit. The weights stay above a floor and sum to 1."""
    predicted = sum(weights[k] * factors.get(k, 0.5) for k in weights)
    target = 1.0 if relevant else 0.0
    moved = {
        k: max(MIN_WEIGHT, w + LEARNING_RATE * (target - predicted) * (factors.get(k, 0.5) - predicted))
        for k, w in weights.items()
    }
    total = sum(moved.values())
    return {k: round(w / total, 6) for k, w in moved.items()}


@transaction.atomic
def match_feedback_record(*, by: Any, demand: Any, achievement: Any, relevant: bool) -> Any:
    """Store a person's verdict on a pair and let it shift the factor weights. A pair judged 不相关 no
    longer appears in that person's matches."""
    from fanxing.matching.bridge import attributes, labels
    from fanxing.matching.models import FactorWeights, MatchFeedback
    from techmatch.fit import DEFAULT_WEIGHTS, compatibility

    factors = {f.name: f.score for f in compatibility(attributes(demand), attributes(achievement), labels())}
    verdict = MatchFeedback.Verdict.RELEVANT if relevant else MatchFeedback.Verdict.IRRELEVANT
    feedback, _ = MatchFeedback.objects.update_or_create(
        user=by, demand=demand, achievement=achievement, defaults={"verdict": verdict, "factors": factors}
    )
    row = FactorWeights.objects.select_for_update().first() or FactorWeights(weights=dict(DEFAULT_WEIGHTS))
    row.weights = learned_weights(row.weights or dict(DEFAULT_WEIGHTS), factors, relevant)
    row.updates += 1
    row.save()
    return feedback
