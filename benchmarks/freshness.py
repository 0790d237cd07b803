"""Benchmark: how soon a published, edited or withdrawn demand shows in matches, in every web process.

The requirement: "A record published, edited or withdrawn shows in matches within 2 seconds, without a
restart, in every web process." This script, on a fresh database (benchmarks/run.py's helpers):

1. migrates, loads the demo data (`fanxing demo --no-serve`, which builds every index), collects static
   files and creates an API token for the demo bureau admin (`admin`);
2. serves the platform with gunicorn, 2 workers × 2 threads, production settings and FANXING_JOBS=thread:
   a write's index rebuild runs in a background thread of the worker that handled it, and every worker
   loads the new index version on its next search (fanxing.matching.services and .indexes);
3. keeps one keep-alive connection pinned to each worker (which worker holds a connection is read from
   /proc: the owner of the server end of the socket; the app is not changed) and polls
   GET /api/v1/achievements/{id}/matches as the bureau admin on every worker in turn;
4. for each trial, with achievement A and an achievement B of another field:
   - appear: creates a demand written from A (A's title, summary, keywords, field, ways), submits it and
     publishes it; t0 is when the publish response has arrived; polls A's matches until the demand is in
     them;
   - edit: checks that the demand is not in B's matches, PATCHes its title to B's title (t0 = the PATCH
     response), polls B's matches until the demand is in them;
   - disappear: withdraws it (t0 = the withdraw response), polls B's matches until it has left them.

   For each change: `first` is when the first poll showed it, `everywhere` when every worker showed it for
   good (the latest, over the workers, of the first poll of its final unbroken run), and the change
   counts as settled after --streak consecutive polls all showed it, every worker among them.
   `index` is when the demands library's CURRENT file named a new version (the rebuild written).

The admin sees every demand, withdrawn ones too, so for the admin a withdrawal leaves the matches only
through the index; anonymous visitors stop seeing it at once (the database filter hides it).

Prints a table and writes benchmarks/results/freshness-<date>.json. Exits 1 when a change did not settle
within --timeout seconds. Touches nothing but its temporary directory (and, with --database postgres, the
`fanxing_bench` database that run.py also uses: do not run both at once); loopback only.

    .venv/bin/python benchmarks/freshness.py [--database sqlite|postgres] [--trials 10] [--streak 10]
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402
    BIN,
    RESULTS,
    ROOT,
    code_version,
    database,
    log,
    machine,
    percentile,
    run,
    server,
)

TARGET_S = 2.0
KINDS = ("appear", "edit", "disappear")
TOKEN_CODE = (
    "from fanxing.accounts.models import User\n"
    "from fanxing.accounts.services import api_token_create\n"
    "print(api_token_create(user=User.objects.get(username='admin'), name='freshness benchmark')[1])\n"
)


# Which worker answers: the owner of the server end of a loopback connection ---------------------------


def child_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def gunicorn_workers() -> list[int]:
    """The worker processes of the gunicorn that run.server() started as a child of this process."""
    for pid in child_pids(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmdline:
            return sorted(child_pids(pid))
    raise RuntimeError("no gunicorn child process")


def worker_of(conn: http.client.HTTPConnection, port: int, workers: list[int]) -> int | None:
    """The worker holding the server end of this (open, already answered) connection."""
    client_port = conn.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()  # sl, local, remote, state (01: established), ..., inode
        if (
            fields[1].endswith(f":{port:04X}")
            and fields[2].endswith(f":{client_port:04X}")
            and fields[3] == "01"
            and fields[9] != "0"
        ):
            inode = fields[9]
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in workers:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return pid
            except OSError:
                continue
    return None


# HTTP ------------------------------------------------------------------------------------------------


class Api:
    """Requests as the bureau admin; writes over a fresh connection each, polls over pinned ones."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        self.workers = gunicorn_workers()
        self.pinned: dict[int, http.client.HTTPConnection] = {}

    def send(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: Any = None
    ) -> tuple[int, Any]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def call(
        self, method: str, path: str, body: Any = None, expect: int = 200
    ) -> tuple[Any, int | None, float]:
        """(the JSON answer, the worker that handled it, when the answer arrived) over a fresh connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            status, answer = self.send(conn, method, path, body)
            arrived = time.perf_counter()
            pid = worker_of(conn, self.port, self.workers)
        finally:
            conn.close()
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {answer}")
        return answer, pid, arrived

    def pin(self) -> None:
        """One keep-alive connection held by each worker."""
        for conn in self.pinned.values():
            conn.close()
        self.pinned.clear()
        self.workers = gunicorn_workers()
        spare = []
        for _ in range(200):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.send(conn, "GET", "/api/v1/ways")
            pid = worker_of(conn, self.port, self.workers)
            if pid is not None and pid not in self.pinned:
                self.pinned[pid] = conn
            else:
                spare.append(conn)  # kept open meanwhile, so the next connection may go elsewhere
            if len(self.pinned) == len(self.workers):
                break
        for conn in spare:
            conn.close()
        if len(self.pinned) < len(self.workers):
            raise RuntimeError(f"reached {len(self.pinned)} of {len(self.workers)} workers")

    def poll(self, path: str) -> list[tuple[int, float, set[int]]]:
        """GET path on every worker in turn: (worker, time the answer arrived, ids of the items)."""
        answers = []
        for pid, conn in list(self.pinned.items()):
            try:
                status, answer = self.send(conn, "GET", path)
            except (http.client.HTTPException, OSError):
                self.pin()  # the worker closed the connection (or was replaced): pin again, next round
                return answers
            at = time.perf_counter()
            if status != 200:
                raise RuntimeError(f"GET {path}: {status} {answer}")
            answers.append((pid, at, {item["id"] for item in answer["items"]}))
        return answers

    def close(self) -> None:
        for conn in self.pinned.values():
            conn.close()


# One change, watched until every worker shows it -------------------------------------------------------


def current_version(data_dir: Path) -> str:
    try:
        return (data_dir / "index" / "demands" / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def watch(
    api: Api,
    path: str,
    demand: int,
    present: bool,
    t0: float,
    before: str,
    data_dir: Path,
    options: argparse.Namespace,
) -> dict[str, Any]:
    """Poll until --streak consecutive answers, from every worker, show the change (the demand in the
    matches when `present`, out of them otherwise); times in seconds after t0."""
    first = index_at = None
    since: dict[int, float] = {}  # worker → its first answer in its current unbroken run showing it
    streak: list[int] = []
    polls = reverts = 0
    ok = False
    while time.perf_counter() - t0 < options.timeout:
        if index_at is None and current_version(data_dir) != before:
            index_at = time.perf_counter() - t0
        for pid, at, ids in api.poll(path):
            polls += 1
            if (demand in ids) == present:
                first = at - t0 if first is None else first
                since.setdefault(pid, at - t0)
                streak.append(pid)
            else:
                reverts += pid in since
                since.pop(pid, None)
                streak.clear()
        if len(streak) >= options.streak and set(streak) == set(api.pinned):
            ok = True
            break
        time.sleep(options.interval)
    return {
        "ok": ok,
        "first_s": round(first, 3) if first is not None else None,
        "everywhere_s": round(max(since.values()), 3) if ok else None,
        "index_s": round(index_at, 3) if index_at is not None else None,
        "by_worker_s": {str(pid): round(s, 3) for pid, s in sorted(since.items())},
        "polls": polls,
        "reverts": reverts,  # a worker showed the change, then did not any more
    }


def matches_path(achievement: dict[str, Any]) -> str:
    return f"/api/v1/achievements/{achievement['id']}/matches?top=10"


def matched_anywhere(api: Api, achievement: dict[str, Any], demand: int) -> bool:
    return any(demand in ids for _, _, ids in api.poll(matches_path(achievement)))


def demand_from(achievement: dict[str, Any], organisation: int, trial: int) -> dict[str, Any]:
    """A demand asking for what this achievement offers, in its words."""
    return {
        "title": achievement["title"][:200],
        "problem": f"寻求{achievement['title']}。{achievement['summary']}"[:2000],
        "keywords": achievement["keywords"],
        "field": achievement["field"]["code"],
        "ways": achievement["ways"],
        "min_trl": max(1, min(achievement["trl"], 9) - 1),
        "budget_negotiable": True,
        "deadline": (datetime.date.today() + datetime.timedelta(days=180)).isoformat(),
        "visibility": "public",
        "organisation": organisation,
        "wanted_effect": f"freshness benchmark, trial {trial}",
    }


def timed(
    api: Api,
    method: str,
    path: str,
    body: Any,
    watched: dict[str, Any],
    demand: int,
    present: bool,
    data_dir: Path,
    options: argparse.Namespace,
) -> dict[str, Any]:
    before = current_version(data_dir)
    _, writer, t0 = api.call(method, path, body)
    result = watch(api, matches_path(watched), demand, present, t0, before, data_dir, options)
    return result | {"writer": writer, "achievement": watched["id"]}


def trial(
    api: Api,
    number: int,
    a: dict[str, Any],
    others: list[dict[str, Any]],
    organisation: int,
    data_dir: Path,
    options: argparse.Namespace,
) -> dict[str, Any]:
    created, *_ = api.call("POST", "/api/v1/demands", demand_from(a, organisation, number), expect=201)
    demand = created["id"]
    api.call("POST", f"/api/v1/demands/{demand}/submit")
    out: dict[str, Any] = {"trial": number, "demand": demand}
    publish = f"/api/v1/demands/{demand}/publish"
    out["appear"] = timed(api, "POST", publish, None, a, demand, True, data_dir, options)
    time.sleep(options.pause)
    b = next((o for o in others if not matched_anywhere(api, o, demand)), None)
    if b is None:
        raise RuntimeError(f"demand {demand} is already in the matches of every other candidate")
    patch = {"title": b["title"][:200]}
    out["edit"] = timed(api, "PATCH", f"/api/v1/demands/{demand}", patch, b, demand, True, data_dir, options)
    time.sleep(options.pause)
    withdraw = f"/api/v1/demands/{demand}/withdraw"
    out["disappear"] = timed(api, "POST", withdraw, None, b, demand, False, data_dir, options)
    time.sleep(options.pause)
    return out


# Setup, report -----------------------------------------------------------------------------------------


def prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo data and its indexes, collect static files; the admin's API token."""
    fanxing = str(BIN / "fanxing")
    run([fanxing, "migrate", "--noinput", "-v0"], env)
    started = time.perf_counter()
    run([fanxing, "demo", "--no-serve", "--json"], env)
    log(f"demo data and indexes loaded in {time.perf_counter() - started:.1f} s")
    run([fanxing, "collectstatic", "--noinput", "-v0"], env)
    return run([fanxing, "shell", "-c", TOKEN_CODE], env).stdout.strip().splitlines()[-1]


def candidates(api: Api, trials: int) -> tuple[list[tuple[dict[str, Any], list[dict[str, Any]]]], int]:
    """For each trial an achievement A and the achievements of other top-level fields; an enterprise."""
    page, *_ = api.call("GET", "/api/v1/achievements?page_size=100&sort=oldest")
    public = [a for a in page["items"] if a["status"] == "published" and a["visibility"] == "public"]
    public = [a for a in public if a["keywords"] and a["summary"]]
    if len(public) < 2:
        raise RuntimeError("fewer than two published public achievements in the demo data")
    fields, *_ = api.call("GET", "/api/v1/fields")
    top = {child["code"]: node["code"] for node in fields for child in node.get("children", [])}
    area = {a["id"]: top.get(a["field"]["code"], a["field"]["code"]) for a in public}
    plan = []
    for i in range(trials):
        a = public[(i * 7) % len(public)]
        others = [o for o in public if area[o["id"]] != area[a["id"]]] or [o for o in public if o is not a]
        plan.append((a, others[i % len(others) :] + others[: i % len(others)]))
    orgs, *_ = api.call("GET", "/api/v1/organisations?kind=enterprise&page_size=1")
    return plan, orgs["items"][0]["id"]


def summary(trials: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in KINDS:
        results = [t[kind] for t in trials if kind in t]
        row: dict[str, Any] = {"n": len(results), "failed": sum(not r["ok"] for r in results)}
        for key in ("first_s", "everywhere_s", "index_s"):
            values = [r[key] for r in results if r[key] is not None]
            row[key] = {
                "p50": round(percentile(values, 0.5), 3) if values else None,
                "max": round(max(values), 3) if values else None,
            }
        row["reverts"] = sum(r["reverts"] for r in results)
        row["polls_per_change"] = round(sum(r["polls"] for r in results) / max(1, len(results)), 1)
        out[kind] = row
    return out


def table(summed: dict[str, Any]) -> str:
    def cell(value: dict[str, Any]) -> str:
        if value["p50"] is None:
            return "–"
        flag = "" if value["max"] < TARGET_S else " ✗"
        return f"{value['p50']:.2f} / {value['max']:.2f}{flag}"

    lines = [
        "| change | n | index written p50 / max (s) | first seen | every worker | failed | reverts |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {"appear": "publish → appears", "edit": "edit → appears", "disappear": "withdraw → leaves"}
    for kind in KINDS:
        r = summed[kind]
        index = r["index_s"]
        index_cell = "–" if index["p50"] is None else f"{index['p50']:.2f} / {index['max']:.2f}"
        lines.append(
            f"| {names[kind]} | {r['n']} | {index_cell} | {cell(r['first_s'])} | {cell(r['everywhere_s'])} "
            f"| {r['failed']} | {r['reverts']} |"
        )
    return "\n".join(lines)


def rebuild_errors(data_dir: Path) -> list[str]:
    log_file = data_dir / "gunicorn.log"
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    return [line for line in text.splitlines() if "rebuild" in line or "could not load index" in line][:20]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--streak", type=int, default=10, help="consecutive polls that settle a change")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a change counts as failed")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between polling rounds")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between changes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    parser.add_argument(
        "--out", type=Path, help="JSON file (default benchmarks/results/freshness-<date>.json)"
    )
    options = parser.parse_args()

    info = machine()
    if options.database == "postgres" and info["postgresql"] is None:
        log("PostgreSQL is not reachable: nothing to measure")
        return 2
    report: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": info,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "code": code_version(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        "server": f"gunicorn fanxing.wsgi, {options.workers} workers × {options.threads} threads (gthread), "
        "FANXING_DEBUG=0, FANXING_JOBS=thread",
        "target_s": TARGET_S,
    }
    with contextlib.suppress(Exception):
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "techmatch"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        report["code"]["uncommitted_in_techmatch"] = [line[3:] for line in dirty.splitlines() if line.strip()]
    trials: list[dict[str, Any]] = []
    with database(options.database, options.keep) as env:
        data_dir = Path(env["FANXING_DATA_DIR"])
        log(f"{options.database}: migrate, demo data, indexes, API token")
        token = prepare(env)
        served = env | {"FANXING_JOBS": "thread"}
        with server(served, options.workers, options.threads) as port:
            api = Api(port, token)
            api.pin()
            log(f"serving on port {port}, workers {sorted(api.pinned)}")
            plan, organisation = candidates(api, options.trials)
            for number, (a, others) in enumerate(plan, 1):
                try:
                    trials.append(trial(api, number, a, others, organisation, data_dir, options))
                except RuntimeError as error:
                    log(f"trial {number}: {error}")
                    trials.append({"trial": number, "error": str(error)})
                    continue
                t = trials[-1]
                log(
                    f"trial {number}: "
                    + ", ".join(f"{k} {t[k]['first_s']} / {t[k]['everywhere_s']} s" for k in KINDS)
                )
            api.close()
        report["rebuild_log"] = rebuild_errors(data_dir)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["summary"] = summary(trials)
    report["trials"] = trials
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = options.out or RESULTS / f"freshness-{datetime.date.today():%Y-%m-%d}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(report["summary"]))
    print(
        f"\nseconds after the write's response; ✗: max {TARGET_S} s or more. {info['nproc']} CPUs, "
        f"load {info['load_average_at_start']} → {report['machine']['load_average_at_end']}; "
        f"written to {out}"
    )
    failed = [t for t in trials if "error" in t or not all(t[k]["ok"] for k in KINDS)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
