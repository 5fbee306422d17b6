"""Helpers of the reporting dialog: the draft's description and files (kept in the dialog
state as plain JSON), and the check of each incoming attachment."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from blockers.attachments import StoredAttachment, guess_type, is_allowed
from bot.channel import VOICE_KINDS, Attachment
from core.models import ExtractionStatus
from core.settings import Settings
from handlers import texts as t
from handlers.flow import Turn
from knowledge.media.speech import MAX_NOTE_SECONDS, TranscriptStatus
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
    too_long = "too_long"  # a voice note over 2 minutes


def verdict_for(attachment: Attachment, *, settings: Settings, taken: int) -> Verdict:
    """Whether a report takes this file, with `taken` files already in it. Decided before the
    download too (handlers/uploads.py), on what the platform says of the file."""
    if attachment.kind == REJECTED or attachment.size > settings.upload_max_bytes:
        return Verdict.too_large
    if attachment.kind in VOICE_KINDS and (
        attachment.duration > MAX_NOTE_SECONDS or attachment.reading == TranscriptStatus.too_long
    ):
        return Verdict.too_long
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
        if verdict == Verdict.too_long:
            notes.append(t.VOICE_TOO_LONG_IN_REPORT)
        elif verdict == Verdict.too_large:
            notes.append(t.FILE_TOO_LARGE.format(name=name, mb=limit_mb))
        elif verdict == Verdict.wrong_type:
            notes.append(t.FILE_WRONG_TYPE.format(name=name))
        elif verdict == Verdict.too_many:
            notes.append(t.TOO_MANY_FILES.format(limit=MAX_FILES, name=name))
        else:
            entry: dict[str, Any] = {
                "path": a.file_ref,
                "filename": name,
                "content_type": guess_type(a.filename or a.file_ref, a.content_type),
                "size": a.size,
            }
            if a.kind in VOICE_KINDS:  # heard already: its text is stored with it
                entry |= {"voice": True, "reading": a.reading or TranscriptStatus.unavailable, "text": a.text}
            files.append(entry)
            notes.append(
                t.voice_taken(a.text, a.reading) if a.kind in VOICE_KINDS else t.FILE_TAKEN.format(name=name)
            )
    data["files"] = files
    return notes


def merge_readings(data: dict[str, Any], read: tuple[Attachment, ...]) -> dict[str, Any]:
    """The draft with what the media step read from its files (by path) noted on them."""
    by_path = {a.file_ref: a for a in read}
    files = [
        {**f, "reading": str(by_path[f["path"]].reading), "text": by_path[f["path"]].text}
        if f["path"] in by_path
        else f
        for f in data.get("files", [])
    ]
    return {**data, "files": files}


def read_texts(data: dict[str, Any]) -> list[str]:
    return [str(f["text"]) for f in data.get("files", []) if f.get("text")]


_EXTRACTION = {
    "ok": ExtractionStatus.done,
    "empty": ExtractionStatus.empty,
    "unavailable": ExtractionStatus.unavailable,
}


def extraction_of(entry: dict[str, Any]) -> str:
    """What the stored row says of the file's text. "" lets the attachment module decide: a
    photo not read yet (or found busy) is read by the background reader after filing."""
    reading = str(entry.get("reading") or "")
    if not entry.get("voice") and reading in ("", "busy"):
        return ""
    return _EXTRACTION.get(reading, ExtractionStatus.failed)


def stored_attachments(data: dict[str, Any]) -> list[StoredAttachment]:
    return [
        StoredAttachment(
            path=f["path"],
            filename=f["filename"],
            content_type=f["content_type"],
            size=f["size"],
            extraction=extraction_of(f),
            extracted_text=str(f.get("text") or ""),
        )
        for f in data.get("files", [])
    ]
