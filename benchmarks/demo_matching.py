"""Matching every demo demand against every demo achievement, and back, through the platform's own path.

    .venv/bin/python benchmarks/demo_matching.py            # about a minute
    FANXING_SEARCH_BACKEND=milvus .venv/bin/python benchmarks/demo_matching.py   # the same on Milvus (milvus-lite)

A fresh embedded database in a temporary folder, the demo loaded (`load_demo`, which builds every index),
then for each published demand `achievements_for_demand` (the engine's ranking, the visibility filter,
the structured fit and the reasons, as the demand page shows them) and for each published achievement
`demands_for_achievement`, one at a time, as an anonymous visitor. Reports the time per match (p50, p95,
max), the whole pass, and where each demand's paired achievement (the one it was written for) ranks.
Writes `benchmarks/results/demo-matching-<date>.json`.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import percentile  # noqa: E402  (nearest rank, the web benchmark's)

RESULTS = ROOT / "benchmarks" / "results"


def summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
        "total_s": round(sum(ms) / 1000, 2),
    }


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="fanxing-demo-matching-"))
    os.environ.update(
        {
            "FANXING_DATA_DIR": str(data_dir),
            "FANXING_JOBS": "sync",
            "FANXING_FAST_HASHER": "1",
            "DJANGO_SETTINGS_MODULE": "fanxing.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    from fanxing.achievements.models import Achievement
    from fanxing.core.demo.data import demo_pairs
    from fanxing.core.demo.loader import load_demo
    from fanxing.core.workflow import Status
    from fanxing.demands.models import Demand
    from fanxing.matching.selectors import achievements_for_demand, demands_for_achievement

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo()
    load_s = time.perf_counter() - started
    visitor = AnonymousUser()
    pairs = dict(demo_pairs())
    demands = list(
        Demand.objects.filter(status=Status.PUBLISHED).select_related("organisation__region", "field")
    )
    achievements = list(
        Achievement.objects.filter(status=Status.PUBLISHED).select_related("organisation__region", "field")
    )
    achievements_for_demand(visitor, demands[0])  # loads the indexes into this process
    demands_for_achievement(visitor, achievements[0])

    times, ranks = [], []
    for demand in demands:
        t0 = time.perf_counter()
        matches = achievements_for_demand(visitor, demand, top=10) or []
        times.append(time.perf_counter() - t0)
        refs = [m.record.ref for m in matches]
        ranks.append(refs.index(pairs[demand.ref]) + 1 if pairs.get(demand.ref) in refs else None)
    back = []
    for achievement in achievements:
        t0 = time.perf_counter()
        demands_for_achievement(visitor, achievement, top=10)
        back.append(time.perf_counter() - t0)

    found = [r for r in ranks if r is not None]
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/demo_matching.py",
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "demo_load_and_index_s": round(load_s, 1),
        "demands": len(demands),
        "achievements": len(achievements),
        "demand_to_achievements": summary(times),
        "achievement_to_demands": summary(back),
        "paired_achievement_rank": {
            "at_1": sum(1 for r in found if r == 1),
            "in_top_5": sum(1 for r in found if r <= 5),
            "in_top_10": len(found),
            "missed_top_10": len(ranks) - len(found),
        },
    }
    backend = os.environ.get("FANXING_SEARCH_BACKEND") or "engine"
    report["search_backend"] = backend
    RESULTS.mkdir(parents=True, exist_ok=True)
    named = "demo-matching" if backend == "engine" else f"demo-matching-{backend}"
    path = RESULTS / f"{named}-{datetime.date.today().isoformat()}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written: {path}")


if __name__ == "__main__":
    main()
