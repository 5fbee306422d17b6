"""Round trip across the whole product in one process: an official reports a blocker on the
fake Telegram server, a department staff member answers it in the real inbox in headless
Chromium, and the answer arrives in the official's Telegram chat.

Screenshots go to test-artifacts/e2e/ (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.web.accounts import create_user
from core.models import Blocker, BlockerMessage, BlockerStatus, MessageKind, Role
from tests.e2e.chat_support import PART_ONE, Chat, add_official, register, report

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PASSWORD = "matkhau-dung-1"
REPLY = "Đề nghị xã lập biên bản xác minh nguồn gốc đất theo Điều 138 Luật Đất đai 2024."
CODE = re.compile(r"\bVM-\d{4}-\d{6}\b")
PHOTO = b"\xff\xd8\xff\xe0scan-of-the-land-record"


def test_reported_on_telegram_answered_in_the_inbox_reaches_the_chat(make_harness, chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    h = make_harness("polling", real=True)
    h.fake.files["SCAN1"] = PHOTO
    photo = [{"file_id": "SCAN1", "file_unique_id": "s1", "file_size": len(PHOTO), "width": 8, "height": 8}]
    official = Chat(h, "telegram", 7301)
    register(official, add_official(h, name="Hoàng Thị Mai", commune="Xã Võ Nhai"))
    receipt, department = report(official, start="/baocao", photo={"photo": photo})
    match = CODE.search(receipt.text)
    assert match, f"no blocker code in the receipt:\n{receipt.text}"
    code = match.group(0)
    with Session(h.engine) as session:
        blocker = session.exec(select(Blocker).where(Blocker.code == code)).one()
        blocker_id = blocker.id
        create_user(
            session,
            username="cv_e2e",
            password=PASSWORD,
            role=Role.staff,
            department_code=blocker.department_code,
            full_name="Chuyên viên tiếp nhận",
        )
        session.commit()

    errors: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"{h.url}/login")
        page.fill("input[name=username]", "cv_e2e")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{h.url}/inbox")
        assert code in page.inner_text("ul.blockers"), f"{code} not in {department}'s inbox"
        page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)

        page.click(f"text={code}")
        page.wait_for_url(f"{h.url}/inbox/blockers/{blocker_id}")
        assert PART_ONE in page.inner_text(".msg.official .text")
        # The photo sent in the chat is served to the staff member, byte for byte.
        link = page.locator("figure.file a").first.get_attribute("href")
        assert link, "the attachment is not shown on the blocker page"
        assert page.request.get(f"{h.url}{link}").body() == PHOTO
        page.fill("#reply-text", REPLY)
        page.click("form[action$='/reply'] button[type=submit]")
        page.wait_for_selector(".flash.ok")
        page.screenshot(path=str(ARTIFACTS / "blocker-after-reply.png"), full_page=True)
    finally:
        context.close()

    # The outbox worker of the same process delivers it to the official's Telegram chat.
    delivered = h.wait_for_text("telegram", "7301", REPLY, timeout=20)
    assert code in delivered
    call = [c for c in h.fake.calls_to("telegram", "sendMessage") if REPLY in c.params.get("text", "")][-1]
    buttons = [b["callback_data"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert f"rp:rate:{blocker_id}:y" in buttons
    with Session(h.engine) as session:
        stored = session.get(Blocker, blocker_id)
        assert stored is not None and stored.status == BlockerStatus.answered
        replies = session.exec(
            select(BlockerMessage).where(
                BlockerMessage.blocker_id == blocker_id, BlockerMessage.kind == MessageKind.reply
            )
        ).all()
        assert [m.text for m in replies] == [REPLY]
    assert errors == []
