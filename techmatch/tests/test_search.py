from pathlib import Path

import numpy as np
import pytest

from techmatch.index import FORMAT, Document, Index, IndexParams, InvalidIndexError
from techmatch.search import Searcher, SearchParams, _accumulate_numpy, accumulate, search, top_k

DOCS = [
    Document("a1", "锂离子电池正极材料", "一种高镍三元正极材料，提高锂离子电池的能量密度和循环寿命。"),
    Document("a2", "固态电池电解质", "硫化物固态电解质的制备方法，用于全固态锂电池，提高安全性。"),
    Document("a3", "海水淡化反渗透膜", "新型反渗透膜材料，降低海水淡化能耗，提高脱盐率。"),
    Document("a4", "污水处理生物膜反应器", "一种处理工业废水的生物膜反应器，去除氨氮和有机物。"),
    Document("a5", "水产养殖水质监测", "基于传感器的养殖水体溶解氧和氨氮在线监测系统。"),
    Document("a6", "深度学习图像识别", "卷积神经网络用于工业产品表面缺陷的图像识别检测。"),
    Document("a7", "工业机器人视觉定位", "机器视觉与深度学习结合，实现工业机器人抓取定位。"),
    Document("a8", "石墨烯导热膜", "石墨烯复合导热膜的制备工艺，用于电子器件散热。"),
]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(DOCS, IndexParams(latent_dims=4))


def test_a_title_finds_its_document_first(index: Index) -> None:
    assert search(index, "海水淡化反渗透膜")[0].id == "a3"


def test_a_long_demand_finds_the_answering_document(index: Index) -> None:
    demand = "我司生产电动汽车，需要提高锂离子电池的能量密度，希望寻找高镍正极材料方面的技术合作。"
    hits = search(index, demand, top=3)
    assert hits[0].id == "a1"
    assert [hit.rank for hit in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_feedback_expands_the_query_with_terms_of_the_top_documents(index: Index) -> None:
    query = Searcher(index).query("正极材料")
    original = {term for term, _weight in query.terms}
    expanded = {term for term, _weight in query.expanded}
    assert original == {"正极", "材料"}
    assert expanded - original, "feedback should add terms"


def test_a_query_of_unknown_words_finds_nothing(index: Index) -> None:
    assert search(index, "量子纠缠通信卫星") == []
    assert search(index, "，。！") == []


def test_excluded_ids_are_left_out(index: Index) -> None:
    hits = Searcher(index).search("海水淡化反渗透膜", top=3, exclude=frozenset({"a3"}))
    assert "a3" not in [hit.id for hit in hits] and len(hits) == 3


def test_plain_bm25_settings_still_rank(index: Index) -> None:
    plain = SearchParams(fb_docs=0, latent_weight=0.0, pin_ratio=0.0)
    assert search(index, "石墨烯散热", params=plain)[0].id == "a8"


def test_an_index_round_trips_through_a_folder(index: Index, tmp_path: Path) -> None:
    folder = index.save(tmp_path / "idx")
    loaded = Index.load(folder)
    assert loaded.version == index.version and loaded.ids == index.ids
    assert loaded.manifest.format == FORMAT and loaded.manifest.documents == len(DOCS)
    demand = "工业废水氨氮去除"
    assert [h.id for h in search(loaded, demand, 5)] == [h.id for h in search(index, demand, 5)]


def test_each_build_gets_a_new_version() -> None:
    assert Index.build(DOCS[:3]).version != Index.build(DOCS[:3]).version


def test_it_refuses_to_load_a_folder_without_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(InvalidIndexError, match="manifest.json"):
        Index.load(tmp_path)


def test_it_refuses_duplicate_ids_and_empty_corpora() -> None:
    with pytest.raises(InvalidIndexError, match="重复"):
        Index.build([DOCS[0], DOCS[0]])
    with pytest.raises(InvalidIndexError, match="没有文档"):
        Index.build([])


def test_the_compiled_accumulation_adds_as_numpy_does() -> None:
    """search.accumulate uses scipy's (non-public) sparse kernel; it must equal the plain NumPy form."""
    rng = np.random.default_rng(3)
    docs = np.concatenate([np.sort(rng.choice(1000, size=n, replace=False)) for n in (300, 50, 700)])
    docs = docs.astype(np.int32)
    values = rng.random(len(docs)).astype(np.float32)
    pointers = np.array([350, 1050, 0, 300], dtype=np.int32)  # the third list, then the first
    weights = np.array([0.37, 2.5], dtype=np.float32)
    fast, plain = np.ones(1000, dtype=np.float32), np.ones(1000, dtype=np.float32)
    accumulate(fast, pointers, docs, values, weights)
    _accumulate_numpy(plain, pointers, docs, values, weights)
    assert accumulate is not _accumulate_numpy
    np.testing.assert_allclose(fast, plain, rtol=1e-6)


def test_top_k_is_the_head_of_a_stable_descending_sort() -> None:
    scores = np.array([0.5, 2.0, 0.5, 3.0, 0.5, 2.0, 0.0], dtype=np.float32)
    for k in range(1, 8):
        assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_fusion_over_candidates_equals_fusion_over_every_document(index: Index) -> None:
    """With fewer candidates than documents the ranking's head is the same on this small collection."""
    text = "提高锂离子电池能量密度的正极材料与固态电解质"
    every = Searcher(index, SearchParams(candidates=len(index))).search(text, top=3)
    some = Searcher(index, SearchParams(candidates=4)).search(text, top=3)
    assert [h.id for h in some] == [h.id for h in every]
