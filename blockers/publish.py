"""A department answer published as guidance: the knowledge base indexes it, so the next
commune asking the same gets it from the bot, cited with who answered and when."""

from __future__ import annotations

from sqlmodel import Session

from blockers import texts
from blockers.events import actor, record_event
from blockers.notify import department_name, tell_officials
from core.clock import to_vn, utcnow
from core.models import Blocker, BlockerMessage, EventKind, User
from knowledge.types import DocumentMeta, LoadedDocument

DOC_TYPE = texts.GUIDANCE_DOC_TYPE


def guidance_from_answer(session: Session, *, blocker: Blocker, message: BlockerMessage) -> LoadedDocument:
    department = department_name(session, blocker.department_code)
    author = session.get(User, message.user_id) if message.user_id else None
    who = (author.full_name or author.username) if author else ""
    answered_on = to_vn(message.created_at).date()
    title = texts.guidance_title(blocker, department)
    text = texts.guidance_text(
        blocker, department, message.text, who=who, answered_on=answered_on, legal_basis=message.legal_basis
    )
    return LoadedDocument(
        source=f"blocker-answer:{blocker.code}#{message.id}",
        text=text,
        meta=DocumentMeta(
            title=title,
            number=blocker.code,
            doc_type=DOC_TYPE,
            issuer=department,
            issued_date=answered_on,
            field=blocker.field,
            department_code=blocker.department_code,
        ),
        kind="plain",
        record_id=blocker.code,
        extra={
            "blocker_id": blocker.id,
            "message_id": message.id,
            "answered_by": who,
            "legal_basis": message.legal_basis,
        },
    )


def mark_published(session: Session, *, blocker: Blocker, document_id: int, user: User) -> None:
    """Link the guidance to the blocker, record it, and tell the official and followers."""
    now = utcnow()
    blocker.published_document_id = document_id
    blocker.updated_at = now
    session.add(blocker)
    record_event(session, blocker, EventKind.publish, actor=actor(user), to_value=str(document_id), now=now)
    name = department_name(session, blocker.department_code)
    tell_officials(session, blocker, text=texts.published_notice(blocker, name))
    session.flush()
