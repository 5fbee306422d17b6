"""Helpers of the reporting dialog tests: typing a command as each channel would, a staff user,
the outbox of one chat."""

from __future__ import annotations

from sqlmodel import Session, col, select

from core.models import ChatAccount, OutboxMessage, Person, Role, User


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


def describe(chat, text: str) -> None:  # type: ignore[no-untyped-def]
    """/baocao, one message of description, "Xong": the dialog's next step is on screen."""
    command(chat, "baocao")
    chat.send(text)
    chat.press("Xong")


def send_as_proposed(chat) -> None:  # type: ignore[no-untyped-def]
    """After "Xong": the first suggested department, no field, "Gửi"."""
    for label in (chat.labels[0], "Bỏ qua", "Gửi"):
        chat.press(label)


def other_official(session: Session) -> tuple[Person, ChatAccount]:
    """An official of another commune, registered on Telegram."""
    person = Person(name="Hoàng Văn Nam", commune="Xã Kha Sơn")
    session.add(person)
    session.flush()
    account = ChatAccount(channel="telegram", user_id="900", chat_id="chat-900", person_id=person.id)
    session.add(account)
    session.flush()
    return person, account
