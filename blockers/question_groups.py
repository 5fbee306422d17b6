"""Grouping the dashboard's similar questions and counting frequent phrases, on folded text.

Kept deliberately simple (token sets and Jaccard overlap) so the dashboard stays fast and the
grouping is explainable: "these 7 questions share most of their words".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from knowledge.normalize import fold_key
from knowledge.terms import GROUPING_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
SIMILARITY = 0.5


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold_key(text)) if w not in GROUPING_STOP_WORDS and len(w) > 1]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def group_similar(rows: Iterable[Sequence[Any]], *, limit: int = 30) -> list[dict[str, Any]]:
    """Group (text, created_at) rows whose significant words overlap; largest groups first.

    Identical word sets collapse first (cheap), then each distinct set joins the first group
    whose representative it overlaps enough.
    """
    exact: dict[frozenset[str], dict[str, Any]] = {}
    for text, created_at in rows:
        key = frozenset(tokens(text))
        entry = exact.setdefault(key, {"texts": [], "last_at": created_at})
        entry["texts"].append(text)
        if created_at is not None and (entry["last_at"] is None or created_at > entry["last_at"]):
            entry["last_at"] = created_at
    groups: list[dict[str, Any]] = []
    for key, entry in sorted(exact.items(), key=lambda item: -len(item[1]["texts"])):
        target = next((g for g in groups if _jaccard(g["key"], key) >= SIMILARITY), None)
        if target is None:
            groups.append({"key": key, "example": entry["texts"][0], "texts": [], "last_at": None})
            target = groups[-1]
        target["texts"].extend(entry["texts"])
        last: datetime | None = entry["last_at"]
        if last is not None and (target["last_at"] is None or last > target["last_at"]):
            target["last_at"] = last
    groups.sort(key=lambda g: (-len(g["texts"]), g["example"]))
    return [
        {
            "example": g["example"],
            "count": len(g["texts"]),
            "variants": list(dict.fromkeys(g["texts"]))[:5],
            "last_at": g["last_at"],
        }
        for g in groups[:limit]
    ]


def top_terms(titles: Iterable[str], *, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent two-syllable phrases (Vietnamese words are mostly two syllables)."""
    counts: Counter[str] = Counter()
    for title in titles:
        words = tokens(title)
        counts.update({f"{a} {b}" for a, b in pairwise(words)})
    return [(term, n) for term, n in counts.most_common(limit) if n > 1]
