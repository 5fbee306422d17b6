"""The web chat in real headless Chromium on a phone-size screen: type, get an answer, press a choice."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "bot"


def test_phone_user_asks_and_presses_a_choice(make_harness, chromium):
    from playwright.sync_api import expect

    h = make_harness("polling")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": 390, "height": 760})
    page.goto(f"{h.url}/chat")
    page.fill("#text", "<i>Thủ tục</i> khai sinh")
    page.keyboard.press("Enter")
    answer = page.locator(".msg.bot", has_text="Bạn đã gửi: <i>Thủ tục</i> khai sinh")
    expect(answer).to_be_visible(timeout=20_000)  # shown as text, not as HTML
    assert page.locator(".msg i").count() == 0
    answer.get_by_role("button", name="Hữu ích").click()
    expect(page.locator(".msg.bot", has_text="Bạn đã gửi: fb:1:helpful")).to_be_visible(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "webchat-phone.png"), full_page=True)
