"""A blocker report put aside instead of lost.

A command typed in the middle of a report (/cuatoi, /hoi, …) asks "Lưu nháp / Hủy báo cáo"
rather than dropping what the official typed; the command runs once they chose. A saved draft
(description, files, choices so far) is kept for the conversation idle period, under the
reserved "_draft" key of the chat's state (handlers/state.py), and /baocao offers to resume it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.channel import Button, Reply
from core.clock import format_vn
from core.models import Conversation
from handlers import texts as t
from handlers.commands import Command, ParsedCommand
from handlers.flow import Turn
from handlers.reporting import NAME as REPORTING
from handlers.reporting import ReportingFlow
from handlers.reporting_steps import description_of
from handlers.state import Meta

PREFIX = "rp:draft:"
SAVE = PREFIX + "save"
DROP = PREFIX + "drop"
RESUME = PREFIX + "resume"
NEW = PREFIX + "new"
PENDING_KEY = "pending"  # in the open report's data: the command that interrupted it
EXCERPT_CHARS = 160


def has_content(state: Conversation) -> bool:
    """An open report with something the official typed or sent."""
    data = state.data or {}
    return state.flow == REPORTING and bool(data.get("parts") or data.get("files"))


def ask_to_keep(turn: Turn, parsed: ParsedCommand) -> list[Reply]:
    turn.state.data = {**turn.state.data, PENDING_KEY: [parsed.command.value, parsed.argument]}
    buttons = [Button(t.SAVE_DRAFT, SAVE), Button(t.DROP_REPORT, DROP)]
    return [Reply(text=t.KEEP_DRAFT, buttons=buttons)]


def pending_command(turn: Turn) -> ParsedCommand | None:
    """The command that interrupted the report, if the report is still open."""
    raw = turn.state.data.get(PENDING_KEY) if turn.state.flow == REPORTING else None
    if not isinstance(raw, list) or len(raw) != 2 or raw[0] not in Command.__members__:
        return None
    return ParsedCommand(Command(raw[0]), argument=str(raw[1]))


def save(turn: Turn, meta: Meta) -> list[Reply]:
    data = {k: v for k, v in turn.state.data.items() if k != PENDING_KEY}
    meta.draft = {"data": data, "saved_at": turn.now.isoformat()}
    turn.close()
    return [Reply(text=t.DRAFT_SAVED.format(minutes=turn.settings.conversation_idle_minutes))]


def fresh_draft(meta: Meta, *, now: datetime, idle_minutes: int) -> dict[str, Any] | None:
    """The saved draft's data while it is kept; an older one is forgotten here."""
    draft = meta.draft or {}
    try:
        saved_at = datetime.fromisoformat(str(draft.get("saved_at")))
    except ValueError:
        saved_at = None
    data = draft.get("data")
    if saved_at is None or not isinstance(data, dict) or now - saved_at > timedelta(minutes=idle_minutes):
        meta.draft = None
        return None
    return data


def offer(turn: Turn, data: dict[str, Any], meta: Meta) -> list[Reply]:
    excerpt = description_of(data) or t.NO_FILES
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[: EXCERPT_CHARS - 1] + "…"
    saved_at = datetime.fromisoformat(str((meta.draft or {}).get("saved_at")))
    text = t.DRAFT_OFFER.format(at=format_vn(saved_at), excerpt=excerpt)
    return [Reply(text=text, buttons=[Button(t.CONTINUE_DRAFT, RESUME), Button(t.NEW_REPORT, NEW)])]


def resume(turn: Turn, meta: Meta) -> list[Reply] | None:
    """Open the saved draft again; None when there is none left (it expired meanwhile)."""
    data = fresh_draft(meta, now=turn.now, idle_minutes=turn.settings.conversation_idle_minutes)
    meta.draft = None
    return ReportingFlow().resume(turn, data) if data is not None else None
