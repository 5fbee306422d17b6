"""Lay vocabulary: the everyday words citizens type ("sổ đỏ", "hộ khẩu", "ly dị") and the legal
terms the guidance uses ("giấy chứng nhận quyền sử dụng đất", "thường trú", "ly hôn").

The table is a data file (knowledge/data/lay_terms.tsv, one `everyday<TAB>→|↔<TAB>legal` line
each) written from domain knowledge; a province adds its own file with the same format through
LAY_TERMS_FILE. Phrases are matched on whole words, with their marks when the question has
them ("cưới" is not "cuối") and folded when it was typed without, so "so do" finds "sổ đỏ".
Retrieval adds the legal term to a question that uses the everyday word (and, for "↔" lines,
the everyday word to a question that uses the legal term).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledge.normalize import fold_key, has_diacritics, normalize_text

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).parent / "data" / "lay_terms.tsv"
BOTH_WAYS = "↔"
ONE_WAY = "→"


@dataclass(frozen=True)
class LayTerm:
    everyday: str
    legal: str
    both_ways: bool


def read_table(path: Path) -> list[LayTerm]:
    """The entries of one table; malformed lines are skipped with a warning, never fatal."""
    terms = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [normalize_text(c).strip() for c in line.split("\t")]
        if len(cells) != 3 or cells[1] not in (BOTH_WAYS, ONE_WAY) or not cells[0] or not cells[2]:
            log.warning("%s:%d: not «everyday<TAB>→|↔<TAB>legal», skipped", path.name, number)
            continue
        if fold_key(cells[0]) != fold_key(cells[2]):
            terms.append(LayTerm(cells[0], cells[2], cells[1] == BOTH_WAYS))
    return terms


# Punctuation inside a phrase: an everyday phrase is matched across it ("gà, vịt" is "gà vịt",
# "trâu/bò" is "trâu bò"); a sentence's end still separates.
_INNER_PUNCTUATION = re.compile(r"\s*[,;/()\-–—]\s*")


def _key(text: str) -> str:
    return " ".join(_INNER_PUNCTUATION.sub(" ", normalize_text(text)).lower().split())


def _folded(text: str) -> str:
    return fold_key(_INNER_PUNCTUATION.sub(" ", text))


def _phrase(text: str, folded: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(fold_key(text) if folded else _key(text))}(?![^\W_])")


@dataclass
class LayVocabulary:
    terms: list[LayTerm] = field(default_factory=list)

    def __post_init__(self) -> None:
        pairs = [(t.everyday, t.legal) for t in self.terms]
        pairs += [(t.legal, t.everyday) for t in self.terms if t.both_ways]
        self._rules = {
            folded: [(_phrase(word, folded), other) for word, other in pairs] for folded in (False, True)
        }

    def expansion(self, question: str) -> str:
        """The terms to add to a question (legal for everyday, and back for "↔" lines), each
        once, leaving out what the question already says."""
        folded = not has_diacritics(question)
        key = _folded(question) if folded else _key(question)
        added: list[str] = []
        for pattern, other in self._rules[folded]:
            if pattern.search(key) and other not in added and fold_key(other) not in fold_key(key):
                added.append(other)
        # A term another added term holds is said once ("trung học cơ sở", "trường trung học cơ sở").
        words = {t: f" {fold_key(t)} " for t in added}
        kept = [t for t in added if not any(t != o and words[t] in words[o] for o in added)]
        return " ".join(kept)


@lru_cache(maxsize=8)
def load_vocabulary(extra: str = "") -> LayVocabulary:
    """The shipped table plus a province's file (LAY_TERMS_FILE) when it is set and readable."""
    terms = read_table(SHIPPED)
    if extra:
        path = Path(extra)
        try:
            terms += read_table(path)
        except OSError as exc:
            log.warning("lay vocabulary %s unreadable (%s): using the shipped table only", path, exc)
    return LayVocabulary(terms)
