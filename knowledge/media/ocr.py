"""Photographed and scanned papers → text: JPEG/PNG photos and scanned PDFs, read with
tesseract's Vietnamese data (knowledge/media/tesseract.py).

`PaperReader.read(data, content_type=…, filename=…)` returns an `OcrResult` and never raises
for bad input. A phone photo is turned upright (its EXIF orientation, then tesseract's own
orientation detection, then — when tesseract is unsure of what it read — the other three
quarter turns, keeping the most confident reading), made grey, scaled to what tesseract reads
best, its lighting evened out (a shadow across the page) and its contrast stretched (a faded
copy). Images above MAX_PIXELS and PDFs past MAX_PDF_PAGES are capped; every tesseract call
has a time limit; jobs go one at a time through a lane so they never take both cores nor block
the event loop.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.media import stats, tesseract
from knowledge.media.lane import Lane, LaneBusy
from knowledge.normalize import normalize_text

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

ENGINE = "ocr"
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; beyond, refused before decoding
MAX_PDF_PAGES = 10  # an attachment's first pages: what a department reads at a glance
PAGE_TIMEOUT_SECONDS = 60.0
PDF_DPI = 200
TARGET_LONG_SIDE = 2400  # phone photos are scaled to about this before reading
MIN_LONG_SIDE = 1600  # small scans are enlarged: tesseract wants ~20 px capital letters
CONFIDENT = 70.0  # a reading at least this sure is kept without trying other turns
MAX_PENDING = 16
PDF_TYPES = ("application/pdf",)


class OcrStatus(StrEnum):
    ok = "ok"
    empty = "empty"  # read, but no text in it
    unreadable = "unreadable"  # not an image or PDF we can open
    too_large = "too_large"
    unavailable = "unavailable"  # tesseract with Vietnamese is not installed
    busy = "busy"
    failed = "failed"  # tesseract failed or timed out


@dataclass(frozen=True)
class OcrResult:
    status: OcrStatus
    text: str = ""
    pages: int = 0
    confidence: float = 0.0  # tesseract's mean word confidence, 0–100
    took_seconds: float = 0.0
    reason: str = ""  # for the log, in English

    @property
    def ok(self) -> bool:
        return self.status == OcrStatus.ok


def is_pdf(data: bytes, content_type: str = "", filename: str = "") -> bool:
    return data[:5] == b"%PDF-" or content_type in PDF_TYPES or filename.lower().endswith(".pdf")


def prepare_image(data: bytes) -> bytes:
    """A PNG tesseract reads well: upright by EXIF, grey, scaled, contrast stretched.
    Raises ValueError for what is not an image, OverflowError for one too large."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        opened = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("not an image") from exc
    if opened.width * opened.height > MAX_PIXELS:
        raise OverflowError(f"{opened.width}x{opened.height} pixels")
    upright = ImageOps.exif_transpose(opened) or opened  # phones store "rotate me" in EXIF
    grey = ImageOps.grayscale(upright.convert("RGB"))
    long_side = max(grey.size)
    if long_side > TARGET_LONG_SIDE or long_side < MIN_LONG_SIDE:
        scale = (TARGET_LONG_SIDE if long_side > TARGET_LONG_SIDE else MIN_LONG_SIDE) / long_side
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    grey = flatten_lighting(grey)
    out = io.BytesIO()
    grey.save(out, "PNG")
    return out.getvalue()


def flatten_lighting(grey: Image.Image) -> Image.Image:
    """Even out a shadow across a phone photo, then stretch a faded copy's contrast.

    The page's background is estimated by a max filter wider than a stroke (text gone), blurred;
    dividing by it turns the paper white everywhere, so tesseract's global threshold holds."""
    import numpy as np
    from PIL import Image, ImageFilter, ImageOps

    smooth = grey.filter(ImageFilter.MedianFilter(3))  # sensor noise, before it is stretched
    # The background is smooth: estimated at a quarter of the size, it costs a sixteenth.
    small = smooth.reduce(4).filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(5))
    background = small.resize(smooth.size, Image.Resampling.BILINEAR)
    ratio = np.asarray(smooth, dtype=np.float32) / (np.asarray(background, dtype=np.float32) + 1.0)
    flat = Image.fromarray(np.clip(ratio * 255.0, 0, 255).astype(np.uint8))
    return ImageOps.autocontrast(flat, cutoff=0.5)


def _turned(png: Path, degrees: int) -> Path:
    from PIL import Image

    target = png.with_name(f"{png.stem}-{degrees}.png")
    with Image.open(png) as image:
        image.rotate(-degrees, expand=True, fillcolor=255).save(target)  # PIL turns anticlockwise
    return target


def read_prepared(png: Path, *, timeout: float = PAGE_TIMEOUT_SECONDS) -> tesseract.PageText:
    """One prepared page, turned upright first."""
    turn = tesseract.rotation(png, timeout=timeout)
    first = _turned(png, turn) if turn else png
    best = tesseract.read_page_tsv(first, timeout=timeout)
    if best.confidence >= CONFIDENT:
        return best
    for other in (0, 90, 180, 270):
        if other == turn:
            continue
        candidate = tesseract.read_page_tsv(_turned(png, other) if other else png, timeout=timeout)
        if candidate.confidence > best.confidence:
            best = candidate
        if best.confidence >= CONFIDENT:
            break
    return best


def _pdf_text_layer(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages[:MAX_PDF_PAGES]
    return "\n\n".join((page.extract_text() or "").strip() for page in pages).strip(), len(pages)


def _read_pdf(data: bytes, folder: Path) -> OcrResult:
    text, count = _pdf_text_layer(data)
    if len("".join(text.split())) >= 20:  # a PDF with its text: nothing to recognise
        return OcrResult(OcrStatus.ok, text=text, pages=count, confidence=100.0)
    source = folder / "scan.pdf"
    source.write_bytes(data)
    images = tesseract.pdf_pages(
        source, folder, dpi=PDF_DPI, last_page=MAX_PDF_PAGES, timeout=PAGE_TIMEOUT_SECONDS
    )
    pages = []
    for index, image in enumerate(images):
        prepared = folder / f"prepared-{index}.png"
        prepared.write_bytes(prepare_image(image.read_bytes()))
        pages.append(read_prepared(prepared))
    return _combined(pages)


def _combined(pages: list[tesseract.PageText]) -> OcrResult:
    text = normalize_text("\n\n".join(page.text for page in pages if page.text.strip()))
    words = sum(page.words for page in pages)
    confidence = sum(page.confidence * page.words for page in pages) / words if words else 0.0
    status = OcrStatus.ok if text.strip() else OcrStatus.empty
    return OcrResult(status, text=text, pages=len(pages), confidence=confidence)


def read_paper(data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult:
    """Synchronous: the text of one photo or PDF (call it off the event loop)."""
    with tempfile.TemporaryDirectory(prefix="troly-ocr-") as tmp:
        folder = Path(tmp)
        try:
            if is_pdf(data, content_type, filename):
                return _read_pdf(data, folder)
            png = folder / "photo.png"
            png.write_bytes(prepare_image(data))
            return _combined([read_prepared(png)])
        except OverflowError as exc:
            return OcrResult(OcrStatus.too_large, reason=str(exc))
        except subprocess.TimeoutExpired:
            return OcrResult(OcrStatus.failed, reason="tesseract timed out")
        except subprocess.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode("utf-8", errors="replace").strip().splitlines()
            return OcrResult(OcrStatus.failed, reason=detail[-1] if detail else f"exit {exc.returncode}")
        except Exception as exc:  # damaged files raise many types in Pillow and pypdf
            log.debug("unreadable paper %s", filename, exc_info=True)
            return OcrResult(OcrStatus.unreadable, reason=type(exc).__name__)


class PaperReader:
    """The async seam: one reader per process (its lane is the bound)."""

    def __init__(self, *, max_pending: int = MAX_PENDING, available: bool | None = None) -> None:
        self._lane = Lane(ENGINE, max_pending=max_pending)
        self._available = available  # None: probe tesseract at the first use

    @property
    def available(self) -> bool:
        if self._available is None:
            self._available = tesseract.ocr_available()
        return self._available

    async def read(self, data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult:
        started = time.monotonic()
        if not self.available:
            return self._finish(None, started)
        try:
            result = await self._lane.run(
                partial(read_paper, data, content_type=content_type, filename=filename)
            )
        except LaneBusy:
            return self._finish(None, started, busy=True)
        return self._finish(result, started)

    def read_blocking(self, data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult:
        """The same from a worker thread (a background job's): blocks that thread, not a loop."""
        started = time.monotonic()
        if not self.available:
            return self._finish(None, started)
        try:
            result = self._lane.run_blocking(
                partial(read_paper, data, content_type=content_type, filename=filename)
            )
        except LaneBusy:
            return self._finish(None, started, busy=True)
        return self._finish(result, started)

    def _finish(self, result: OcrResult | None, started: float, *, busy: bool = False) -> OcrResult:
        if busy:
            result = OcrResult(OcrStatus.busy, reason=f"{self._lane.max_pending} papers already waiting")
        elif result is None:
            result = OcrResult(OcrStatus.unavailable, reason="tesseract with vie is not installed")
        took = time.monotonic() - started
        stats.record(ENGINE, result.status, seconds=took, media=float(result.pages))
        if result.status == OcrStatus.failed:
            log.warning("OCR failed: %s", result.reason)
        return OcrResult(result.status, result.text, result.pages, result.confidence, took, result.reason)

    def close(self) -> None:
        self._lane.close()
