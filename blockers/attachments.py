"""Files attached to a blocker: which types are taken, and their rows."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlmodel import Session

from core.models import BlockerAttachment

# Images, PDF, Word and Excel: what a commune office scans or exports.
ALLOWED_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".pdf", ".doc", ".docx", ".xls", ".xlsx"}
)
ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


@dataclass(frozen=True)
class StoredAttachment:
    """A file already saved under DATA_DIR/uploads (path relative to it)."""

    path: str
    filename: str
    content_type: str = ""
    size: int = 0


def guess_type(filename: str, content_type: str = "") -> str:
    return content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def is_allowed(filename: str, content_type: str = "", *, kind: str = "") -> bool:
    ctype = (content_type or "").lower()
    if kind == "photo" or ctype.startswith("image/"):
        return True
    if ctype in ALLOWED_TYPES:
        return True
    return PurePosixPath(filename.lower()).suffix in ALLOWED_EXTENSIONS


def store_rows(
    session: Session, *, blocker_id: int, message_id: int | None, attachments: Sequence[StoredAttachment]
) -> list[BlockerAttachment]:
    rows = [
        BlockerAttachment(
            blocker_id=blocker_id,
            message_id=message_id,
            filename=a.filename or PurePosixPath(a.path).name,
            content_type=guess_type(a.filename or a.path, a.content_type),
            size=a.size,
            path=a.path,
        )
        for a in attachments
    ]
    session.add_all(rows)
    return rows
