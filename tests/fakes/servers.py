"""Fake Telegram Bot API, Zalo Bot Platform and Zalo OA servers on 127.0.0.1, for tests and the bench.

One Starlette app in a uvicorn thread serves all three under different prefixes:
  Telegram  {url}/bot<token>/<method>, files {url}/file/bot<token>/<path>
  Zalo Bot  {url}/zalo/bot<token>/<method>
  Zalo OA   {url}/oa/v3.0/oa/message/cs, OAuth {url}/oauth/v4/oa/access_token
Every call is recorded; updates can be queued for polling; failures can be scripted per method.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Call:
    platform: str  # telegram | zalo | zalo_oa | oauth
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True  # False when the fake answered with an error


class FakePlatforms:
    """State shared by the three fakes. Methods are safe to call from the test thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self._ids = itertools.count(1000)
        self.telegram_updates: list[dict[str, Any]] = []
        self.zalo_events: deque[dict[str, Any]] = deque()
        self.files: dict[str, bytes] = {}  # Telegram file_id -> bytes
        self.failures: dict[tuple[str, str], deque[dict[str, Any]]] = {}
        self.oa_access, self.oa_refresh, self.oa_generation = "access-0", "refresh-0", 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- scripting -------------------------------------------------------------------------
    def fail(self, platform: str, method: str, kind: str, times: int = 1, retry_after: int = 1) -> None:
        """kind: 429 | 500 | blocked | bad_request | window_closed | invalid_token."""
        with self.lock:
            queue = self.failures.setdefault((platform, method), deque())
            for _ in range(times):
                queue.append({"kind": kind, "retry_after": retry_after})

    def _next_failure(self, platform: str, method: str) -> dict[str, Any] | None:
        with self.lock:
            queue = self.failures.get((platform, method))
            return queue.popleft() if queue else None

    def record(self, platform: str, method: str, params: dict[str, Any]) -> Call:
        call = Call(platform, method, params)
        with self.lock:
            self.calls.append(call)
        return call

    def calls_to(self, platform: str, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.platform == platform and c.method == method]

    def sent_texts(self, platform: str, chat_id: str | None = None, *, delivered: bool = False) -> list[str]:
        """Texts of send calls (including refused ones unless `delivered`)."""
        method = "message/cs" if platform == "zalo_oa" else "sendMessage"
        texts = []
        for call in self.calls_to(platform, method):
            if delivered and not call.ok:
                continue
            if platform == "zalo_oa":
                chat, text = call.params["recipient"]["user_id"], call.params["message"]["text"]
            else:
                chat, text = str(call.params.get("chat_id")), call.params.get("text", "")
            if chat_id is None or chat == str(chat_id):
                texts.append(text)
        return texts

    def next_id(self) -> int:
        return next(self._ids)

    # --- update builders -------------------------------------------------------------------
    def telegram_update(self, user_id: int, text: str = "", **message: Any) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": "Cán bộ", "last_name": str(user_id)}
        body: dict[str, Any] = {
            "message_id": self.next_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Cán bộ"},
            "from": user,
        }
        if text:
            body["text"] = text
        body.update(message)
        return {"update_id": self.next_id(), "message": body}

    def telegram_callback(self, user_id: int, data: str) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": "Cán bộ"}
        message = {
            "message_id": self.next_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
        }
        query = {
            "id": str(self.next_id()),
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
        return {"update_id": self.next_id(), "callback_query": query}

    def zalo_event(
        self, user_id: str, text: str = "", event: str = "message.text.received"
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": f"zm{self.next_id()}",
            "date": int(time.time() * 1000),
            "from": {"id": user_id, "display_name": "Cán bộ Zalo", "is_bot": False},
            "chat": {"id": user_id, "chat_type": "PRIVATE"},
        }
        if text:
            message["text"] = text
        return {"event_name": event, "message": message}

    def oa_event(self, app_id: str, user_id: str, text: str) -> dict[str, Any]:
        return {
            "app_id": app_id,
            "user_id_by_app": f"app-{user_id}",
            "event_name": "user_send_text",
            "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": user_id},
            "recipient": {"id": "oa-1"},
            "message": {"text": text, "msg_id": f"oam{self.next_id()}"},
        }

    def push_telegram(self, update: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.telegram_updates.append(update)
        return update

    def push_zalo(self, event: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.zalo_events.append(event)
        return event

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakePlatforms:
        app = Starlette(routes=self._routes())
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-platforms")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake platforms did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _routes(self) -> list[Route]:
        from tests.fakes import handlers

        return handlers.routes(self)


async def read_params(request: Request) -> dict[str, Any]:
    """Telegram clients send form data (JSON-encoded values) or JSON; Zalo clients send JSON."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    form = await request.form()
    params: dict[str, Any] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and value[:1] in "{[":
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value if isinstance(value, str) else f"<file {getattr(value, 'filename', '')}>"
    return params


async def long_wait(check: Any, timeout: float) -> Any:
    """Poll `check()` until it returns something or `timeout` (capped at 0.5 s, to stop fast)."""
    deadline = time.monotonic() + min(timeout, 0.5)
    while True:
        found = check()
        if found or time.monotonic() >= deadline:
            return found
        await asyncio.sleep(0.02)


def ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def error(status: int, description: str, **extra: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    body.update(extra)
    return JSONResponse(body, status_code=status)
