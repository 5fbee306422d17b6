"""Lexical features for routing and duplicate detection (Vietnamese, diacritics optional)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from knowledge.normalize import bigrams, fold, syllables


def features(text: str) -> Counter[str]:
    """Syllables as typed, their folded copies ("~so", "~do") and folded bigrams ("so_do")."""
    tokens = syllables(text)
    folded = [fold(t) for t in tokens]
    bag: Counter[str] = Counter(tokens)
    bag.update("~" + f for f in folded)
    bag.update(bigrams(folded))
    return bag


def folded_phrase(text: str) -> str:
    """'Sổ đỏ, đất!' -> 'so do dat': for phrase matching whatever the user typed."""
    return " ".join(fold(t) for t in syllables(text))


class Tfidf:
    """Sublinear TF × smoothed IDF, L2-normalised sparse vectors."""

    def __init__(self, docs: Sequence[Counter[str]]) -> None:
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        n = len(docs) + 1
        self.idf = {term: math.log(n / (count + 1)) + 1.0 for term, count in df.items()}
        self.default_idf = math.log(n) + 1.0

    def vector(self, bag: Counter[str]) -> dict[str, float]:
        vec = {t: (1.0 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
