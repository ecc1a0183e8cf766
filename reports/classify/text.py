"""What the classifier reads of a text: one list of features for Chinese and English alike.

Chinese is read as character n-grams (1 to 3), so no word segmenter is needed and a typo costs
only the n-grams it touches. English is read as words (and word pairs), lightly stemmed, and
as character n-grams of each word, which carry misspelt words too.
"""

import itertools
import re
import unicodedata

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z]+")
_SUFFIXES = ("ing", "ed", "es", "s")
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "there",
        "here",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "with",
        "by",
        "from",
        "as",
        "i",
        "we",
        "my",
        "our",
        "me",
        "us",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "their",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "so",
        "very",
        "too",
        "just",
        "all",
        "some",
        "any",
        "can",
        "could",
        "would",
        "should",
        "will",
        "please",
        "hi",
        "hello",
        "thanks",
        "thank",
    }
)


def normalise(text):
    """Full-width forms folded (full-width letters and digits as ASCII), lower case, digits as 0."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\d+", "0", text)


def _stem(word):
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def features(text):
    """The features of ``text``, repeated as often as they occur."""
    text = normalise(text)
    found = []
    for run in _CJK_RUN.findall(text):
        for size in (1, 2, 3):
            found.extend("c" + run[i : i + size] for i in range(len(run) - size + 1))
    words = [_stem(word) for word in _LATIN_WORD.findall(text)]
    for word in words:
        padded = f" {word} "
        found.extend("g" + padded[i : i + 4] for i in range(len(padded) - 3))
    words = [word for word in words if word not in _STOP]
    found.extend("w" + word for word in words)
    found.extend(f"w{first} {second}" for first, second in itertools.pairwise(words))
    return found
