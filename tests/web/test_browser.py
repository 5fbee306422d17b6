"""Real headless Chromium against the real app served by uvicorn on 127.0.0.1.

Log in, open the inbox, open a blocker, reply (the reply lands in the outbox for the
official's Telegram chat), and check the dashboard draws its SVG charts, on a desk-size and
a phone-size screen. Screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from web_support import PASSWORD, seed

from api.app import create_app
from core.db import get_engine, migrate
from core.models import BlockerMessage, MessageKind, OutboxMessage
from core.settings import Settings
from tests.fakes.servers import free_port

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[str, Engine, Any]]:
    engine = get_engine(settings)
    migrate(engine)
    world = seed(engine, settings)
    app = create_app(settings, start_workers=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", engine, world
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_staff_reply_and_leader_dashboard(served, chromium) -> None:  # type: ignore[no-untyped-def]
    base, engine, world = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocker = world.blocker(
        code="VM-2026-000042",
        title="Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        description="Xã chưa rõ hồ sơ cấp giấy chứng nhận lần đầu cho hộ gia đình <script>alert(1)</script>",
        commune="Xã Phú Lương",
        field="Đất đai",
        person_id=1,
        account_id=world.accounts["an"].id,
    )
    world.blocker(code="VM-2026-000043", title="Phụ cấp cán bộ không chuyên trách", commune="Xã Đại Từ")
    errors: list[str] = []

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "cv_tc")
    page.wait_for_url(f"{base}/inbox")
    assert page.locator("ul.blockers li").count() == 2
    page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)

    page.fill("input[name=q]", "giay chung nhan")  # without diacritics
    page.click("form.filters button[type=submit]")
    assert page.locator("ul.blockers li").count() == 1

    page.click("text=VM-2026-000042")
    page.wait_for_url(f"{base}/inbox/blockers/{blocker.id}")
    assert "<script>alert(1)</script>" in page.inner_text(".msg.official .text")  # shown as text
    page.fill(
        "#reply-text", "Đề nghị xã hướng dẫn hộ gia đình nộp hồ sơ theo Điều 28 Nghị định 101/2024/NĐ-CP."
    )
    page.fill("input[name=legal_basis]", "Điều 28 Nghị định 101/2024/NĐ-CP")
    page.click("form[action$='/reply'] button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert "Đang chờ gửi" in page.inner_text(".msg.reply .delivery")
    page.screenshot(path=str(ARTIFACTS / "blocker-after-reply.png"), full_page=True)

    with Session(engine) as session:
        reply = session.exec(select(BlockerMessage).where(BlockerMessage.kind == MessageKind.reply)).one()
        queued = session.exec(select(OutboxMessage).where(OutboxMessage.blocker_message_id == reply.id)).all()
    assert [(row.channel, row.chat_id) for row in queued] == [("telegram", "5001")]
    assert "Điều 28 Nghị định 101/2024/NĐ-CP" in queued[0].text

    leader = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    dash = leader.new_page()
    dash.on("pageerror", lambda error: errors.append(str(error)))
    log_in(dash, base, "lanhdao")
    dash.wait_for_url(f"{base}/dashboard")
    assert dash.locator("svg.chart").count() >= 5
    assert dash.locator("svg.chart rect").count() > 0 and dash.locator("svg.chart polyline").count() == 1
    box = dash.locator("svg.chart").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50  # drawn, not collapsed
    dash.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    mobile = phone.new_page()
    log_in(mobile, base, "lanhdao")
    mobile.wait_for_url(f"{base}/dashboard")
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard scrolls sideways on a phone ({width}px)"
    mobile.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    mobile.goto(f"{base}/inbox/blockers/{blocker.id}")
    mobile.screenshot(path=str(ARTIFACTS / "blocker-phone.png"), full_page=True)
    for ctx in (context, leader, phone):
        ctx.close()
    assert errors == []
