"""Speed benchmark of the matching engine `techmatch`, with SQLite FTS5 over the same tokens as the peer.

    .venv/bin/python benchmarks/engine.py                 # 10k and 100k documents (about 10 minutes)
    .venv/bin/python benchmarks/engine.py --large         # also 1M documents
    .venv/bin/python benchmarks/engine.py --sizes 10000 --demands 100   # smoke run

Each size runs in its own child process (so its peak memory is its own): synthetic documents
(`engine_text.py`), `Index.build` timed with the process's peak resident memory (getrusage ru_maxrss),
`Index.save` and its size on disk, then a few hundred different demands of about 150 characters, one at
a time, through "a full match" (see `full_match`), for the default parameters and for variants with the
costly parts turned down; SQLite FTS5 over the index's own tokens; a step breakdown and a cProfile of one
query. The parent prints a table and writes `benchmarks/results/engine-<date>.json`. No database, no
Django. Figures and their reading: docs/engine-benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import importlib.metadata
import io
import json
import multiprocessing
import os
import platform
import pstats
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_text import TextMaker, attributes, labels  # noqa: E402

from techmatch.explain import Explanation, explain  # noqa: E402
from techmatch.fit import compatibility  # noqa: E402
from techmatch.index import Document, Index  # noqa: E402
from techmatch.search import Searcher, SearchParams, top_k  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
LABELS = labels()
TOP = 10


def rss_mb() -> float:
    """The current resident set size of this process (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    """The peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, int(np.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def summary(times_s: list[float]) -> dict[str, float]:
    ms = [t * 1000 for t in times_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "max_ms": round(max(ms), 3),
        "mean_ms": round(sum(ms) / len(ms), 3),
        "qps_sequential": round(len(ms) / (sum(ms) / 1000), 1),
    }


# The full match ----------------------------------------------------------------------------------------


def full_match(searcher: Searcher, text: str, demand_no: int) -> list[Explanation]:
    """What one match costs: the engine tokenizes `text` once and ranks (Searcher.rank), the top 10 are
    scored on their structured fit (techmatch.fit, the factors' reasons in words) and explained by the
    query words they contain (techmatch.explain, from the forward index), combined as the platform
    does (0.7 × text relevance + 0.3 × fit)."""
    ranking = searcher.rank(text)
    hits = searcher.hits(ranking, TOP)
    wanted = attributes(demand_no, demand=True)
    return explain(
        searcher.index, hits, ranking.tokens, lambda hit: compatibility(wanted, attributes(hit.row), LABELS)
    )


def time_queries(run: Callable[[str, int], object], demands: list[str], warmup: int = 5) -> dict[str, float]:
    for i, text in enumerate(demands[:warmup]):
        run(text, i)
    times = []
    for i, text in enumerate(demands):
        t0 = time.perf_counter()
        run(text, i)
        times.append(time.perf_counter() - t0)
    return summary(times)


# Batch throughput on both cores (fork: the children share the index pages) ------------------------------

_BATCH: dict[str, Any] = {}


def _batch_one(i: int) -> int:
    return len(full_match(_BATCH["searcher"], _BATCH["demands"][i], i))


def batch_parallel(searcher: Searcher, demands: list[str], workers: int) -> float:
    _BATCH.update(searcher=searcher, demands=demands)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        pool.map(_batch_one, range(workers * 2))  # warm-up: each worker touches the index
        t0 = time.perf_counter()
        pool.map(_batch_one, range(len(demands)), chunksize=8)
        elapsed = time.perf_counter() - t0
    return round(len(demands) / elapsed, 1)


# SQLite FTS5 peer ----------------------------------------------------------------------------------------


def fts5_build(index: Index, path: Path) -> tuple[sqlite3.Connection, float]:
    """An FTS5 table (default unicode61 tokenizer) holding each document's engine tokens joined by spaces.

    The tokens come from the index's forward matrix (each term repeated by its count): the same bag of
    tokens the engine indexed, in term order rather than text order, which BM25 does not see."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(body)")
    indptr, term_ids, counts, terms = (
        index.forward_indptr,
        index.forward_terms,
        index.forward_counts,
        index.terms,
    )
    t0 = time.perf_counter()

    def rows() -> Any:
        for r in range(len(index)):
            start, end = indptr[r], indptr[r + 1]
            toks = [
                " ".join([terms[t]] * int(c))
                for t, c in zip(term_ids[start:end].tolist(), counts[start:end].tolist(), strict=True)
            ]
            yield (r + 1, " ".join(toks))

    with con:
        con.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", rows())
    con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    return con, time.perf_counter() - t0


def fts5_query(con: sqlite3.Connection, tokens: list[str]) -> list[int]:
    unique = list(dict.fromkeys(tokens))
    if not unique:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)
    sql = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10"
    return [r[0] for r in con.execute(sql, (match,))]


# Where the time goes ------------------------------------------------------------------------------------


def steps(searcher: Searcher, text: str, demand_no: int) -> dict[str, float]:
    """One full match's parts timed one by one through the engine's public pieces; "rest of rank" is
    Searcher.rank's time less the pieces timed before it (candidates, latent fusion, pin)."""
    p = searcher.params
    t: dict[str, float] = {}
    c0 = time.perf_counter()
    tokens = searcher.tokens(text)
    original = searcher.term_weights(tokens)
    c1 = time.perf_counter()
    t["1 tokenize + term weights"] = c1 - c0
    first = searcher.bm25(original)
    c2 = time.perf_counter()
    t["2 BM25 first pass"] = c2 - c1
    best = top_k(first, max(p.fb_docs, 2))
    c3 = time.perf_counter()
    t["3 top 30 of first pass (partial sort)"] = c3 - c2
    expanded = searcher.feedback(original, first, best)
    c4 = time.perf_counter()
    t["4 feedback (RM3 terms)"] = c4 - c3
    searcher.bm25(expanded)
    c5 = time.perf_counter()
    t["5 BM25 second pass (expanded)"] = c5 - c4
    c6 = time.perf_counter()
    ranking = searcher.rank(text)
    c7 = time.perf_counter()
    t["6 rest of rank: candidates, latent fusion, pin"] = max((c7 - c6) - (c5 - c0), 0.0)
    hits = searcher.hits(ranking, TOP)
    c8 = time.perf_counter()
    t["7 top 10 of the candidates"] = c8 - c7
    wanted = attributes(demand_no, demand=True)
    explain(
        searcher.index, hits, ranking.tokens, lambda hit: compatibility(wanted, attributes(hit.row), LABELS)
    )
    t["8 fit + explanation of top 10"] = time.perf_counter() - c8
    return t


def step_breakdown(searcher: Searcher, demands: list[str]) -> dict[str, dict[str, float]]:
    sums: dict[str, list[float]] = {}
    for i, text in enumerate(demands):
        for name, secs in steps(searcher, text, i).items():
            sums.setdefault(name, []).append(secs * 1000)
    return {
        name: {"mean_ms": round(float(np.mean(v)), 3), "p95_ms": round(percentile(v, 95), 3)}
        for name, v in sums.items()
    }


def profile_one(searcher: Searcher, text: str) -> str:
    prof = cProfile.Profile()
    prof.enable()
    full_match(searcher, text, 0)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue()


# One size, in a child process ----------------------------------------------------------------------------


def overlap_at_10(fast: Searcher, exact: Searcher, demands: list[str]) -> float:
    """Mean share of the exact fusion's top 10 (every document a candidate) that the default finds."""
    shares = []
    for text in demands:
        want = {h.id for h in exact.search(text, TOP)}
        got = {h.id for h in fast.search(text, TOP)}
        shares.append(len(want & got) / max(len(want), 1))
    return round(float(np.mean(shares)), 4)


def child(size: int, n_demands: int, peer_demands: int, workers: int, out_path: Path) -> None:
    result: dict[str, Any] = {"documents": size, "workers": workers, "load_average_start": os.getloadavg()}
    demands = [TextMaker(7 + i).demand() for i in range(n_demands)]
    maker = TextMaker(20261127)
    sample = [maker.document(f"A{i}") for i in range(1000)]
    result["chars_per_document_mean"] = round(
        sum(len(d.title) + len(d.text) for d in sample) / len(sample), 1
    )
    result["chars_per_demand_mean"] = round(sum(map(len, demands)) / n_demands, 1)
    result["rss_before_build_mb"] = round(rss_mb(), 1)
    log(f"[{size}] building from {size} generated documents, {workers} tokenizing processes")

    # the documents are written to a JSON-lines file first (not timed) and the build streams them from
    # it, as it would from a database cursor: generating them costs as much CPU as tokenizing them
    source = Path(tempfile.mkdtemp(prefix="engine-docs-")) / "documents.jsonl"
    maker = TextMaker(20261127)
    t0 = time.perf_counter()
    with source.open("w", encoding="utf-8") as out:
        for i in range(size):
            doc = maker.document(f"A{i}")
            out.write(json.dumps([doc.id, doc.title, doc.text], ensure_ascii=False) + "\n")
    result["generate_s"] = round(time.perf_counter() - t0, 1)

    def documents() -> Any:
        with source.open(encoding="utf-8") as lines:
            for line in lines:
                doc_id, title, text = json.loads(line)
                yield Document(doc_id, title, text)

    t0 = time.perf_counter()
    index = Index.build(documents(), workers=workers)
    result["build_s"] = round(time.perf_counter() - t0, 1)
    source.unlink()
    source.parent.rmdir()
    result["build_parts_s"] = index.manifest.extra["build_seconds"]
    result["peak_rss_mb"] = round(peak_mb(), 1)
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["tokenizer_process_peak_rss_mb"] = round(workers_peak, 1)
    # an upper bound of the machine's memory for the build: this process's peak plus each worker's peak
    result["build_memory_bound_mb"] = round(
        result["peak_rss_mb"] + (workers if workers > 1 else 0) * workers_peak, 1
    )
    result["rss_after_build_mb"] = round(rss_mb(), 1)
    result["vocabulary"] = len(index.terms)
    result["postings"] = int(index.postings_indptr[-1])
    result["index_params"] = asdict(index.manifest.params)
    log(
        f"[{size}] built in {result['build_s']} s {result['build_parts_s']}, peak RSS {result['peak_rss_mb']} MiB"
    )

    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        t0 = time.perf_counter()
        folder = index.save(Path(tmp) / "index")
        result["save_s"] = round(time.perf_counter() - t0, 1)
        files = {f.name: f.stat().st_size for f in folder.rglob("*") if f.is_file()}
        result["disk_mb"] = round(sum(files.values()) / 2**20, 1)
        result["disk_files_mb"] = {k: round(v / 2**20, 2) for k, v in sorted(files.items())}
        del index
        t0 = time.perf_counter()
        index = Index.load(folder)  # queries run on the loaded index: arrays mapped from disk
        result["load_s"] = round(time.perf_counter() - t0, 2)
        log(f"[{size}] saved: {result['disk_mb']} MiB on disk, loaded in {result['load_s']} s")

        variants: dict[str, SearchParams] = {
            "default": SearchParams(),
            "fb_terms=20": SearchParams(fb_terms=20),
            "no feedback (fb_docs=0)": SearchParams(fb_docs=0),
            "no latent (latent_weight=0)": SearchParams(latent_weight=0.0),
        }
        result["engine"] = {}
        for name, params in variants.items():
            searcher = Searcher(index, params)
            result["engine"][name] = time_queries(lambda text, i, s=searcher: full_match(s, text, i), demands)
            log(f"[{size}] engine {name}: {result['engine'][name]}")
        # the slow references run on the first `peer_demands` demands only (FTS5 takes seconds at 1M)
        few = demands[:peer_demands]
        exact = Searcher(index, SearchParams(candidates=size))
        result["engine_exact_fusion"] = time_queries(lambda text, i: full_match(exact, text, i), few)
        log(f"[{size}] engine exact fusion (every document a candidate): {result['engine_exact_fusion']}")
        searcher = Searcher(index)
        result["overlap_at_10_with_exact_fusion"] = overlap_at_10(searcher, exact, few)
        result["engine_search_only"] = time_queries(lambda text, i: searcher.search(text, top=TOP), demands)
        result["tokenize_demand"] = time_queries(lambda text, i: searcher.tokens(text), demands)
        result["batch_qps_2_processes"] = batch_parallel(searcher, demands, 2)
        example = full_match(searcher, demands[0], 0)
        result["example"] = {
            "demand": demands[0],
            "top3": [
                {
                    "id": e.hit.id,
                    "score": round(e.score, 3),
                    "terms": e.terms,
                    "misfits": [f.reason for f in e.misfits],
                }
                for e in example[:3]
            ],
        }

        # the peer
        con, fts_build = fts5_build(index, Path(tmp) / "fts.sqlite")
        result["fts5_build_s"] = round(fts_build, 1)
        result["fts5_disk_mb"] = round((Path(tmp) / "fts.sqlite").stat().st_size / 2**20, 1)
        tokenized = [searcher.tokens(t) for t in demands]
        result["fts5_query_only"] = time_queries(lambda text, i: fts5_query(con, tokenized[i]), few)
        result["fts5_with_tokenize"] = time_queries(
            lambda text, i: fts5_query(con, searcher.tokens(text)), few
        )
        result["demand_tokens_mean"] = round(float(np.mean([len(t) for t in tokenized])), 1)
        result["demand_unique_tokens_mean"] = round(float(np.mean([len(set(t)) for t in tokenized])), 1)
        con.close()
        log(f"[{size}] FTS5: {result['fts5_with_tokenize']}")

        result["steps"] = step_breakdown(searcher, demands)
        result["profile_one_query"] = profile_one(searcher, demands[1])
    result["peak_rss_end_mb"] = round(peak_mb(), 1)
    result["load_average_end"] = os.getloadavg()
    out_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


# The parent ----------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    import bm25s
    import jieba
    import scipy

    return {
        "host": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "bm25s": bm25s.__version__,
        "jieba": jieba.__version__,
        "rjieba": importlib.metadata.version("rjieba"),
        "sqlite": sqlite3.sqlite_version,
    }


def commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "techmatch"], capture_output=True, text=True, check=True
        )
        return head.stdout.strip() + (" (techmatch/ modified)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(results: list[dict[str, Any]]) -> str:
    cols = [f"{r['documents']:,}" for r in results]
    lines = [
        "| | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("build s (Index.build)", [f"{r['build_s']}" for r in results])
    for part in ("tokenize", "postings", "latent"):
        row(f"  of which {part} s", [f"{r['build_parts_s'][part]}" for r in results])
    row("peak RSS MiB (ru_maxrss)", [f"{r['peak_rss_mb']:,.0f}" for r in results])
    row("  + tokenizing workers' peaks MiB (bound)", [f"{r['build_memory_bound_mb']:,.0f}" for r in results])
    row("index on disk MiB", [f"{r['disk_mb']}" for r in results])
    for name in results[0]["engine"]:
        row(
            f"full match p50/p95 ms: {name}",
            [f"{r['engine'][name]['p50_ms']:.1f} / {r['engine'][name]['p95_ms']:.1f}" for r in results],
        )
    row(
        "engine search only p50/p95 ms",
        [
            f"{r['engine_search_only']['p50_ms']:.1f} / {r['engine_search_only']['p95_ms']:.1f}"
            for r in results
        ],
    )
    row(
        "tokenize demand p50/p95 ms",
        [f"{r['tokenize_demand']['p50_ms']:.2f} / {r['tokenize_demand']['p95_ms']:.2f}" for r in results],
    )
    row(
        "FTS5 query p50/p95 ms",
        [f"{r['fts5_query_only']['p50_ms']:.1f} / {r['fts5_query_only']['p95_ms']:.1f}" for r in results],
    )
    row(
        "FTS5 tokenize+query p50/p95 ms",
        [
            f"{r['fts5_with_tokenize']['p50_ms']:.1f} / {r['fts5_with_tokenize']['p95_ms']:.1f}"
            for r in results
        ],
    )
    row(
        "ratio engine/FTS5 (p50, p95; both with tokenizing)",
        [
            f"{r['engine']['default']['p50_ms'] / r['fts5_with_tokenize']['p50_ms']:.2f}, "
            f"{r['engine']['default']['p95_ms'] / r['fts5_with_tokenize']['p95_ms']:.2f}"
            for r in results
        ],
    )
    row(
        "full match p50/p95 ms: fusion over every document (peer demands)",
        [
            f"{r['engine_exact_fusion']['p50_ms']:.1f} / {r['engine_exact_fusion']['p95_ms']:.1f}"
            for r in results
        ],
    )
    row("top-10 overlap with exact fusion", [f"{r['overlap_at_10_with_exact_fusion']}" for r in results])
    row("batch q/s, 1 process (default)", [f"{r['engine']['default']['qps_sequential']}" for r in results])
    row("batch q/s, 2 processes (default)", [f"{r['batch_qps_2_processes']}" for r in results])
    row("FTS5 build s / disk MiB", [f"{r['fts5_build_s']} / {r['fts5_disk_mb']}" for r in results])
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="document counts")
    parser.add_argument("--large", action="store_true", help="add 1,000,000 documents")
    parser.add_argument("--demands", type=int, default=300, help="different demands per size (default 300)")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/engine-<date>.json)")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="OPENBLAS_NUM_THREADS/OMP_NUM_THREADS of the children (default 1: single-threaded queries; "
        "2 threads on a busy 2-core machine made the latent SVD 5x slower)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="tokenizing processes of the build (default: cores)",
    )
    parser.add_argument(
        "--peer-demands",
        type=int,
        default=50,
        help="demands for the slow references: FTS5 and fusion over every document (default 50)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.demands, args.peer_demands, args.workers, args.child_out)
        return
    sizes = sorted(set(args.sizes + ([1_000_000] if args.large else [])))
    started = time.perf_counter()
    code = commit()  # the code the children import now, not what is committed by the end
    results = []
    with tempfile.TemporaryDirectory(prefix="engine-bench-") as tmp:
        for size in sizes:
            out = Path(tmp) / f"{size}.json"
            cmd = [sys.executable, __file__, "--child", str(size), "--demands", str(args.demands)]
            cmd += ["--workers", str(args.workers), "--peer-demands", str(args.peer_demands)]
            threads = str(args.blas_threads)
            env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
            subprocess.run([*cmd, "--child-out", str(out)], check=True, env=env)
            results.append(json.loads(out.read_text(encoding="utf-8")))
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": code,
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, "benchmarks/engine.py", *argv]),
        "demands_per_size": args.demands,
        "blas_threads": args.blas_threads,
        "whole_run_s": round(time.perf_counter() - started, 1),
        "sizes": results,
    }
    path = args.out or RESULTS / f"engine-{datetime.date.today().isoformat()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(results))
    for r in results:
        print(f"\nSteps of a full match at {r['documents']:,} documents (mean / p95 ms):")
        for name, v in r["steps"].items():
            print(f"  {name:48s} {v['mean_ms']:8.2f} / {v['p95_ms']:8.2f}")
    print(f"\nwritten: {path} ({report['whole_run_s']} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
