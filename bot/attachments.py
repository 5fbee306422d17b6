"""Inbound files: fetched from the platform and kept under DATA_DIR/uploads/inbound (outside any
web root), only those the dialog said it takes (`wanted`, asked before any download). A file
that is too large or cannot be fetched becomes Attachment(kind="rejected"); one not wanted keeps
its description with an empty file_ref; either way the handler tells the user why.

A channel whose files are already here (the web chat's staged files, `LocalFiles`) has them
moved, not copied: under a name the retry of the same update finds again, so a file is never
kept twice nor lost between a try that failed and the next."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from bot.channel import Attachment, Channel, Incoming, LocalFiles
from bot.errors import safe_error
from core.settings import Settings

log = logging.getLogger(__name__)

REJECTED = "rejected"
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


class AttachmentTooLarge(Exception):
    pass


def safe_filename(name: str, fallback: str) -> str:
    cleaned = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip("._")
    return (cleaned or fallback)[:120]


async def fetch_attachments(
    channel: Channel,
    incoming: Incoming,
    *,
    settings: Settings,
    update_id: int,
    wanted: Sequence[bool] | None = None,
) -> tuple[Attachment, ...]:
    """The incoming attachments with `file_ref` pointing at stored files (relative to uploads)."""
    limit = settings.upload_max_bytes
    folder = settings.uploads_dir / "inbound" / incoming.channel
    folder.mkdir(parents=True, exist_ok=True)
    result: list[Attachment] = []
    for index, item in enumerate(incoming.attachments):
        fallback = f"{item.kind}-{index + 1}"
        filename = item.filename or fallback
        if wanted is not None and not (index < len(wanted) and wanted[index]):
            result.append(
                Attachment(item.kind, "", filename, item.content_type, item.size, duration=item.duration)
            )
            continue
        if item.size and item.size > limit:
            result.append(Attachment(kind=REJECTED, file_ref="", filename=filename, size=item.size))
            continue
        if isinstance(channel, LocalFiles):
            stored = f"{update_id}-{index + 1}-{safe_filename(PurePosixPath(item.file_ref).name, fallback)}"
            named = replace(item, filename=filename)
            ref = f"inbound/{incoming.channel}/{stored}"
            result.append(await _take_over(channel, named, folder / stored, ref))
            continue
        try:
            data = await channel.download(item)
        except AttachmentTooLarge:
            result.append(Attachment(kind=REJECTED, file_ref="", filename=filename, size=item.size))
            continue
        except Exception as exc:
            log.warning("download of %s from %s failed: %s", item.kind, incoming.channel, safe_error(exc))
            result.append(Attachment(kind=REJECTED, file_ref="", filename=filename))
            continue
        if len(data) > limit:
            result.append(Attachment(kind=REJECTED, file_ref="", filename=filename, size=len(data)))
            continue
        stored = f"{update_id}-{index + 1}-{uuid.uuid4().hex[:8]}-{safe_filename(filename, fallback)}"
        (folder / stored).write_bytes(data)
        result.append(
            Attachment(
                kind=item.kind,
                file_ref=f"inbound/{incoming.channel}/{stored}",
                filename=filename,
                content_type=item.content_type,
                size=len(data),
                duration=item.duration,
            )
        )
    return tuple(result)


async def _take_over(channel: LocalFiles, item: Attachment, target: Path, ref: str) -> Attachment:
    """A file already on this machine, moved to `target`, a name fixed by the update and the
    file itself, so a retry of the same update finds what an earlier try moved (the file is
    in one place at every moment: never lost, never kept twice). A disk error propagates: the
    update is retried rather than the file reported missing."""
    try:
        size = await channel.take_over(item, target)
    except LookupError as exc:
        log.warning("local file of %s gone: %s", item.kind, safe_error(exc))
        return Attachment(kind=REJECTED, file_ref="", filename=item.filename)
    return Attachment(
        kind=item.kind,
        file_ref=ref,
        filename=item.filename,
        content_type=item.content_type,
        size=size,
        duration=item.duration,
    )
