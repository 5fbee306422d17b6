"""Topic words of a question or a text, folded (no diacritics) so typed-without-marks queries
match too: content syllables and syllable pairs without question or function words."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection

from knowledge.normalize import bigrams, expand_abbreviations, fold, syllables

# Frequent question and function words that say nothing about the topic. Compared with marks
# when the user typed them ("từ" = from is one, "tử" = death is not); folded only for syllables
# typed without marks, where the two cannot be told apart.
STOP_WORDS = frozenset(
    [
        "thì",
        "là",
        "mà",
        "của",
        "và",
        "có",
        "không",
        "được",
        "các",
        "những",
        "cho",
        "với",
        "theo",
        "trong",
        "khi",
        "nào",
        "gì",
        "bao",
        "nhiêu",
        "như",
        "thế",
        "nào",
        "ai",
        "đâu",
        "tôi",
        "em",
        "anh",
        "chị",
        "xã",
        "phường",
        "hỏi",
        "hay",
        "hoặc",
        "này",
        "đó",
        "bị",
        "về",
        "để",
        "người",
        "một",
        "do",
        "từ",
        "đến",
        "cần",
        "gồm",
        "phải",
        "sao",
        "vậy",
        "ạ",
        "ơi",
        "xin",
        "giúp",
        "muốn",
    ]
)
STOP_FOLDED = frozenset(fold(w) for w in STOP_WORDS)
# Grouping similar questions for the dashboard (blockers/question_groups.py) also drops fillers
# the retrieval keeps (adverbs, pronouns, "xã"): the groups are of topics, not of phrasing.
FILLER_FOLDED = frozenset(
    "con cung da dang ho hon lam len moi neu nhat nhe o ra rat roi se tai thoi u van vao xuong".split()  # noqa: SIM905
)
GROUPING_STOP_WORDS = STOP_FOLDED | FILLER_FOLDED


def _content(syllable: str) -> str:
    """The folded syllable, or "" for a stop word or a number."""
    folded = fold(syllable)
    if syllable.isdigit() or syllable in STOP_WORDS or (folded == syllable and folded in STOP_FOLDED):
        return ""
    return folded


def query_terms(text: str) -> tuple[set[str], set[str]]:
    """Folded content syllables and bigrams of a text (for coverage and clause choice)."""
    raw = syllables(expand_abbreviations(text, keep=False))
    content = {_content(s) for s in raw} - {""}
    return content, set(bigrams([fold(s) for s in raw]))


# Syllables that make a word its opposite or another thing: "bất động sản" is not "động sản",
# "vô hiệu" not "hiệu", "phi lợi nhuận" not "lợi nhuận". Matched with their marks ("bắt", "vợ"
# fold the same way).
NEGATING_PREFIXES = frozenset({"bất", "phi", "vô"})


_PREFIXED = re.compile(rf"\b({'|'.join(sorted(NEGATING_PREFIXES))})\s+(\w+)\s+(\w+)", re.IGNORECASE)


def without_prefixed(text: str, asked: Collection[str]) -> str:
    """The text with each pair the question asks (`asked`: folded "dong_san" keys) dropped
    where a negating prefix the question does not say makes it another word: "… đối với bất
    động sản …" holds nothing of "động sản" asked."""

    def masked(m: re.Match[str]) -> str:
        prefix, first, second = (fold(g.lower()) for g in m.groups())
        wanted = f"{first}_{second}" in asked and f"{prefix}_{first}" not in asked
        return m.group(1) if wanted else m.group()

    return _PREFIXED.sub(masked, text)


# "ở", "tại" opening a question of place ("ở đâu", "ở xã nào", "tại cơ quan nào") belong to
# the question words, not to the topic ("khai tử ở" is no topic); elsewhere they may ("đất ở").
_PLACE_PREPOSITIONS = frozenset({"ở", "tại", "o", "tai"})
_PLACE_QUESTION = frozenset({"đâu", "dau"})
_WHICH = frozenset({"nào", "nao"})


def _asks_place(raw: list[str], i: int) -> bool:
    """ "ở" before "đâu", or before one word and "nào" ("ở xã nào", "tại nơi nào")."""
    after = raw[i + 1 : i + 3]
    if raw[i] not in _PLACE_PREPOSITIONS or not after:
        return False
    return after[0] in _PLACE_QUESTION or (len(after) == 2 and after[1] in _WHICH)


def content_bigrams(text: str) -> set[str]:
    """Folded syllable pairs without question/function words or numbers: the topic words."""
    raw = syllables(expand_abbreviations(text, keep=False))
    content = ["" if _asks_place(raw, i) else _content(s) for i, s in enumerate(raw)]
    return {f"{a} {b}" for a, b in itertools.pairwise(content) if a and b}


# How questions end without saying anything about their topic: "… là gì?", "… như thế nào?",
# "… gồm những gì?". Left out of the BM25 query ("là" is in every definition).
_TAIL_WORDS = "gì|như thế nào|thế nào|ra sao|nào|bao nhiêu|bao lâu|ở đâu|khi nào|ai"
_LEAD_WORDS = "thì|là|được|có|gồm|bao gồm|cần|phải"
_POLITE = "ạ|vậy|nhỉ"
_PLURAL = "những|các"


def _either(words: str) -> str:
    """Each word with its marks or typed without them (as restored or as typed)."""
    return "|".join(sorted(set(words.split("|")) | set(fold(words).split("|")), key=len, reverse=True))


_QUESTION_TAIL = re.compile(
    rf"\s*(?:(?:{_either(_LEAD_WORDS)})\s+)?(?:(?:{_either(_PLURAL)})\s+)?(?:{_either(_TAIL_WORDS)})"
    rf"(?:\s+(?:{_either(_POLITE)}))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def without_question_tail(text: str) -> str:
    """The question without its closing question words (unchanged if nothing else is left).
    Marked words match only marked text, so "xăng dầu" never loses "dầu"."""
    stripped = _QUESTION_TAIL.sub("", text)
    return stripped if stripped.strip() else text
