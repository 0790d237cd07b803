"""Background jobs: run a function with a `Job` row that records its progress and result for the UI to poll.

`settings.FANXING_JOBS` picks how a job runs:
- "sync": inline, before `job_start` returns (tests, and anywhere a thread is not wanted);
- "thread": in a daemon thread of this process, started once the current transaction commits
  (the embedded default).

A job function takes the Job and returns its result (a JSON-able dict); it reports progress with
`job_progress(job, done, total)`. Progress is written to the database when that is safe (outside a
transaction; a transaction's writes are invisible to the poller until it commits, and on SQLite they
would hold the write lock) and always kept in memory for this process, which `job_state` merges in.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from fanxing.accounts.models import User
from fanxing.core.models import Job

logger = logging.getLogger(__name__)
JobFunction = Callable[[Job], dict[str, Any]]

_live: dict[int, tuple[int, int]] = {}
_live_lock = threading.Lock()
_last_write: dict[int, float] = {}
WRITE_INTERVAL = 0.5  # seconds between progress writes to the database


def job_start(*, kind: str, owner: User | None, params: dict[str, Any], function: JobFunction) -> Job:
    """Create a job and run `function(job)` inline or in a thread, as FANXING_JOBS says."""
    job = Job.objects.create(kind=kind, owner=owner, params=params)
    if settings.FANXING_JOBS == "thread":
        transaction.on_commit(lambda: _thread(job.pk, function))
    else:
        _run(job.pk, function)
        job.refresh_from_db()
    return job


def _thread(job_id: int, function: JobFunction) -> None:
    threading.Thread(
        target=_run_in_thread, args=(job_id, function), name=f"job-{job_id}", daemon=True
    ).start()


def _run_in_thread(job_id: int, function: JobFunction) -> None:
    close_old_connections()
    try:
        _run(job_id, function)
    finally:
        connection.close()


def _run(job_id: int, function: JobFunction) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)
    job.status = Job.Status.RUNNING
    try:
        result = function(job)
        status = Job.Status.DONE
    except Exception as error:  # a job's failure is recorded for the person, not raised into the web process
        logger.exception("job %s (%s) failed", job_id, job.kind)
        result, status = {"error": f"任务执行出错：{error}"}, Job.Status.FAILED
    with _live_lock:
        done, total = _live.pop(job_id, (job.done, job.total))
        _last_write.pop(job_id, None)
    if status == Job.Status.DONE:
        done = total = max(total, done)
    Job.objects.filter(pk=job_id).update(
        status=status, result=result, done=done, total=total, finished_at=timezone.now()
    )


def job_progress(job: Job, done: int, total: int) -> None:
    """Record how far a job is; cheap enough to call for every row."""
    job.done, job.total = done, total
    with _live_lock:
        _live[job.pk] = (done, total)
        due = time.monotonic() - _last_write.get(job.pk, 0) >= WRITE_INTERVAL
        if due:
            _last_write[job.pk] = time.monotonic()
    if due and not connection.in_atomic_block:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)


def job_state(job: Job) -> Job:
    """The job with the freshest progress this process knows (for the poller)."""
    with _live_lock:
        live = _live.get(job.pk)
    if live and job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        job.done, job.total = live
        job.status = Job.Status.RUNNING
    return job
