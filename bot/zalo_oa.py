"""Zalo Official Account API v3: webhook events in, customer-service messages out.

Zalo answers errors with HTTP 200 and `"error": <negative code>`; they are treated as errors.
The access token lives about 25 hours and the refresh token rotates on every refresh, so both
(and the expiry) are persisted in KeyValue each time: a restart must not lose the only valid
refresh token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

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
from core.clock import utcnow
from core.logs import register_secret
from core.models import KeyValue

log = logging.getLogger(__name__)

TOKENS_KEY = "zalo_oa.tokens"
EVENTS = {"user_send_text", "user_send_image", "user_send_file", "user_send_audio"}
# Attachment types in OA events; "audio" is a voice message recorded in Zalo (AAC).
_KINDS = {"image": AttachmentKind.photo, "audio": AttachmentKind.voice}
_DEFAULT_NAMES = {AttachmentKind.photo: "anh-zalo.jpg", AttachmentKind.voice: "ghi-am-zalo.aac"}
INVALID_TOKEN = -216
# The user has not interacted with the OA within the allowed window (or does not follow it):
# customer-service messages are refused until they write again.
WINDOW_CLOSED = {-213, -230, -232}
RETRYABLE = {-32, -201}  # rate limit exceeded; request failed on Zalo's side
REFRESH_MARGIN = timedelta(minutes=10)
DOWNLOAD_LIMIT = 20 * 1024 * 1024


def signature(app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    return hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


class OaError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"error {code}: {message}")
        self.code = code


class OaTokens:
    """Access and refresh tokens, persisted in KeyValue, refreshed before expiry."""

    def __init__(
        self,
        *,
        engine: Engine,
        http: httpx.AsyncClient,
        oauth_base_url: str,
        app_id: str,
        app_secret: str,
        access_token: str,
        refresh_token: str,
    ) -> None:
        self.engine, self.http = engine, http
        self.url = oauth_base_url.rstrip("/") + "/v4/oa/access_token"
        self.app_id, self.app_secret = app_id, app_secret
        self.access, self.refresh_token = access_token, refresh_token
        self.expires_at: datetime | None = None
        self._register()
        self._lock = asyncio.Lock()
        self._loaded = False

    def _register(self) -> None:
        """The tokens in use are secrets too (the database holds refreshed ones): never logged."""
        for value in (self.access, self.refresh_token, self.app_secret):
            register_secret(value)

    def _load(self) -> None:
        with Session(self.engine) as session:
            row = session.get(KeyValue, TOKENS_KEY)
        if row is not None:
            data = json.loads(row.value)
            self.access, self.refresh_token = data["access_token"], data["refresh_token"]
            self.expires_at = datetime.fromisoformat(data["expires_at"]) if data.get("expires_at") else None
            self._register()

    def _save(self) -> None:
        value = json.dumps(
            {
                "access_token": self.access,
                "refresh_token": self.refresh_token,
                "expires_at": self.expires_at.isoformat() if self.expires_at else "",
            }
        )
        with Session(self.engine) as session:
            row = session.get(KeyValue, TOKENS_KEY) or KeyValue(key=TOKENS_KEY, value="")
            row.value, row.updated_at = value, utcnow()
            session.add(row)
            session.commit()

    async def current(self) -> str:
        async with self._lock:
            if not self._loaded:
                await asyncio.to_thread(self._load)
                self._loaded = True
            if self.expires_at is not None and self.expires_at - utcnow() < REFRESH_MARGIN:
                await self._refresh()
            return self.access

    async def refresh(self, stale: str) -> str:
        """Refresh unless another caller already replaced the `stale` token."""
        async with self._lock:
            if self.access == stale:
                await self._refresh()
            return self.access

    async def _refresh(self) -> None:
        form = {"app_id": self.app_id, "grant_type": "refresh_token", "refresh_token": self.refresh_token}
        response = await self.http.post(self.url, data=form, headers={"secret_key": self.app_secret})
        body = response.json()
        if not isinstance(body, dict) or not body.get("access_token") or not body.get("refresh_token"):
            code = body.get("error", response.status_code) if isinstance(body, dict) else response.status_code
            raise OaError(int(code), "access token refresh refused")
        self.access, self.refresh_token = str(body["access_token"]), str(body["refresh_token"])
        self._register()
        self.expires_at = utcnow() + timedelta(seconds=int(body.get("expires_in") or 90000))
        await asyncio.to_thread(self._save)
        log.info("Zalo OA access token refreshed, valid until %s", self.expires_at)


def _attachments(message: Mapping[str, Any]) -> tuple[Attachment, ...]:
    found = []
    for item in message.get("attachments") or []:
        data = item.get("payload") or {}
        if not data.get("url"):
            continue
        kind = _KINDS.get(str(item.get("type")), AttachmentKind.document)
        name = str(data.get("name") or _DEFAULT_NAMES.get(kind, "tep-zalo"))
        found.append(
            Attachment(kind=kind, file_ref=str(data["url"]), filename=name, size=int(data.get("size") or 0))
        )
    return tuple(found)


def parse_event(payload: Mapping[str, Any]) -> Incoming | None:
    if payload.get("event_name") not in EVENTS:
        return None
    message, sender = payload.get("message") or {}, payload.get("sender") or {}
    user = str(sender.get("id") or "")
    if not user or not isinstance(message, Mapping):
        return None
    return clean_incoming(
        Incoming(
            channel=ChannelName.zalo_oa,
            chat_id=user,
            user_id=user,
            message_id=str(message.get("msg_id", "")),
            text=str(message.get("text") or ""),
            attachments=_attachments(message),
        )
    )


class ZaloOaChannel:
    name = ChannelName.zalo_oa
    limits = ChannelLimits(max_text=2000, buttons=False)

    def __init__(
        self,
        *,
        engine: Engine,
        app_id: str,
        secret_key: str,
        app_secret: str,
        access_token: str,
        refresh_token: str,
        api_base_url: str,
        oauth_base_url: str,
        max_event_age: timedelta = timedelta(minutes=15),
        max_skew: timedelta = timedelta(minutes=1),
    ) -> None:
        self.http = httpx.AsyncClient(timeout=20.0, limits=httpx.Limits(max_connections=16))
        self.max_age, self.max_skew = max_event_age, max_skew
        self.app_id, self.secret_key = app_id, secret_key
        self.send_url = api_base_url.rstrip("/") + "/v3.0/oa/message/cs"
        self.tokens = OaTokens(
            engine=engine,
            http=self.http,
            oauth_base_url=oauth_base_url,
            app_id=app_id,
            app_secret=app_secret,
            access_token=access_token,
            refresh_token=refresh_token,
        )

    async def start(self, public_base_url: str) -> None:
        return None  # the webhook address is configured in the Zalo developer console

    async def stop(self) -> None:
        await self.http.aclose()

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        given = header(headers, "X-ZEvent-Signature").removeprefix("mac=").strip()
        if not (self.secret_key and given):
            return False
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return False
        if not isinstance(payload, dict) or str(payload.get("app_id", self.app_id)) != self.app_id:
            return False
        timestamp = str(payload.get("timestamp", ""))
        expected = signature(self.app_id, body, timestamp, self.secret_key)
        # The signature covers the timestamp, so a replayed event cannot be given a fresh one.
        return hmac.compare_digest(given.lower(), expected) and self.is_recent(timestamp)

    def is_recent(self, timestamp: str) -> bool:
        """Within the replay window (ZALO_OA_EVENT_MAX_AGE_SECONDS, plus a little clock skew)."""
        try:
            sent = datetime.fromtimestamp(int(timestamp) / 1000, UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            return False
        age = utcnow() - sent
        return -self.max_skew <= age <= self.max_age

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        message = payload.get("message")
        if payload.get("event_name") not in EVENTS or not isinstance(message, Mapping):
            return None
        return str(message["msg_id"]) if message.get("msg_id") else None

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        return parse_event(payload)

    async def _post(self, token: str, chat_id: str, text: str) -> dict[str, Any]:
        body = {"recipient": {"user_id": chat_id}, "message": {"text": text}}
        response = await self.http.post(self.send_url, json=body, headers={"access_token": token})
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict):
            raise OaError(-1, "unexpected response")
        return data

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        try:
            token = await self.tokens.current()
            data = await self._post(token, chat_id, reply.text)
            if data.get("error") == INVALID_TOKEN:  # revoked or expired early: refresh once, retry
                data = await self._post(await self.tokens.refresh(token), chat_id, reply.text)
        except httpx.HTTPStatusError as exc:
            retry_after = 5.0 if exc.response.status_code == 429 else None
            return SendResult(ok=False, retry_after=retry_after, error=safe_error(exc))
        except (httpx.HTTPError, OaError, ValueError) as exc:
            return SendResult(ok=False, error=safe_error(exc))
        code = int(data.get("error") or 0)
        if code == 0:
            return SendResult(
                ok=True, platform_message_id=str((data.get("data") or {}).get("message_id", ""))
            )
        error = safe_error(OaError(code, str(data.get("message", ""))))
        if code in WINDOW_CLOSED:
            return SendResult(ok=False, window_closed=True, permanent=True, error=error)
        if code in RETRYABLE:
            return SendResult(ok=False, error=error)
        return SendResult(ok=False, permanent=True, error=error)

    async def download(self, attachment: Attachment) -> bytes:
        async with self.http.stream("GET", attachment.file_ref) as response:
            response.raise_for_status()
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > DOWNLOAD_LIMIT:
                    raise AttachmentTooLarge(attachment.filename)
            return bytes(data)
