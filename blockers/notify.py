"""Who hears about a blocker, written to the outbox in the caller's transaction:
the reporting official and its followers (in the chat they used) and the department's
configured chats (Telegram or Zalo groups)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from core.models import Blocker, BlockerFollower, ChatAccount, Department
from core.outbox import Button, enqueue_to_account, enqueue_to_target
from core.settings import Settings, get_settings


def blocker_link(blocker: Blocker, settings: Settings | None) -> str:
    """The inbox page of a blocker; `settings` is passed by every caller (None only where a
    caller has none to give, e.g. a test filing a blocker directly)."""
    base = (settings or get_settings()).public_base_url.rstrip("/")
    return f"{base}/inbox/blockers/{blocker.id}"


def department_name(session: Session, code: str) -> str:
    department = session.get(Department, code)
    return department.name if department is not None else code


def follower_accounts(session: Session, blocker: Blocker) -> list[ChatAccount]:
    rows = session.exec(
        select(ChatAccount)
        .join(BlockerFollower, BlockerFollower.account_id == ChatAccount.id)  # type: ignore[arg-type]
        .where(BlockerFollower.blocker_id == blocker.id)
    )
    return list(rows)


def official_accounts(session: Session, blocker: Blocker, *, followers: bool = True) -> list[ChatAccount]:
    accounts: list[ChatAccount] = []
    if blocker.account_id is not None:
        owner = session.get(ChatAccount, blocker.account_id)
        if owner is not None:
            accounts.append(owner)
    if followers:
        seen = {a.id for a in accounts}
        accounts += [a for a in follower_accounts(session, blocker) if a.id not in seen]
    return accounts


def tell_officials(
    session: Session,
    blocker: Blocker,
    *,
    text: str,
    buttons: Sequence[Button] | None = None,
    followers: bool = True,
    blocker_message_id: int | None = None,
    buttons_for_followers: bool = True,
) -> int:
    count = 0
    for account in official_accounts(session, blocker, followers=followers):
        is_owner = account.id == blocker.account_id
        enqueue_to_account(
            session,
            account,
            text=text,
            buttons=(buttons or ()) if (is_owner or buttons_for_followers) else (),
            blocker_message_id=blocker_message_id,
        )
        count += 1
    return count


def tell_department(session: Session, code: str, *, text: str) -> int:
    department = session.get(Department, code)
    if department is None:
        return 0
    sent = 0
    for target in department.notify_chats:
        if enqueue_to_target(session, target, text=text) is not None:
            sent += 1
    return sent
