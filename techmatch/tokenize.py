"""Chinese tokenization for matching: jieba search-mode segmentation, a domain dictionary, stop words.

Two tokenizers share one segmentation: `plain_tokens` is the baseline of the evaluation (jieba
search-mode tokens, lower-cased, punctuation dropped); `Tokenizer.tokens` adds the domain dictionary
and drops stop words, which is what the engine indexes and searches with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import cache
from importlib import resources

import jieba

__all__ = ["Tokenizer", "default_tokenizer", "is_word", "load_stopwords", "plain_tokens"]

jieba.setLogLevel(logging.WARNING)
_LOCK = threading.Lock()


def is_word(token: str) -> bool:
    """Whether a token carries a letter, digit or CJK character (punctuation and blanks do not)."""
    return any(ch.isalnum() for ch in token)


@cache
def _plain_jieba() -> jieba.Tokenizer:
    """jieba with its shipped dictionary only (the baseline's segmentation)."""
    tokenizer = jieba.Tokenizer()
    with _LOCK:
        tokenizer.initialize()
    return tokenizer


def plain_tokens(text: str) -> list[str]:
    """The baseline tokens: jieba search mode, lower-cased, punctuation dropped, stop words kept."""
    return [tok.lower() for tok in _plain_jieba().cut_for_search(text) if is_word(tok)]


def _data_lines(name: str) -> list[str]:
    text = resources.files("techmatch").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def load_stopwords() -> frozenset[str]:
    """The shipped Chinese (and a few English) stop words, lower-cased."""
    return frozenset(word.lower() for word in _data_lines("stopwords.txt"))


class Tokenizer:
    """jieba search mode with the shipped domain dictionary and stop words; thread-safe after setup.

    Tokens are lower-cased; punctuation and stop words are dropped.
    """

    def __init__(
        self,
        *,
        domain_dictionary: bool = True,
        stopwords: Iterable[str] | None = None,
        extra_words: Iterable[str] = (),
    ) -> None:
        self._jieba = jieba.Tokenizer()
        with _LOCK:
            self._jieba.initialize()
            if domain_dictionary:
                for line in _data_lines("domain_dict.txt"):
                    word, *rest = line.split()
                    freq = int(rest[0]) if rest and rest[0].isdigit() else None
                    self._jieba.add_word(word, freq)
            for word in extra_words:
                self._jieba.add_word(word)
        self.stopwords: frozenset[str] = (
            load_stopwords() if stopwords is None else frozenset(w.lower() for w in stopwords)
        )

    def tokens(self, text: str) -> list[str]:
        """The tokens of `text` in order (repeats kept: they are the term frequencies)."""
        stop = self.stopwords
        out: list[str] = []
        for raw in self._jieba.cut_for_search(text):
            tok = raw.strip().lower()
            if tok and is_word(tok) and tok not in stop:
                out.append(tok)
        return out

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        """`tokens` of each text."""
        return [self.tokens(text) for text in texts]


@cache
def default_tokenizer() -> Tokenizer:
    """The engine's shared tokenizer (domain dictionary and stop words on)."""
    return Tokenizer()
