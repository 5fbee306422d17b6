"""Helpers of the reporting dialog tests: typing a command as each channel would, a staff user,
the outbox of one chat."""

from __future__ import annotations

from sqlmodel import Session, col, select

from core.models import OutboxMessage, Role, User


def command(chat, word: str) -> None:
    chat.send(f"/{word}" if chat.channel.value == "telegram" else word)


def staff_user(session: Session, code: str = "TC") -> User:
    user = User(
        username=f"staff-{code}", password_hash="x", role=Role.staff, department_code=code, full_name="Lê Hoa"
    )
    session.add(user)
    session.commit()
    return user


def outbox_for(session: Session, chat_id: str) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(col(OutboxMessage.id))
        )
    )
