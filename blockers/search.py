"""Folded (diacritic-free, lower-case) search text for blockers.

Officials and staff type "dat dai" as often as "đất đai"; the inbox matches a folded query
against `Blocker.search_text`, which an ORM hook keeps filled on every insert and update, so
whichever module writes a blocker (lifecycle, imports, tests) gets it without remembering to.
The text read from its attachments (OCR of a photo, the transcript of a voice note) is part
of it: the hook reads it from the rows already written, and whoever writes such text calls
`refresh_search_text` once the rows are flushed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlmodel import Session

from core.models import Blocker, BlockerAttachment
from knowledge.normalize import fold_key


def search_text_for(blocker: Blocker, extracted: Iterable[str] = ()) -> str:
    parts = (blocker.code, blocker.title, blocker.description, blocker.commune, blocker.field, *extracted)
    return fold_key(" ".join(part for part in parts if part))


@event.listens_for(Blocker, "before_insert")
@event.listens_for(Blocker, "before_update")
def _fill_search_text(_mapper: Any, connection: Any, target: Blocker) -> None:
    extracted: list[str] = []
    if target.id is not None:
        table = BlockerAttachment.__table__  # type: ignore[attr-defined]
        rows = connection.execute(
            select(table.c.extracted_text).where(
                table.c.blocker_id == target.id, table.c.extracted_text != ""
            )
        )
        extracted = [str(text) for (text,) in rows]
    target.search_text = search_text_for(target, extracted)


def refresh_search_text(session: Session, blocker_id: int) -> None:
    """After text read from an attachment was written: the blocker's search text takes it in."""
    blocker = session.get(Blocker, blocker_id)
    if blocker is None:
        return
    session.flush()  # the attachment rows first, so the hook reads them
    blocker.search_text = ""  # a change, so the update (and its hook) runs
    session.add(blocker)
    session.flush()
