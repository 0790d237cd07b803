"""Background jobs in each profile: inline, and queued on Redis for `fanxing worker` processes (docs/jobs.md).

The queued tests run in every run that can reach Redis (CI starts it): in-process through Redis inside a
test's transaction, and, where the test database is a server another process can open (PostgreSQL), with
real worker processes, one of them killed in the middle of an import.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import skipIf

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from fanxing.achievements.models import Achievement
from fanxing.core.io.uploads import import_job
from fanxing.core.jobs import (
    LOST_ERROR,
    function_path,
    job_queue,
    job_start,
    rq_job_id,
    rq_job_run,
    task_enqueue,
    task_start,
)
from fanxing.core.models import Job
from fanxing.core.reference import load_defaults
from fanxing.core.services import notify
from fanxing.core.tests.redis_support import needs_redis, redis_delete_prefixed, redis_url
from fanxing.core.tests.test_import_export import GOOD, ImportExportTestCase, csv_file
from fanxing.core.workflow import Status
from fanxing.matching.indexes import rebuild
from tests.base import PersonasTestCase, make_achievement
from tests.faults.support import free_port

ON_REDIS = {"FANXING_JOBS": "rq", "FANXING_REDIS_URL": redis_url()}


def nested_job_function() -> Any:
    def job_function(job: Job) -> dict[str, Any]:
        return {}

    return job_function


ran: "queue.Queue[str]" = queue.Queue()


def remember(value: str) -> None:
    """A task for the tests below: says it ran, with what."""
    ran.put(value)


def fail(value: str) -> None:
    raise RuntimeError(f"失败：{value}")


class TaskTests(TransactionTestCase):
    """Tasks without a Job row (task_start) in the embedded default: in a thread, after the commit."""

    def test_a_task_starts_in_a_thread_once_the_transaction_commits(self) -> None:
        with self.settings(FANXING_JOBS="thread"):
            with transaction.atomic():
                task_start(remember, "after commit")
                time.sleep(0.2)
                self.assertTrue(ran.empty(), "nothing runs before the commit")
            self.assertEqual(ran.get(timeout=10), "after commit")
            with transaction.atomic():
                task_start(remember, "rolled back")
                transaction.set_rollback(True)
            time.sleep(0.2)
            self.assertTrue(ran.empty(), "a rolled-back transaction's task never runs")

    def test_a_failing_task_is_logged_and_never_reaches_the_caller(self) -> None:
        with self.settings(FANXING_JOBS="sync"), self.assertLogs("fanxing.core.jobs", "ERROR") as logs:
            task_start(fail, "邮件")
        self.assertIn("失败：邮件", "\n".join(logs.output))

    def test_a_task_must_be_a_function_a_worker_can_import(self) -> None:
        with self.assertRaises(ValueError):
            task_start(lambda: None)


class JobFunctionTests(TestCase):
    def test_a_job_function_is_named_by_its_module_and_name(self) -> None:
        self.assertEqual(function_path(import_job), "fanxing.core.io.uploads.import_job")

    def test_a_lambda_or_a_closure_is_refused_before_any_job_is_created(self) -> None:
        for function in (lambda job: {}, nested_job_function()):
            with self.assertRaisesMessage(ValueError, "must be a module-level function"):
                job_start(kind="import", owner=None, params={}, function=function)
        self.assertFalse(Job.objects.exists())


@override_settings(FANXING_JOBS="thread")
class WorkerCommandTests(SimpleTestCase):
    def test_the_worker_refuses_to_start_when_jobs_are_not_queued(self) -> None:
        with self.assertRaisesMessage(CommandError, "请设置 FANXING_JOBS=rq 和 FANXING_REDIS_URL"):
            call_command("worker", "--burst")


class ProfileSettingsTests(SimpleTestCase):
    def settings_with(self, **env: str) -> subprocess.CompletedProcess[str]:
        code = (
            "import json, fanxing.settings as s; "
            "print(json.dumps([s.FANXING_JOBS, s.CACHES['default']['BACKEND'], s.FANXING_REDIS_PREFIX]))"
        )
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FANXING_"))}
        return subprocess.run(
            [sys.executable, "-c", code], env=base | env, capture_output=True, text=True, timeout=60
        )

    def test_the_embedded_default_runs_jobs_in_threads_and_caches_in_memory(self) -> None:
        found = json.loads(self.settings_with().stdout)
        self.assertEqual(found, ["thread", "django.core.cache.backends.locmem.LocMemCache", "fanxing"])

    def test_a_redis_url_gives_the_queue_and_the_redis_cache(self) -> None:
        found = json.loads(self.settings_with(**ON_REDIS).stdout)
        self.assertEqual(found, ["rq", "django.core.cache.backends.redis.RedisCache", "fanxing"])

    def test_queued_jobs_without_a_redis_url_are_refused_naming_the_variable(self) -> None:
        result = self.settings_with(FANXING_JOBS="rq")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("rq needs FANXING_REDIS_URL", result.stderr)

    def test_an_unknown_job_profile_is_refused(self) -> None:
        self.assertIn("FANXING_JOBS is sync, thread or rq", self.settings_with(FANXING_JOBS="celery").stderr)


@needs_redis
@override_settings(**ON_REDIS)
class QueuedJobTests(ImportExportTestCase):
    """Jobs through the Redis queue, run in this process (FANXING_JOBS_ASYNC=False) inside the test's
    transaction; the poller's view of the queue."""

    def setUp(self) -> None:
        super().setUp()
        self.forget_queued()
        self.addCleanup(self.forget_queued)

    def forget_queued(self) -> None:
        """Empty this run's queue and its marks of waiting rebuilds, so no other test finds them."""
        from django.conf import settings

        job_queue().empty()
        redis_delete_prefixed(f"{settings.FANXING_REDIS_PREFIX}:once:")

    def upload_commit(self) -> Job:
        self.login(self.tto_staff)
        self.client.post(reverse("core:io_import", args=["achievements"]), {"file": csv_file([GOOD])})
        checked = Job.objects.latest("created_at")
        self.client.post(reverse("core:io_import", args=["achievements"]), {"job": checked.pk})
        return Job.objects.latest("created_at")

    def queued(self, job: Job) -> Any:
        """The job's entry in the queue, left waiting (as if no worker had taken it yet)."""
        with self.settings(FANXING_JOBS_ASYNC=True):
            return job_queue().enqueue(
                rq_job_run, job.pk, function_path(import_job), job_id=rq_job_id(job.pk)
            )

    def running(self, **fields: Any) -> Job:
        params = {"kind": "achievements", "dry_run": False, "filename": "a.csv", "checked_by": 1}
        return Job.objects.create(
            kind="import", owner=self.tto_staff, status="running", params=params, **fields
        )

    def test_an_import_runs_through_the_queue_and_its_row_says_done(self) -> None:
        job = self.upload_commit()
        self.assertEqual((job.status, job.result["created"]), ("done", 1))
        self.assertEqual(Achievement.objects.get().title, GOOD["成果名称"])
        entry = job_queue().fetch_job(rq_job_id(job.pk))
        self.assertEqual(entry.get_status(), "finished")
        self.assertEqual(entry.func_name, "fanxing.core.jobs.rq_job_run")

    def test_the_poller_shows_the_progress_a_worker_keeps_on_redis(self) -> None:
        job = self.running()
        entry = self.queued(job)
        entry.meta["progress"] = [50, 200]
        entry.save_meta()
        self.login(self.tto_staff)
        page = self.client.get(reverse("core:io_job", args=[job.pk]), HTTP_HX_REQUEST="true")
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "width: 25%")

    def test_a_job_whose_worker_died_is_failed_by_the_poller_and_offers_the_import_again(self) -> None:
        job = self.running()
        self.queued(job).set_status("failed")
        self.login(self.tto_staff)
        page = self.client.get(reverse("core:io_job", args=[job.pk]))
        self.assertContains(page, LOST_ERROR)
        self.assertContains(page, "重新导入")
        self.assertContains(page, '<input type="hidden" name="job" value="1">', html=True)
        job.refresh_from_db()
        self.assertEqual((job.status, job.result["lost"]), ("failed", True))

    def test_a_job_missing_from_the_queue_is_failed_once_it_is_no_longer_new(self) -> None:
        fresh = self.running()
        old = self.running()
        Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=1))
        self.login(self.tto_staff)
        self.assertContains(self.client.get(reverse("core:io_job", args=[fresh.pk])), "正在导入")
        self.assertContains(self.client.get(reverse("core:io_job", args=[old.pk])), LOST_ERROR)

    def test_a_job_that_cannot_be_queued_says_why_and_writes_nothing(self) -> None:
        with self.settings(FANXING_REDIS_URL="redis://127.0.0.1:9/0"):
            job = self.upload_commit()
        self.assertEqual(job.status, "failed")
        self.assertIn("任务未能排入队列", job.result["error"])
        self.assertFalse(Achievement.objects.exists())

    def test_an_index_rebuild_is_queued_once_while_one_waits(self) -> None:
        with self.settings(FANXING_JOBS_ASYNC=True):
            task_enqueue(rebuild, "achievements", once="index-achievements")
            task_enqueue(rebuild, "achievements", once="index-achievements")
            task_enqueue(rebuild, "demands", once="index-demands")
            self.assertEqual(job_queue().count, 2)


def database_url() -> str:
    """The test database's address, for a worker process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@needs_redis
@skipIf(
    connection.vendor != "postgresql",
    "a worker process cannot open the SQLite test database (it lives in this process's memory); "
    "the PostgreSQL run (FANXING_DATABASE_URL, as in .ci/run) runs these",
)
class WorkerProcessTests(TransactionTestCase):
    """Real `fanxing worker` processes on the test database; a transaction test, so they see its rows.

    To kill a worker in the middle of an import at a known point, the test holds a lock on the second of
    the two records the file updates: the import changes the first, then waits inside its transaction (the
    new records would be written last, in bulk)."""

    ROWS = 50

    def setUp(self) -> None:
        load_defaults(apps)  # a transaction test case empties the tables after each test
        PersonasTestCase.setUpTestData.__func__(type(self))  # type: ignore[attr-defined]
        self.first, self.second = (make_achievement(self.qdu, status=Status.DRAFT) for _ in range(2))
        self.tmp = Path(tempfile.mkdtemp())
        override = self.settings(**ON_REDIS, FANXING_JOBS_ASYNC=True)
        override.enable()
        self.addCleanup(override.disable)

    def start_import(self) -> Job:
        path = self.tmp / "achievements.csv"
        if not path.exists():
            rows = [{**GOOD, "成果名称": f"{GOOD['成果名称']}{i}", "专利": ""} for i in range(self.ROWS)]
            for record in (self.first, self.second):
                rows.append({**GOOD, "编号": record.ref, "成果名称": f"改过的{record.ref}", "专利": ""})
            path.write_bytes(csv_file(rows).getvalue())
        params = {"kind": "achievements", "path": str(path), "dry_run": False, "filename": path.name}
        return job_start(kind="import", owner=self.tto_staff, params=params, function=import_job)

    def worker(self, **extra: str) -> subprocess.Popen[str]:
        from django.conf import settings

        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
            **ON_REDIS,
            "FANXING_DATABASE_URL": database_url(),
            "FANXING_REDIS_PREFIX": settings.FANXING_REDIS_PREFIX,
            "FANXING_INDEX_DIR": str(self.tmp / "index"),
            **extra,
        }
        command = [sys.executable, "-m", "fanxing.cli", "worker", "--burst", "--verbosity", "0"]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish(self, worker: subprocess.Popen[str]) -> str:
        output, _ = worker.communicate(timeout=120)
        return output

    @contextmanager
    def last_row_locked(self) -> Iterator[None]:
        with transaction.atomic():
            Achievement.objects.select_for_update().get(pk=self.second.pk)
            yield

    def wait_for_writing(self) -> None:
        """Until the import, its other rows written, waits for the locked record inside its transaction."""
        deadline = time.monotonic() + 60
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction's view of it is fixed
                cursor.execute(
                    "SELECT a.backend_xid IS NOT NULL FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                    "WHERE NOT l.granted AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid))"
                )
                if (row := cursor.fetchone()) is not None:
                    self.assertTrue(row[0], "the waiting import has changed the first record")
                    return
                time.sleep(0.05)
        self.fail("the import never came to the locked record")

    def unchanged(self) -> None:
        """Nothing of the killed import stayed: no new record, the first one as it was."""
        self.assertEqual(Achievement.objects.count(), 2)
        self.assertEqual(Achievement.objects.get(pk=self.first.pk).title, self.first.title)

    def horse_of(self, worker: subprocess.Popen[str]) -> int:
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        self.assertEqual(len(children), 1, "the worker runs one job at a time, in one child")
        return int(children[0])

    def test_an_import_goes_from_queued_to_done_through_a_worker(self) -> None:
        job = self.start_import()
        self.assertEqual(job.status, "queued")
        self.assertEqual(job_queue().fetch_job(rq_job_id(job.pk)).get_status(), "queued")
        output = self.finish(self.worker())
        job.refresh_from_db()
        self.assertEqual((job.status, job.result.get("created")), ("done", self.ROWS), output)
        self.assertEqual((job.done, job.total), (2 * self.ROWS + 4, 2 * self.ROWS + 4))
        self.assertEqual(Achievement.objects.count(), self.ROWS + 2)
        self.assertEqual(job_queue().count, 0, "the index rebuild it queued ran too")

    def test_a_worker_killed_mid_import_fails_the_job_writes_nothing_and_the_import_runs_again(self) -> None:
        job = self.start_import()
        with self.last_row_locked():
            worker = self.worker()
            self.wait_for_writing()
            os.kill(self.horse_of(worker), signal.SIGKILL)
        output = self.finish(worker)
        job.refresh_from_db()
        self.assertEqual((job.status, job.result), ("failed", {"error": LOST_ERROR, "lost": True}), output)
        self.unchanged()

        again = self.start_import()
        self.finish(self.worker())
        again.refresh_from_db()
        self.assertEqual(
            (again.status, again.result.get("created"), again.result.get("updated")), ("done", self.ROWS, 2)
        )
        self.assertEqual(Achievement.objects.count(), self.ROWS + 2)
        self.assertEqual(Achievement.objects.get(pk=self.second.pk).title, f"改过的{self.second.ref}")

    def test_a_job_of_a_worker_killed_whole_is_failed_when_its_heartbeat_expires(self) -> None:
        job = self.start_import()
        with self.last_row_locked():
            worker = self.worker()
            self.wait_for_writing()
            horse = self.horse_of(worker)
            worker.kill()
            os.kill(horse, signal.SIGKILL)
            worker.communicate(timeout=30)
        self.client.force_login(self.tto_staff)
        page = self.client.get(reverse("core:io_job", args=[job.pk]))
        self.assertContains(page, "正在导入", msg_prefix="a worker that stopped a moment ago may be busy")
        job_queue().started_job_registry.cleanup(timestamp=time.time() + 120)  # past its heartbeat's TTL
        job.refresh_from_db()
        self.assertEqual((job.status, job.result), ("failed", {"error": LOST_ERROR, "lost": True}))
        self.unchanged()

    def test_a_notices_email_goes_through_a_worker_and_waits_for_a_retry_when_the_relay_refuses(self) -> None:
        self.tto_staff.email = "staff@qdu.example"
        self.tto_staff.save()
        [notice] = notify(users=[self.tto_staff], subject="合同待登记", url="/deals/")
        self.assertEqual(job_queue().count, 1, "the email waits in the queue; the request did not send it")
        closed = str(free_port())  # a port nothing listens on: the relay refuses
        smtp = "django.core.mail.backends.smtp.EmailBackend"
        output = self.finish(
            self.worker(FANXING_EMAIL_BACKEND=smtp, FANXING_EMAIL_HOST="127.0.0.1", FANXING_EMAIL_PORT=closed)
        )
        notice.refresh_from_db()
        self.assertFalse(notice.emailed, output)
        retries = job_queue().scheduled_job_registry
        self.assertEqual(retries.count, 1, "the failed send is scheduled to run again")
        [retry] = retries.get_job_ids()
        retries.requeue(retry)  # as RQ's scheduler does when the interval has passed

        console = "django.core.mail.backends.console.EmailBackend"
        output = self.finish(self.worker(FANXING_EMAIL_BACKEND=console))
        self.assertIn("To: staff@qdu.example", output)
        notice.refresh_from_db()
        self.assertTrue(notice.emailed, output)
        self.assertEqual((job_queue().count, retries.count), (0, 0))
