"""Evaluation on BEIR-format task folders: the engine against plain BM25, computed in the same run.

A task folder holds `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl` (`_id`, `text`) and
`qrels/test.tsv` (`query-id`, `corpus-id`, `score`, with a header). Only each document's title and text
are indexed. A document whose id equals the query's id is ignored (BEIR's `ignore_identical_ids`).

Metrics, averaged over the queries that have at least one relevant (score > 0) document:

- nDCG@10 with graded gain 2^score - 1 and log2(rank + 1) discount, the ideal taken from all judged
  documents (as the shared README's baseline figures are computed);
- MRR@10: 1 / rank of the first relevant document in the top 10, else 0;
- Recall@k: relevant documents in the top k divided by min(k, number relevant).

The baseline is plain BM25: jieba search-mode tokens lower-cased with punctuation dropped (no domain
dictionary, no stop words), bm25s defaults (k1 1.5, b 0.75), title and text concatenated.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import bm25s
import numpy as np

from techmatch.dense import Encoder
from techmatch.index import Document, Index, IndexParams
from techmatch.search import Searcher, SearchParams
from techmatch.tokenize import plain_tokens

__all__ = [
    "Metrics",
    "Task",
    "TaskResult",
    "baseline_rankings",
    "evaluate",
    "load_task",
    "milvus_rankings",
    "score_run",
]

DEPTH = 100


@dataclass(frozen=True)
class Task:
    """A loaded task: its name, documents, queries (id, text) and graded judgements."""

    name: str
    documents: tuple[Document, ...]
    queries: tuple[tuple[str, str], ...]
    qrels: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Metrics:
    """The four reported figures."""

    ndcg10: float
    mrr10: float
    r10: float
    r100: float

    def as_dict(self) -> dict[str, float]:
        """Rounded to four places, as printed."""
        return {key: round(value, 4) for key, value in vars(self).items()}


@dataclass(frozen=True)
class TaskResult:
    """One task's figures for the engine and the baseline."""

    task: str
    queries: int
    engine: Metrics
    baseline: Metrics
    seconds: float

    def as_json(self) -> dict[str, object]:
        """The line `fanxing eval` prints."""
        return {
            "task": self.task,
            "queries": self.queries,
            **self.engine.as_dict(),
            "baseline": self.baseline.as_dict(),
        }


class TaskError(Exception):
    """A task folder is missing a file or holds a malformed line."""


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        raise TaskError(f"缺少文件：{path}")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise TaskError(f"{path} 第 {number} 行不是合法的 JSON：{error.msg}") from error
    return rows


def load_task(folder: Path | str, limit: int | None = None) -> Task:
    """Read a BEIR task folder; `limit` keeps only the first queries (for quick checks)."""
    path = Path(folder)
    documents = tuple(
        Document(id=str(row["_id"]), title=str(row.get("title") or ""), text=str(row.get("text") or ""))
        for row in _read_jsonl(path / "corpus.jsonl")
    )
    queries = tuple((str(row["_id"]), str(row["text"])) for row in _read_jsonl(path / "queries.jsonl"))
    qrels_path = path / "qrels" / "test.tsv"
    if not qrels_path.is_file():
        raise TaskError(f"缺少文件：{qrels_path}")
    qrels: dict[str, dict[str, int]] = {}
    with qrels_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            parts = line.rstrip("\n").split("\t")
            if number == 1 and parts and parts[0] == "query-id":
                continue
            if len(parts) != 3:
                raise TaskError(f"{qrels_path} 第 {number} 行应有 3 列，实际 {len(parts)} 列")
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    if limit is not None:
        queries = queries[:limit]
    return Task(name=path.name, documents=documents, queries=queries, qrels=qrels)


def score_run(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> tuple[int, Metrics]:
    """Score ranked lists (query id -> doc ids, best first); returns (queries scored, metrics)."""
    totals = np.zeros(4)
    scored = 0
    for qid, ranked in run.items():
        relevant = {doc: grade for doc, grade in qrels.get(qid, {}).items() if doc != qid and grade > 0}
        if not relevant:
            continue
        scored += 1
        docs = [doc for doc in ranked if doc != qid][:DEPTH]
        gains = [relevant.get(doc, 0) for doc in docs]
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))
        ideal = sorted(relevant.values(), reverse=True)[:10]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        mrr = next((1.0 / (i + 1) for i, g in enumerate(gains[:10]) if g > 0), 0.0)
        r10 = sum(1 for g in gains[:10] if g > 0) / min(10, len(relevant))
        r100 = sum(1 for g in gains[:DEPTH] if g > 0) / min(DEPTH, len(relevant))
        totals += (dcg / idcg if idcg else 0.0, mrr, r10, r100)
    if scored == 0:
        return 0, Metrics(0.0, 0.0, 0.0, 0.0)
    mean = totals / scored
    return scored, Metrics(*(float(v) for v in mean))


def baseline_rankings(task: Task, depth: int = DEPTH + 1) -> dict[str, list[str]]:
    """Plain BM25 (see the module docstring) for every query of `task`."""
    corpus = [plain_tokens(f"{doc.title} {doc.text}") for doc in task.documents]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    ids = [doc.id for doc in task.documents]
    run: dict[str, list[str]] = {}
    for qid, text in task.queries:
        tokens = [tok for tok in plain_tokens(text) if tok in retriever.vocab_dict]
        if not tokens:
            run[qid] = []
            continue
        scores = retriever.get_scores(tokens)
        order = np.argsort(-scores, kind="stable")[:depth]
        run[qid] = [ids[i] for i in order.tolist()]
    return run


def engine_rankings(
    task: Task,
    index_params: IndexParams | None = None,
    search_params: SearchParams | None = None,
    depth: int = DEPTH + 1,
    encoder: Encoder | None = None,
) -> dict[str, list[str]]:
    """The engine's rankings for every query of `task` (its index built from title and text only)."""
    index = Index.build(task.documents, index_params, encoder=encoder)
    searcher = Searcher(index, search_params, encoder)
    return {qid: [hit.id for hit in searcher.search(text, top=depth)] for qid, text in task.queries}


def milvus_rankings(
    task: Task, uri: str, encoder: Encoder | None = None, depth: int = DEPTH + 1
) -> dict[str, list[str]]:
    """The Milvus backend's rankings for every query of `task` (techmatch.milvus): the task's documents
    written to the Milvus at `uri` as a library of their own, searched, then dropped."""
    from techmatch.milvus import MilvusStore

    store = MilvusStore(uri, prefix="techmatch_eval", setting="--milvus-uri", encoder=encoder)
    library = task.name
    try:
        store.publish(library, task.documents)
        searcher = store.searcher(library)
        assert searcher is not None
        return {qid: [hit.id for hit in searcher.search(text, top=depth)] for qid, text in task.queries}
    finally:
        store.drop(library)


def evaluate(
    folders: Sequence[Path | str],
    index_params: IndexParams | None = None,
    search_params: SearchParams | None = None,
    limit: int | None = None,
    progress: TextIO | None = sys.stderr,
    on_result: Callable[[TaskResult], None] | None = None,
    encoder: Encoder | None = None,
    milvus_uri: str | None = None,
) -> list[TaskResult]:
    """Evaluate the engine (with a dense model if `encoder` is given) and the baseline on each task;
    with `milvus_uri`, the Milvus backend (techmatch.milvus) at that uri instead of the engine."""
    results = []
    for folder in folders:
        started = time.perf_counter()
        task = load_task(folder, limit)
        if progress is not None:
            print(f"{task.name}: {len(task.documents)} 篇文档，{len(task.queries)} 个查询", file=progress)
        if milvus_uri is not None:
            run = milvus_rankings(task, milvus_uri, encoder)
        else:
            run = engine_rankings(task, index_params, search_params, encoder=encoder)
        scored, engine = score_run(run, task.qrels)
        _scored, baseline = score_run(baseline_rankings(task), task.qrels)
        result = TaskResult(
            task=task.name,
            queries=scored,
            engine=engine,
            baseline=baseline,
            seconds=time.perf_counter() - started,
        )
        if progress is not None:
            print(f"{task.name}: 用时 {result.seconds:.1f} 秒", file=progress)
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results
