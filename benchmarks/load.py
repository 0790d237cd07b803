"""The load test: a realistic mix of users (benchmarks/load/locustfile.py) against the platform with the demo
data, on loopback only, bounded in time; per request type, requests per second, p95 and errors.

    .venv/bin/python benchmarks/load.py --profile production [--users 200] [--time 90]
    .venv/bin/python benchmarks/load.py --profile embedded

- production: PostgreSQL (database fanxing_load, created if missing), Redis (cache and the job queue,
  db 5, prefix fanxing-load) with one `fanxing worker`, gunicorn (fanxing/gunicorn_conf.py: a worker per core,
  4 threads each) serving TLS with a throwaway self-signed certificate (secure cookies need HTTPS; in a
  deployment the reverse proxy terminates TLS instead), DEBUG off, static files by WhiteNoise.
- embedded: what `make demo` runs: SQLite, jobs in threads, Django's runserver.

Each profile loads the demo data into its own database first (`fanxing demo --no-serve`), then locust
(headless, in this machine's other processes) ramps up to --users users and runs for --time seconds. The
figures go to benchmarks/results/load-PROFILE-DATE.json and print as a table. Needs the bench extra
(`pip install -e ".[bench]"`).
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(profile: str, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANXING_")}
    env["FANXING_DATA_DIR"] = str(data)
    if profile == "production":
        env.update(
            FANXING_DATABASE_URL="postgres://postgres@127.0.0.1:5432/fanxing_load",
            FANXING_REDIS_URL="redis://127.0.0.1:6379/5",
            FANXING_REDIS_PREFIX="fanxing-load",
            FANXING_JOBS="rq",
            FANXING_DEBUG="0",
            FANXING_SECRET_KEY=secrets.token_urlsafe(50),
            FANXING_ALLOWED_HOSTS="127.0.0.1",
            FANXING_DB_CONN_MAX_AGE="60",
            # No proxy in front here: the simulated clients think up to 10 s between requests on a kept
            # connection, so the server keeps idle ones longer (with the default 5 s, a request now and then
            # raced the server closing its connection and was lost).
            FANXING_KEEPALIVE="30",
        )
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def prepare(profile: str, env: dict[str, str]) -> None:
    if profile == "production":
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                "SELECT 1 FROM pg_database WHERE datname='fanxing_load'",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "fanxing_load"], env)
        run([str(BIN / "fanxing"), "collectstatic", "--noinput"], env)
    run([str(BIN / "fanxing"), "demo", "--no-serve"], env)


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def start(
    profile: str, env: dict[str, str], port: int, folder: Path
) -> tuple[list[subprocess.Popen[bytes]], str]:
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (kept open for the servers' lifetime)
    if profile == "production":
        cert, key = certificate(folder)
        web = subprocess.Popen(
            [str(BIN / "python"), "-m", "gunicorn", "-c", "python:fanxing.gunicorn_conf", f"--bind=127.0.0.1:{port}",
             f"--certfile={cert}", f"--keyfile={key}", "fanxing.wsgi:application"],
            env=env, cwd=ROOT, stdout=log, stderr=log,
        )  # fmt: skip
        worker = subprocess.Popen([str(BIN / "fanxing"), "worker"], env=env, cwd=ROOT, stdout=log, stderr=log)
        return [web, worker], f"https://127.0.0.1:{port}"
    web = subprocess.Popen(
        [str(BIN / "fanxing"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    return [web], f"http://127.0.0.1:{port}"


def wait_ready(host: str) -> None:
    import ssl

    context = ssl._create_unverified_context()  # the throwaway certificate
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {host} did not answer /healthz")


def locust(host: str, users: int, rate: int, seconds: int, folder: Path) -> Path:
    prefix = folder / "stats"
    subprocess.run(
        [str(BIN / "python"), "-m", "locust", "-f", str(ROOT / "benchmarks/load/locustfile.py"), "--headless",
         "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", host, "--csv", str(prefix),
         "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        cwd=ROOT, check=False,
    )  # fmt: skip
    return Path(f"{prefix}_stats.csv")


def figures(stats: Path) -> list[dict[str, Any]]:
    rows = []
    with stats.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "type": row["Name"] if row["Name"] != "Aggregated" else "all",
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 1),
                    "median_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "max_ms": round(float(row["Max Response Time"] or 0)),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=["production", "embedded"], required=True)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rate", type=int, default=20, help="users started per second")
    parser.add_argument("--time", type=int, default=90, help="seconds of load after the start")
    parser.add_argument("--keep-data", action="store_true", help="reuse the loaded data folder")
    args = parser.parse_args()
    data = Path(tempfile.gettempdir()) / f"fanxing-load-{args.profile}"
    if not args.keep_data:
        shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True, exist_ok=True)
    env = environment(args.profile, data)
    started = time.monotonic()
    prepare(args.profile, env)
    print(f"demo data ready in {time.monotonic() - started:.0f} s", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="fanxing-load-"))
    processes, host = start(args.profile, env, free_port(), folder)
    try:
        wait_ready(host)
        rows = figures(locust(host, args.users, args.rate, args.time, folder))
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    result = {
        "profile": args.profile,
        "date": datetime.date.today().isoformat(),
        "machine": {"cores": os.cpu_count()},
        "users": args.users,
        "spawn_rate": args.rate,
        "seconds": args.time,
        "server": "gunicorn (TLS), PostgreSQL, Redis, 1 job worker"
        if args.profile == "production"
        else "runserver, SQLite, jobs in threads",
        "by_type": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{args.profile}-{result['date']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("| type | requests | errors | req/s | median ms | p95 ms | max ms |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['type']} | {r['requests']} | {r['errors']} | {r['rps']} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']} |"
        )
    print(f"written {out.relative_to(ROOT)}; server log {folder / 'server.log'}")


if __name__ == "__main__":
    main()
