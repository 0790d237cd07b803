"""Benchmark of the one-to-one meeting scheduler `fanxing.events.scheduling` against the exact MILP.

    .venv/bin/python benchmarks/scheduler.py                      # the full run (about 10 minutes)
    .venv/bin/python benchmarks/scheduler.py --seeds 1 --exact-sizes 20 --large-sizes 100 --time-limit 10

Instances are made like a real fair (`fair`): half the participants are enterprises, half universities
and institutes; each participant gets 5–15 candidate partners, four in five on the other side; values in
0..1 skewed low (Beta(2, 5)); 15 % of the pairs requested; one participant in ten unavailable for one to
three slots. 8 slots, and two settings of tables:

- scarce: min(20, participants // 4) tables, so at most half the participants meet in a slot (the
  issue's 8 slots × 20 tables from 80 participants on); the choice of meetings is what matters;
- ample: participants // 2 tables, so everyone could meet in every slot; fitting meetings into slots
  (one per participant per slot) is what matters, the harder case for the heuristic.

For the small sizes (20–80 participants) the exact model (`scheduling_exact.exact`, HiGHS, time
limited) gives the optimum or a bound, and the gap is the heuristic's value below it, in per cent, when
both schedule the same number of requested meetings. For the large sizes (100–200) the heuristic's time
is the figure; HiGHS is run too, with the same limit, for a bound. Every schedule is checked with
`violations()`. The table is printed and the figures written to
`benchmarks/results/scheduler-<date>.json`. No database, no Django. Reading: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanxing.events.scheduling import Pair, Problem, schedule, violations  # noqa: E402
from fanxing.events.scheduling_exact import exact  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SLOTS = 8


def tables_for(participants: int, setting: str) -> int:
    return min(20, participants // 4) if setting == "scarce" else participants // 2


def fair(participants: int, seed: int, slots: int = SLOTS, tables: int | None = None) -> Problem:
    """A generated fair of `participants` (half enterprises, ids from 1; then universities)."""
    rng = random.Random(seed)
    people = list(range(1, participants + 1))
    enterprises = set(people[: participants // 2])
    target = {p: rng.randint(5, 15) for p in people}
    partners: dict[int, set[int]] = {p: set() for p in people}
    for p in rng.sample(people, len(people)):
        while len(partners[p]) < min(target[p], participants - 1):
            other_side = rng.random() < 0.8
            pool = [
                q
                for q in people
                if q != p
                and q not in partners[p]
                and ((q in enterprises) != (p in enterprises)) == other_side
            ]
            open_pool = [q for q in pool if len(partners[q]) < target[q]] or pool
            if not open_pool:
                continue
            q = rng.choice(open_pool)
            partners[p].add(q)
            partners[q].add(p)
    pairs = tuple(
        Pair(p, q, round(rng.betavariate(2, 5), 4), rng.random() < 0.15)
        for p in people
        for q in sorted(partners[p])
        if p < q
    )
    unavailable = {
        p: frozenset(rng.sample(range(slots), rng.randint(1, 3))) for p in people if rng.random() < 0.1
    }
    if tables is None:
        tables = tables_for(participants, "scarce")
    return Problem(tuple(people), slots, tables, pairs, unavailable)


def run_one(
    participants: int, setting: str, seed: int, time_limit: float, with_exact: bool
) -> dict[str, Any]:
    problem = fair(participants, seed, tables=tables_for(participants, setting))
    started = time.perf_counter()
    heuristic = schedule(problem)
    seconds = time.perf_counter() - started
    row: dict[str, Any] = {
        "participants": participants,
        "tables_setting": setting,
        "seed": seed,
        "slots": problem.slots,
        "tables": problem.tables,
        "pairs": len(problem.pairs),
        "requested_total": heuristic.requested_total,
        "unavailable": len(problem.unavailable),
        "heuristic": {
            "meetings": len(heuristic.assignments),
            "requested_met": heuristic.requested_met,
            "value": round(heuristic.value, 4),
            "seconds": round(seconds, 3),
            "violations": len(violations(problem, heuristic)),
        },
    }
    if with_exact:
        best = exact(problem, time_limit=time_limit)
        row["exact"] = {
            "optimal": best.optimal,
            "status": best.status,
            "meetings": len(best.schedule.assignments),
            "requested_met": best.schedule.requested_met,
            "requested_bound": best.requested_bound,
            "value": round(best.schedule.value, 4),
            "value_bound": round(best.value_bound(best.schedule.requested_met), 4),
            "seconds": round(best.seconds, 3),
            "violations": len(violations(problem, best.schedule)),
        }
        # The gap is on value among schedules meeting as many requested meetings as the heuristic,
        # and only when no schedule can meet more (else the heuristic is short of requested ones).
        row["requested_short"] = best.requested_bound - heuristic.requested_met
        bound = best.value_bound(heuristic.requested_met)
        row["value_bound_at_heuristic_requested"] = round(bound, 4)
        if row["requested_short"] == 0 and bound > 0:
            row["gap_percent"] = round(100 * (bound - heuristic.value) / bound, 3)
        else:
            row["gap_percent"] = None
    return row


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'n':>4} {'seed':>4} {'tab':>3} {'pairs':>5} {'req':>4} | {'heur req':>8} {'value':>8} {'s':>6} "
        f"{'viol':>4} | {'HiGHS req':>9} {'≤req':>4} {'value':>8} {'bound':>8} {'opt':>3} {'s':>6} | {'gap %':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        h, e = r["heuristic"], r.get("exact")
        line = (
            f"{r['participants']:>4} {r['seed']:>4} {r['tables']:>3} {r['pairs']:>5} {r['requested_total']:>4} | "
            f"{h['requested_met']:>8} {h['value']:>8.3f} {h['seconds']:>6.2f} {h['violations']:>4} | "
        )
        if e:
            gap = "—" if r["gap_percent"] is None else f"{r['gap_percent']:.2f}"
            line += (
                f"{e['requested_met']:>9} {e['requested_bound']:>4} {e['value']:>8.3f} "
                f"{r['value_bound_at_heuristic_requested']:>8.3f} "
                f"{'yes' if e['optimal'] else 'no':>3} {e['seconds']:>6.1f} | {gap:>6}"
            )
        lines.append(line)
    return "\n".join(lines)


def git_commit() -> str:
    """The commit checked out, with "+changes" when scheduling*.py differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()

    changed = git(
        "status", "--porcelain", "fanxing/events/scheduling.py", "fanxing/events/scheduling_exact.py"
    )
    return git("rev-parse", "--short", "HEAD") + ("+changes" if changed else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--exact-sizes", type=int, nargs="*", default=[20, 40, 60, 80])
    parser.add_argument("--large-sizes", type=int, nargs="*", default=[100, 150, 200])
    parser.add_argument("--seeds", type=int, default=3, help="instances per size (seeds 1..N)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for HiGHS per instance")
    parser.add_argument("--tables", nargs="*", default=["scarce", "ample"], choices=["scarce", "ample"])
    parser.add_argument("--no-exact-large", action="store_true", help="skip HiGHS on the large sizes")
    args = parser.parse_args()
    commit = git_commit()  # read now: the code measured is the code loaded at the start
    rows = []
    for setting in args.tables:
        print(f"\ntables {setting}\n" + table([]))
        for n in [*args.exact_sizes, *args.large_sizes]:
            with_exact = n in args.exact_sizes or not args.no_exact_large
            for seed in range(1, args.seeds + 1):
                rows.append(run_one(n, setting, seed, args.time_limit, with_exact))
                print(table(rows[-1:]).splitlines()[-1], flush=True)
    for setting in args.tables:
        print(f"\ntables {setting}\n" + table([r for r in rows if r["tables_setting"] == setting]))
    out = RESULTS / f"scheduler-{datetime.date.today().isoformat()}.json"
    out.write_text(json.dumps(_report(args, commit, rows), ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten {out}")


def _report(args: argparse.Namespace, commit: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "benchmark": "scheduler",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "command": " ".join(["benchmarks/scheduler.py", *sys.argv[1:]]),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "software": {"scipy": importlib.metadata.version("scipy"), "highspy_via": "scipy.optimize.milp"},
        "instances": {
            "slots": SLOTS,
            "tables": {"scarce": "min(20, participants // 4)", "ample": "participants // 2"},
            "partners_per_participant": "5-15, 80% on the other side",
            "value": "Beta(2, 5), 4 decimals",
            "requested": "15% of pairs",
            "gap": "value below HiGHS's bound among schedules with the heuristic's requested count, "
            "when no schedule meets more requested ones (requested_short = 0)",
            "unavailable": "10% of participants, 1-3 slots",
        },
        "time_limit_exact": args.time_limit,
        "rows": rows,
    }


if __name__ == "__main__":
    main()
