"""Closing the loop: a department answer published as guidance reaches the people who needed it.

- the reporting official and every follower are told (a follower who joined after the answer
  gets the answer itself);
- officials whose questions the bot could not answer (the dashboard's list) get it when the
  same retrieval, asked their question again, now cites the new guidance;
- a leader can send it to every commune's officials, or to those of a field (a broadcast).
Each official gets a given answer once (GuidanceDelivery is unique per document and account),
always through the outbox, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Protocol

from sqlmodel import Session, col, func, select

from blockers import texts
from blockers.notify import department_name, official_accounts
from blockers.publish import guidance_from_answer, mark_published
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerMessage,
    Broadcast,
    ChatAccount,
    Chunk,
    DeliveryReason,
    Document,
    DocumentOrigin,
    GuidanceDelivery,
    OutboxMessage,
    Person,
    QuestionLog,
    User,
)
from core.outbox import enqueue_to_account
from knowledge.normalize import fold_key
from knowledge.types import Answer, LoadedDocument

RECENT_QUESTIONS = 300  # unanswered questions asked again (the dashboard lists the last 500)
BROADCASTS_PER_DAY = 5  # across the province: each one reaches every commune's officials


class Publisher(Protocol):
    def add_document(self, doc: LoadedDocument, origin: DocumentOrigin) -> int: ...

    def ask(self, question: str) -> Answer: ...


def _delivered(session: Session, document_id: int) -> set[int]:
    rows = session.exec(
        select(GuidanceDelivery.account_id).where(GuidanceDelivery.document_id == document_id)
    )
    return set(rows)


def _deliver(session: Session, account: ChatAccount, text: str, delivery: GuidanceDelivery) -> None:
    """Queue `text` for the account and record it (delivery: document, reason, source)."""
    delivery.outbox_id = enqueue_to_account(session, account, text=text).id
    session.add(delivery)


def publish_answer(
    session: Session, *, blocker: Blocker, message: BlockerMessage, user: User, knowledge: Publisher
) -> int:
    """Index the answer, tell the reporter and followers, and send it to the officials whose
    unanswered questions it now answers; returns how many of those were told."""
    if blocker.published_document_id is not None:
        raise ValueError(texts.ALREADY_PUBLISHED)
    document_id = knowledge.add_document(
        guidance_from_answer(session, blocker=blocker, message=message), DocumentOrigin.blocker_answer
    )
    mark_published(session, blocker=blocker, document_id=document_id, user=user)
    name = department_name(session, blocker.department_code)
    answered = set(
        session.exec(select(OutboxMessage.account_id).where(OutboxMessage.blocker_message_id == message.id))
    )
    for account in official_accounts(session, blocker):
        if account.id not in answered:  # followed after the answer went out: send it now
            enqueue_to_account(
                session,
                account,
                text=texts.broadcast_notice(blocker, name, message.text, message.legal_basis),
            )
        session.add(
            GuidanceDelivery(
                document_id=document_id, account_id=account.id or 0, reason=DeliveryReason.reporter
            )
        )
    session.flush()
    return _answer_waiting_questions(
        session, blocker=blocker, message=message, document_id=document_id, knowledge=knowledge
    )


def _answer_waiting_questions(
    session: Session, *, blocker: Blocker, message: BlockerMessage, document_id: int, knowledge: Publisher
) -> int:
    chunks = set(session.exec(select(Chunk.id).where(Chunk.document_id == document_id)))
    done = _delivered(session, document_id)
    rows = session.exec(
        select(QuestionLog)
        .where(QuestionLog.grounded == False, col(QuestionLog.account_id).is_not(None))  # noqa: E712
        .order_by(col(QuestionLog.created_at).desc())
        .limit(RECENT_QUESTIONS)
    ).all()
    verdicts: dict[str, bool] = {}  # the same question asked by many officials is asked again once
    name = department_name(session, blocker.department_code)
    told = 0
    for log in rows:
        if log.account_id in done:
            continue
        key = fold_key(log.question)
        if key not in verdicts:
            answer = knowledge.ask(log.question)
            verdicts[key] = answer.grounded and any(
                s.document_id == document_id or s.chunk_id in chunks for s in answer.sources[:1]
            )
        account = session.get(ChatAccount, log.account_id)
        if not verdicts[key] or account is None:
            continue
        text = texts.answer_for_question(log.question, blocker, name, message.text)
        why = GuidanceDelivery(
            document_id=document_id,
            account_id=account.id or 0,
            reason=DeliveryReason.question,
            question_id=log.id,
        )
        _deliver(session, account, text, why)
        done.add(account.id or 0)
        told += 1
    session.flush()
    return told


# --- broadcasts ----------------------------------------------------------------------------------


class BroadcastOutcome(StrEnum):
    queued = "queued"
    nobody = "nobody"  # every official it would reach already has this answer
    repeated = "repeated"  # this answer was already sent to this group
    limit = "limit"  # BROADCASTS_PER_DAY reached
    unpublished = "unpublished"


@dataclass(frozen=True)
class BroadcastResult:
    outcome: BroadcastOutcome
    recipients: int = 0


def _recipients(session: Session, field: str) -> list[ChatAccount]:
    """Registered officials' chats; for a field, those whose position names it or who reported a
    blocker in it."""
    rows = session.exec(
        select(ChatAccount, Person)
        .join(Person, col(Person.id) == col(ChatAccount.person_id))
        .where(col(Person.active).is_(True), col(ChatAccount.blocked).is_(False))
        .order_by(col(ChatAccount.id))
    ).all()
    if not field:
        return [account for account, _ in rows]
    reporters = set(session.exec(select(Blocker.account_id).where(Blocker.field == field)))
    wanted = fold_key(field)
    return [a for a, person in rows if a.id in reporters or wanted in fold_key(person.position)]


def broadcast(
    session: Session, *, blocker: Blocker, user: User, field: str = "", now: datetime | None = None
) -> BroadcastResult:
    now = now or utcnow()
    message = _published_answer(session, blocker)
    if blocker.published_document_id is None or message is None:
        return BroadcastResult(BroadcastOutcome.unpublished)
    document_id = blocker.published_document_id
    earlier = select(Broadcast.id).where(Broadcast.blocker_id == blocker.id, Broadcast.field == field)
    if session.exec(earlier).first() is not None:
        return BroadcastResult(BroadcastOutcome.repeated)
    recent = (
        select(func.count()).select_from(Broadcast).where(col(Broadcast.created_at) > now - timedelta(days=1))
    )
    if int(session.exec(recent).one()) >= BROADCASTS_PER_DAY:
        return BroadcastResult(BroadcastOutcome.limit)
    done = _delivered(session, document_id)
    accounts = [a for a in _recipients(session, field) if a.id not in done]
    if not accounts:
        return BroadcastResult(BroadcastOutcome.nobody)
    row = Broadcast(
        blocker_id=blocker.id or 0,
        document_id=document_id,
        field=field,
        user_id=user.id,
        recipients=len(accounts),
        created_at=now,
    )
    session.add(row)
    session.flush()
    recorded = partial(
        GuidanceDelivery, document_id=document_id, reason=DeliveryReason.broadcast, broadcast_id=row.id
    )
    text = texts.broadcast_notice(
        blocker, department_name(session, blocker.department_code), message.text, message.legal_basis
    )
    for account in accounts:
        _deliver(session, account, text, recorded(account_id=account.id or 0))
    session.flush()
    return BroadcastResult(BroadcastOutcome.queued, len(accounts))


def _published_answer(session: Session, blocker: Blocker) -> BlockerMessage | None:
    """The reply that became the guidance (its id is in the published document's source)."""
    document = session.get(Document, blocker.published_document_id) if blocker.published_document_id else None
    if document is None:
        return None
    message_id = document.source.rpartition("#")[2]
    return session.get(BlockerMessage, int(message_id)) if message_id.isdigit() else None


@dataclass(frozen=True)
class BroadcastReport:
    broadcast: Broadcast
    counts: dict[str, int]  # delivery status → messages


def broadcast_reports(session: Session, blocker: Blocker) -> list[BroadcastReport]:
    """Every broadcast of a blocker with how many messages were sent, pending, failed…"""
    broadcasts: Sequence[Broadcast] = session.exec(
        select(Broadcast).where(Broadcast.blocker_id == blocker.id).order_by(col(Broadcast.id))
    ).all()
    reports = []
    for row in broadcasts:
        counts = session.exec(
            select(OutboxMessage.status, func.count())
            .join(GuidanceDelivery, col(GuidanceDelivery.outbox_id) == col(OutboxMessage.id))
            .where(GuidanceDelivery.broadcast_id == row.id)
            .group_by(OutboxMessage.status)
        ).all()
        reports.append(BroadcastReport(row, {str(status): int(n) for status, n in counts}))
    return reports
