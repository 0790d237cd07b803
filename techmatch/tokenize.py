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
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from itertools import chain
from typing import Any, TypeVar

import jieba
import rjieba

__all__ = ["Remembered", "Tokenizer", "default_tokenizer", "is_word", "load_stopwords", "plain_tokens"]

jieba.setLogLevel(logging.WARNING)
V = TypeVar("V")
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
        self._known: Remembered[tuple[str, ...]] = Remembered(self._tokens_of_word)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._settings,))

    def _search_mode(self, word: str) -> list[str]:
        """What jieba's search mode makes of one word of its accurate mode (module docstring)."""
        n = len(word)
        if n <= 2:
            return [word]
        has = self._has
        if not _HAN.search(word) and not has(word):
            return [part for part in _ALNUM_RUN.split(word) if part]
        grams = [word[i : i + 2] for i in range(n - 1) if has(word[i : i + 2])]
        if n > 3:
            grams += [word[i : i + 3] for i in range(n - 2) if has(word[i : i + 3])]
        return [*grams, word]

    def segments(self, text: str) -> list[str]:
        """jieba's search-mode segmentation of `text`, punctuation and case untouched."""
        return [segment for word in self._jieba.cut(text, True) for segment in self._search_mode(word)]

    def normalise(self, segment: str) -> str:
        """A segment as a token: stripped and lower-cased; "" for punctuation, blanks and stop words."""
        tok = segment.strip().lower()
        return tok if tok and tok not in self.stopwords and is_word(tok) else ""

    def words(self, text: str) -> list[str]:
        """jieba's accurate-mode words of `text` (each gives its tokens by `word_tokens`)."""
        words: list[str] = self._jieba.cut(text, True)
        return words

    def _tokens_of_word(self, word: str) -> tuple[str, ...]:
        return tuple(tok for tok in map(self.normalise, self._search_mode(word)) if tok)

    def word_tokens(self, word: str) -> tuple[str, ...]:
        """The tokens one word yields (search-mode parts, normalised), remembered: words recur."""
        known = self._known
        if len(known) > 1_000_000:
            known.clear()
        return known[word]

    def tokens(self, text: str) -> list[str]:
        """The tokens of `text` in order (repeats kept: they are the term frequencies)."""
        known = self._known
        if len(known) > 1_000_000:
            known.clear()
        return list(chain.from_iterable(map(known.__getitem__, self._jieba.cut(text, True))))

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        """`tokens` of each text."""
        return [self.tokens(text) for text in texts]


class Remembered(dict[str, V]):
    """A dict that computes and keeps the value of a missing key."""

    def __init__(self, compute: Callable[[str], V]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> V:
        value = self[key] = self.compute(key)
        return value


def _rebuild(settings: dict[str, Any]) -> Tokenizer:
    return Tokenizer(**settings)


@cache
def default_tokenizer() -> Tokenizer:
    """The engine's shared tokenizer (domain dictionary and stop words on)."""
    return Tokenizer()
