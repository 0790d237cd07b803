"""Background jobs: run a function with a `Job` row that records its progress and result for the UI to poll.

`settings.FANXING_JOBS` picks how a job runs (docs/jobs.md):
- "sync": inline, before `job_start` returns (tests, and anywhere a thread is not wanted);
- "thread": in a daemon thread of this process, started once the current transaction commits
  (the embedded default);
- "rq": queued on Redis (FANXING_REDIS_URL) once the current transaction commits, for a `fanxing worker`
  process on any machine (the production profile).

A task (`task_start`: an email, a leaderboard's files) is the same without a Job row: a function of ids,
run in the same three ways, its failure logged (and on a worker retried).

A job function is a module-level function, named by its dotted path so a worker can import it; it takes
the Job and returns its result (a JSON-able dict), and reports progress with `job_progress(job, done,
total)`. Progress is written to the database when that is safe (outside a transaction; a transaction's
writes are invisible to the poller until it commits, and on SQLite they would hold the write lock), kept
in memory for this process and, in a worker, in the RQ job's meta on Redis; `job_state` merges in the
freshest it can see. A job whose worker died is marked failed (see `job_state` and `fanxing worker`).
"""

import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fanxing.accounts.models import User
from fanxing.core.models import Job

logger = logging.getLogger(__name__)
JobFunction = Callable[[Job], dict[str, Any]]

_live: dict[int, tuple[int, int]] = {}
_live_lock = threading.Lock()
_last_write: dict[int, float] = {}
WRITE_INTERVAL = 0.5  # seconds between progress writes to the database (and to Redis)
# A queued or running Job row whose RQ job Redis no longer has is lost (Redis restarted without its data,
# or the enqueue failed) once it is this old; younger, the enqueue may still be on its way.
LOST_AFTER = timedelta(seconds=10)
LOST_ERROR = "任务中断：处理它的后台进程意外退出，本次未写入任何记录。请重新提交。"


def job_start(*, kind: str, owner: User | None, params: dict[str, Any], function: JobFunction) -> Job:
    """Create a job and run `function(job)` inline, in a thread or on a worker, as FANXING_JOBS says."""
    path = function_path(function)
    job = Job.objects.create(kind=kind, owner=owner, params=params)
    if settings.FANXING_JOBS == "thread":
        transaction.on_commit(lambda: _thread(job.pk, function))
    elif settings.FANXING_JOBS == "rq" and settings.FANXING_JOBS_ASYNC:
        transaction.on_commit(lambda: _enqueue(job.pk, path))
    elif settings.FANXING_JOBS == "rq":  # the test suite: through Redis, run at once in this process
        _enqueue(job.pk, path)
        job.refresh_from_db()
    else:
        _run(job.pk, function)
        job.refresh_from_db()
    return job


def function_path(function: Callable[..., Any]) -> str:
    """The dotted path a worker imports `function` by; ValueError for a lambda, closure or method."""
    path = f"{function.__module__}.{function.__qualname__}"
    try:
        found = import_string(path)
    except ImportError:
        found = None
    if found is not function:
        raise ValueError(f"a job function must be a module-level function, not {path}")
    return path


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
    job.done, job.total = done, total
    job_finish(job, result, status)


def job_finish(job: Job, result: dict[str, Any], status: str = Job.Status.DONE) -> None:
    """Record a job's end and its result (a job function may call it inside its own transaction, so that
    its writes and its "done" commit together)."""
    done, total = job.done, job.total
    if status == Job.Status.DONE:
        done = total = max(total, done)
    Job.objects.filter(pk=job.pk).update(
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
    if not due:
        return
    if not connection.in_atomic_block:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)
    elif settings.FANXING_JOBS == "rq":
        _rq_progress(done, total)


def job_state(job: Job) -> Job:
    """The job with the freshest progress this process knows (for the poller); with RQ, a job whose
    worker died is marked failed here."""
    if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        return job
    with _live_lock:
        live = _live.get(job.pk)
    if live:
        job.done, job.total = live
        job.status = Job.Status.RUNNING
    elif settings.FANXING_JOBS == "rq":
        _rq_state(job)
    return job


# RQ: the queue on Redis. Its names carry FANXING_REDIS_PREFIX (the queue, `rq:job:<prefix>-<job id>`), so
# several platforms, or test runs, share one Redis without seeing each other's jobs.


def redis_connection() -> Any:
    """This process's client of FANXING_REDIS_URL (its pool of connections is kept between requests)."""
    return _redis(settings.FANXING_REDIS_URL)


@functools.cache
def _redis(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=5)


def job_queue(connection: Any = None) -> Any:
    """The RQ queue of this platform's jobs."""
    from rq import Queue

    return Queue(
        settings.FANXING_REDIS_PREFIX,
        connection=connection or redis_connection(),
        is_async=settings.FANXING_JOBS_ASYNC,
        default_timeout=settings.FANXING_JOBS_TIMEOUT,
    )


def rq_job_id(job_id: int) -> str:
    return f"{settings.FANXING_REDIS_PREFIX}-{job_id}"


def _enqueue(job_id: int, path: str) -> None:
    from redis.exceptions import RedisError
    from rq import Callback

    try:
        job_queue().enqueue(
            rq_job_run,
            job_id,
            path,
            job_id=rq_job_id(job_id),
            result_ttl=3600,
            failure_ttl=7 * 86400,
            on_failure=Callback(rq_job_lost),
        )
    except RedisError as error:  # the person sees why on the job's page instead of a queued job forever
        logger.exception("job %s could not be queued", job_id)
        job_lost(job_id, f"任务未能排入队列（{error}），请稍后重新提交。")


def rq_job_run(job_id: int, path: str) -> None:
    """What a worker runs for a Job row: the job function named by `path` (imported, not pickled)."""
    _run(job_id, import_string(path))


def task_start(function: Callable[..., Any], *args: Any) -> None:
    """Run `function(*args)` in the background with no Job row (an email, a report's files), as
    FANXING_JOBS says: inline now ("sync"), or once the current transaction commits in a thread of this
    process ("thread") or on a worker ("rq", retried three times over half an hour when it raises). The
    function takes ids, not objects, and reads what it needs itself. Its failure is logged, never raised
    into the caller: what it leaves undone stays recorded as undone (a notice not emailed)."""
    function_path(function)  # a function a worker could not import is refused here, in every profile
    if settings.FANXING_JOBS == "sync":
        _task_run(function, args)
    elif settings.FANXING_JOBS == "thread":
        transaction.on_commit(lambda: _task_thread(function, args))
    elif settings.FANXING_JOBS_ASYNC:
        transaction.on_commit(lambda: _task_queue(function, args))
    else:  # the test suite: through Redis, run at once in this process
        _task_queue(function, args)


def _task_run(function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        function(*args)
    except Exception:
        logger.exception("task %s%r failed", function_path(function), args)


def _task_thread(function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    def run() -> None:
        close_old_connections()
        try:
            _task_run(function, args)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"task-{function.__name__}", daemon=True).start()


def _task_queue(function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    from redis.exceptions import RedisError
    from rq import Retry

    try:
        task_enqueue(function, *args, retry=Retry(max=3, interval=[60, 300, 1800]))
    except RedisError:  # what the task was to do stays undone, and recorded so
        logger.exception("task %s%r could not be queued", function_path(function), args)


def rq_task(path: str, args: list[Any], once: str) -> None:
    """What a worker runs for `task_enqueue`: the function at `path`, after clearing its `once` key. A
    failure is logged here, as in the other profiles, and raised for RQ to record and retry."""
    if once:
        redis_connection().delete(once)
    try:
        import_string(path)(*args)
    except Exception:
        logger.exception("task %s%r failed", path, tuple(args))
        raise


def task_enqueue(function: Callable[..., Any], *args: Any, once: str = "", retry: Any = None) -> None:
    """Queue a function with no Job row (an index rebuild); with `once`, not again while one with that
    name waits in the queue (a task already running does not count: it may have read the data too early);
    with `retry` (an rq.Retry), run again after it raises."""
    path = function_path(function)
    key = f"{settings.FANXING_REDIS_PREFIX}:once:{once}" if once else ""
    redis = redis_connection()
    if key and not redis.set(key, 1, nx=True, ex=settings.FANXING_JOBS_TIMEOUT):
        return
    task_id = f"{settings.FANXING_REDIS_PREFIX}-task-{uuid.uuid4().hex}"
    job_queue(redis).enqueue(
        rq_task, path, list(args), key, job_id=task_id, failure_ttl=7 * 86400, retry=retry
    )


def _rq_progress(done: int, total: int) -> None:
    from rq import get_current_job

    current = get_current_job()
    if current is not None:
        current.meta["progress"] = [done, total]
        current.save_meta()


def _rq_state(job: Job) -> None:
    """Merge the RQ job's progress into `job`, or mark the row failed if its worker died."""
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RQJob
    from rq.job import JobStatus

    try:
        queue = job_queue()
        queue.started_job_registry.cleanup()  # fails jobs whose worker stopped sending heartbeats
        rq_job = RQJob.fetch(rq_job_id(job.pk), connection=queue.connection)
        status = rq_job.get_status()
    except NoSuchJobError:
        rq_job, status = None, None
    except RedisError:  # Redis is away: the page keeps polling and catches up when it is back
        logger.warning("job %s: Redis unreachable, state unknown", job.pk)
        return
    if rq_job is None and timezone.now() - job.created_at < LOST_AFTER:
        return
    if rq_job is None or status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        job_lost(job.pk)
        job.refresh_from_db()
        return
    if progress := rq_job.meta.get("progress"):
        job.done, job.total = progress
        job.status = Job.Status.RUNNING


def job_lost(job_id: int, error: str = LOST_ERROR) -> None:
    """Mark a queued or running job failed because whatever was to run it is gone."""
    Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
        status=Job.Status.FAILED, result={"error": error, "lost": True}, finished_at=timezone.now()
    )


def rq_job_lost(rq_job: Any, *args: Any) -> None:
    """RQ's hook when a worker's work horse died or a started job was abandoned: fail its Job row."""
    prefix = f"{settings.FANXING_REDIS_PREFIX}-"
    suffix = rq_job.id.removeprefix(prefix)
    if rq_job.id.startswith(prefix) and suffix.isdigit():
        logger.error("job %s: its worker died; marked failed", suffix)
        job_lost(int(suffix))
