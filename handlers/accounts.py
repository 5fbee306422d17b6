"""Who is writing: the chat account of a sender, and the official it is linked to."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.channel import Incoming
from core.models import ChatAccount, Person


def get_or_create_account(session: Session, *, incoming: Incoming) -> ChatAccount:
    """The sender's account on this channel, kept up to date with where to answer them."""
    channel = incoming.channel.value
    account = session.exec(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.user_id == incoming.user_id)
    ).first()
    if account is None:
        account = ChatAccount(
            channel=channel,
            user_id=incoming.user_id,
            chat_id=incoming.chat_id,
            display_name=incoming.display_name,
        )
    else:
        account.chat_id = incoming.chat_id or account.chat_id
        account.display_name = incoming.display_name or account.display_name
        account.blocked = False  # they are writing to us again, so they unblocked the bot
    session.add(account)
    session.flush()
    return account


def registered_person(session: Session, *, account: ChatAccount) -> Person | None:
    if account.person_id is None:
        return None
    person = session.get(Person, account.person_id)
    return person if person is not None and person.active else None
