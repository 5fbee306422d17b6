"""The shared vocabulary between chat platforms and the conversation core.

Adapters (telegram.py, zalo.py, zalo_oa.py, webchat.py) translate wire payloads into
`Incoming` and `Reply` into wire calls. Handlers only ever see these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class ChannelName(StrEnum):
    telegram = "telegram"
    zalo = "zalo"  # Zalo Bot Platform
    zalo_oa = "zalo_oa"  # Zalo Official Account API v3
    web = "web"  # the built-in web chat


@dataclass(frozen=True)
class Button:
    label: str  # Vietnamese text shown to the user
    payload: str  # short id-carrying data (≤ 64 bytes for Telegram), e.g. "fb:12:helpful"


class AttachmentKind(StrEnum):
    photo = "photo"
    document = "document"
    voice = "voice"  # a voice note recorded in the chat (Telegram voice, Zalo voice message)
    audio = "audio"  # an audio file sent as such (Telegram audio)


@dataclass(frozen=True)
class Attachment:
    kind: str  # an AttachmentKind, or "rejected" (bot/attachments.py)
    file_ref: str  # platform file id or URL (inbound), path under DATA_DIR/uploads (outbound)
    filename: str = ""
    content_type: str = ""
    size: int = 0
    duration: int = 0  # seconds of a voice note or audio, when the platform says (else 0)


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


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


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
