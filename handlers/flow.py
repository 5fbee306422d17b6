"""The seam between the dispatcher and the conversation flows.

The dispatcher (handlers/dispatch.py) resolves who is writing and which dialog is open,
then hands a `Turn` to a flow. A flow returns Replies and may change `turn.state`
(flow/step/data); the dispatcher saves that state in the same transaction.

Button payloads start with the owning flow's prefix, e.g. "rp:dept:TC" for reporting, so a
pressed button (or a number typed on Zalo, mapped back to the payload) reaches its flow even
after another message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from bot.channel import VOICE_KINDS, Attachment, Incoming, Reply
from core.clock import utcnow
from core.models import ChatAccount, Conversation, Person
from core.settings import Settings
from knowledge.types import Guidance


@dataclass
class Turn:
    session: Session
    incoming: Incoming
    account: ChatAccount
    person: Person | None  # None = not registered
    state: Conversation  # open dialog: state.flow == "" when none
    settings: Settings
    knowledge: Guidance
    choice: str = ""  # pressed button payload, or the payload of the numbered choice typed
    now: datetime = field(default_factory=utcnow)  # the dispatcher's clock

    @property
    def text(self) -> str:
        """What the official wrote; for a voice note without a caption, what was heard in it
        (transcribed before the dispatcher ran: handlers/media.py)."""
        return self.incoming.text.strip() or self.heard

    @property
    def voice(self) -> Attachment | None:
        return next((a for a in self.incoming.attachments if a.kind in VOICE_KINDS), None)

    @property
    def heard(self) -> str:
        """The transcript of this message's voice note, "" when there is none or it failed."""
        voice = self.voice
        return voice.text.strip() if voice is not None and voice.reading == "ok" else ""

    def open(self, flow: str, step: str, **data: object) -> None:
        self.state.flow, self.state.step, self.state.data = flow, step, dict(data)

    def close(self) -> None:
        self.state.flow, self.state.step, self.state.data = "", "", {}


def typed_and_heard(typed: str, heard: str) -> str:
    """A voice note's caption and its transcript as one text, the caption first: nothing the
    official typed or said is dropped (a question, a free-text step: handlers/voice_steps.py)."""
    return "\n".join(part for part in (typed.strip(), heard.strip()) if part)


class Flow(Protocol):
    """A dialog such as reporting a blocker. Registered in handlers/dispatch.py by name."""

    name: str  # also the prefix of its button payloads: "<name>:..."

    def start(self, turn: Turn, carried_text: str = "") -> list[Reply]:
        """Begin the dialog (from a command, a menu button, or a handed-over question)."""
        ...

    def handle(self, turn: Turn) -> list[Reply]:
        """A message or a button while this flow's dialog is open, or a button of this flow."""
        ...
