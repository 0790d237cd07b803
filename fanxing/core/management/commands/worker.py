"""`fanxing worker`: run the platform's queued jobs (FANXING_JOBS=rq); docs/jobs.md.

RQ's forking worker: each job runs in a fresh child process (the work horse). Django's database connections
are closed before every fork, so a horse never shares the worker's socket; when a horse dies (killed, out of
memory) the worker marks its Job row failed at once, and an abandoned job of a worker that died whole is
failed by the next worker's or poller's clean-up of the started-job registry. Every worker offers to run
RQ's scheduler too (one at a time holds its lock): it queues a failed task's retry when its time comes.
"""

import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from rq import Worker

from fanxing.core.jobs import job_queue, redis_connection, rq_job_lost


class FanxingWorker(Worker):
    """RQ's worker with Django's database connections closed before each job's fork and, in the horse,
    after the job."""

    def fork_work_horse(self, job: Any, queue: Any) -> None:
        connections.close_all()
        super().fork_work_horse(job, queue)

    def perform_job(self, job: Any, queue: Any) -> bool:
        try:
            return bool(super().perform_job(job, queue))
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = (
        "运行后台任务（导入、索引重建、邮件、榜单文件）的工作进程：FANXING_JOBS=rq 时从 Redis 队列取任务执行"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="执行完队列中的任务后退出")
        parser.add_argument("--name", default="", help="工作进程的名称（默认：主机名.进程号）")

    def handle(self, *args: Any, burst: bool, name: str, **options: Any) -> None:
        if settings.FANXING_JOBS != "rq":
            raise CommandError(
                "后台任务不走队列：请设置 FANXING_JOBS=rq 和 FANXING_REDIS_URL（见 docs/jobs.md）"
            )
        connections.close_all()
        redis = redis_connection()
        worker = FanxingWorker(
            [job_queue(redis)],
            connection=redis,
            name=name or f"{settings.FANXING_REDIS_PREFIX}.{socket.gethostname()}.{os.getpid()}",
            work_horse_killed_handler=rq_job_lost,
        )
        level = "DEBUG" if options["verbosity"] > 1 else "INFO" if options["verbosity"] else "WARNING"
        # with_scheduler: one of the workers (whichever holds RQ's lock) also queues the retries that are due
        worker.work(burst=burst, logging_level=level, with_scheduler=True)
