"""The one tesseract plumbing: is it installed, which way up is a page, read a page, read a PDF.

Used by guidance ingestion (knowledge/loaders.py: scanned PDFs) and by knowledge/media/ocr.py
(photos and scans officials send). Debian: tesseract-ocr tesseract-ocr-vie poppler-utils.
Every call has a time limit; tesseract writes UTF-8 whatever the locale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

OCR_TIMEOUT_SECONDS = 300
LANGUAGE = "vie"
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_ORIENTATION_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)
# Below this OSD is guessing (measured: ~2.5 on a clean upright page of six lines).
MIN_ORIENTATION_CONFIDENCE = 1.5


def _env() -> dict[str, str]:
    # One OpenMP thread: tesseract shares a small server with the app, and its own threads only
    # oversubscribe the cores there (slower, not faster).
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def ocr_available() -> bool:
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in (langs.stdout + langs.stderr).split()


def pdf_pages(path: Path, folder: Path, *, dpi: int, last_page: int = 0, timeout: float) -> list[Path]:
    """Page images of a PDF (pdftoppm), in page order."""
    command = ["pdftoppm", "-r", str(dpi), "-png"]
    if last_page:
        command += ["-l", str(last_page)]
    subprocess.run([*command, str(path), f"{folder}/page"], check=True, capture_output=True, timeout=timeout)
    return sorted(folder.glob("page*.png"))  # page-01.png…: zero-padded, in order


def read_page(image: Path, *, timeout: float, psm: int = 3) -> str:
    result = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", str(psm)],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=_env(),
    )
    return result.stdout.decode("utf-8", errors="replace")


def ocr_pdf(path: Path) -> str:
    """Every page of a scanned PDF at 300 dpi, read with the Vietnamese language data."""
    with tempfile.TemporaryDirectory(prefix="troly-ocr-") as tmp:
        pages = pdf_pages(path, Path(tmp), dpi=300, timeout=OCR_TIMEOUT_SECONDS)
        return "\n".join(read_page(image, timeout=OCR_TIMEOUT_SECONDS) for image in pages)


def rotation(image: Path, *, timeout: float) -> int:
    """Degrees (0, 90, 180, 270) to turn the image clockwise so its text stands upright;
    0 when tesseract's orientation detection cannot tell (too little text, say)."""
    try:
        result = subprocess.run(
            ["tesseract", str(image), "stdout", "--psm", "0"],
            capture_output=True,
            timeout=timeout,
            env=_env(),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return 0
    report = result.stdout.decode("utf-8", errors="replace")
    angle, confidence = _ROTATE.search(report), _ORIENTATION_CONFIDENCE.search(report)
    if result.returncode != 0 or angle is None or confidence is None:
        return 0
    if float(confidence.group(1)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    return int(angle.group(1)) % 360


@dataclass(frozen=True)
class PageText:
    text: str
    confidence: float  # tesseract's mean word confidence, 0–100 (0 when no word)
    words: int


def read_page_tsv(image: Path, *, timeout: float, psm: int = 3) -> PageText:
    """The page's text with line and paragraph breaks kept, and how sure tesseract was."""
    result = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=_env(),
    )
    return parse_tsv(result.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> PageText:
    lines: dict[tuple[int, int, int], list[str]] = {}
    weights: list[tuple[float, int]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue  # level 5 = a word
        word, confidence = cells[11].strip(), float(cells[10])
        lines.setdefault((int(cells[2]), int(cells[3]), int(cells[4])), []).append(word)
        if confidence >= 0:
            weights.append((confidence, len(word)))
    paragraphs: dict[tuple[int, int], list[str]] = {}
    for (block, paragraph, _line), words in lines.items():  # insertion order = reading order
        paragraphs.setdefault((block, paragraph), []).append(" ".join(words))
    text = "\n\n".join("\n".join(rows) for rows in paragraphs.values())
    total = sum(length for _, length in weights)
    confidence = sum(c * length for c, length in weights) / total if total else 0.0
    return PageText(text=text, confidence=confidence, words=len(weights))
