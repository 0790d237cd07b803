"""The Milvus backend against milvus-lite: a small library built, searched and explained.

Each xdist worker opens its own milvus-lite file in its own temporary folder (the module's store), so the
two never share a database."""

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from techmatch import milvus
from techmatch.explain import explain, hit_terms
from techmatch.fit import Amount, Attributes, compatibility
from techmatch.index import Document
from techmatch.milvus import MilvusStore, MilvusUnavailableError

DOCS = [
    Document("a1", "锂离子电池正极材料", "一种高镍三元正极材料，提高锂离子电池的能量密度和循环寿命。"),
    Document("a2", "固态电池电解质", "硫化物固态电解质的制备方法，用于全固态锂电池，提高安全性。"),
    Document("a3", "海水淡化反渗透膜", "新型反渗透膜材料，降低海水淡化能耗，提高脱盐率。"),
    Document("a4", "污水处理生物膜反应器", "一种处理工业废水的生物膜反应器，去除氨氮和有机物。"),
    Document("a5", "水产养殖水质监测", "基于传感器的养殖水体溶解氧和氨氮在线监测系统。", ("大菱鲆",)),
    Document("a6", "深度学习图像识别", "卷积神经网络用于工业产品表面缺陷的图像识别检测。"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusStore]:
    uri = str(tmp_path_factory.mktemp("milvus") / "test.db")
    found = MilvusStore(uri, setting="FANXING_MILVUS_URI")
    yield found
    milvus.close(uri)


@pytest.fixture(scope="module")
def library(store: MilvusStore) -> str:
    store.publish("achievements", DOCS)
    return "achievements"


def test_a_built_library_is_current_with_its_documents(store: MilvusStore, library: str) -> None:
    status = store.status(library)
    assert status is not None
    assert (status.documents, status.collection) == (6, store.collection(library, status.version))


def test_a_demand_finds_the_answering_document_first(store: MilvusStore, library: str) -> None:
    searcher = store.searcher(library)
    assert searcher is not None
    hits = searcher.search("需要提高锂离子电池的能量密度，寻找高镍正极材料", top=3)
    assert hits[0].id == "a1"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


def test_hits_carry_their_terms_and_the_reasons_name_the_shared_words(
    store: MilvusStore, library: str
) -> None:
    searcher = store.searcher(library)
    assert searcher is not None and searcher.index is None
    found = searcher.candidates("大菱鲆养殖水体的氨氮监测", top=5)
    assert found.hits[0].id == "a5"
    assert hit_terms(None, found.hits[0], found.tokens) == ("大菱鲆", "养殖", "水体", "氨氮", "监测")
    wanted = Attributes(field="marine.fishery", trl=5, amount=Amount(10, 20))
    explained = explain(None, found.hits, found.tokens, lambda hit: compatibility(wanted, wanted))
    assert explained[0].hit.id == "a5"
    assert "氨氮" in explained[0].terms
    assert len(explained[0].factors) == 5 and explained[0].factors[0].fits  # the same field


def test_excluded_ids_are_left_out_by_milvus(store: MilvusStore, library: str) -> None:
    searcher = store.searcher(library)
    assert searcher is not None
    hits = searcher.search("锂电池", top=5, exclude=frozenset({"a1"}))
    assert hits and "a1" not in {h.id for h in hits}
    assert hits[0].id == "a2"


def test_a_query_without_words_finds_nothing(store: MilvusStore, library: str) -> None:
    searcher = store.searcher(library)
    assert searcher is not None
    assert searcher.search("，。！", top=5) == []


def test_an_empty_library_has_no_searcher_and_a_later_build_wins(store: MilvusStore) -> None:
    assert store.searcher("demands") is None
    assert store.publish("demands", []) is None
    assert store.searcher("demands") is None
    late = store.publish("demands", DOCS[:2], version="20261127T090000.000000-bbbbbbbb")
    early = store.publish("demands", DOCS[:1], version="20261127T080000.000000-aaaaaaaa")
    assert late is not None and early == late  # the build that read the data first does not replace it
    assert store.current("demands") == late.version
    assert (
        store.collection("demands", "20261127T080000.000000-aaaaaaaa") not in store.client.list_collections()
    )
    assert store.publish("demands", [], version="20261127T100000.000000-cccccccc") is None
    assert store.searcher("demands") is None  # nothing to index any more: nothing is found


def test_an_unreachable_milvus_is_a_clear_error_naming_the_setting(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(MilvusUnavailableError, match="FANXING_MILVUS_URI=http://127.0.0.1:9"):
        MilvusStore("http://127.0.0.1:9", setting="FANXING_MILVUS_URI", timeout=1)
    with pytest.raises(MilvusUnavailableError, match="FANXING_MILVUS_URI=.*nowhere"):
        MilvusStore(str(tmp_path / "nowhere" / "x.db"), setting="FANXING_MILVUS_URI")
    assert time.perf_counter() - started < 10


class Letters:
    """A stand-in dense model: a text's vector counts a few marker characters (unit length)."""

    name = "letters"
    marks = "电池膜水鱼图"
    dim = len(marks)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
        rows = np.array([[text.count(c) + 0.01 for c in self.marks] for text in texts], dtype=np.float32)
        unit: npt.NDArray[np.float32] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return unit


def test_with_a_dense_model_the_search_is_hybrid_and_fused_by_rank(store: MilvusStore) -> None:
    dense = MilvusStore(store.uri, prefix="dense", encoder=Letters())
    status = dense.publish("achievements", DOCS)
    assert status is not None and status.model == "letters"
    searcher = dense.searcher("achievements")
    assert searcher is not None and searcher.encoder is not None
    found = searcher.candidates("固态锂电池的电解质", top=3, exclude=frozenset({"a1"}))
    assert [h.id for h in found.hits][:1] == ["a2"] and "a1" not in {h.id for h in found.hits}
    assert all(0 < h.score <= 2 / (milvus.RRF_K + 1) for h in found.hits)  # reciprocal-rank scores
    assert "电解质" in hit_terms(None, found.hits[0], found.tokens)
    # a store without the model searches the same version by BM25 alone
    plain = MilvusStore(store.uri, prefix="dense").searcher("achievements")
    assert plain is not None and plain.encoder is None
    assert plain.search("固态锂电池的电解质", top=1)[0].id == "a2"
