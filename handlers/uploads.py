"""Which attachments of an incoming message are worth downloading, decided before any byte is
fetched: only files a registered official sends into a dialog that takes them (a report being
described, information being added), within the flood limit, of an accepted type and size,
and within the number a report may carry. The inbound worker downloads those only; the
others reach the dialog unfetched and are answered with the reason (handlers/reporting_steps).
Read-only: nothing is counted or changed here.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.channel import Incoming
from core.models import ChatAccount, Conversation
from core.settings import Settings
from handlers.accounts import registered_person
from handlers.follow_up import is_add_dialog
from handlers.reporting import NAME as REPORTING
from handlers.reporting_steps import Verdict, verdict_for
from handlers.state import FLOOD_WINDOW, is_idle, take_meta


def wanted_attachments(
    session: Session, incoming: Incoming, *, settings: Settings, now: datetime
) -> list[bool]:
    nothing = [False] * len(incoming.attachments)
    account = session.exec(
        select(ChatAccount).where(
            ChatAccount.channel == incoming.channel.value, ChatAccount.user_id == incoming.user_id
        )
    ).first()
    if account is None or account.id is None or registered_person(session, account=account) is None:
        return nothing
    stored = session.get(Conversation, account.id)
    if stored is None:
        return nothing
    state = Conversation(
        account_id=account.id, flow=stored.flow, step=stored.step, data=dict(stored.data or {})
    )
    state.updated_at = stored.updated_at
    meta = take_meta(state)  # on a copy: the dispatcher counts this message itself
    in_window = meta.flood_start is not None and now - meta.flood_start < FLOOD_WINDOW
    per_minute = settings.chat_messages_per_minute
    if per_minute > 0 and in_window and meta.flood_count >= per_minute:
        return nothing  # this message is over the limit: it will not be handled at all
    if is_idle(state, now=now, idle_minutes=settings.conversation_idle_minutes):
        return nothing
    describing = state.flow == REPORTING and state.step == "describe"
    if not describing and not is_add_dialog(state.flow, state.step):
        return nothing
    taken = len(state.data.get("files", [])) if describing else 0
    wanted = []
    for attachment in incoming.attachments:
        ok = verdict_for(attachment, settings=settings, taken=taken) == Verdict.taken
        taken += ok
        wanted.append(ok)
    return wanted
