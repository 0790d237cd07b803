import json
from pathlib import Path

import pytest

from techmatch.evaluate import evaluate, load_task, score_run
from techmatch.tests.test_search import DOCS

SHARED_TASK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "csl-dev-title2abs"


def write_task(folder: Path) -> Path:
    folder.mkdir()
    (folder / "qrels").mkdir()
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for doc in DOCS:
            handle.write(
                json.dumps({"_id": doc.id, "title": doc.title, "text": doc.text}, ensure_ascii=False) + "\n"
            )
    queries = {"q1": "锂电池正极", "q2": "海水淡化", "a6": "深度学习图像识别"}
    with (folder / "queries.jsonl").open("w", encoding="utf-8") as handle:
        for qid, text in queries.items():
            handle.write(json.dumps({"_id": qid, "text": text}, ensure_ascii=False) + "\n")
    (folder / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\ta1\t1\nq2\ta3\t1\na6\ta6\t1\na6\ta7\t2\n", encoding="utf-8"
    )
    return folder


def test_metrics_follow_the_shared_definitions() -> None:
    qrels = {"q": {"d1": 2, "d2": 1, "d3": 0}}
    count, perfect = score_run({"q": ["d1", "d2", "x"]}, qrels)
    assert count == 1 and perfect.ndcg10 == pytest.approx(1.0) and perfect.mrr10 == 1.0
    _count, late = score_run({"q": ["x", "d2"]}, qrels)
    assert late.mrr10 == 0.5 and late.r10 == 0.5 and late.r100 == 0.5
    # graded gain 2^g - 1: d2 (gain 1) at rank 2 against the ideal d1 (3), d2 (1)
    assert late.ndcg10 == pytest.approx((1 / 1.5849625) / (3 + 1 / 1.5849625), rel=1e-4)


def test_identical_query_and_document_ids_are_ignored() -> None:
    count, metrics = score_run({"a6": ["a6", "a7"]}, {"a6": {"a6": 1, "a7": 2}})
    assert count == 1 and metrics.mrr10 == 1.0 and metrics.ndcg10 == pytest.approx(1.0)


def test_a_synthetic_task_is_scored_for_engine_and_baseline(tmp_path: Path) -> None:
    folder = write_task(tmp_path / "tiny")
    task = load_task(folder)
    assert len(task.documents) == len(DOCS) and len(task.queries) == 3
    [result] = evaluate([folder], progress=None)
    line = result.as_json()
    assert set(line) == {"task", "queries", "ndcg10", "mrr10", "r10", "r100", "baseline"}
    assert line["task"] == "tiny" and line["queries"] == 3
    assert result.engine.r10 == 1.0 and result.baseline.r10 == 1.0
    assert result.engine.mrr10 >= 0.5


@pytest.mark.skipif(not SHARED_TASK.is_dir(), reason="the shared benchmarks are not on this machine")
def test_a_slice_of_a_shared_task_holds_the_baseline() -> None:
    [result] = evaluate([SHARED_TASK], limit=100, progress=None)
    assert result.queries == 100
    assert result.engine.ndcg10 >= result.baseline.ndcg10 - 0.02
