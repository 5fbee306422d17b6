"""Outages on loopback: the chat platform down or throttling, the database unreachable.

Nothing acknowledged is lost, nothing is sent twice, per-chat order holds, and the service
recovers by itself when the other side returns.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from core.models import DeliveryStatus, InboundUpdate, OutboxMessage
from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import TELEGRAM_SECRET, Harness
from tests.fakes.servers import FakePlatforms
from tests.production.serving import wait_until
from tests.production.tcpproxy import TcpProxy

pytestmark = pytest.mark.slow

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}


def _outbox(h: Harness) -> list[OutboxMessage]:
    with Session(h.engine) as session:
        return list(session.exec(select(OutboxMessage)).all())


def test_platform_down_then_throttling_keeps_and_orders_everything(tmp_path: Path) -> None:
    fake = FakePlatforms().start()
    h = Harness(tmp_path, mode="webhook", dispatch=EchoDispatch(), fake=fake).start()
    try:
        fake.stop()  # the Telegram API is gone (after setWebhook at start)
        chats = [8101, 8102, 8103]
        said = {chat: [f"tin {i} của {chat}" for i in range(5)] for chat in chats}
        for i in range(5):
            for chat in chats:
                update = fake.telegram_update(chat, said[chat][i])
                assert h.http.post("/webhooks/telegram", json=update, headers=HEADERS).status_code == 200
        wait_until(lambda: len(_outbox(h)) == 15, timeout=30, what="15 answers queued")
        time.sleep(3)  # the sender keeps failing meanwhile
        rows = _outbox(h)
        assert all(r.status == DeliveryStatus.pending for r in rows)  # kept, not given up
        assert any(r.attempts > 0 for r in rows)  # and it did try

        # It comes back throttling and failing before it works.
        fake.fail("telegram", "sendMessage", "429", times=2, retry_after=1)
        fake.fail("telegram", "sendMessage", "500", times=2)
        fake.start()
        wait_until(
            lambda: all(r.status == DeliveryStatus.sent for r in _outbox(h)),
            timeout=60,
            what="every message delivered after the outage",
        )
        # The fake records refused calls too: the first four after its return were refused.
        delivered = fake.calls_to("telegram", "sendMessage")[4:]
        for chat in chats:
            expected = [f"Bạn đã gửi: {text}" for text in said[chat]]
            texts = [c.params["text"] for c in delivered if str(c.params["chat_id"]) == str(chat)]
            assert texts == expected  # all, once each, in order
    finally:
        h.stop()
        fake.stop()


@pytest.mark.postgres
def test_database_outage_answers_5xx_and_recovers_by_itself(tmp_path: Path, postgres_url: str) -> None:
    url = make_url(postgres_url)
    proxy = TcpProxy(url.port or 5432)
    proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
    fake = FakePlatforms().start()
    h = Harness(tmp_path, mode="webhook", dispatch=EchoDispatch(), fake=fake, database_url=proxied)
    h.start()
    try:
        before = fake.telegram_update(8201, "trước sự cố")
        assert h.http.post("/webhooks/telegram", json=before, headers=HEADERS).status_code == 200

        proxy.down()
        during = [fake.telegram_update(8202 + i, f"trong sự cố {i}") for i in range(5)]
        codes = [h.http.post("/webhooks/telegram", json=u, headers=HEADERS).status_code for u in during]
        assert all(500 <= code < 600 for code in codes), codes  # never 200 without storing
        time.sleep(2)  # background loops hit the outage too

        proxy.up()
        # The platform delivers again; the service answers 200 on its own once the database is back.
        with httpx.Client(base_url=h.url, timeout=10) as client:
            for update in during:
                wait_until(
                    lambda u=update: (
                        client.post("/webhooks/telegram", json=u, headers=HEADERS).status_code == 200
                    ),
                    timeout=30,
                    what="200 after the database returned",
                )
        for i in range(5):
            h.wait_for_text("telegram", str(8202 + i), f"trong sự cố {i}", timeout=30)
        h.wait_for_text("telegram", "8201", "trước sự cố", timeout=30)
        with Session(h.engine) as session:
            assert len(session.exec(select(InboundUpdate)).all()) == 6
        assert all(len(fake.sent_texts("telegram", str(8201 + i))) == 1 for i in range(6))
    finally:
        h.stop()
        fake.stop()
        proxy.close()
