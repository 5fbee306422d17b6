"""A web chat file is handed from its staging folder to inbound/web/ by a move, not a copy: one
copy on disk at every moment, and a retry after a failure at any point finds the file (an
acknowledged report is never lost). Through the real inbound worker and the real WebChannel."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

import bot.webchat
from blockers.retention import remove_orphaned_uploads
from bot.channel import Incoming, Reply
from bot.inbound import InboundOptions, process_pending
from bot.webchat import WebChannel, stage_file, store_web_message
from core.models import InboundStatus, InboundUpdate

CHAT = "w" + "k" * 24
PAGE = b"\x89PNG\r\n\x1a\n" + b"page" * 100
RETRY_NOW = InboundOptions(max_pause=0.0)  # a failed update is due again at once


class Recorder:
    """The dispatcher: fails `failures` times, then records what it was handed."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.seen: list[Incoming] = []

    def __call__(self, session: Session, incoming: Incoming) -> list[Reply]:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the dispatcher failed after the file was taken over")
        self.seen.append(incoming)
        return [Reply(text="Đã nhận tệp")]


def _post(engine, settings) -> str:  # type: ignore[no-untyped-def]
    ref = stage_file(settings.uploads_dir, chat_id=CHAT, filename="quyet-dinh.png", data=PAGE)
    item: dict[str, object] = {
        "kind": "photo",
        "ref": ref,
        "filename": "quyet-dinh.png",
        "content_type": "image/png",
    }
    item["size"] = len(PAGE)
    with Session(engine) as session:
        store_web_message(session, chat_id=CHAT, client_id="c1", text="", attachments=[item])
        session.commit()
    return ref


async def _run(engine, settings, dispatch: Recorder) -> None:  # type: ignore[no-untyped-def]
    channels = {"web": WebChannel(settings.uploads_dir)}
    await process_pending(engine, channels=channels, dispatch=dispatch, settings=settings, options=RETRY_NOW)


def _files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root: Path = settings.uploads_dir
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _status(engine) -> str:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.exec(select(InboundUpdate)).one().status


async def test_a_web_file_is_moved_into_inbound_not_copied(engine, settings) -> None:
    staged = _post(engine, settings)
    dispatch = Recorder()
    await _run(engine, settings, dispatch)
    [incoming] = dispatch.seen
    [attachment] = incoming.attachments
    assert attachment.file_ref.startswith("inbound/web/") and attachment.size == len(PAGE)
    assert _files(settings) == [attachment.file_ref]  # one copy: the staged one is gone
    assert not (settings.uploads_dir / staged).exists()
    assert (settings.uploads_dir / attachment.file_ref).read_bytes() == PAGE
    assert _status(engine) == InboundStatus.done


async def test_a_retry_after_a_failure_past_the_move_finds_the_file(engine, settings) -> None:
    _post(engine, settings)
    dispatch = Recorder(failures=1)
    await _run(engine, settings, dispatch)
    assert dispatch.seen == [] and _status(engine) == InboundStatus.pending  # to be retried
    [moved] = _files(settings)
    assert moved.startswith("inbound/web/")  # moved, in one place, kept for the retry
    await _run(engine, settings, dispatch)
    [incoming] = dispatch.seen
    assert [a.file_ref for a in incoming.attachments] == [moved]  # the same file, not "gone"
    assert incoming.attachments[0].kind == "photo" and incoming.attachments[0].size == len(PAGE)
    assert _files(settings) == [moved] and (settings.uploads_dir / moved).read_bytes() == PAGE
    assert _status(engine) == InboundStatus.done


async def test_a_disk_failure_during_the_move_keeps_the_staged_file_for_the_retry(
    engine, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = _post(engine, settings)
    real_replace = os.replace

    def failing_once(src: object, dst: object) -> None:
        monkeypatch.setattr(bot.webchat.os, "replace", real_replace)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bot.webchat.os, "replace", failing_once)
    dispatch = Recorder()
    await _run(engine, settings, dispatch)
    assert dispatch.seen == [] and _status(engine) == InboundStatus.pending  # retried, not "rejected"
    assert _files(settings) == [staged]
    await _run(engine, settings, dispatch)
    [incoming] = dispatch.seen
    [attachment] = incoming.attachments
    assert attachment.kind == "photo" and _files(settings) == [attachment.file_ref]
    assert (settings.uploads_dir / attachment.file_ref).read_bytes() == PAGE


async def test_a_file_moved_before_a_crash_is_not_an_orphan_yet(engine, settings) -> None:
    """Posted long ago (a worker outage): its age counts from the move, so the orphan cleanup
    does not take it away between the move and the retry that stores it."""
    staged = settings.uploads_dir / _post(engine, settings)
    old = time.time() - 30 * 3600
    os.utime(staged, (old, old))
    await _run(engine, settings, Recorder(failures=1))
    [moved] = _files(settings)
    assert remove_orphaned_uploads(engine=engine, settings=settings) == []
    dispatch = Recorder()
    await _run(engine, settings, dispatch)
    assert [a.file_ref for a in dispatch.seen[0].attachments] == [moved]


async def test_a_staged_file_in_neither_place_is_reported_missing(engine, settings) -> None:
    staged = settings.uploads_dir / _post(engine, settings)
    staged.unlink()  # removed by hand, or never written
    dispatch = Recorder()
    await _run(engine, settings, dispatch)
    [attachment] = dispatch.seen[0].attachments
    assert attachment.kind == "rejected" and attachment.filename == "quyet-dinh.png"
    assert _files(settings) == []
