"""The real app (api.app.create_app with workers) served on 127.0.0.1 against the fake platforms.

    with Harness(tmp_path, mode="webhook", dispatch=EchoDispatch()) as h:
        h.telegram_says(1001, "Thủ tục đăng ký thường trú?")
        h.wait_for(lambda: h.fake.sent_texts("telegram", "1001"))

Pass `dispatch=None` to use the real handlers.dispatch.Dispatcher (end-to-end dialog tests).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
import uvicorn
from sqlalchemy.engine import Engine

from core.db import get_engine
from core.settings import Settings
from tests.fakes.servers import FakePlatforms, free_port

T = TypeVar("T")

TELEGRAM_TOKEN = "123456:TEST-token"
ZALO_TOKEN = "987654:zalo-token"
TELEGRAM_SECRET = "tg-secret-123"
ZALO_SECRET = "zalo-secret-123"
OA_APP_ID = "oa-app-1"
OA_SECRET = "oa-secret-key"


def oa_signature(body: bytes, timestamp: str, *, app_id: str = OA_APP_ID, secret: str = OA_SECRET) -> str:
    return "mac=" + hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode()).hexdigest()


class Harness:
    def __init__(
        self,
        tmp_path: Path,
        *,
        mode: Literal["polling", "webhook"] = "polling",
        dispatch: Any = None,
        fake: FakePlatforms | None = None,
        **overrides: Any,
    ) -> None:
        self.fake = fake or FakePlatforms()
        self._own_fake = fake is None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dispatch = dispatch
        data_dir = tmp_path / "app-data"
        data_dir.mkdir(parents=True, exist_ok=True)
        values: dict[str, Any] = {
            "data_dir": data_dir,
            "database_url": "",
            "demo_guidance": False,
            "run_workers": True,
            "public_base_url": self.url if mode == "webhook" else "",
            "telegram_bot_token": TELEGRAM_TOKEN,
            "telegram_api_base_url": f"{self.fake.url}/bot",
            "telegram_file_base_url": f"{self.fake.url}/file/bot",
            "telegram_webhook_secret": TELEGRAM_SECRET,
            "zalo_bot_token": ZALO_TOKEN,
            "zalo_api_base_url": f"{self.fake.url}/zalo",
            "zalo_webhook_secret": ZALO_SECRET,
            "zalo_oa_app_id": OA_APP_ID,
            "zalo_oa_secret_key": OA_SECRET,
            "zalo_oa_app_secret": "oa-app-secret",
            "zalo_oa_access_token": "access-0",
            "zalo_oa_refresh_token": "refresh-0",
            "zalo_oa_api_base_url": f"{self.fake.url}/oa",
            "zalo_oa_oauth_base_url": f"{self.fake.url}/oauth",
        }
        values.update(overrides)
        self.settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        self.http = httpx.Client(base_url=self.url, timeout=10)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def engine(self) -> Engine:
        return get_engine(self.settings)

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> Harness:
        from api.app import create_app

        if self._own_fake:
            self.fake.start()
        app = create_app(self.settings)
        if self.dispatch is not None:
            app.state.dispatch = self.dispatch
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="app-under-test")
        self._thread.start()
        self.wait_for(lambda: self._server is not None and self._server.started, timeout=60, what="app start")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._server = self._thread = None
        self.http.close()
        if self._own_fake:
            self.fake.stop()

    def restart(self) -> None:
        """Stop and start the app (same data directory), keeping the fakes running."""
        own, self._own_fake = self._own_fake, False
        self.stop()
        self.http = httpx.Client(base_url=self.url, timeout=10)
        self.start()
        self._own_fake = own

    def __enter__(self) -> Harness:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- talking as a user -----------------------------------------------------------------
    @property
    def webhook_mode(self) -> bool:
        return bool(self.settings.public_base_url)

    def telegram_send(self, update: dict[str, Any]) -> httpx.Response | None:
        """Deliver a Telegram update the way the current mode receives it."""
        if not self.webhook_mode:
            self.fake.push_telegram(update)
            return None
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        return self.http.post("/webhooks/telegram", json=update, headers=headers)

    def telegram_says(self, user_id: int, text: str) -> dict[str, Any]:
        update = self.fake.telegram_update(user_id, text)
        self.telegram_send(update)
        return update

    def zalo_says(self, user_id: str, text: str) -> dict[str, Any]:
        event = self.fake.zalo_event(user_id, text)
        if self.webhook_mode:
            body = {"ok": True, "result": event}
            self.http.post("/webhooks/zalo", json=body, headers={"X-Bot-Api-Secret-Token": ZALO_SECRET})
        else:
            self.fake.push_zalo(event)
        return event

    def oa_says(self, user_id: str, text: str) -> httpx.Response:
        event = self.fake.oa_event(OA_APP_ID, user_id, text)
        body = json.dumps(event).encode()
        headers = {
            "X-ZEvent-Signature": oa_signature(body, event["timestamp"]),
            "Content-Type": "application/json",
        }
        return self.http.post("/webhooks/zalo-oa", content=body, headers=headers)

    # --- waiting ---------------------------------------------------------------------------
    def wait_for(self, check: Callable[[], T], *, timeout: float = 15, what: str = "condition") -> T:
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.02)

    def outbox(self) -> list[Any]:
        from sqlmodel import Session, col, select

        from core.models import OutboxMessage

        with Session(self.engine) as session:
            return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())

    def wait_settled(self, count: int = 1, *, timeout: float = 15) -> list[Any]:
        """Wait until at least `count` outbox rows exist and none is pending."""

        def settled() -> list[Any]:
            rows = self.outbox()
            return rows if len(rows) >= count and all(r.status != "pending" for r in rows) else []

        return self.wait_for(settled, timeout=timeout, what=f"{count} settled outbox rows")

    def wait_for_text(self, platform: str, chat_id: str, contains: str, *, timeout: float = 15) -> str:
        def found() -> str:
            texts = self.fake.sent_texts(platform, chat_id, delivered=True)
            return next((t for t in texts if contains in t), "")

        return self.wait_for(
            found, timeout=timeout, what=f"{platform} message to {chat_id} with {contains!r}"
        )
