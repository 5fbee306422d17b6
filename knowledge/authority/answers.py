"""Authority answers: "ai / cơ quan nào / cấp nào / xã có được … không / nay do ai" answered first
with today's holder and the decree article that says so, then the clause and its condition; and
the correction of an older provision naming cấp huyện that the map has a transfer for."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.models import AuthorityTransfer, Chunk, Document, DocumentStatus
from knowledge import texts
from knowledge.authority.store import Match, holder_for, transfers_for
from knowledge.authority.vocabulary import ASKING_WHO, COMMUNE_LEVELS, HolderLevel
from knowledge.normalize import fold_key
from knowledge.types import Answer, Source

# Below this share of the question's (weighted) task words, the map does not know the task:
# the ordinary search answers instead. Set on the bench's first half (bench/authority_questions.py).
MIN_MATCH = 0.35
RELATED_SHARE = 0.85  # other rows this close to the best are named too ("việc gần giống")
_ASKS_IF_COMMUNE = re.compile(
    r"(?<![a-z])(?:xa|phuong|cap xa)\s+(?:co duoc|co tham quyen|co phai|duoc)(?![a-z])"
)
_DISTRICT = re.compile(
    r"(?<![a-z])(?:cap huyen|uy ban nhan dan huyen|chu tich uy ban nhan dan huyen)(?![a-z])"
)


def is_authority_question(question: str) -> bool:
    return ASKING_WHO.search(fold_key(question)) is not None


def vn_date(day: date) -> str:
    return f"{day.day:02d}/{day.month}/{day.year}"


def decree_citation(transfer: AuthorityTransfer, doc_type: str = "") -> str:
    """ "Điều 4 khoản 1 Nghị định số 140/2025/NĐ-CP" """
    parts = [texts.ARTICLE.format(number=transfer.article)]
    if transfer.clause:
        parts.append(texts.CLAUSE.format(number=transfer.clause))
    if transfer.point:
        parts.append(texts.POINT.format(number=transfer.point))
    name = texts.AUTHORITY_DECREE.format(number=transfer.decree_number)
    if doc_type and not name.startswith(doc_type):
        name = texts.NUMBERED.format(name=doc_type, number=transfer.decree_number)
    return " ".join([*parts, name])


def _holder(transfer: AuthorityTransfer) -> str:
    return transfer.holder[:1].upper() + transfer.holder[1:]


def _current(session: Session, transfer: AuthorityTransfer, today: date) -> Document | None:
    """The decree, if it still applies today (what is not in force is never cited as current)."""
    document = session.get(Document, transfer.document_id)
    if document is None or document.status == DocumentStatus.expired:
        return None
    if transfer.effective_to is not None and today >= transfer.effective_to:
        return None
    return document


def _source(session: Session, transfer: AuthorityTransfer, document: Document, score: float) -> Source:
    chunks = session.exec(
        select(Chunk)
        .where(Chunk.document_id == document.id)
        .where(Chunk.article == transfer.article)
        .order_by(col(Chunk.ordinal))
    ).all()
    chunk = next((c for c in chunks if c.clause == transfer.clause), chunks[0] if chunks else None)
    return Source(
        document=document.title,
        number=document.number or transfer.decree_number,
        article=transfer.article,
        clause=transfer.clause,
        point=transfer.point,
        score=score,
        chunk_id=chunk.id if chunk else "",
        document_id=int(document.id or 0),
        citation=decree_citation(transfer),
    )


def _lead(question: str, transfer: AuthorityTransfer, citation: str) -> str:
    values = {"holder": _holder(transfer), "citation": citation}
    if transfer.effective_from is not None:
        lead = texts.AUTHORITY_SINCE.format(date=vn_date(transfer.effective_from), **values)
    else:
        lead = texts.AUTHORITY_NOW.format(**values)
    if _ASKS_IF_COMMUNE.search(fold_key(question)):
        yes = HolderLevel(transfer.level) in COMMUNE_LEVELS
        lead = (texts.AUTHORITY_YES if yes else texts.AUTHORITY_NO) + lead
    return lead


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def compose(question: str, best: Match, related: list[Match], *, max_chars: int) -> str:
    transfer = best.transfer
    citation = decree_citation(transfer)
    lines = [_lead(question, transfer, citation)]
    if transfer.condition:
        lines.append(texts.AUTHORITY_CONDITION.format(condition=transfer.condition.rstrip(".")))
    if transfer.effective_to is not None:
        decree = texts.AUTHORITY_DECREE.format(number=transfer.decree_number)
        lines.append(texts.AUTHORITY_UNTIL.format(decree=decree, date=vn_date(transfer.effective_to)))
    if related:
        items = [
            texts.AUTHORITY_RELATED_ITEM.format(
                task=_clip(m.transfer.task, 90),
                holder=_holder(m.transfer),
                citation=decree_citation(m.transfer),
            )
            for m in related
        ]
        lines.append(texts.AUTHORITY_RELATED.format(items="; ".join(items)))
    head = "\n".join(lines[:1])
    tail = "\n\n".join(lines[1:])
    room = max_chars - len(head) - len(tail) - 40 - len(citation)
    clause = texts.AUTHORITY_CLAUSE.format(citation=citation, text=_clip(transfer.text, max(room, 200)))
    return "\n\n".join(part for part in (head, clause, tail) if part)[:max_chars]


def authority_answer(
    engine: Engine, question: str, *, max_chars: int = 2000, today: date | None = None
) -> Answer | None:
    """The holder of the task the question names, when it asks whose the task is and the map
    knows it; None otherwise (the ordinary search answers)."""
    if not is_authority_question(question):
        return None
    today = today or utcnow().date()
    with Session(engine) as session:
        matches = []
        for match in holder_for(session, words=question, limit=6):
            document = _current(session, match.transfer, today)
            if document is not None:
                matches.append((match, document))
        if not matches or matches[0][0].score < MIN_MATCH:
            return None
        (best, document), others = matches[0], matches[1:]
        related = [
            m
            for m, _ in others
            if m.score >= RELATED_SHARE * best.score
            and (m.transfer.holder, m.transfer.task) != (best.transfer.holder, best.transfer.task)
        ][:2]
        text = compose(question, best, related, max_chars=max_chars)
        sources = [_source(session, best.transfer, document, best.score)]
        sources += [_source(session, m.transfer, d, m.score) for m, d in others if m in related]
    return Answer(question=question, text=text, grounded=True, confidence=best.score, sources=sources)


def correction_for(
    session: Session,
    *,
    number: str,
    article: str,
    clause: str = "",
    title: str = "",
    today: date | None = None,
) -> str | None:
    """Who holds a provision of an older text now, citing the decree; None when the map has
    no transfer for it."""
    today = today or utcnow().date()
    lines = []
    for transfer in transfers_for(session, number=number, title=title, article=article, clause=clause)[:2]:
        if _current(session, transfer, today) is None:
            continue
        values = {"holder": _holder(transfer), "citation": decree_citation(transfer)}
        if transfer.effective_from is not None:
            lines.append(texts.AUTHORITY_CORRECTION.format(date=vn_date(transfer.effective_from), **values))
        else:
            lines.append(texts.AUTHORITY_CORRECTION_NOW.format(**values))
    return "\n".join(dict.fromkeys(lines)) or None


def correct_answer(engine: Engine, answer: Answer, *, max_chars: int = 2000) -> Answer:
    """An answer citing a provision that names cấp huyện, with today's holder when the map knows it."""
    if not answer.grounded or not answer.sources or not answer.sources[0].article:
        return answer
    first = answer.sources[0]
    with Session(engine) as session:
        chunk = session.get(Chunk, first.chunk_id) if first.chunk_id else None
        if chunk is None or not _DISTRICT.search(fold_key(chunk.text)):
            return answer
        # A compilation article (Pháp điển) is the provision of the text it comes from.
        note = correction_for(
            session,
            number=chunk.origin_number or first.number,
            title=chunk.origin_title or first.document,
            article=chunk.origin_article or first.article,
            clause=first.clause,
        )
    if note is None:
        return answer
    text = f"{note}\n\n{answer.text}"
    return replace(answer, text=text if len(text) <= max_chars else text[: max_chars - 1] + "…")
