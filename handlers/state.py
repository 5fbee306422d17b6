"""Conversation state in the database: one `Conversation` row per chat account.

The row holds the open dialog (flow, step, data) and two things the dispatcher keeps for
itself inside `data` under reserved keys, so no extra table is needed and everything
survives a restart and works across worker processes:

- "_choices": payloads of the buttons last shown, so a typed "2" means the second button on
  every channel (Zalo has no buttons; the renderer numbers them). Notifications with buttons
  sent outside a dialog set it too (core.outbox.enqueue_to_account); "_labels": their labels,
  so a spoken choice ("gửi", "bỏ qua") can be matched to one (handlers/voice_steps.py);
- "_flood": the per-chat message counter of the current one-minute window;
- "_draft": a blocker report put aside when a command interrupted it (handlers/drafts.py).

Flows never see the reserved keys: `take_meta` removes them before a flow runs and
`save_state` puts them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.channel import Reply
from core.models import Conversation
from core.outbox import CHOICES_KEY, LABELS_KEY

FLOOD_KEY = "_flood"
DRAFT_KEY = "_draft"
_RESERVED = (CHOICES_KEY, LABELS_KEY, FLOOD_KEY, DRAFT_KEY)
FLOOD_WINDOW = timedelta(minutes=1)


@dataclass
class Meta:
    choices: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # of the same buttons; [] when not known
    flood_start: datetime | None = None
    flood_count: int = 0
    flood_warned: bool = False
    draft: dict[str, Any] | None = None  # {"data": …, "saved_at": iso}


class FloodVerdict(StrEnum):
    ok = "ok"
    warn = "warn"  # first message over the limit: say so once
    silent = "silent"  # further messages in the same window: no answer at all


def load_state(session: Session, *, account_id: int) -> Conversation:
    state = session.get(Conversation, account_id)
    if state is None:
        state = Conversation(account_id=account_id)
        session.add(state)
    return state


def take_meta(state: Conversation) -> Meta:
    data: dict[str, Any] = dict(state.data or {})
    choices = data.pop(CHOICES_KEY, [])
    labels = data.pop(LABELS_KEY, [])
    flood = data.pop(FLOOD_KEY, None)
    draft = data.pop(DRAFT_KEY, None)
    state.data = data
    meta = Meta(choices=[str(c) for c in choices] if isinstance(choices, list) else [])
    if isinstance(labels, list) and len(labels) == len(meta.choices):
        meta.labels = [str(label) for label in labels]
    meta.draft = draft if isinstance(draft, dict) else None
    if isinstance(flood, dict) and flood.get("start"):
        meta.flood_start = datetime.fromisoformat(str(flood["start"]))
        meta.flood_count = int(flood.get("count", 0))
        meta.flood_warned = bool(flood.get("warned", False))
    return meta


def save_state(state: Conversation, *, meta: Meta, now: datetime) -> None:
    # A fresh dict: the JSON column does not track in-place changes.
    data = {k: v for k, v in (state.data or {}).items() if k not in _RESERVED}
    if meta.choices:
        data[CHOICES_KEY] = list(meta.choices)
        if len(meta.labels) == len(meta.choices):
            data[LABELS_KEY] = list(meta.labels)
    if meta.flood_start is not None:
        data[FLOOD_KEY] = {
            "start": meta.flood_start.isoformat(),
            "count": meta.flood_count,
            "warned": meta.flood_warned,
        }
    if meta.draft:
        data[DRAFT_KEY] = meta.draft
    state.data = data
    state.updated_at = now


def is_idle(state: Conversation, *, now: datetime, idle_minutes: int) -> bool:
    """True when an open dialog has waited longer than allowed. A list of choices outside a
    dialog does not expire: it stays the last list on the user's screen (a rating request
    may be answered hours later)."""
    return bool(state.flow) and now - state.updated_at > timedelta(minutes=idle_minutes)


class StaleChoice(Exception):
    """A button payload (or typed number) that no longer points at anything: an old message,
    a question of another account, a flow that no longer exists. The dispatcher answers it."""


def count_message(meta: Meta, *, now: datetime, per_minute: int) -> FloodVerdict:
    """Fixed one-minute window per chat: over the limit, warn once, then stay silent."""
    if per_minute <= 0:
        return FloodVerdict.ok
    if meta.flood_start is None or now - meta.flood_start >= FLOOD_WINDOW:
        meta.flood_start, meta.flood_count, meta.flood_warned = now, 0, False
    meta.flood_count += 1
    if meta.flood_count <= per_minute:
        return FloodVerdict.ok
    if meta.flood_warned:
        return FloodVerdict.silent
    meta.flood_warned = True
    return FloodVerdict.warn


def remember_choices(meta: Meta, replies: list[Reply]) -> None:
    """Numbers typed next refer to the last list the user saw: the buttons of the last reply
    that carries any (the renderer numbers each message's buttons from 1). Replies without
    buttons leave the earlier list in force, as it is still the last one on screen."""
    for reply in reversed(replies):
        if reply.buttons:
            meta.choices = [b.payload for b in reply.buttons]
            meta.labels = [b.label for b in reply.buttons]
            return
