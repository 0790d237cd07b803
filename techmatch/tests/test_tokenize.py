import pickle

import jieba

from techmatch.tokenize import Tokenizer, domain_words, is_word, load_stopwords, plain_tokens


def test_plain_tokens_are_lower_cased_search_mode_without_punctuation() -> None:
    tokens = plain_tokens("基于深度学习的Rodrigues参数估计，方法。")
    assert "rodrigues" in tokens
    assert "，" not in tokens and "。" not in tokens
    assert "基于" in tokens


def test_engine_tokens_drop_stop_words_and_keep_domain_words() -> None:
    tokens = Tokenizer().tokens("我司希望寻求科技成果转化以及技术合作")
    assert "科技成果转化" in tokens
    assert "成果" in tokens  # search mode also yields the parts of a long word
    assert "我司" not in tokens and "希望" not in tokens and "寻求" not in tokens and "以及" not in tokens


def test_extra_words_join_the_dictionary() -> None:
    assert "繁星平台" in Tokenizer(extra_words=["繁星平台"]).tokens("繁星平台上线")


def test_stop_words_ship_with_the_package() -> None:
    assert {"我司", "以及", "the"} <= load_stopwords()
    assert "的" not in load_stopwords()  # single characters are left to IDF


def test_is_word_rejects_punctuation_and_blanks() -> None:
    assert is_word("锂电池") and is_word("5g")
    assert not is_word("，") and not is_word("  ") and not is_word("--")


def test_the_engine_segments_as_jieba_does_with_the_same_dictionary() -> None:
    """rjieba with jieba's two search-mode steps must give jieba's own segmentation (module docstring)."""
    reference = jieba.Tokenizer()
    reference.initialize()
    for word, freq in domain_words():
        reference.add_word(word, freq)
    texts = [
        "采用修正的Rodrigues参数(MRP)，建立了飞行器姿态控制系统的数学模型；仿真结果表明该方法有效。",
        "血浆ET-1和hs-CRP水平升高，采用HPLC-ESI-MS测定；2076.2kg，提高90%，pH 7.0。",
        "我司希望寻求科技成果转化以及技术合作，海水淡化反渗透膜与锂离子电池正极材料。",
        "La0.8Sr0.2Ga0.8Mg0.115Co0.085O3电解质的6-311G基组计算与RT-PCR检测。",
    ]
    tokenizer = Tokenizer()
    for text in texts:
        assert tokenizer.segments(text) == list(reference.cut_for_search(text)), text


def test_a_tokenizer_pickles_as_its_settings() -> None:
    tokenizer = Tokenizer(extra_words=["繁星平台"], stopwords=["上线"])
    copy = pickle.loads(pickle.dumps(tokenizer))
    assert copy.tokens("繁星平台上线") == tokenizer.tokens("繁星平台上线") == ["繁星", "平台", "繁星平台"]
