"""PostgreSQL and Redis restarted under a running platform (issue 7's fault test): requests fail cleanly
(503 with Retry-After and a message, never a 500 or a traceback; /healthz still answers, /readyz names
what is down) and the platform recovers by itself when the service is back.

The test runs its own PostgreSQL cluster (initdb in a temporary folder, as the postgres user), its own
redis-server and the production web server (`fanxing serve`, gunicorn) on free loopback ports, so it can
stop them without touching the suite's databases. It runs in CI's PostgreSQL run (FANXING_DATABASE_URL
set to PostgreSQL) and needs root to start PostgreSQL as its user, as CI's machines have.
"""

import glob
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.test import SimpleTestCase

from tests.faults.support import BIN, ON_POSTGRES, free_port, get, start_redis, wait_for

PG_BIN = (sorted(glob.glob("/usr/lib/postgresql/*/bin")) or [""])[-1]


@unittest.skipUnless(ON_POSTGRES, "runs in the PostgreSQL profile's run of the suite")
@unittest.skipUnless(
    os.geteuid() == 0 and PG_BIN and shutil.which("redis-server"), "needs root, PostgreSQL, Redis"
)
class ServiceRestartTest(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="fanxing-faults-"))
        cls.pg_port, cls.redis_port, cls.web_port = free_port(), free_port(), free_port()
        cls.pgdata = cls.folder / "pg"
        cls.pgdata.mkdir()
        shutil.chown(cls.folder, "postgres")
        shutil.chown(cls.pgdata, "postgres")
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.as_postgres(
            [f"{PG_BIN}/initdb", "-D", str(cls.pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        cls.start_postgres()
        cls.addClassCleanup(
            cls.as_postgres,
            [f"{PG_BIN}/pg_ctl", "-D", str(cls.pgdata), "stop", "-m", "immediate"],
            check=False,
        )
        cls.redis = cls.start_redis()
        cls.addClassCleanup(lambda: (cls.redis.terminate(), cls.redis.wait(timeout=10)))
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("FANXING_")} | {
            "FANXING_DATABASE_URL": f"postgres://postgres@127.0.0.1:{cls.pg_port}/postgres",
            "FANXING_DB_CONN_MAX_AGE": "60",  # kept connections, checked before reuse after the restart
            "FANXING_REDIS_URL": f"redis://127.0.0.1:{cls.redis_port}/0",
            "FANXING_JOBS": "rq",
            "FANXING_DEBUG": "0",
            "FANXING_SSL_REDIRECT": "0",
            "FANXING_SECRET_KEY": secrets.token_urlsafe(50),
            "FANXING_ALLOWED_HOSTS": "127.0.0.1",
            "FANXING_DATA_DIR": str(cls.folder / "data"),
        }
        for command in (["migrate"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [str(BIN / "fanxing"), *command, "-v0"], env=cls.env, check=True, capture_output=True
            )
        cls.log = open(cls.folder / "web.log", "wb")  # noqa: SIM115
        cls.web = subprocess.Popen(
            [str(BIN / "fanxing"), "serve", f"--bind=127.0.0.1:{cls.web_port}", "--workers=1", "--threads=2"],
            env=cls.env,
            stdout=cls.log,
            stderr=cls.log,
        )
        cls.addClassCleanup(lambda: (cls.web.terminate(), cls.web.wait(timeout=30), cls.log.close()))
        cls.wait_for(lambda: get(cls.url("/healthz"))[0] == 200, "the web server did not start")

    @classmethod
    def as_postgres(cls, command: list[str], check: bool = True) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @classmethod
    def start_postgres(cls) -> None:
        options = f"-p {cls.pg_port} -k {cls.folder} -c listen_addresses=127.0.0.1"
        log = str(cls.folder / "postgresql.log")  # the server's output to a file, not to our pipe
        cls.as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(cls.pgdata), "-o", options, "-l", log, "-w", "start"])

    @classmethod
    def stop_postgres(cls) -> None:
        cls.as_postgres([f"{PG_BIN}/pg_ctl", "-D", str(cls.pgdata), "-m", "fast", "-w", "stop"])

    @classmethod
    def start_redis(cls) -> subprocess.Popen[bytes]:
        return start_redis(cls.redis_port)

    @classmethod
    def url(cls, path: str) -> str:
        return f"http://127.0.0.1:{cls.web_port}{path}"

    wait_for = staticmethod(wait_for)

    def readiness(self) -> dict[str, bool]:
        status, body, _ = get(self.url("/readyz"))
        return {name: bool(check["ok"]) for name, check in json.loads(body)["checks"].items()}

    def test_1_postgresql_stopped_requests_fail_cleanly_and_recover_when_it_is_back(self) -> None:
        self.assertEqual(get(self.url("/achievements/"))[0], 200)
        self.stop_postgres()
        try:
            for path in ("/achievements/", "/api/v1/achievements"):
                status, body, headers = get(self.url(path))
                with self.subTest(path):
                    self.assertEqual(status, 503)
                    self.assertEqual(headers.get("Retry-After"), "10")
                    self.assertIn("服务暂时不可用" if path == "/achievements/" else "暂时无法连接", body)
                    self.assertNotIn("Traceback", body)
            self.assertEqual(get(self.url("/healthz"))[0], 200)  # the process itself is fine
            self.assertFalse(self.readiness()["database"])
        finally:
            self.start_postgres()
        self.wait_for(
            lambda: get(self.url("/achievements/"))[0] == 200, "no recovery after PostgreSQL came back"
        )
        self.assertTrue(self.readiness()["database"])

    def test_2_redis_stopped_pages_still_answer_cleanly_and_it_is_found_again(self) -> None:
        type(self).redis.terminate()
        type(self).redis.wait(timeout=10)
        try:
            status, body, _ = get(self.url("/achievements/"))
            self.assertIn(status, (200, 503))  # the page needs no cache; never a 500
            self.assertNotIn("Traceback", body)
            self.assertFalse(self.readiness()["cache"])
        finally:
            type(self).redis = self.start_redis()
        self.wait_for(lambda: self.readiness()["cache"], "the cache not found again after Redis came back")
        self.assertEqual(get(self.url("/achievements/"))[0], 200)
