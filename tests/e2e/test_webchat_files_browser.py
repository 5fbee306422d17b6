"""The web chat's files in real headless Chromium on a phone-size screen: an official attaches a
photographed paper to a blocker report through the page, and a department staff member finds
it in the inbox thread (served byte for byte, its text read when tesseract is installed); and a
voice note recorded with the page's microphone button (Chromium's own MediaRecorder WebM, fed
a real Vietnamese recording as its microphone) is heard and answered.

Screenshots go to test-artifacts/e2e/ (gitignored).
"""

from __future__ import annotations

import re
import shutil
import wave
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.web.accounts import create_user
from core.models import Blocker, BlockerAttachment, ExtractionStatus, Role
from knowledge.media import tesseract
from knowledge.media.speech import speech_installed
from tests.conftest import CHROMIUM_ARGS
from tests.e2e.chat_support import PART_ONE, PART_TWO, add_official
from tests.knowledge.media_support import pcm_of, png_bytes, render_paper, silence, speech_clips

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PASSWORD = "matkhau-dung-2"
CODE = re.compile(r"\bVM-\d{4}-\d{6}\b")


def bot_says(page, text: str, timeout: float = 30_000):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    bubble = page.locator(".msg.bot", has_text=text).last
    expect(bubble).to_be_visible(timeout=timeout)
    return bubble


def test_a_photo_attached_on_the_phone_reaches_the_inbox_thread(make_harness, chromium, tmp_path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    h = make_harness("polling", real=True, routing_embeddings=False)
    code = add_official(h, name="Sùng Thị Dua", commune="Xã Sín Chéng")
    scan = tmp_path / "quyet-dinh.png"
    scan.write_bytes(png_bytes(render_paper()))
    errors: list[str] = []
    phone = chromium.new_context(viewport={"width": 390, "height": 760}, locale="vi-VN")
    page = phone.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{h.url}/chat")
    for text, expected in (
        (code, "Xã Sín Chéng"),
        ("/baocao", "Xong"),
        (PART_ONE, "Xong"),
        (PART_TWO, "Xong"),
    ):
        page.fill("#text", text)
        page.keyboard.press("Enter")
        bot_says(page, expected)
    page.set_input_files("#file", str(scan))
    taken = bot_says(page, "Đã nhận tệp")
    assert "quyet-dinh.png" in taken.inner_text()
    assert page.locator(".msg.me", has_text="Tệp: quyet-dinh.png").count() == 1
    taken.get_by_role("button", name="Xong").click()
    departments = bot_says(page, "Không rõ")
    departments.locator(".choices button").first.click()
    bot_says(page, "Bỏ qua").get_by_role("button", name="Bỏ qua").click()
    summary = bot_says(page, "quyet-dinh.png")
    summary.get_by_role("button", name="Gửi").click()
    receipt = bot_says(page, "VM-")
    page.screenshot(path=str(ARTIFACTS / "webchat-photo-report.png"), full_page=True)
    blocker_code = CODE.search(receipt.inner_text()).group(0)  # type: ignore[union-attr]
    # The form stays usable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    with Session(h.engine) as session:
        blocker = session.exec(select(Blocker).where(Blocker.code == blocker_code)).one()
        blocker_id = blocker.id
        create_user(
            session,
            username="cv_web",
            password=PASSWORD,
            role=Role.staff,
            department_code=blocker.department_code,
            full_name="Chuyên viên",
        )
        session.commit()
    if tesseract.ocr_available():  # the background reader takes it like a Telegram photo

        def read() -> bool:
            with Session(h.engine) as session:
                row = session.exec(select(BlockerAttachment)).one()
                return row.extraction == ExtractionStatus.done

        h.wait_for(read, timeout=120, what="the photo read in the background")
    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = desk.new_page()
    page.goto(f"{h.url}/login")
    page.fill("input[name=username]", "cv_web")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{h.url}/inbox")
    page.goto(f"{h.url}/inbox/blockers/{blocker_id}")
    link = page.locator("figure.file a").first.get_attribute("href")
    assert link and page.request.get(f"{h.url}{link}").body() == scan.read_bytes()
    if tesseract.ocr_available():
        extracted = page.inner_text("figure.file details.extracted")
        assert "Nội dung trích từ ảnh" in extracted and "QUYẾT ĐỊNH" in extracted
    page.screenshot(path=str(ARTIFACTS / "inbox-web-photo.png"), full_page=True)
    desk.close()
    assert errors == []


@pytest.mark.skipif(not speech_installed(), reason="the [voice] extra is not installed")
def test_a_note_recorded_with_the_microphone_button_is_heard_and_answered(make_harness, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    h = make_harness("polling", real=True)
    clip = speech_clips()[3]  # "Tết là dịp mọi người háo hức …", 4 s
    microphone = tmp_path / "microphone.wav"
    with wave.open(str(microphone), "wb") as out:  # what Chromium's fake microphone plays
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(silence(0.5).tobytes() + pcm_of(clip).tobytes() + silence(3).tobytes())
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}%noloop",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=args
        )
        try:
            context = browser.new_context(viewport={"width": 390, "height": 760}, locale="vi-VN")
            context.grant_permissions(["microphone"], origin=h.url)
            page = context.new_page()
            page.goto(f"{h.url}/chat")
            page.click("#record")
            page.wait_for_selector("#record.recording")
            page.wait_for_timeout(6_500)
            page.click("#record")  # stop: the note is sent
            answer = bot_says(page, "Tôi nghe được", timeout=90_000)
            heard = answer.inner_text().split("«", 1)[1].split("»", 1)[0]
            assert "tết" in heard and "năm mới" in heard, heard
            assert page.locator(".msg.me", has_text="Ghi âm (").count() == 1
            page.screenshot(path=str(ARTIFACTS / "webchat-voice.png"), full_page=True)
        finally:
            browser.close()
    with Session(h.engine) as session:
        [row] = session.exec(select(BlockerAttachment)).all() or [None]
    assert row is None  # a question's note is not a blocker's file
    staged = list((h.settings.uploads_dir / "inbound" / "web").glob("*"))
    assert staged and staged[0].read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # Chromium's WebM, as taken
