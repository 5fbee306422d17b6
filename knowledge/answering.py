"""Selective answering: answer, list "có thể liên quan" articles, or refuse.

A small logistic model over features that separate questions the guidance answers from those
it does not: whether the rarest content words of the question are in the cited article,
whether the answer type the intent wants is there (an amount for "phạt bao nhiêu", a
duration for "bao lâu"), how much of the question's topic the article covers, the absolute
cosine of the top hit, whether the lexical and dense rankings agree on it, and the margin to
the next article. Its coefficients and the two thresholds live in knowledge/data/answering.json,
written by bench/fit_answering.py (the procedure and the halves it used are recorded there).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from knowledge.intent import AnswerType, QuestionIntent, has_answer_type
from knowledge.terms import content_bigrams, query_terms

MODEL_FILE = Path(__file__).parent / "data" / "answering.json"
RARE_WORDS = 3  # how many of the question's rarest content words must be found

FEATURES = ("dense", "topic", "rare", "type_missing", "lexical_top", "dense_top", "margin", "coverage")


class Kind(StrEnum):
    answer = "answer"
    related = "related"  # "có thể liên quan": two or three articles, marked as not an answer
    not_found = "not_found"


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    bias: float
    answer_at: float  # probability at or above which the reply is an answer
    related_at: float  # at or above which (and below answer_at) it lists related articles

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + math.fsum(self.weights.get(k, 0.0) * features[k] for k in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def decide(self, probability: float) -> Kind:
        if probability >= self.answer_at:
            return Kind.answer
        return Kind.related if probability >= self.related_at else Kind.not_found


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(
        weights={k: float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        answer_at=float(data["answer_at"]),
        related_at=float(data["related_at"]),
    )


@dataclass
class Candidate:
    """What the features need of one retrieved article."""

    key: str  # the article's identity (document + article, or document + part)
    text: str  # title, heading and body
    score: float  # fused retrieval score
    lexical: float
    dense: float


def rare_coverage(question: str, text: str, idf: Callable[[str], float] | None) -> float:
    """Share of the question's rarest content words (by index rarity) present in the text."""
    words, _ = query_terms(question)
    if not words:
        return 0.0
    ranked = sorted(words, key=lambda w: (-(idf("~" + w) if idf else 1.0), w))[:RARE_WORDS]
    present, _ = query_terms(text)
    return sum(1 for w in ranked if w in present) / len(ranked)


def topic_share(question: str, text: str, idf: Callable[[str], float] | None) -> float:
    wanted = content_bigrams(question)
    if not wanted:
        return rare_coverage(question, text, idf)
    found = wanted & content_bigrams(text)

    def weight(b: str) -> float:
        return idf("~" + b.replace(" ", "_")) if idf else 1.0

    return math.fsum(weight(b) for b in sorted(found)) / (math.fsum(weight(b) for b in sorted(wanted)) or 1.0)


def plain_coverage(question: str, text: str) -> float:
    q_uni, q_bi = query_terms(question)
    if not q_uni:
        return 0.0
    t_uni, t_bi = query_terms(text)
    uni = len(q_uni & t_uni) / len(q_uni)
    bi = len(q_bi & t_bi) / len(q_bi) if q_bi else uni
    return 0.5 * uni + 0.5 * bi


def features(
    question: str,
    intent: QuestionIntent,
    candidates: Sequence[Candidate],
    idf: Callable[[str], float] | None = None,
    expansion: str = "",
) -> dict[str, float]:
    """The features of the first candidate (the article the reply would cite). Word features
    take the better of the question as typed and with its lay-vocabulary expansion ("sổ đỏ"
    is found as "giấy chứng nhận quyền sử dụng đất")."""
    top = candidates[0]
    second = next((c for c in candidates[1:] if c.key != top.key), None)
    wanted = intent.wants
    asked = [question, f"{question} {expansion}"] if expansion else [question]
    return {
        "dense": top.dense,
        "topic": max(topic_share(q, top.text, idf) for q in asked),
        "rare": max(rare_coverage(q, top.text, idf) for q in asked),
        "type_missing": float(wanted != AnswerType.none and not has_answer_type(top.text, wanted)),
        "lexical_top": float(top.lexical >= max(c.lexical for c in candidates)),
        "dense_top": float(top.dense >= max(c.dense for c in candidates)),
        "margin": (top.score - second.score) / (top.score or 1.0) if second else 1.0,
        "coverage": max(plain_coverage(q, top.text) for q in asked),
    }
