"""Benchmark: the achievement list page and API list with 100k achievements, and a 10k-row import.

`make bench` runs this file. For each database (SQLite in a temporary FANXING_DATA_DIR, PostgreSQL in a
database `fanxing_bench` that it creates and drops) it:

1. migrates, seeds N achievements with bulk_create (benchmarks/seed.py), collects static files;
2. serves the platform with gunicorn (2 workers, gthread) on a free loopback port, production settings
   (FANXING_DEBUG=0), and times a mix of anonymous requests from this process over keep-alive
   connections: a warm-up, then --requests sequential requests per type, then a mixed run with
   --concurrency clients;
3. times `fanxing import achievements FILE --dry-run` and the committing import on a fresh database
   that holds only the organisations the workbook names. The workbook holds --import-rows achievements
   written by the platform's own export (fanxing.core.io) from the seeded SQLite database.

Prints a table and writes everything to benchmarks/results/<date>-<host>.json. Targets: p95 under
150 ms per request type, import under 60 s. Touches nothing but its temporary directories and the
`fanxing_bench` database; loopback only.

    .venv/bin/python benchmarks/run.py [--databases sqlite,postgres] [--achievements 100000]
        [--requests 200] [--import-rows 10000] [--concurrency 4] [--skip-import]
"""

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = ROOT / "benchmarks" / "seed.py"
RESULTS = ROOT / "benchmarks" / "results"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "fanxing_bench"
TARGET_P95_MS = 150.0
TARGET_IMPORT_S = 60.0

Url = tuple[str, dict[str, str]]  # (path with query, extra headers)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# Machine and environment ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "")
    info = {
        "host": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    with contextlib.suppress(Exception):
        import django
        import gunicorn

        info["django"] = django.get_version()
        info["gunicorn"] = gunicorn.__version__
    return info


def code_version() -> dict[str, Any]:
    """The commit measured, and whether the working tree differed from it."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return result.stdout.strip()

    with contextlib.suppress(Exception):
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "fanxing"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        dirty = [line[3:] for line in status.splitlines() if line.strip()]
        return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_in_fanxing": dirty}
    return {}


def base_env(data_dir: Path) -> dict[str, str]:
    """The environment of every child: production settings, nothing inherited from FANXING_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANXING_")}
    env.update(
        {
            "FANXING_DATA_DIR": str(data_dir),
            "FANXING_DEBUG": "0",
            "FANXING_SSL_REDIRECT": "0",  # plain HTTP on loopback; the proxy terminates TLS in production
            "FANXING_SECRET_KEY": "benchmark-only-" + "x" * 40,
            "FANXING_LOG_LEVEL": "WARNING",
            "FANXING_JOBS": "sync",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "fanxing.settings",
        }
    )
    return env


@contextlib.contextmanager
def database(kind: str, keep: bool) -> Iterator[dict[str, str]]:
    """A fresh, empty database of this kind; yields the environment that selects it; removes it after."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"fanxing-bench-{kind}-"))
    env = base_env(data_dir)
    if kind == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE} ENCODING 'UTF8' TEMPLATE template0")
        env["FANXING_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    try:
        yield env
    finally:
        if kind == "postgres" and not keep:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            log(f"kept {data_dir}")


def run(args: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def prepare(env: dict[str, str], achievements: int) -> dict[str, Any]:
    """Migrate, seed and collect static files; returns what the request mix needs."""
    started = time.perf_counter()
    run([str(BIN / "fanxing"), "migrate", "--noinput", "-v0"], env)
    migrate_s = time.perf_counter() - started
    facts_file = Path(env["FANXING_DATA_DIR"]) / "facts.json"
    run([sys.executable, str(SEED), "achievements", str(achievements), str(facts_file)], env)
    run([str(BIN / "fanxing"), "collectstatic", "--noinput", "-v0"], env)
    facts = json.loads(facts_file.read_text(encoding="utf-8"))
    facts["migrate_seconds"] = round(migrate_s, 1)
    return facts


# Serving ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    """gunicorn serving fanxing.wsgi on a free loopback port until the block ends."""
    port = free_port()
    log_file = open(Path(env["FANXING_DATA_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "fanxing.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--timeout=60",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/ways")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log_file.name}")
            time.sleep(0.3)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


# The request mix --------------------------------------------------------------------------------------


def request_types(facts: dict[str, Any], rng: random.Random) -> dict[str, Callable[[], Url]]:
    """Each request type makes a new URL per request, as people would send them."""
    last_page = max(1, math.ceil(facts["public_published"] / 20))
    tops, leaves, ways, words = facts["top_fields"], facts["leaf_fields"], facts["ways"], facts["words"]
    htmx = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": "http://127.0.0.1/achievements/"}

    def form(**values: Any) -> str:
        # What the filter form submits: every field, most of them empty.
        data = {"q": "", "field": "", "trl_min": "", "trl_max": "", "way": "", "organisation": "", "sort": ""}
        data.update({k: str(v) for k, v in values.items()})
        return urlencode(data)

    return {
        "list first page": lambda: ("/achievements/", {}),
        "list deep page": lambda: (f"/achievements/?page={rng.randint(last_page // 10, last_page)}", {}),
        "list by field": lambda: (f"/achievements/?field={rng.choice(tops + leaves)}", {}),
        "list by trl_min": lambda: (f"/achievements/?trl_min={rng.randint(3, 8)}", {}),
        "list by way": lambda: (f"/achievements/?way={rng.choice(ways)}", {}),
        "list by keyword q": lambda: ("/achievements/?" + urlencode({"q": rng.choice(words)}), {}),
        "list HTMX partial": lambda: (
            "/achievements/?" + form(field=rng.choice(tops), trl_min=rng.randint(3, 8)),
            htmx,
        ),
        "API list": lambda: ("/api/v1/achievements", {}),
        "API list field+trl_min": lambda: (
            "/api/v1/achievements?" + urlencode({"field": rng.choice(tops), "trl_min": rng.randint(3, 8)}),
            {},
        ),
        "detail page": lambda: (f"/achievements/{rng.choice(facts['detail_ids'])}/", {}),
    }


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, url: Url) -> tuple[float, int, int]:
        """(milliseconds, status, body bytes)."""
        path, headers = url
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.conn.request("GET", path, headers={"Accept-Encoding": "identity", **headers})
                response = self.conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return elapsed, response.status, len(body)
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise(times: list[float], errors: int, sizes: list[int]) -> dict[str, Any]:
    return {
        "n": len(times),
        "errors": errors,
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "mean_ms": round(sum(times) / len(times), 1),
        "mean_kib": round(sum(sizes) / len(sizes) / 1024, 1),
    }


def measure(port: int, facts: dict[str, Any], requests: int, warmup: int, seconds: float) -> dict[str, Any]:
    """Sequential requests per type after a warm-up; p50/p95/max in milliseconds.

    A type stops after `requests` requests or `seconds` seconds, whichever comes first (slow types get
    fewer samples; `n` says how many)."""
    rng = random.Random(7)
    types = request_types(facts, rng)
    client = Client(port)
    for make in types.values():  # warm every worker and code path
        for _ in range(warmup):
            client.get(make())
    results: dict[str, Any] = {}
    for name, make in types.items():
        times: list[float] = []
        sizes: list[int] = []
        errors = 0
        example = make()[0]
        started = time.monotonic()
        while len(times) < requests and time.monotonic() - started < seconds:
            ms, status, size = client.get(make())
            times.append(ms)
            sizes.append(size)
            errors += status != 200
        results[name] = summarise(times, errors, sizes) | {"example": example}
        log(f"  {name:<24} p50 {results[name]['p50_ms']:7.1f}  p95 {results[name]['p95_ms']:7.1f} ms")
    client.close()
    return results


def measure_concurrent(
    port: int, facts: dict[str, Any], total: int, clients: int, seconds: float
) -> dict[str, Any]:
    """The whole mix at random from several clients at once: latency under load and throughput.

    Stops after `total` requests or `seconds` seconds."""
    lock = threading.Lock()
    times: list[float] = []
    sizes: list[int] = []
    by_type: dict[str, list[float]] = {}
    errors = [0]
    remaining = [total]
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        makers = list(request_types(facts, rng).items())
        client = Client(port)
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    break
                remaining[0] -= 1
            name, make = rng.choice(makers)
            ms, status, size = client.get(make())
            with lock:
                times.append(ms)
                sizes.append(size)
                by_type.setdefault(name, []).append(ms)
                errors[0] += status != 200
        client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(100 + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return summarise(times, errors[0], sizes) | {
        "clients": clients,
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(times) / seconds, 1),
        "by_type": {
            name: {
                "n": len(v),
                "p50_ms": round(percentile(v, 0.5), 1),
                "p95_ms": round(percentile(v, 0.95), 1),
            }
            for name, v in by_type.items()
        },
    }


# Import ----------------------------------------------------------------------------------------------


def timed_import(env: dict[str, str], workbook: Path, dry_run: bool) -> dict[str, Any]:
    args = [str(BIN / "fanxing"), "import", "achievements", str(workbook)] + (
        ["--dry-run"] if dry_run else []
    )
    started = time.perf_counter()
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - started
    # The summary the command prints, and the last frame of its progress bar (frames end with \r).
    out = [line.strip() for line in result.stdout.split("\n") if line.strip()]
    err = [line.split("\r")[-1].strip() for line in result.stderr.split("\n") if line.strip()]
    return {"seconds": round(seconds, 1), "exit": result.returncode, "output": out[-1:] + err[-2:]}


def import_run(kind: str, workbook: Path, keep: bool) -> dict[str, Any]:
    """Dry run, then the committing import, on a fresh database holding only the organisations."""
    with database(kind, keep) as env:
        run([str(BIN / "fanxing"), "migrate", "--noinput", "-v0"], env)
        run([sys.executable, str(SEED), "organisations"], env)
        dry = timed_import(env, workbook, dry_run=True)
        after_dry = json.loads(run([sys.executable, str(SEED), "count"], env).stdout)
        log(
            f"  dry run {dry['seconds']} s (exit {dry['exit']}), then {after_dry['achievements']} achievements"
        )
        commit = timed_import(env, workbook, dry_run=False)
        after = json.loads(run([sys.executable, str(SEED), "count"], env).stdout)
        log(
            f"  commit  {commit['seconds']} s (exit {commit['exit']}), then {after['achievements']} achievements"
        )
        return {
            "dry_run": dry | {"achievements_after": after_dry["achievements"]},
            "commit": commit
            | {"achievements_after": after["achievements"], "patents_after": after["patents"]},
        }


def io_ready() -> bool:
    init = ROOT / "fanxing" / "core" / "io" / "__init__.py"
    single = ROOT / "fanxing" / "core" / "io.py"
    text = init.read_text() if init.exists() else (single.read_text() if single.exists() else "")
    return "def records_export" in text or "records_export" in text


# Report ----------------------------------------------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    dbs = [db for db in report["databases"] if "requests" in report["databases"][db]]
    header = "| request | " + " | ".join(f"{db} p50 / p95 / max (ms)" for db in dbs) + " |"
    lines = [header, "|---|" + "---|" * len(dbs)]
    names = list(report["databases"][dbs[0]]["requests"]) if dbs else []
    for name in names:
        cells = []
        for db in dbs:
            r = report["databases"][db]["requests"][name]
            flag = "" if r["p95_ms"] < TARGET_P95_MS and not r["errors"] else " ✗"
            fewer = f" (n={r['n']})" if r["n"] < report["options"]["requests"] else ""
            cells.append(f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['max_ms']:.0f}{fewer}{flag}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if dbs and all("concurrent" in report["databases"][db] for db in dbs):
        cells = []
        for db in dbs:
            c = report["databases"][db]["concurrent"]
            cells.append(
                f"{c['p50_ms']:.0f} / {c['p95_ms']:.0f} / {c['max_ms']:.0f} ({c['requests_per_second']} req/s)"
            )
        clients = report["databases"][dbs[0]]["concurrent"]["clients"]
        lines.append(f"| mixed, {clients} clients | " + " | ".join(cells) + " |")
    imports = [db for db in report["databases"] if "import" in report["databases"][db]]
    if imports:
        lines += ["", "| import | " + " | ".join(imports) + " |", "|---|" + "---|" * len(imports)]
        for step in ("dry_run", "commit"):
            cells = []
            for db in imports:
                r = report["databases"][db]["import"][step]
                flag = "" if r["seconds"] < TARGET_IMPORT_S and r["exit"] == 0 else " ✗"
                cells.append(f"{r['seconds']} s (exit {r['exit']}){flag}")
            rows = report.get("import_rows", "")
            lines.append(f"| {rows} rows, {step.replace('_', ' ')} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per type")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per type")
    parser.add_argument("--type-seconds", type=float, default=30, help="time limit per request type")
    parser.add_argument("--concurrency", type=int, default=4, help="clients of the mixed run (0: skip)")
    parser.add_argument("--concurrent-requests", type=int, default=400)
    parser.add_argument("--concurrent-seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories and database")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/<date>-<host>.json)")
    options = parser.parse_args()

    started = time.perf_counter()
    info = machine()
    kinds = [k.strip() for k in options.databases.split(",") if k.strip()]
    if "postgres" in kinds and info["postgresql"] is None:
        log(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: skipping it")
        kinds.remove("postgres")
    report: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": info,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "code": code_version(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        "server": f"gunicorn fanxing.wsgi, {options.workers} workers × {options.threads} threads (gthread), "
        "FANXING_DEBUG=0, FANXING_DB_CONN_MAX_AGE unset (0: a connection per request)",
        "targets": {"p95_ms": TARGET_P95_MS, "import_seconds": TARGET_IMPORT_S},
        "import_rows": options.import_rows,
        "databases": {},
    }
    scratch = Path(tempfile.mkdtemp(prefix="fanxing-bench-"))
    workbook = scratch / f"achievements-{options.import_rows}.xlsx"
    try:
        for kind in kinds:
            result: dict[str, Any] = {}
            report["databases"][kind] = result
            log(f"{kind}: migrate and seed {options.achievements} achievements")
            with database(kind, options.keep) as env:
                facts = prepare(env, options.achievements)
                result["data"] = {
                    k: v for k, v in facts.items() if k not in ("detail_ids", "words", "leaf_fields")
                }
                log(f"{kind}: seeded in {facts['seconds']} s; serving")
                with server(env, options.workers, options.threads) as port:
                    result["requests"] = measure(
                        port, facts, options.requests, options.warmup, options.type_seconds
                    )
                    if options.concurrency:
                        result["concurrent"] = measure_concurrent(
                            port,
                            facts,
                            options.concurrent_requests,
                            options.concurrency,
                            options.concurrent_seconds,
                        )
                        c = result["concurrent"]
                        log(
                            f"  mixed x{options.concurrency}: p95 {c['p95_ms']} ms, {c['requests_per_second']} req/s"
                        )
                if not options.skip_import and not workbook.exists():
                    if io_ready():
                        log(f"{kind}: exporting {options.import_rows} achievements to {workbook.name}")
                        exported = json.loads(
                            run(
                                [
                                    sys.executable,
                                    str(SEED),
                                    "export",
                                    str(options.import_rows),
                                    str(workbook),
                                ],
                                env,
                            ).stdout
                        )
                        report["workbook"] = exported
                    else:
                        log("fanxing.core.io has no records_export yet: skipping the import")
                        options.skip_import = True
            if not options.skip_import and workbook.exists():
                log(f"{kind}: import of {options.import_rows} rows into a fresh database")
                result["import"] = import_run(kind, workbook, options.keep)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = options.out or RESULTS / f"{datetime.date.today():%Y-%m-%d}-{info['host']}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(
        f"\n{info['nproc']} CPUs, {info['memory_gib']} GiB, Python {info['python']}, SQLite {info['sqlite']}, "
        f"PostgreSQL {info['postgresql']}; {report['total_seconds']} s in all; written to {out}"
    )


if __name__ == "__main__":
    main()
