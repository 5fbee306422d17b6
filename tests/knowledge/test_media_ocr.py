"""Photographed and scanned papers read with tesseract (vie): pages rendered in the test with
DejaVu Sans, upright, turned, faded and in shadow; character accuracy asserted."""

from __future__ import annotations

import asyncio
import io
import subprocess
from pathlib import Path

import pytest

from knowledge.media import ocr, stats, tesseract
from knowledge.media.ocr import OcrStatus, PaperReader, read_paper
from tests.knowledge.media_support import PAPER, char_accuracy, faded_in_shadow, png_bytes, render_paper

pytestmark = pytest.mark.slow  # tesseract: once, in the SQLite pass
EXPECTED = "\n".join(PAPER)


@pytest.fixture(scope="module")
def page():  # type: ignore[no-untyped-def]
    assert tesseract.ocr_available(), "OCR tools missing: run scripts/ensure-test-services"
    return render_paper()


def test_a_printed_page_is_read_with_its_diacritics(page) -> None:
    result = read_paper(png_bytes(page), content_type="image/png")
    assert result.status == OcrStatus.ok and result.pages == 1
    assert char_accuracy(EXPECTED, result.text) >= 0.95, result.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in result.text and "Điều 2" in result.text
    assert result.confidence > 80


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_photographed_sideways_or_upside_down_is_turned_upright(page, degrees) -> None:
    turned = page.rotate(degrees, expand=True, fillcolor=255)
    result = read_paper(png_bytes(turned.convert("RGB"), "JPEG"), content_type="image/jpeg")
    assert char_accuracy(EXPECTED, result.text) >= 0.95, (degrees, result.text)


def test_a_phone_photo_is_turned_by_its_exif_orientation(page) -> None:
    from PIL import Image

    sideways = page.rotate(90, expand=True, fillcolor=255).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to display", as phones write it
    out = io.BytesIO()
    sideways.save(out, "JPEG", exif=exif, quality=90)
    assert char_accuracy(EXPECTED, read_paper(out.getvalue()).text) >= 0.95


def test_a_faded_copy_in_a_shadow_is_read_after_the_lighting_is_evened_out(page, tmp_path: Path) -> None:
    photo = faded_in_shadow(page)
    (tmp_path / "bad.png").write_bytes(png_bytes(photo))
    bare = subprocess.run(
        ["tesseract", str(tmp_path / "bad.png"), "stdout", "-l", "vie"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert char_accuracy(EXPECTED, bare) < 0.8  # tesseract alone loses the dark half
    result = read_paper(png_bytes(photo))
    assert char_accuracy(EXPECTED, result.text) >= 0.95, result.text
    turned = read_paper(png_bytes(photo.rotate(180, expand=True, fillcolor=60)))
    assert char_accuracy(EXPECTED, turned.text) >= 0.95, turned.text


def test_a_scanned_pdf_is_read_page_by_page(page, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "scan.pdf"
    page.save(path, "PDF", resolution=150, save_all=True, append_images=[faded_in_shadow(page)])
    assert not "".join(p.extract_text() or "" for p in PdfReader(path).pages).strip()  # no text layer
    result = read_paper(path.read_bytes(), filename="Công văn scan.pdf")
    assert result.status == OcrStatus.ok and result.pages == 2
    first, second = result.text.split("ỦY BAN NHÂN DÂN", 2)[1:]
    assert char_accuracy(EXPECTED, "ỦY BAN NHÂN DÂN" + first) >= 0.95
    assert char_accuracy(EXPECTED, "ỦY BAN NHÂN DÂN" + second) >= 0.95


def test_a_pdf_with_its_text_is_not_recognised_but_read(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.knowledge.media_support import FONT

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    path = tmp_path / "text.pdf"
    sheet = canvas.Canvas(str(path))
    sheet.setFont("DejaVu", 12)
    for row, line in enumerate(PAPER):
        sheet.drawString(60, 780 - 20 * row, line)
    sheet.save()
    result = read_paper(path.read_bytes(), content_type="application/pdf")
    assert result.status == OcrStatus.ok and result.confidence == 100.0
    assert char_accuracy(EXPECTED, result.text) >= 0.99


def test_what_cannot_be_read_says_why() -> None:
    assert read_paper(b"GIF89a not really").status == OcrStatus.unreadable
    assert read_paper(b"%PDF-1.4 broken").status == OcrStatus.unreadable
    blank = read_paper(png_bytes(render_paper([""])))
    assert blank.status == OcrStatus.empty and blank.text == ""


def test_an_enormous_image_is_refused_before_it_is_decoded(monkeypatch) -> None:
    monkeypatch.setattr(ocr, "MAX_PIXELS", 1_000_000)
    assert read_paper(png_bytes(render_paper())).status == OcrStatus.ok  # 1080 × 594: under
    from PIL import Image

    big = Image.new("L", (1500, 800), 255)  # 1.2 MP
    assert read_paper(png_bytes(big)).status == OcrStatus.too_large


def test_the_reader_runs_off_the_event_loop_and_records_its_time(page) -> None:
    stats.reset()
    reader = PaperReader()

    async def read_while_ticking() -> tuple[ocr.OcrResult, float]:
        task = asyncio.create_task(reader.read(png_bytes(page), content_type="image/png"))
        worst, last = 0.0, asyncio.get_running_loop().time()
        while not task.done():
            await asyncio.sleep(0.01)
            now = asyncio.get_running_loop().time()
            worst, last = max(worst, now - last), now
        return task.result(), worst

    try:
        result, worst_gap = asyncio.run(read_while_ticking())
    finally:
        reader.close()
    # Blocking the loop would stall the ticker for the whole reading; a busy machine's scheduler
    # alone pauses it far less.
    assert result.ok and worst_gap < result.took_seconds / 4
    [sample] = [s for s in stats.snapshot() if s.engine == "ocr"]
    assert (sample.status, sample.count, sample.media_sum) == ("ok", 1, 1.0)


def test_without_tesseract_the_reader_says_unavailable(monkeypatch) -> None:
    monkeypatch.setattr(tesseract, "ocr_available", lambda: False)
    reader = PaperReader()
    result = asyncio.run(reader.read(b"\x89PNG whatever"))
    reader.close()
    assert result.status == OcrStatus.unavailable and not reader.available


def test_tesseract_tsv_keeps_lines_and_paragraphs() -> None:
    rows = [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96\tQUYẾT",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t90\tĐỊNH",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t80\tSố:",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t-1\t ",
        "5\t1\t2\t1\t1\t2\t0\t0\t9\t9\t70\tĐiều",
    ]
    parsed = tesseract.parse_tsv("\n".join(rows))
    assert parsed.text == "QUYẾT ĐỊNH\nSố:\n\nĐiều"
    assert parsed.words == 4 and 80 < parsed.confidence < 90


def test_a_background_job_thread_can_wait_for_a_reading(page) -> None:
    reader = PaperReader()
    try:
        result = reader.read_blocking(png_bytes(page), content_type="image/png")
    finally:
        reader.close()
    assert result.ok and char_accuracy(EXPECTED, result.text) >= 0.95
