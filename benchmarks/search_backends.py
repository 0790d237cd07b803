"""Build and query times of the two search backends on BEIR task folders (docs/search-backends.md).

    .venv/bin/python benchmarks/search_backends.py ../shared/benchmarks/csl-dev-*

For each task: the engine's `Index.build` and the Milvus backend's `publish` into a fresh milvus-lite
file (the same documents), then every query's top 10 through each (`search`, one query at a time, after
5 warm-ups), p50 / p95 in milliseconds by nearest rank. Prints one JSON line per task.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from techmatch.evaluate import load_task
from techmatch.index import Index
from techmatch.milvus import MilvusStore, close
from techmatch.search import Backend, Searcher


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed_queries(searcher: Backend, queries: list[str]) -> dict[str, float]:
    for text in queries[:5]:
        searcher.search(text, top=10)
    times = []
    for text in queries:
        started = time.perf_counter()
        searcher.search(text, top=10)
        times.append(1000 * (time.perf_counter() - started))
    return {"p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("taskdirs", nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-backends-") as scratch:
        uri = str(Path(scratch) / "bench.db")
        store = MilvusStore(uri, prefix="bench")
        for folder in args.taskdirs:
            task = load_task(folder)
            queries = [text for _qid, text in task.queries]
            started = time.perf_counter()
            index = Index.build(task.documents)
            engine_build = time.perf_counter() - started
            engine = timed_queries(Searcher(index), queries)
            started = time.perf_counter()
            store.publish(task.name, task.documents)
            milvus_build = time.perf_counter() - started
            searcher = store.searcher(task.name)
            assert searcher is not None
            milvus = timed_queries(searcher, queries)
            store.drop(task.name)
            line = {
                "task": task.name,
                "documents": len(task.documents),
                "queries": len(queries),
                "engine": {"build_s": round(engine_build, 2), **engine},
                "milvus": {"build_s": round(milvus_build, 2), **milvus},
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
        close(uri)
    sys.exit(0)


if __name__ == "__main__":
    main()
