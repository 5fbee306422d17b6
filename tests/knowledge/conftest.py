"""Fixtures for the knowledge tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.models import Chunk, Document


class FakeIndex:
    """Records what ingestion asks of the search index (the ChunkIndex seam)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.added: list[str] = []
        self.removed: list[str] = []
        self.documents: dict[str, Document] = {}
        self.fail_on: str = ""  # raise when adding a chunk whose text contains this

    def add(self, chunks: list[tuple[Chunk, Document]]) -> None:
        for chunk, _document in chunks:
            if self.fail_on and self.fail_on in chunk.text:
                raise RuntimeError("index unavailable")
        for chunk, document in chunks:
            assert document.id is not None and chunk.document_id == document.id
            self.ids.add(chunk.id)
            self.added.append(chunk.id)
            self.documents[chunk.id] = document

    def remove(self, chunk_ids: list[str]) -> None:
        self.removed.extend(chunk_ids)
        self.ids.difference_update(chunk_ids)

    def reset_log(self) -> None:
        self.added.clear()
        self.removed.clear()


@pytest.fixture
def fake_index() -> FakeIndex:
    return FakeIndex()


# --- sample files, written the way real guidance arrives ------------------------------------
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_docx(path: Path, header: tuple[str, str], paragraphs: list[str], table: list[list[str]]) -> Path:
    """A DOCX like an official document: a two-cell header table, paragraphs, a data table."""
    import docx

    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    for cell, text in zip(head.rows[0].cells, header, strict=True):
        cell.text = text
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a real text layer (embedded TrueType font, so Vietnamese survives)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("DejaVu", 11)
    y = 800
    for line in lines:
        page.drawString(50, y, line)
        y -= 18
    page.save()
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF with only a picture on it: what a scanner produces (no text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(50, 500, 400, 250, fill=1)
    page.save()
    return path


def write_scanned_text_pdf(path: Path, lines: list[str], dpi: int = 150) -> Path:
    """A scan of printed text: the lines rendered into a picture, saved as an image-only PDF
    (no text layer at all, so only OCR can read it)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 28)
    # A strip of an A4 page, not a whole page: enough for the lines, quicker to OCR.
    image = Image.new("L", (int(8.27 * dpi), 80 + 50 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((90, 40 + 50 * row), line, font=font, fill=0)
    image.save(path, "PDF", resolution=dpi)
    return path


@pytest.fixture
def make_scanned_text_pdf() -> Callable[..., Path]:
    return write_scanned_text_pdf


@pytest.fixture
def make_docx() -> Callable[..., Path]:
    return write_docx


@pytest.fixture
def make_pdf() -> Callable[..., Path]:
    return write_pdf


@pytest.fixture
def make_scanned_pdf() -> Callable[..., Path]:
    return write_scanned_pdf
