"""Search on many nodes (issue 7): a worker builds versioned snapshots of the matching index; every web
process on every node loads the newest within seconds; a lost worker and a node's restart leave search
working.

Two "nodes" are two production web servers (`fanxing serve`, gunicorn with two worker processes each) on
free loopback ports, each with a FANXING_DATA_DIR of its own (its media and static files) and the same
FANXING_INDEX_DIR (the shared folder of docs/deployment.md), on one PostgreSQL database and one Redis.
Records are written by `fanxing shell` through the services, as a web request would, and their index
rebuild is queued on Redis for `fanxing worker --burst`. The test uses a database of its own on the
suite's PostgreSQL server (created and dropped here) and a redis-server of its own, so it runs in CI's
PostgreSQL run (FANXING_DATABASE_URL set to PostgreSQL).
"""

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import psycopg
from django.test import SimpleTestCase

from tests.faults.support import BIN, ON_POSTGRES, free_port, get, start_redis, wait_for

LOADED_WITHIN = 10.0  # seconds after the worker finished, for every web process of both nodes
SHRIMP, BATTERY, SEAWEED = "对虾养殖尾水微生物处理技术", "锂电池正极材料包覆工艺", "海带育苗光照调控装置"
# Runs in `fanxing shell -c` with the nodes' environment: one published achievement per title, written
# by the services (the platform's own writes), so the rebuild is queued on Redis when they commit.
CREATE = """
from django.db import transaction
from fanxing.achievements.services import achievement_move, achievement_save
from fanxing.core.models import ConversionWay, Organisation, TechField
from fanxing.core.workflow import Visibility

with transaction.atomic():
    university, _ = Organisation.objects.get_or_create(
        name="黄海海洋大学", defaults={"kind": Organisation.Kind.UNIVERSITY}
    )
    for title in TITLES:
        record = achievement_save(
            by=None,
            fields={
                "organisation": university,
                "title": title,
                "summary": title + "：面向沿海企业的成熟技术，可现场演示。",
                "field": TechField.objects.get(code="marine.fishery"),
                "trl": 6,
                "visibility": Visibility.PUBLIC,
                "price_negotiable": True,
                "contact_name": "张老师",
                "contact_phone": "0532-85950001",
            },
            ways=list(ConversionWay.objects.filter(code="licence")),
        )
        for action in ("submit", "publish"):
            achievement_move(achievement=record, action=action, by=None)
"""


def database_url(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, an RQ worker's work horse)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def maps(pid: int, folder: Path) -> bool:
    """Whether the process has a file of this index version mapped (Index.load maps its arrays)."""
    try:
        return f"{folder}/" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@unittest.skipUnless(
    ON_POSTGRES,
    "needs PostgreSQL (FANXING_DATABASE_URL=postgres://…): runs in the PostgreSQL run of the suite",
)
@unittest.skipUnless(shutil.which("redis-server"), "needs redis-server")
class SearchNodesTest(SimpleTestCase):
    folder: Path
    index: Path
    database: str
    env: dict[str, str]
    nodes: dict[str, subprocess.Popen[bytes]]
    ports: dict[str, int]
    logs: list[IO[bytes]]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="fanxing-nodes-")).resolve()
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.logs = []
        cls.addClassCleanup(lambda: [log.close() for log in cls.logs])
        cls.index = cls.folder / "index"  # the shared folder
        redis_port = free_port()
        redis = start_redis(redis_port)
        cls.addClassCleanup(stop, redis)
        cls.create_database(f"fanxing_nodes_{secrets.token_hex(4)}")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("FANXING_")} | {
            "FANXING_DATABASE_URL": database_url(os.environ["FANXING_DATABASE_URL"], cls.database),
            "FANXING_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "FANXING_REDIS_PREFIX": f"fanxing-nodes-{secrets.token_hex(4)}",
            "FANXING_JOBS": "rq",
            "FANXING_DEBUG": "0",
            "FANXING_SSL_REDIRECT": "0",
            "FANXING_SECRET_KEY": secrets.token_urlsafe(50),
            "FANXING_ALLOWED_HOSTS": "127.0.0.1",
            "FANXING_INDEX_DIR": str(cls.index),
            "FANXING_DATA_DIR": str(cls.folder / "worker"),
        }
        with ThreadPoolExecutor() as pool:  # migrate once, from one machine; collect node1's static files
            steps = [
                pool.submit(cls.fanxing, "migrate"),
                pool.submit(cls.fanxing, "collectstatic", "--noinput", node="node1"),
            ]
            for step in steps:
                step.result()
        shutil.copytree(cls.folder / "node1" / "static", cls.folder / "node2" / "static")  # as in an image
        cls.nodes, cls.ports = {}, {"node1": free_port(), "node2": free_port()}
        cls.addClassCleanup(cls.stop_nodes)
        for node in cls.ports:
            cls.start_node(node)
        for node in cls.ports:
            cls.wait_until_up(node)

    @classmethod
    def create_database(cls, name: str) -> None:
        cls.database = name
        with psycopg.connect(cls.server_url(), autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{name}"')
        cls.addClassCleanup(cls.drop_database)

    @staticmethod
    def server_url() -> str:
        """The suite's PostgreSQL server, by its maintenance database (the suite's own may not exist)."""
        return database_url(os.environ["FANXING_DATABASE_URL"], "postgres")

    @classmethod
    def drop_database(cls) -> None:
        with psycopg.connect(cls.server_url(), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{cls.database}" WITH (FORCE)')

    @classmethod
    def node_env(cls, node: str) -> dict[str, str]:
        return cls.env | {"FANXING_DATA_DIR": str(cls.folder / node)}

    @classmethod
    def fanxing(cls, *command: str, node: str = "worker") -> None:
        """Run a fanxing command on this machine (a node, or the worker's); its errors in the failure."""
        done = subprocess.run([str(BIN / "fanxing"), *command], env=cls.node_env(node), capture_output=True)
        if done.returncode:
            raise AssertionError(f"fanxing {command[0]} failed: {done.stderr.decode()[-3000:]}")

    @classmethod
    def start_node(cls, node: str) -> None:
        log = open(cls.folder / f"{node}.log", "ab")  # noqa: SIM115
        cls.logs.append(log)
        cls.nodes[node] = subprocess.Popen(
            [
                str(BIN / "fanxing"),
                "serve",
                f"--bind=127.0.0.1:{cls.ports[node]}",
                "--workers=2",
                "--threads=2",
            ],
            env=cls.node_env(node),
            stdout=log,
            stderr=log,
        )

    @classmethod
    def wait_until_up(cls, node: str) -> None:
        wait_for(lambda: get(cls.url(node, "/healthz"))[0] == 200, f"{node} did not start")

    @classmethod
    def stop_nodes(cls) -> None:
        for web in cls.nodes.values():
            web.terminate()
        for web in cls.nodes.values():
            web.wait(timeout=30)

    @classmethod
    def url(cls, node: str, path: str) -> str:
        return f"http://127.0.0.1:{cls.ports[node]}{path}"

    def publish(self, *titles: str) -> None:
        """Write published achievements; their rebuild waits in the queue for a worker."""
        self.fanxing("shell", "-c", f"TITLES = {json.dumps(titles, ensure_ascii=False)}\n{CREATE}")

    def current(self) -> str:
        return (self.index / "achievements" / "CURRENT").read_text().strip()

    def versions(self) -> set[str]:
        return {p.name for p in (self.index / "achievements").iterdir() if p.is_dir()}

    def finds(self, node: str, title: str) -> bool:
        status, body, _ = get(self.url(node, "/api/v1/search?" + urllib.parse.urlencode({"q": title})))
        self.assertEqual(status, 200, body)
        return title in [found["title"] for found in json.loads(body)["achievements"]]

    def every_process_searches(self, version: str, *titles: str) -> dict[str, float]:
        """Search on both nodes until every gunicorn worker of each maps this version and each title is
        found; the seconds it took per node, from now."""
        start, seconds = time.monotonic(), dict[str, float]()
        folder = self.index / "achievements" / version
        while len(seconds) < len(self.nodes) and time.monotonic() - start < LOADED_WITHIN:
            for node, web in self.nodes.items():
                found = all([self.finds(node, title) for title in titles])
                workers = children(web.pid)
                loaded = len(workers) == 2 and all(maps(pid, folder) for pid in workers)
                if found and loaded and node not in seconds:
                    seconds[node] = round(time.monotonic() - start, 2)
        print(f"version {version} searched by every web process: {seconds} s", file=sys.stderr)
        self.assertEqual(
            set(seconds), set(self.nodes), f"within {LOADED_WITHIN} s only {seconds}, version {version}"
        )
        return seconds

    def index_detail(self, node: str) -> str:
        status, body, _ = get(self.url(node, "/readyz"))
        self.assertEqual(status, 200, body)
        return str(json.loads(body)["checks"]["index"]["detail"])

    def test_1_a_published_record_is_searched_by_every_web_process_of_every_node_within_seconds(self) -> None:
        self.assertFalse(self.finds("node1", SHRIMP))
        self.publish(SHRIMP)
        self.assertFalse(self.finds("node2", SHRIMP))  # queued, not yet built
        self.fanxing("worker", "--burst")
        version = self.current()
        self.every_process_searches(version, SHRIMP)
        for node in self.nodes:
            self.assertIn(f"achievements {version}", self.index_detail(node))

    def test_2_a_worker_lost_mid_rebuild_leaves_every_node_on_the_version_before(self) -> None:
        before = self.current()
        self.publish(BATTERY)
        worker = self.lose_a_worker_between_writing_a_version_and_publishing_it(before)
        self.assertEqual(worker.returncode, -signal.SIGKILL)
        self.assertEqual(self.current(), before)  # the version written by the lost worker is not current
        (unpublished,) = self.versions() - {before}
        for node, web in self.nodes.items():
            for _ in range(4):
                self.assertTrue(self.finds(node, SHRIMP))
                self.assertFalse(self.finds(node, BATTERY))
            self.assertIn(f"achievements {before}", self.index_detail(node))
            for pid in children(web.pid):  # every process searches the version before, none the lost one
                self.assertTrue(maps(pid, self.index / "achievements" / before), (node, pid))
                self.assertFalse(maps(pid, self.index / "achievements" / unpublished), (node, pid))
        self.publish(SEAWEED)  # the next write's rebuild, on a new worker, publishes everything
        self.fanxing("worker", "--burst")
        self.assertNotIn(self.current(), (before, unpublished))
        self.every_process_searches(self.current(), SHRIMP, BATTERY, SEAWEED)

    def lose_a_worker_between_writing_a_version_and_publishing_it(
        self, before: str
    ) -> subprocess.Popen[bytes]:
        """Hold the library's lock (as a rebuild publishing would), let a worker write its new version
        completely, then SIGKILL the worker and its work horse before they can make it current."""
        with open(self.index / "achievements" / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            worker = subprocess.Popen(
                [str(BIN / "fanxing"), "worker", "--burst"],
                env=self.node_env("worker"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_for(
                    lambda: any(
                        (self.index / "achievements" / v / "manifest.json").exists()
                        for v in self.versions() - {before}
                    ),
                    "the worker wrote no new version",
                )
            finally:
                for pid in [*children(worker.pid), worker.pid]:  # the horse has a process group of its own
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                worker.wait(timeout=10)
        return worker

    def test_3_a_restarted_node_finds_the_records_on_its_first_search(self) -> None:
        version = self.current()
        self.nodes["node2"].send_signal(signal.SIGTERM)
        self.assertEqual(self.nodes["node2"].wait(timeout=30), 0)
        self.start_node("node2")
        self.wait_until_up("node2")
        for title in (SHRIMP, BATTERY, SEAWEED):
            self.assertTrue(self.finds("node2", title), title)
        self.assertIn(f"achievements {version}", self.index_detail("node2"))
