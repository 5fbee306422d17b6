"""Helpers of the reporting dialog: the draft's description and files (kept in the dialog
state as plain JSON), and the check of each incoming attachment."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from blockers.attachments import StoredAttachment, guess_type, is_allowed
from bot.channel import Attachment
from core.settings import Settings
from handlers import texts as t
from handlers.flow import Turn
from knowledge.normalize import fold_key

MAX_FILES = 10
REJECTED = "rejected"  # the inbound worker's kind for a file it could not take
_DONE_WORDS = frozenset({"xong", "da xong", "het", "gui", "ok"})


def is_done_word(text: str) -> bool:
    return fold_key(text).strip(" .!") in _DONE_WORDS


def description_of(data: dict[str, Any]) -> str:
    return "\n".join(p.strip() for p in data.get("parts", []) if p and p.strip())


class Verdict(StrEnum):
    taken = "taken"
    too_large = "too_large"  # or its download failed
    wrong_type = "wrong_type"
    too_many = "too_many"


def verdict_for(attachment: Attachment, *, settings: Settings, taken: int) -> Verdict:
    """Whether a report takes this file, with `taken` files already in it. Decided before the
    download too (handlers/uploads.py), on what the platform says of the file."""
    if attachment.kind == REJECTED or attachment.size > settings.upload_max_bytes:
        return Verdict.too_large
    if not is_allowed(
        attachment.filename or attachment.file_ref, attachment.content_type, kind=attachment.kind
    ):
        return Verdict.wrong_type
    if taken >= MAX_FILES:
        return Verdict.too_many
    return Verdict.taken


def attachment_replies(turn: Turn, data: dict[str, Any]) -> list[str]:
    """Take the acceptable attachments of this message into `data["files"]`; one line each."""
    files = list(data.get("files", []))
    limit_mb = turn.settings.upload_max_bytes // (1024 * 1024)
    notes = []
    for a in turn.incoming.attachments:
        name = a.filename or a.file_ref.rsplit("/", 1)[-1] or a.kind
        verdict = verdict_for(a, settings=turn.settings, taken=len(files))
        if verdict == Verdict.taken and not a.file_ref:  # not downloaded: refused before, or failed
            verdict = Verdict.too_large
        if verdict == Verdict.too_large:
            notes.append(t.FILE_TOO_LARGE.format(name=name, mb=limit_mb))
        elif verdict == Verdict.wrong_type:
            notes.append(t.FILE_WRONG_TYPE.format(name=name))
        elif verdict == Verdict.too_many:
            notes.append(t.TOO_MANY_FILES.format(limit=MAX_FILES, name=name))
        else:
            files.append(
                {
                    "path": a.file_ref,
                    "filename": name,
                    "content_type": guess_type(a.filename or a.file_ref, a.content_type),
                    "size": a.size,
                }
            )
            notes.append(t.FILE_TAKEN.format(name=name))
    data["files"] = files
    return notes


def stored_attachments(data: dict[str, Any]) -> list[StoredAttachment]:
    return [
        StoredAttachment(
            path=f["path"], filename=f["filename"], content_type=f["content_type"], size=f["size"]
        )
        for f in data.get("files", [])
    ]
