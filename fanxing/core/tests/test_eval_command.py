import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from techmatch.tests.test_evaluate import write_task


def test_eval_prints_one_json_line_per_task_with_the_baseline(tmp_path: Path) -> None:
    folder = write_task(tmp_path / "tiny")
    out, err = StringIO(), StringIO()
    call_command("eval", str(folder), "--json", stdout=out, stderr=err)
    [line] = out.getvalue().splitlines()
    result = json.loads(line)
    assert result["task"] == "tiny" and result["queries"] == 3
    assert set(result["baseline"]) == {"ndcg10", "mrr10", "r10", "r100"}
    assert 0.0 <= result["ndcg10"] <= 1.0


def test_eval_names_a_missing_task_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="任务目录不存在"):
        call_command("eval", str(tmp_path / "nope"), "--json", stdout=StringIO())


def test_eval_scores_the_milvus_backend_with_the_same_line(tmp_path: Path) -> None:
    folder = write_task(tmp_path / "tiny")
    out = StringIO()
    call_command("eval", str(folder), "--json", "--backend", "milvus", stdout=out, stderr=StringIO())
    [line] = out.getvalue().splitlines()
    result = json.loads(line)
    assert set(result) == {"task", "queries", "ndcg10", "mrr10", "r10", "r100", "baseline"}
    assert result["queries"] == 3 and result["r10"] == 1.0 and result["baseline"]["r10"] == 1.0


def test_eval_names_an_unreachable_milvus(tmp_path: Path) -> None:
    folder = write_task(tmp_path / "tiny")
    uri = str(tmp_path / "nowhere" / "eval.db")
    with pytest.raises(CommandError, match="--milvus-uri"):
        call_command("eval", str(folder), "--backend", "milvus", "--milvus-uri", uri, stdout=StringIO())
