"""Zalo Bot Platform (bot-api.zaloplatforms.com): a small async httpx client and the channel.

The API is shaped like Telegram's: `{base}/bot{token}/{method}`, answers `{ok, result}` and
failures as `ok: false` with `error_code`/`description` (raised here, never ignored).
getUpdates returns one event, or HTTP 408 when none arrived in time. Events carry no update id,
so the message id is the de-duplication key. There are no buttons: choices are numbered.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from bot.attachments import AttachmentTooLarge
from bot.channel import (
    Attachment,
    AttachmentKind,
    ChannelLimits,
    ChannelName,
    Incoming,
    Reply,
    SendResult,
    clean_incoming,
)
from bot.errors import safe_error
from bot.telegram import header

log = logging.getLogger(__name__)

TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
VOICE_EVENT = "message.voice.received"  # a voice message: `voice_url` to an AAC file
DOWNLOAD_LIMIT = 20 * 1024 * 1024


class ZaloError(Exception):
    def __init__(self, status: int, code: int | None, description: str) -> None:
        super().__init__(f"HTTP {status}, error {code}: {description}")
        self.status, self.code, self.description = status, code, description


def unwrap(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Webhook bodies may come wrapped as {ok, result: event}; polling returns `result` itself."""
    result = payload.get("result")
    return result if isinstance(result, Mapping) and "event_name" in result else payload


class ZaloBotClient:
    def __init__(self, *, token: str, base_url: str, timeout: float = 20.0) -> None:
        self._prefix = f"{base_url.rstrip('/')}/bot{token}/"
        self._http = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=32))

    async def close(self) -> None:
        await self._http.aclose()

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        response = await self._http.post(
            self._prefix + method, json=dict(params or {}), timeout=timeout or httpx.USE_CLIENT_DEFAULT
        )
        if response.status_code == 408 and method == "getUpdates":
            return None
        try:
            body = response.json()
        except ValueError:
            raise ZaloError(response.status_code, None, response.text[:200]) from None
        if response.status_code >= 400 or not isinstance(body, dict) or not body.get("ok"):
            code = body.get("error_code") if isinstance(body, dict) else None
            description = str(body.get("description", "")) if isinstance(body, dict) else ""
            if code == 408 and method == "getUpdates":
                return None
            raise ZaloError(response.status_code, code, description)
        return body.get("result")

    async def get_me(self) -> Any:
        return await self.call("getMe")

    async def get_updates(self, timeout: int) -> Mapping[str, Any] | None:
        return await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text[:2000]})

    async def send_photo(self, chat_id: str, photo: str, caption: str = "") -> Any:
        return await self.call("sendPhoto", {"chat_id": chat_id, "photo": photo, "caption": caption})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def fetch(self, url: str, limit: int) -> bytes:
        async with self._http.stream("GET", url) as response:
            response.raise_for_status()
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    raise AttachmentTooLarge(url)
            return bytes(data)


def parse_event(payload: Mapping[str, Any]) -> Incoming | None:
    event = unwrap(payload)
    message = event.get("message")
    if not isinstance(message, Mapping):
        return None
    name = event.get("event_name")
    sender = message.get("from") or {}
    chat = message.get("chat") or {}
    chat_id = str(chat.get("id") or sender.get("id") or "")
    if not chat_id or name not in (TEXT_EVENT, IMAGE_EVENT, VOICE_EVENT):
        return None  # stickers, unsupported kinds
    attachments: tuple[Attachment, ...] = ()
    text = str(message.get("text") or "")
    if name == IMAGE_EVENT:
        url = message.get("photo_url") or message.get("photo")
        if url:
            attachments = (
                Attachment(
                    kind="photo", file_ref=str(url), filename="anh-zalo.jpg", content_type="image/jpeg"
                ),
            )
        text = text or str(message.get("caption") or "")
    if name == VOICE_EVENT:
        url = message.get("voice_url") or message.get("url")
        if not url:
            return None
        attachments = (
            Attachment(
                kind=AttachmentKind.voice,
                file_ref=str(url),
                filename="ghi-am-zalo.aac",
                content_type="audio/aac",
            ),
        )
    return clean_incoming(
        Incoming(
            channel=ChannelName.zalo,
            chat_id=chat_id,
            user_id=str(sender.get("id") or chat_id),
            message_id=str(message.get("message_id", "")),
            text=text,
            attachments=attachments,
            display_name=str(sender.get("display_name") or sender.get("name") or "")[:200],
        )
    )


class ZaloChannel:
    name = ChannelName.zalo
    limits = ChannelLimits(max_text=2000, buttons=False)

    def __init__(self, *, token: str, base_url: str, webhook_secret: str, poll_timeout: int = 25) -> None:
        self.client = ZaloBotClient(token=token, base_url=base_url)
        self.webhook_secret = webhook_secret
        self.poll_timeout = poll_timeout

    async def start(self, public_base_url: str) -> None:
        await self.client.get_me()
        if public_base_url:
            url = public_base_url.rstrip("/") + "/webhooks/zalo"
            await self.client.set_webhook(url, self.webhook_secret)
        else:
            await self.client.delete_webhook()

    async def stop(self) -> None:
        await self.client.close()

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        given = header(headers, "X-Bot-Api-Secret-Token")
        return bool(self.webhook_secret) and hmac.compare_digest(given.encode(), self.webhook_secret.encode())

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        message = unwrap(payload).get("message")
        key = message.get("message_id") if isinstance(message, Mapping) else None
        return str(key) if key else None

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        return parse_event(payload)

    async def fetch_updates(self, offset: int) -> tuple[list[tuple[str, dict[str, Any]]], int]:
        event = await self.client.get_updates(self.poll_timeout)
        if not isinstance(event, Mapping):
            return [], offset
        key = self.update_key(event)
        return ([(key, dict(event))] if key else []), offset

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        try:
            result = await self.client.send_message(chat_id, reply.text)
        except ZaloError as exc:
            if exc.status == 429 or exc.code == 429:
                return SendResult(ok=False, retry_after=5.0, error=safe_error(exc))
            if exc.status >= 500 or exc.code in (None, 408, 500, 502, 503, 504):
                return SendResult(ok=False, error=safe_error(exc))
            blocked = exc.code == 403
            return SendResult(ok=False, permanent=True, blocked=blocked, error=safe_error(exc))
        except httpx.HTTPError as exc:
            return SendResult(ok=False, error=safe_error(exc))
        message_id = result.get("message_id", "") if isinstance(result, Mapping) else ""
        return SendResult(ok=True, platform_message_id=str(message_id))

    async def download(self, attachment: Attachment) -> bytes:
        return await self.client.fetch(attachment.file_ref, DOWNLOAD_LIMIT)
