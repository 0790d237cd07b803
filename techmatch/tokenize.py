"""Chinese tokenization for matching: jieba search-mode segmentation, a domain dictionary, stop words.

Two tokenizers share one segmentation: `plain_tokens` is the baseline of the evaluation (jieba's own
search mode, lower-cased, punctuation dropped); `Tokenizer.tokens` adds the domain dictionary and drops
stop words, which is what the engine indexes and searches with.

The engine's tokenizer runs jieba's algorithm through rjieba (jieba-rs, the Rust port with jieba's
dictionary), about eight times faster than jieba in Python. Two steps of jieba's search mode are
repeated here so the segmentation is the same as jieba's (the same on all 6,000 documents of two
evaluation corpora when this was written; techmatch/tests/test_tokenize.py keeps the hard cases): a run of letters and digits that is not a dictionary word is split the way
jieba's HMM step splits it (`ET-1` → `ET`, `-`, `1`; `2076.2kg` → `2076.2`, `kg`), and a word longer
than two characters also yields its two- and three-character parts that are dictionary words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import jieba
import rjieba

__all__ = ["Tokenizer", "default_tokenizer", "is_word", "load_stopwords", "plain_tokens"]

jieba.setLogLevel(logging.WARNING)
_LOCK = threading.Lock()
_HAN = re.compile("[\u4e00-\u9fd5]")
_ALNUM_RUN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg's re_skip


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


def domain_words() -> list[tuple[str, int | None]]:
    """The shipped domain dictionary: (word, frequency or None for jieba's suggestion)."""
    words = []
    for line in _data_lines("domain_dict.txt"):
        word, *rest = line.split()
        words.append((word, int(rest[0]) if rest and rest[0].isdigit() else None))
    return words


@cache
def load_stopwords() -> frozenset[str]:
    """The shipped Chinese (and a few English) stop words, lower-cased."""
    return frozenset(word.lower() for word in _data_lines("stopwords.txt"))


class Tokenizer:
    """jieba search mode with the shipped domain dictionary and stop words; thread-safe after setup.

    Tokens are lower-cased; punctuation and stop words are dropped. A tokenizer pickles as its settings
    (worker processes of a parallel index build set up their own).
    """

    def __init__(
        self,
        *,
        domain_dictionary: bool = True,
        stopwords: Iterable[str] | None = None,
        extra_words: Iterable[str] = (),
    ) -> None:
        self._settings: dict[str, Any] = {
            "domain_dictionary": domain_dictionary,
            "stopwords": None if stopwords is None else tuple(stopwords),
            "extra_words": tuple(extra_words),
        }
        self._jieba = rjieba.Jieba()
        words: list[tuple[str, int | None]] = domain_words() if domain_dictionary else []
        words += [(word, None) for word in self._settings["extra_words"]]
        for word, freq in words:
            self._jieba.add_word(word, freq, None)
        self._has = self._jieba.has_word
        self.stopwords: frozenset[str] = (
            load_stopwords() if stopwords is None else frozenset(w.lower() for w in stopwords)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._settings,))

    def segments(self, text: str) -> list[str]:
        """jieba's search-mode segmentation of `text`, punctuation and case untouched."""
        has = self._has
        out: list[str] = []
        add = out.append
        for word in self._jieba.cut(text, True):
            n = len(word)
            if n <= 2:
                add(word)
                continue
            if not _HAN.search(word) and not has(word):
                out.extend(part for part in _ALNUM_RUN.split(word) if part)
                continue
            for i in range(n - 1):
                if has(word[i : i + 2]):
                    add(word[i : i + 2])
            if n > 3:
                for i in range(n - 2):
                    if has(word[i : i + 3]):
                        add(word[i : i + 3])
            add(word)
        return out

    def tokens(self, text: str) -> list[str]:
        """The tokens of `text` in order (repeats kept: they are the term frequencies)."""
        stop = self.stopwords
        out: list[str] = []
        for raw in self.segments(text):
            tok = raw.strip().lower()
            if tok and tok not in stop and is_word(tok):
                out.append(tok)
        return out

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        """`tokens` of each text."""
        return [self.tokens(text) for text in texts]


def _rebuild(settings: dict[str, Any]) -> Tokenizer:
    return Tokenizer(**settings)


@cache
def default_tokenizer() -> Tokenizer:
    """The engine's shared tokenizer (domain dictionary and stop words on)."""
    return Tokenizer()
