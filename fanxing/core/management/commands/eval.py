"""`fanxing eval TASKDIR... [--json] [--limit N] [--backend engine|milvus]`: score the matching engine, or
the Milvus search backend, on BEIR task folders."""

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from techmatch.dense import DenseUnavailableError, load_encoder
from techmatch.evaluate import TaskError, TaskResult, evaluate
from techmatch.milvus import MilvusUnavailableError, close


class Command(BaseCommand):
    help = "在 BEIR 格式的评测任务上评估匹配引擎，并在同一次运行中计算朴素 BM25 基线；每个任务输出一行 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "taskdirs", nargs="+", help="任务目录（含 corpus.jsonl、queries.jsonl、qrels/test.tsv）"
        )
        parser.add_argument("--json", action="store_true", help="在标准输出只打印 JSON（进度写到标准错误）")
        parser.add_argument("--limit", type=int, help="每个任务只评估前 N 个查询（用于快速检查）")
        parser.add_argument(
            "--dense-model", help="用这个本地 sentence-transformers 模型目录加入稠密向量（可选，默认不用）"
        )
        parser.add_argument(
            "--backend",
            choices=["engine", "milvus"],
            default="engine",
            help="评估哪个检索后端：engine（引擎自己的索引，默认）或 milvus（Milvus 的 BM25，有稠密模型时混合检索）",
        )
        parser.add_argument(
            "--milvus-uri",
            help="--backend milvus 时使用的 Milvus 地址（http://主机:19530）；默认在临时目录里用 milvus-lite",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folders = [Path(name) for name in options["taskdirs"]]
        for folder in folders:
            if not folder.is_dir():
                raise CommandError(f"任务目录不存在：{folder}")
        as_json = bool(options["json"])

        def show(result: TaskResult) -> None:
            line = json.dumps(result.as_json(), ensure_ascii=False)
            self.stdout.write(line)
            if not as_json:
                gain = result.engine.ndcg10 - result.baseline.ndcg10
                self.stdout.write(
                    f"  {result.task}: nDCG@10 {result.engine.ndcg10:.4f}（基线 {result.baseline.ndcg10:.4f}，差 {gain:+.4f}）"
                )
            self.stdout.flush()

        try:
            encoder = load_encoder(options["dense_model"])
        except DenseUnavailableError as error:
            raise CommandError(str(error)) from error
        with tempfile.TemporaryDirectory(prefix="fanxing-eval-") as scratch:
            uri = None
            if options["backend"] == "milvus":
                uri = options["milvus_uri"] or str(Path(scratch) / "eval.db")
            try:
                evaluate(
                    folders,
                    limit=options["limit"],
                    progress=sys.stderr,
                    on_result=show,
                    encoder=encoder,
                    milvus_uri=uri,
                )
            except (TaskError, MilvusUnavailableError) as error:
                raise CommandError(str(error)) from error
            finally:
                if uri is not None:
                    close(uri)
