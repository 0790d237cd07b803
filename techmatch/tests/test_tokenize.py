from techmatch.tokenize import Tokenizer, is_word, load_stopwords, plain_tokens


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
