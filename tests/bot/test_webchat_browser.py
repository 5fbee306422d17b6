"""The web chat in real headless Chromium on a phone-size screen: type, get an answer, press a choice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "bot"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def test_phone_user_asks_and_presses_a_choice(make_harness):
    from playwright.sync_api import expect, sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed: apt-get install -y chromium"
    h = make_harness("polling")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 760})
            page.goto(f"{h.url}/chat")
            page.fill("#text", "<i>Thủ tục</i> khai sinh")
            page.keyboard.press("Enter")
            answer = page.locator(".msg.bot", has_text="Bạn đã gửi: <i>Thủ tục</i> khai sinh")
            expect(answer).to_be_visible(timeout=20_000)  # shown as text, not as HTML
            assert page.locator(".msg i").count() == 0
            answer.get_by_role("button", name="Hữu ích").click()
            expect(page.locator(".msg.bot", has_text="Bạn đã gửi: fb:1:helpful")).to_be_visible(
                timeout=20_000
            )
            page.screenshot(path=str(ARTIFACTS / "webchat-phone.png"), full_page=True)
        finally:
            browser.close()
