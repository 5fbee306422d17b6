"""The shared vocabulary between chat platforms and the conversation core.

Adapters (telegram.py, zalo.py, zalo_oa.py, webchat.py) translate wire payloads into
`Incoming` and `Reply` into wire calls. Handlers only ever see these types.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from core.outbox import Button

__all__ = [
    "VOICE_KINDS",
    "Acknowledging",
    "Attachment",
    "AttachmentKind",
    "Button",
    "Channel",
    "ChannelLimits",
    "ChannelName",
    "Incoming",
    "Polling",
    "Reply",
    "SendResult",
]


class ChannelName(StrEnum):
    telegram = "telegram"
    zalo = "zalo"  # Zalo Bot Platform
    zalo_oa = "zalo_oa"  # Zalo Official Account API v3
    web = "web"  # the built-in web chat


class AttachmentKind(StrEnum):
    photo = "photo"
    document = "document"
    voice = "voice"  # a voice note recorded in the chat (Telegram voice, Zalo voice message)
    audio = "audio"  # an audio file sent as such (Telegram audio)


VOICE_KINDS = frozenset({AttachmentKind.voice, AttachmentKind.audio})


@dataclass(frozen=True)
class Attachment:
    kind: str  # an AttachmentKind, or "rejected" (bot/attachments.py)
    file_ref: str  # platform file id or URL (inbound), path under DATA_DIR/uploads (outbound)
    filename: str = ""
    content_type: str = ""
    size: int = 0
    duration: int = 0  # seconds of a voice note or audio, when the platform says (else 0)
    # Filled by the dispatcher's media step after the download (handlers/media.py), never by
    # an adapter: what was heard in a voice note or read from a photo, and how that went.
    text: str = ""
    reading: str = ""  # "" = not read; else a Transcript/OcrResult status, or "not_fetched"


@dataclass(frozen=True)
class Incoming:
    channel: ChannelName
    chat_id: str
    user_id: str
    message_id: str  # platform message id (dedupe key where there is no update id)
    text: str = ""
    payload: str = ""  # pressed button payload, or "" for typed text
    attachments: tuple[Attachment, ...] = ()
    contact_phone: str = ""  # a shared phone contact (Telegram)
    display_name: str = ""
    sent_at: datetime | None = None
    source_address: str = ""  # the sender's network address, where the channel sees it (web chat)
    # Files of the open report draft that the media step read for routing (file_ref, text).
    read_files: tuple[Attachment, ...] = ()


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    # An answer's kind and sources (knowledge.types.Answer.to_json without the text), carried to
    # clients that can show them (web chat JSON); channels that cannot just send the text.
    answer: dict[str, Any] | None = None


@dataclass(frozen=True)
class ChannelLimits:
    max_text: int  # characters per message
    buttons: bool  # False = render choices as a numbered list answered by number


@dataclass
class SendResult:
    ok: bool
    platform_message_id: str = ""
    retry_after: float | None = None  # seconds the platform asked us to wait (429)
    permanent: bool = False  # do not retry (bad request, bot blocked, window closed)
    blocked: bool = False  # the user blocked the bot
    window_closed: bool = False  # Zalo OA: the interaction window has passed
    error: str = ""


class Channel(Protocol):
    name: ChannelName
    limits: ChannelLimits

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True when a webhook request really comes from the platform."""
        ...

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        """The de-duplication key of a raw update, or None when it is not one we handle."""
        ...

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        """Translate a raw update into an Incoming, or None to ignore it."""
        ...

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        """Send one already-rendered message (text within limits)."""
        ...

    async def download(self, attachment: Attachment) -> bytes:
        """Fetch the bytes of an inbound attachment."""
        ...


# Optional abilities: an adapter has them or not; callers test with isinstance, not getattr.
@runtime_checkable
class Polling(Protocol):
    """Long polling (Telegram, Zalo Bot Platform without a public address)."""

    async def fetch_updates(self, offset: int) -> tuple[list[tuple[str, dict[str, Any]]], int]:
        """New raw updates (key, payload) after `offset`, and the next offset."""
        ...


@runtime_checkable
class LocalFiles(Protocol):
    """Channels whose files are already on this machine (the web chat's staged files): the
    inbound worker takes each file over (moved, never copied, bot/attachments.py) instead of
    downloading it, so one copy exists at any moment."""

    async def take_over(self, attachment: Attachment, target: Path) -> int:
        """Move the file to `target` and return its size; when it is already there (a retry
        after a failure past the move) just its size. LookupError when it is in neither place;
        any other error is the disk's and the update is retried."""
        ...


@runtime_checkable
class Acknowledging(Protocol):
    """Platforms that want each update acknowledged (Telegram: answer a button's callback)."""

    async def acknowledge(self, payload: Mapping[str, Any]) -> None: ...


# Code points no store or platform accepts, or that only carry mischief: lone surrogates
# (UTF-8 cannot encode them), NUL and the other C0 controls but tab and line breaks (PostgreSQL
# text refuses NUL), and the noncharacters.
_INVALID = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` with every invalid code point replaced by U+FFFD: what the official typed is
    kept, and nothing downstream (database, platform API, logs) fails on it."""
    return _INVALID.sub(REPLACEMENT, value)


def clean_incoming(incoming: Incoming) -> Incoming:
    """Every adapter's `parse` ends here, so handlers only ever see clean text."""
    attachments = tuple(
        replace(
            a,
            file_ref=clean_text(a.file_ref),
            filename=clean_text(a.filename),
            content_type=clean_text(a.content_type),
        )
        for a in incoming.attachments
    )
    return replace(
        incoming,
        chat_id=clean_text(incoming.chat_id),
        user_id=clean_text(incoming.user_id),
        message_id=clean_text(incoming.message_id),
        text=clean_text(incoming.text),
        payload=clean_text(incoming.payload),
        attachments=attachments,
        contact_phone=clean_text(incoming.contact_phone),
        display_name=clean_text(incoming.display_name),
        source_address=clean_text(incoming.source_address),
    )
