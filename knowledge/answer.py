"""Answers: the best clause(s) of the best article, with the citation, or a clear refusal.

Extractive by default. Confidence is the top hit's cosine similarity blended with how much
of the question's vocabulary the cited text covers, and how many of its content word pairs
("khai sinh", "hộ chiếu": the topic) it contains: e5 puts every administrative question near
every administrative text, and single syllables ("đăng", "ký", "sinh") are everywhere, so a
topic absent from the guidance shows up as missing content bigrams. The refusal threshold is
calibrated on the development questions (< 1 % of them below it) against out-of-scope ones (weather,
football, recipes, chit-chat; administrative topics absent from the demo guidance), with and
without diacritics (see bench/retrieval.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.models import Chunk, Document, DocumentStatus
from knowledge import texts
from knowledge.chunking import split_clauses
from knowledge.retrieve import Hit
from knowledge.terms import content_bigrams, query_terms
from knowledge.types import Answer, Source

# Calibrated threshold on `confidence()` (bench/retrieval.py --calibrate); see module doc.
MIN_CONFIDENCE = 0.69
MAX_SOURCES = 3
NOT_FOUND = texts.NOT_FOUND
AMENDED_NOTE = texts.AMENDED_NOTE


@dataclass
class Passage:
    hit: Hit
    chunk: Chunk
    document: Document
    idf: Callable[[str], float] | None = None  # of an index term ("~khai_sinh"), for topic weights


def coverage(question: str, text: str) -> float:
    q_uni, q_bi = query_terms(question)
    if not q_uni:
        return 0.0
    t_uni, t_bi = query_terms(text)
    uni = len(q_uni & t_uni) / len(q_uni)
    bi = len(q_bi & t_bi) / len(q_bi) if q_bi else uni
    return 0.5 * uni + 0.5 * bi


def topic_coverage(question: str, text: str, idf: Callable[[str], float] | None = None) -> float:
    """Share of the question's content bigrams found in the text, weighted by their rarity in
    the index when `idf` is given: "đăng ký" is everywhere, "khai sinh" names the topic."""
    wanted = content_bigrams(question)
    if not wanted:
        return coverage(question, text)

    def weight(bigram: str) -> float:
        return idf("~" + bigram.replace(" ", "_")) if idf is not None else 1.0

    found = wanted & content_bigrams(text)
    if found == wanted:
        return 1.0
    # Sorted sums: set order follows the per-process hash seed, and float addition is not
    # associative, so unsorted sums would rank the same passages differently across processes.
    return math.fsum(weight(b) for b in sorted(found)) / (math.fsum(weight(b) for b in sorted(wanted)) or 1.0)


def confidence(question: str, passage: Passage) -> float:
    text = f"{passage.document.title} {passage.chunk.article_title} {passage.chunk.text}"
    topic = topic_coverage(question, text, passage.idf)
    return 0.6 * passage.hit.dense + 0.2 * coverage(question, text) + 0.2 * topic


def citation(chunk: Chunk, document: Document, clause: str = "") -> str:
    if chunk.part:
        code = texts.PROCEDURE_CODE.format(number=document.number) if document.number else ""
        is_procedure = document.title.lower().startswith(texts.PROCEDURE_PREFIX)
        name = document.title if is_procedure else texts.PROCEDURE.format(title=document.title)
        return f"{name}{code} — {chunk.part}"
    parts = []
    article = (chunk.origin_article or chunk.article) if chunk.origin_number else chunk.article
    if article:
        parts.append(texts.ARTICLE.format(number=article))
    clause = clause or chunk.clause
    if clause:
        parts.append(texts.CLAUSE.format(number=clause))
    if chunk.point and clause == chunk.clause and "-" not in chunk.point:
        parts.append(texts.POINT.format(number=chunk.point))
    parts.append(document_name(chunk, document))
    if chunk.origin_number and document.title:  # the compilation (đề mục) as context
        parts[-1] += texts.COMPILATION_CONTEXT.format(title=document.title)
    return " ".join(p for p in parts if p)


def document_name(chunk: Chunk, document: Document) -> str:
    """The text an official can look up: "Luật Cư trú số 68/2020/QH14"; for an article of a
    compilation (Pháp điển), the source it comes from: "Nghị định số 123/2015/NĐ-CP", "Luật
    Hộ tịch số 60/2014/QH13"."""
    if chunk.origin_number:
        kind = f"{chunk.origin_type} {chunk.origin_title}".strip()  # "Luật Hộ tịch", "Nghị định"
        return texts.NUMBERED.format(name=kind, number=chunk.origin_number).strip()
    name = document.title
    if document.number and document.number not in name:
        name = texts.NUMBERED.format(name=name, number=document.number)
    return name


def best_clause(question: str, chunk: Chunk) -> tuple[str, str]:
    """(clause number, text) of the chunk's clause that covers the question best."""
    clauses = split_clauses(chunk.text)
    if len(clauses) <= 1 or len(chunk.text) <= 600:
        return chunk.clause if "-" not in chunk.clause else "", chunk.text
    scored = [(coverage(question, text), number, text) for number, text in clauses if number]
    if not scored:
        return "", chunk.text
    _, number, text = max(scored, key=lambda s: s[0])
    return number, text


def to_source(passage: Passage, clause: str = "") -> Source:
    chunk, document = passage.chunk, passage.document
    return Source(
        document=document.title,
        number=document.number,
        article=chunk.article,
        clause=clause or chunk.clause,
        score=passage.hit.score,
        chunk_id=chunk.id,
        document_id=int(document.id or 0),
        point=chunk.point,
        part=chunk.part,
        citation=citation(chunk, document, clause),
        record_id=passage.hit.record_id,
    )


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return cut[: cut.rfind(" ")] + "…" if " " in cut else cut + "…"


def extractive_answer(question: str, passages: list[Passage], *, max_chars: int, threshold: float) -> Answer:
    if not passages:
        return Answer(question=question, text=NOT_FOUND, grounded=False, confidence=0.0)
    top = passages[0]
    conf = confidence(question, top)
    if conf < threshold:
        return Answer(question=question, text=NOT_FOUND, grounded=False, confidence=conf)
    clause, body = best_clause(question, top.chunk)
    first = to_source(top, clause)
    heading = texts.ACCORDING_TO.format(citation=first.citation)
    if top.chunk.article_title and not top.chunk.part:
        heading += f" ({top.chunk.article_title})"
    others = [to_source(p) for p in passages[1:MAX_SOURCES] if p.hit.score >= 0.6 * top.hit.score]
    tail = ""
    if others:
        tail = texts.SEE_ALSO.format(citations="; ".join(s.citation for s in others))
    if top.document.status == DocumentStatus.amended:
        tail += "\n\n" + AMENDED_NOTE
    room = max_chars - len(heading) - len(tail) - 3
    text = f"{heading}:\n{_clip(body, room)}{tail}"
    return Answer(question=question, text=text, grounded=True, confidence=conf, sources=[first, *others])
