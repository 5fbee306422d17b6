"""Telegram through python-telegram-bot 22 (the Bot object only; no Application).

Raw update dicts are parsed here and never leave bot/. Long polling stores the same raw dicts a
webhook would receive, so both modes share one path from the database on.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.attachments import AttachmentTooLarge
from bot.channel import (
    Attachment,
    AttachmentKind,
    Button,
    ChannelLimits,
    ChannelName,
    Incoming,
    Reply,
    SendResult,
    clean_incoming,
)
from bot.errors import safe_error
from bot.render import CHOICES_HEADER

log = logging.getLogger(__name__)

REQUEST_CONTACT = "@request_contact"
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # Bot API getFile limit
ALLOWED_UPDATES = ["message", "callback_query"]


def header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or headers.get(name.lower()) or ""


def phone_digits(raw: str) -> str:
    """A shared phone number as digits with the leading 0 used in the roster."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) >= 11 else digits


def strip_bot_mention(text: str) -> str:
    """ "/hoi@TroLyBot abc" → "/hoi abc" (Telegram adds the bot name in groups)."""
    if not text.startswith("/"):
        return text
    command, _, rest = text.partition(" ")
    command = command.split("@", 1)[0]
    return f"{command} {rest}".strip() if rest else command


def _display_name(user: Mapping[str, Any]) -> str:
    name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return (name or user.get("username") or "")[:200]


def _attachments(message: Mapping[str, Any]) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    photos = message.get("photo") or []
    if photos:
        best = max(photos, key=lambda p: (p.get("file_size") or 0, p.get("width", 0) * p.get("height", 0)))
        found.append(
            Attachment(
                kind="photo",
                file_ref=str(best["file_id"]),
                filename=f"anh-{best.get('file_unique_id', 'x')}.jpg",
                content_type="image/jpeg",
                size=int(best.get("file_size") or 0),
            )
        )
    found.extend(_sounds(message))
    document = message.get("document")
    if document:
        found.append(
            Attachment(
                kind="document",
                file_ref=str(document["file_id"]),
                filename=str(document.get("file_name") or ""),
                content_type=str(document.get("mime_type") or ""),
                size=int(document.get("file_size") or 0),
            )
        )
    return tuple(found)


def _sounds(message: Mapping[str, Any]) -> list[Attachment]:
    """A voice note (OGG/Opus) or an audio file: bytes fetched like any file, read by the dialog."""
    found = []
    for kind, default_name, default_type in (
        (AttachmentKind.voice, "ghi-am-{}.ogg", "audio/ogg"),
        (AttachmentKind.audio, "am-thanh-{}.mp3", "audio/mpeg"),
    ):
        item = message.get(kind)
        if not isinstance(item, Mapping) or not item.get("file_id"):
            continue
        found.append(
            Attachment(
                kind=kind,
                file_ref=str(item["file_id"]),
                filename=str(item.get("file_name") or default_name.format(item.get("file_unique_id", "x"))),
                content_type=str(item.get("mime_type") or default_type),
                size=int(item.get("file_size") or 0),
                duration=int(item.get("duration") or 0),
            )
        )
    return found


def _private(chat: Any) -> bool:
    """Department groups only receive notifications: the bot talks to officials one to one."""
    return not isinstance(chat, Mapping) or chat.get("type", "private") == "private"


def parse_update(payload: Mapping[str, Any]) -> Incoming | None:
    query = payload.get("callback_query")
    if isinstance(query, Mapping):
        user = query.get("from") or {}
        if not _private((query.get("message") or {}).get("chat")):
            return None
        chat = ((query.get("message") or {}).get("chat") or {}).get("id", user.get("id"))
        if chat is None or not query.get("data"):
            return None
        return clean_incoming(
            Incoming(
                channel=ChannelName.telegram,
                chat_id=str(chat),
                user_id=str(user.get("id", chat)),
                message_id=f"cb{query.get('id', '')}",
                payload=str(query["data"]),
                display_name=_display_name(user),
            )
        )
    message = payload.get("message")
    chat_id = (message.get("chat") or {}).get("id") if isinstance(message, Mapping) else None
    if not isinstance(message, Mapping) or chat_id is None:
        return None  # edited messages, channel posts, member updates…: not ours
    if not _private(message.get("chat")):
        return None
    user = message.get("from") or {}
    contact = message.get("contact") or {}
    phone = ""
    if contact and user.get("id") is not None and contact.get("user_id") == user.get("id"):
        phone = phone_digits(str(contact.get("phone_number", "")))
    text = strip_bot_mention(str(message.get("text") or message.get("caption") or ""))
    attachments = _attachments(message)
    if not (text or attachments or phone):
        return None  # stickers, someone else's contact, service messages
    return clean_incoming(
        Incoming(
            channel=ChannelName.telegram,
            chat_id=str(chat_id),
            user_id=str(user.get("id", "")),
            message_id=str(message.get("message_id", "")),
            text=text,
            attachments=attachments,
            contact_phone=phone,
            display_name=_display_name(user),
        )
    )


def _markup(reply: Reply) -> tuple[str, Any]:
    contact = next((b for b in reply.buttons if b.payload == REQUEST_CONTACT), None)
    if contact is not None:
        # A reply keyboard cannot sit beside inline buttons: the others become numbered choices,
        # numbered by their position in Reply.buttons as the dispatcher expects.
        others = [(i, b) for i, b in enumerate(reply.buttons, start=1) if b is not contact]
        text = reply.text
        if others:
            text += "\n\n" + CHOICES_HEADER + "\n" + "\n".join(f"{i}. {b.label}" for i, b in others)
        keyboard = [[KeyboardButton(contact.label, request_contact=True)]]
        return text, ReplyKeyboardMarkup(keyboard, one_time_keyboard=True, resize_keyboard=True)
    rows = [[InlineKeyboardButton(b.label, callback_data=b.payload)] for b in _fitting(reply.buttons)]
    return reply.text, InlineKeyboardMarkup(rows) if rows else None


def _fitting(buttons: list[Button]) -> list[Button]:
    fitting = [b for b in buttons if 0 < len(b.payload.encode()) <= 64]
    if len(fitting) != len(buttons):
        log.warning(
            "dropped %d button(s) whose payload exceeds Telegram's 64 bytes", len(buttons) - len(fitting)
        )
    return fitting


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramChannel:
    name = ChannelName.telegram
    limits = ChannelLimits(max_text=4096, buttons=True)

    def __init__(
        self,
        *,
        token: str,
        base_url: str,
        base_file_url: str,
        webhook_secret: str,
        uploads_dir: Path,
        poll_timeout: int = 25,
    ) -> None:
        self.bot = Bot(
            token,
            base_url=base_url,
            base_file_url=base_file_url,
            request=HTTPXRequest(connection_pool_size=32, read_timeout=20, connect_timeout=10),
            get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=poll_timeout + 10),
        )
        self.webhook_secret = webhook_secret
        self.uploads_dir = uploads_dir
        self.poll_timeout = poll_timeout

    async def start(self, public_base_url: str) -> None:
        await self.bot.initialize()
        if public_base_url:
            url = public_base_url.rstrip("/") + "/webhooks/telegram"
            await self.bot.set_webhook(
                url, secret_token=self.webhook_secret or None, allowed_updates=ALLOWED_UPDATES
            )
        else:
            await self.bot.delete_webhook()

    async def stop(self) -> None:
        await self.bot.shutdown()

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        given = header(headers, "X-Telegram-Bot-Api-Secret-Token")
        return bool(self.webhook_secret) and hmac.compare_digest(given.encode(), self.webhook_secret.encode())

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        update_id = payload.get("update_id")
        return str(update_id) if isinstance(update_id, int) else None

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        return parse_update(payload)

    async def fetch_updates(self, offset: int) -> tuple[list[tuple[str, dict[str, Any]]], int]:
        updates = await self.bot.get_updates(
            offset=offset or None,
            timeout=self.poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            read_timeout=self.poll_timeout + 10,
        )
        items = [(str(u.update_id), u.to_dict()) for u in updates]
        return items, max([offset, *(u.update_id + 1 for u in updates)])

    async def acknowledge(self, payload: Mapping[str, Any]) -> None:
        query = payload.get("callback_query")
        if isinstance(query, Mapping) and query.get("id"):
            try:
                await self.bot.answer_callback_query(str(query["id"]))
            except TelegramError as exc:  # too old or already answered: the message still counts
                log.info("answerCallbackQuery: %s", safe_error(exc))

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        try:
            first = ""
            if reply.text.strip():
                text, markup = _markup(reply)
                sent = await self.bot.send_message(chat_id, text, reply_markup=markup)
                first = str(sent.message_id)
            for item in reply.attachments:
                path = self.uploads_dir / item.file_ref
                with path.open("rb") as handle:
                    if item.kind == "photo":
                        sent = await self.bot.send_photo(chat_id, handle)
                    else:
                        sent = await self.bot.send_document(
                            chat_id, handle, filename=item.filename or path.name
                        )
                first = first or str(sent.message_id)
            return SendResult(ok=True, platform_message_id=first)
        except RetryAfter as exc:
            return SendResult(ok=False, retry_after=_seconds(exc.retry_after), error=safe_error(exc))
        except Forbidden as exc:
            return SendResult(ok=False, blocked=True, permanent=True, error=safe_error(exc))
        except BadRequest as exc:
            return SendResult(ok=False, permanent=True, error=safe_error(exc))
        except (TelegramError, OSError) as exc:  # network, timeouts, 5xx: retried with backoff
            return SendResult(ok=False, error=safe_error(exc))

    async def download(self, attachment: Attachment) -> bytes:
        if attachment.size > DOWNLOAD_LIMIT:
            raise AttachmentTooLarge(attachment.filename)
        try:
            file = await self.bot.get_file(attachment.file_ref)
        except BadRequest as exc:
            if "too big" in str(exc).lower():
                raise AttachmentTooLarge(attachment.filename) from exc
            raise
        if file.file_size and file.file_size > DOWNLOAD_LIMIT:
            raise AttachmentTooLarge(attachment.filename)
        return bytes(await file.download_as_bytearray())
