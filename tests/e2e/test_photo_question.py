"""A photographed paper asked about, through the fake Telegram, the real adapter, the inbound
worker's media step and real tesseract: the bot says what it read and answers from it."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from core.models import QuestionLog
from knowledge.media import tesseract
from tests.e2e.chat_support import Chat
from tests.knowledge.media_support import png_bytes, render_paper

pytestmark = pytest.mark.skipif(not tesseract.ocr_available(), reason="tesseract-ocr-vie missing")


def test_a_photo_asked_about_is_read_and_answered_from_its_text(make_harness) -> None:
    h = make_harness("polling", real=True)
    chat = Chat(h, "telegram", 7301)
    page = png_bytes(render_paper().convert("RGB"), "JPEG")  # type: ignore[attr-defined]
    h.fake.files["PAPER1"] = page
    photo = [
        {"file_id": "PAPER1", "file_unique_id": "p1", "width": 1080, "height": 1100, "file_size": len(page)}
    ]
    before = len(chat.delivered())
    h.telegram_send(
        h.fake.telegram_update(7301, caption="ảnh chụp công văn, hỏi thủ tục này làm thế nào", photo=photo)
    )
    answer = chat.wait_new(before, what="a photo question", timeout=120)
    assert answer.text.startswith("Trợ lý đọc được trong ảnh: «ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"), answer.text
    with Session(h.engine) as session:
        [log] = session.exec(select(QuestionLog)).all()
    assert log.question.startswith("ảnh chụp công văn, hỏi thủ tục này làm thế nào\nỦY BAN NHÂN DÂN")
    assert "chỗ ở hợp pháp" in log.question  # asked with what the paper says
