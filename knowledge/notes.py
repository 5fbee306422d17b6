"""The validity lines under an answer, appended in one place (`annotate`): the cited document's
number and status, a warning for a text not yet in force, the two-level government note for
an older text naming "cấp huyện", and "replaced by" for a text that stopped being cited.
What each means is decided by knowledge/validity.py; the words are in knowledge/texts.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from core.models import Chunk, Document
from knowledge import texts
from knowledge.answer import Passage, document_name
from knowledge.types import Answer, Source
from knowledge.validity import Citable, district_note, effective_status, superseded_note, validity, vn_date


def article_key(chunk: Chunk) -> str:
    """The key of `Document.article_status` a chunk reads its own status under."""
    return chunk.article or chunk.part


def chunk_validity_status(chunk: Chunk, document: Document) -> str:
    return effective_status(str(document.status), document.article_status, article_key(chunk))


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"


def validity_notes(
    answer: Answer, passages: Sequence[Passage], *, today: date, superseded: Sequence[Document] = ()
) -> str:
    by_chunk = {p.chunk.id: p for p in passages}
    sources = answer.sources if answer.grounded else []
    cited = [by_chunk[s.chunk_id] for s in sources if s.chunk_id in by_chunk]
    notes: list[str] = []
    seen: set[int | None] = set()
    for rank, passage in enumerate(cited):
        chunk, document = passage.chunk, passage.document
        if document.id in seen:
            continue
        seen.add(document.id)
        state = validity(document, today=today, status=chunk_validity_status(chunk, document))
        name = document_name(chunk, document)
        if state.citable == Citable.warned and document.effective_from is not None:
            notes.append(texts.NOT_YET_WARNING.format(name=name, date=vn_date(document.effective_from)))
        elif rank == 0:
            notes.append(texts.VALIDITY_LINE.format(name=name, label=state.label))
    if cited:
        top = cited[0]
        text_date = top.chunk.origin_effective_from or top.document.issued_date or top.document.effective_from
        notes.append(district_note(text_date, top.chunk.text))
    for document in superseded:
        name = document.title
        if document.number and document.number not in name:
            name = texts.NUMBERED.format(name=name, number=document.number)
        notes.append(superseded_note(name, document))
    return "".join(n for n in notes if n)


def annotate(
    answer: Answer,
    passages: Sequence[Passage],
    *,
    today: date,
    max_chars: int,
    superseded: Sequence[Document] = (),
) -> Answer:
    """The answer with its validity lines, still within `max_chars`, and each source with the
    status of its document (or article) on that day, in words."""
    answer = replace(answer, sources=dated_sources(answer.sources, passages, today=today))
    notes = validity_notes(answer, passages, today=today, superseded=superseded)
    if not notes:
        return answer
    body = _clip(answer.text, max(max_chars - len(notes), 200))
    return replace(answer, text=body + notes)


def dated_sources(sources: Sequence[Source], passages: Sequence[Passage], *, today: date) -> list[Source]:
    """The sources with the status in force on `today` (an article's override, "chưa có hiệu
    lực" before its start, "hết hiệu lực" after its end) and its label."""
    by_chunk = {p.chunk.id: p for p in passages}
    out = []
    for source in sources:
        passage = by_chunk.get(source.chunk_id)
        if passage is None:
            out.append(source)
            continue
        state = validity(
            passage.document, today=today, status=chunk_validity_status(passage.chunk, passage.document)
        )
        out.append(replace(source, status=state.status, status_label=state.label))
    return out
