"""Photographed papers attached to blockers, read in the background (blockers/extraction.py):
real tesseract on pages rendered here (Vietnamese with diacritics, upright and a turned, faded
one in a shadow), the text found by the inbox search and shown under "Nội dung trích từ ảnh"
in the thread, escaped; routing redone for a short description; a crash mid-read resumed."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select
from web_support import World

from blockers.attachments import StoredAttachment, store_rows
from blockers.catalogue import load_departments
from blockers.extraction import LEASE, claim, pending_ids, run_extractions
from core.clock import utcnow
from core.models import Blocker, BlockerAttachment, ExtractionStatus
from knowledge.media import tesseract
from knowledge.media.ocr import OcrResult, OcrStatus, PaperReader
from tests.knowledge.media_support import PAPER, char_accuracy, faded_in_shadow, png_bytes, render_paper

needs_tesseract = pytest.mark.skipif(not tesseract.ocr_available(), reason="tesseract-ocr-vie missing")


def codes(html: str) -> list[str]:
    return re.findall(r'<span class="code">([^<]+)</span>', html)


def attach(world: World, blocker: Blocker, name: str, data: bytes, content_type: str) -> int:
    folder = world.settings.uploads_dir / "inbound" / "telegram"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    with Session(world.engine, expire_on_commit=False) as session:
        [row] = store_rows(
            session,
            blocker_id=blocker.id or 0,
            message_id=None,
            attachments=[StoredAttachment(f"inbound/telegram/{name}", name, content_type, len(data))],
        )
        session.commit()
        assert row.id is not None
        return row.id


class FixedReader:
    available = True

    def __init__(self, text: str, status: OcrStatus = OcrStatus.ok) -> None:
        self.text, self.status, self.calls = text, status, 0

    def read_blocking(self, data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult:
        self.calls += 1
        return OcrResult(self.status, text=self.text, pages=1)


def row_of(world: World, attachment_id: int) -> BlockerAttachment:
    with Session(world.engine) as session:
        row = session.get(BlockerAttachment, attachment_id)
        assert row is not None
        return row


@needs_tesseract
def test_photos_attached_to_a_blocker_are_read_searchable_and_shown(world: World, login: Any) -> None:
    blocker = world.blocker(code="VM-2026-000101", description="Xã xin hướng dẫn theo quyết định đính kèm.")
    page = render_paper()
    upright = attach(world, blocker, "qd.png", png_bytes(page), "image/png")
    turned = faded_in_shadow(page.rotate(90, expand=True, fillcolor=255))  # type: ignore[attr-defined]
    poor = attach(world, blocker, "qd-nghieng.jpg", png_bytes(turned, "JPEG"), "image/jpeg")
    assert row_of(world, upright).extraction == ExtractionStatus.pending  # the report never waits
    reader = PaperReader()
    try:
        done = run_extractions(engine=world.engine, settings=world.settings, reader=reader)
    finally:
        reader.close()
    assert sorted(d.attachment_id for d in done) == sorted([upright, poor])
    reference = "\n".join(PAPER)
    for attachment_id in (upright, poor):
        row = row_of(world, attachment_id)
        assert row.extraction == ExtractionStatus.done and row.extracted_at is not None
        assert char_accuracy(reference, row.extracted_text) >= 0.95, row.extracted_text
    browser = login("cv_tc")
    assert codes(browser.get("/inbox?q=giấy tờ chứng minh chỗ ở hợp pháp").text) == ["VM-2026-000101"]
    assert codes(browser.get("/inbox?q=thoi han giai quyet").text) == ["VM-2026-000101"]  # folded
    html = browser.get(f"/inbox/blockers/{blocker.id}").text
    assert html.count("Nội dung trích từ ảnh") == 2 and "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH" in html


def test_the_text_shown_in_the_thread_is_escaped(world: World, login: Any) -> None:
    blocker = world.blocker(code="VM-2026-000102")
    attachment_id = attach(world, blocker, "la.png", b"\x89PNG not really", "image/png")
    run_extractions(
        engine=world.engine, settings=world.settings, reader=FixedReader("<script>alert(1)</script> Điều 5")
    )
    assert row_of(world, attachment_id).extraction == ExtractionStatus.done
    html = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Điều 5" in html and "<script>alert(1)" not in html


def test_a_paper_not_read_yet_says_so_in_the_thread(world: World, login: Any) -> None:
    blocker = world.blocker(code="VM-2026-000103")
    attach(world, blocker, "cho.png", b"png", "image/png")
    html = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    assert "Đang đọc nội dung" in html and "Nội dung trích từ ảnh" not in html


def test_a_short_description_is_rerouted_by_its_papers_text(world: World) -> None:
    with Session(world.engine) as session:
        load_departments(session)  # the shipped catalogue, with what each department handles
        session.commit()
    blocker = world.blocker(code="VM-2026-000104", description="Xem giúp công văn", department_code="VP")
    attach(world, blocker, "cv.jpg", b"jpeg", "image/jpeg")
    decision = (
        "QUYẾT ĐỊNH về việc phân bổ dự toán ngân sách, kinh phí chi thường xuyên, kho bạc nhà nước, "
        "thanh toán lương và phụ cấp cho cán bộ công chức xã"
    )
    settings = world.settings.model_copy(update={"routing_embeddings": False})
    run_extractions(engine=world.engine, settings=settings, reader=FixedReader(decision))
    with Session(world.engine) as session:
        row = session.get(Blocker, blocker.id)
        assert row is not None and row.route_scores and row.route_scores[0]["department"] == "TC"
        assert row.department_code == "VP"  # a suggestion for the triage department, not a move


def test_a_read_cut_short_by_a_crash_is_taken_up_again_after_the_lease(world: World) -> None:
    blocker = world.blocker(code="VM-2026-000105")
    attachment_id = attach(world, blocker, "a.png", b"png", "image/png")
    now = utcnow()
    assert claim(world.engine, attachment_id, now=now)  # a reader stamped it, then died
    assert not claim(world.engine, attachment_id, now=now + timedelta(seconds=5))  # leased
    reader = FixedReader("Điều 1. Nội dung")
    assert run_extractions(engine=world.engine, settings=world.settings, reader=reader) == []
    with Session(world.engine) as session:
        assert pending_ids(session, now=now + LEASE + timedelta(seconds=1)) == [attachment_id]
        row = session.get(BlockerAttachment, attachment_id)
        assert row is not None
        row.extracted_at = now - LEASE - timedelta(seconds=1)  # the lease ran out
        session.add(row)
        session.commit()
    [done] = run_extractions(engine=world.engine, settings=world.settings, reader=reader)
    assert done.attachment_id == attachment_id and reader.calls == 1
    assert row_of(world, attachment_id).extracted_text == "Điều 1. Nội dung"
    assert run_extractions(engine=world.engine, settings=world.settings, reader=reader) == []  # once


@pytest.mark.parametrize(
    ("status", "stored"),
    [(OcrStatus.empty, ExtractionStatus.empty), (OcrStatus.unreadable, ExtractionStatus.failed)],
)
def test_papers_without_legible_text_are_settled(world: World, status: OcrStatus, stored: str) -> None:
    blocker = world.blocker(code=f"VM-2026-0002{len(stored)}")
    attachment_id = attach(world, blocker, "x.png", b"png", "image/png")
    run_extractions(engine=world.engine, settings=world.settings, reader=FixedReader("", status))
    row = row_of(world, attachment_id)
    assert (row.extraction, row.extracted_text) == (stored, "")


def test_without_tesseract_the_papers_say_so_instead_of_waiting(world: World) -> None:
    blocker = world.blocker(code="VM-2026-000106")
    attachment_id = attach(world, blocker, "x.pdf", b"%PDF-1.4", "application/pdf")
    word = attach(world, blocker, "x.docx", b"PK", "application/msword")
    assert row_of(world, word).extraction == ExtractionStatus.none  # Word files are not read
    run_extractions(engine=world.engine, settings=world.settings, reader=PaperReader(available=False))
    assert row_of(world, attachment_id).extraction == ExtractionStatus.unavailable
    with Session(world.engine) as session:
        assert (
            session.exec(select(BlockerAttachment).where(BlockerAttachment.extraction == "pending")).all()
            == []
        )


def test_a_voice_notes_transcript_is_shown_playable_and_searchable(world: World, login: Any) -> None:
    blocker = world.blocker(code="VM-2026-000107", description="Báo cáo bằng ghi âm")
    said = "xã chưa nhận được kinh phí hỗ trợ lũ lụt"
    with Session(world.engine) as session:
        store_rows(
            session,
            blocker_id=blocker.id or 0,
            message_id=None,
            attachments=[
                StoredAttachment(
                    "inbound/zalo/1-ghi-am.aac",
                    "ghi-am.aac",
                    "audio/aac",
                    900,
                    extraction="done",
                    extracted_text=said,
                )
            ],
        )
        session.commit()
    browser = login("cv_tc")
    assert codes(browser.get("/inbox?q=kinh phi ho tro lu lut").text) == ["VM-2026-000107"]
    html = browser.get(f"/inbox/blockers/{blocker.id}").text
    assert "Nội dung ghi âm" in html and said in html and "<audio controls" in html
    assert "Nội dung trích từ ảnh" not in html
