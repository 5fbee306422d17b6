"""Files attached to a blocker: which types are taken, and their rows."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlmodel import Session

from blockers.search import refresh_search_text
from core.clock import utcnow
from core.models import BlockerAttachment, ExtractionStatus

# Images, PDF, Word and Excel: what a commune office scans or exports; and voice notes.
ALLOWED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".doc", ".docx", ".xls", ".xlsx"}
    | {".ogg", ".oga", ".opus", ".m4a", ".aac", ".mp3", ".wav"}
)
VOICE_KINDS = frozenset({"voice", "audio"})
# What the background reader reads (blockers/extraction.py): photos and scans.
PAPER_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})
PAPER_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf"})
ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


# What a file's first bytes say it is, for files whose type the sender only claims (the web
# chat's uploads): (signature, offset, content type). Office files are ZIP or OLE containers.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF8", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"\x1a\x45\xdf\xa3", 0, "audio/webm"),  # Matroska/WebM: Chromium's MediaRecorder
    (b"OggS", 0, "audio/ogg"),  # Firefox's MediaRecorder, Telegram-style notes
    (b"ID3", 0, "audio/mpeg"),
    (b"\xff\xfb", 0, "audio/mpeg"),
    (b"\xff\xf1", 0, "audio/aac"),
    (b"\xff\xf9", 0, "audio/aac"),
    (b"PK\x03\x04", 0, "application/zip"),  # .docx, .xlsx
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/x-ole-storage"),  # .doc, .xls
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav"}
_FTYP_IMAGES = (b"heic", b"heix", b"mif1", b"msf1")
_OFFICE = {
    "application/zip": (".docx", ".xlsx"),
    "application/x-ole-storage": (".doc", ".xls"),
}


def sniffed_type(head: bytes) -> str:
    """The content type a file's first bytes show ("" when none we take)."""
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":  # MP4 family: Safari's MediaRecorder and Zalo notes, or HEIC photos
        return "image/heic" if head[8:12] in _FTYP_IMAGES else "audio/mp4"
    return next((ctype for sig, at, ctype in _SIGNATURES if head[at : at + len(sig)] == sig), "")


def checked_type(filename: str, head: bytes) -> str:
    """The type to store for a file whose sender only claims one: what its bytes are, when that
    is a type a report takes (a Word or Excel file by its container and its extension); "" to
    refuse it."""
    found = sniffed_type(head)
    suffix = PurePosixPath(filename.lower()).suffix
    if found in _OFFICE:
        return guess_type(filename) if suffix in _OFFICE[found] else ""
    return found


@dataclass(frozen=True)
class StoredAttachment:
    """A file already saved under DATA_DIR/uploads (path relative to it)."""

    path: str
    filename: str
    content_type: str = ""
    size: int = 0
    extraction: str = ""  # an ExtractionStatus when its text is already known (a voice note)
    extracted_text: str = ""


def is_paper(filename: str, content_type: str = "", *, kind: str = "") -> bool:
    """A photo or a scan the paper reader takes (JPEG/PNG/WebP photos, PDFs)."""
    ctype = (content_type or "").lower()
    suffix = PurePosixPath(filename.lower()).suffix
    if kind in VOICE_KINDS or ctype.startswith("audio/"):
        return False
    return kind == "photo" or ctype in PAPER_TYPES or suffix in PAPER_EXTENSIONS


def guess_type(filename: str, content_type: str = "") -> str:
    return content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def is_allowed(filename: str, content_type: str = "", *, kind: str = "") -> bool:
    ctype = (content_type or "").lower()
    if kind == "photo" or kind in VOICE_KINDS or ctype.startswith(("image/", "audio/")):
        return True
    if ctype in ALLOWED_TYPES:
        return True
    return PurePosixPath(filename.lower()).suffix in ALLOWED_EXTENSIONS


def store_rows(
    session: Session, *, blocker_id: int, message_id: int | None, attachments: Sequence[StoredAttachment]
) -> list[BlockerAttachment]:
    now = utcnow()
    rows = []
    for a in attachments:
        content_type = guess_type(a.filename or a.path, a.content_type)
        extraction = a.extraction or (
            ExtractionStatus.pending
            if is_paper(a.filename or a.path, content_type)
            else ExtractionStatus.none
        )
        rows.append(
            BlockerAttachment(
                blocker_id=blocker_id,
                message_id=message_id,
                filename=a.filename or PurePosixPath(a.path).name,
                content_type=content_type,
                size=a.size,
                path=a.path,
                extraction=extraction,
                extracted_text=a.extracted_text,
                extracted_at=now
                if extraction not in (ExtractionStatus.none, ExtractionStatus.pending)
                else None,
            )
        )
    session.add_all(rows)
    if any(row.extracted_text for row in rows):
        refresh_search_text(session, blocker_id)
    return rows
