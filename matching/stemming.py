"""English stems from the Snowball (Porter 2) stemmer, through PyStemmer.

One ``Stemmer`` per thread (PyStemmer's objects are not thread-safe); each keeps its own cache
of the words it has stemmed.
"""

from __future__ import annotations

import threading

import Stemmer

_LOCAL = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_LOCAL, "stemmer", None)
    if stemmer is None:
        stemmer = _LOCAL.stemmer = Stemmer.Stemmer("english")
    return stemmer


def stem(word: str) -> str:
    """The Snowball stem of one lower-case word ("studies" → "studi", "announced" → "announc")."""
    return _stemmer().stemWord(word)


def stems(words: list[str]) -> list[str]:
    return _stemmer().stemWords(words)
