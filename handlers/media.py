"""Voice notes and photographed papers in the dialogs: where a message lands (a question, a
report being described, information being added), and the media step that reads it.

The inbound worker asks twice, both before the dispatcher's transaction: which attachments to
download (handlers/uploads.py, on what the platform says of each file), then, with the files
on disk, `MediaStep.read_media`, which transcribes the voice note (in a question, a report,
added information, or any other dialog step but the invite code, and not in a choice step
whose caption decides: `hears_note`, handlers/voice_steps.py) and
reads the photo asked about (a question), each through its engine's
bounded lane (knowledge/media), so slow work never blocks the event loop, never holds a
database transaction and never takes both cores. What was heard or read travels on the
attachment (`Attachment.text` and `.reading`) into the dialog, where `Turn.text` carries it.

Photos attached to a report are not read here: the background reader does that after the
report is filed (blockers/extraction.py), except when the description is too short to route
by, where the draft's photos are read when the official says the description is done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from blockers.attachments import is_paper as paper_type
from bot.channel import VOICE_KINDS, Attachment, Incoming
from core.clock import utcnow
from core.models import ChatAccount, Conversation
from core.settings import Settings
from handlers.accounts import registered_person
from handlers.follow_up import is_add_dialog
from handlers.reporting import DONE_PAYLOAD, needs_reading
from handlers.reporting import NAME as REPORTING
from handlers.reporting_steps import is_done_word
from handlers.state import FLOOD_WINDOW, is_idle, take_meta
from knowledge.media.engines import MediaEngines
from knowledge.media.ocr import OcrResult, OcrStatus
from knowledge.media.speech import MAX_NOTE_SECONDS, Transcript, TranscriptStatus

log = logging.getLogger(__name__)

NOT_FETCHED = "not_fetched"  # `reading` of a file the worker did not download (or failed to)
DRAFT_PAPERS = 2  # photos of a short report read for routing, at most
DRAFT_SECONDS = 20.0  # …within this long in all: past it, the report is routed on its words


class Context(StrEnum):
    none = "none"  # a dialog step that takes no media, or a chat that may not send any
    question = "question"
    describing = "describing"  # the description of a report
    adding = "adding"  # information added to a filed blocker
    step = "step"  # any other dialog step: a note is heard and taken as if typed (voice_steps.py)


# Steps where a voice note cannot sensibly be used: never fetched, answered "please type".
TYPED_ONLY_STEPS = frozenset({("reg", "code")})  # an invite code: a secret read letter by letter
# Steps that take nothing but one of their buttons (a typed word gets "choose one"). A note
# with a typed caption is not heard there: the caption decides (handlers/voice_steps.py).
CHOICE_STEPS = frozenset(
    {(REPORTING, "similar"), (REPORTING, "department"), (REPORTING, "confirm"), (REPORTING, "edit")}
)


@dataclass(frozen=True)
class Where:
    context: Context
    data: dict[str, Any] = field(default_factory=dict)  # the open dialog's data (a copy)
    flow: str = ""  # the open dialog's flow and step (Context.step)
    step: str = ""


def is_voice(attachment: Attachment) -> bool:
    return attachment.kind in VOICE_KINDS


def is_paper(attachment: Attachment) -> bool:
    """A photo or a scan the paper reader takes (the blocker domain's list)."""
    return paper_type(
        attachment.filename or attachment.file_ref, attachment.content_type, kind=attachment.kind
    )


def dialog_context(session: Session, incoming: Incoming, *, settings: Settings, now: datetime) -> Where:
    """Where this message lands, read-only (the dispatcher counts and moves things itself)."""
    if incoming.payload and incoming.payload != DONE_PAYLOAD:
        return Where(Context.none)
    account = session.exec(
        select(ChatAccount).where(
            ChatAccount.channel == incoming.channel.value, ChatAccount.user_id == incoming.user_id
        )
    ).first()
    person = registered_person(session, account=account) if account is not None else None
    stored = session.get(Conversation, account.id) if account is not None and account.id else None
    flow, step, data = "", "", {}
    if stored is not None:
        state = Conversation(
            account_id=stored.account_id, flow=stored.flow, step=stored.step, data=dict(stored.data or {})
        )
        state.updated_at = stored.updated_at
        meta = take_meta(state)  # on a copy
        in_window = meta.flood_start is not None and now - meta.flood_start < FLOOD_WINDOW
        per_minute = settings.chat_messages_per_minute
        if per_minute > 0 and in_window and meta.flood_count >= per_minute:
            return Where(Context.none)  # over the limit: it will not be handled at all
        if not is_idle(state, now=now, idle_minutes=settings.conversation_idle_minutes):
            flow, step, data = state.flow, state.step, dict(state.data)
    describing = flow == REPORTING and step == "describe"
    if incoming.payload:  # "Xong" of a report: only the describing dialog reads for it
        return Where(Context.describing, data) if describing else Where(Context.none)
    if describing:
        return Where(Context.describing, data) if person is not None else Where(Context.none)
    if is_add_dialog(flow, step):
        return Where(Context.adding, data) if person is not None else Where(Context.none)
    if flow:
        if person is None or (flow, step) in TYPED_ONLY_STEPS:
            return Where(Context.none)
        return Where(Context.step, data, flow, step)
    if person is None and not settings.allow_unregistered_questions:
        return Where(Context.none)
    return Where(Context.question)


def hears_note(where: Where, incoming: Incoming) -> bool:
    """Whether this message's voice note is downloaded and heard: wherever it lands, except in
    a step that takes only a choice when a caption was typed (the caption decides there, and
    the official is told the note was not heard: handlers/voice_steps.py). Elsewhere a caption
    and the transcript are both used, the caption first."""
    if where.context == Context.none:
        return False
    captioned = bool(incoming.text.strip())
    return not (where.context == Context.step and captioned and (where.flow, where.step) in CHOICE_STEPS)


def first_voice(incoming: Incoming) -> int | None:
    return next((i for i, a in enumerate(incoming.attachments) if is_voice(a)), None)


def first_paper(incoming: Incoming) -> int | None:
    return next((i for i, a in enumerate(incoming.attachments) if is_paper(a)), None)


class MediaStep:
    """The dispatcher's `read_media` (bot/inbound.py's MediaStep protocol)."""

    def __init__(
        self, *, settings: Settings, engines: MediaEngines, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.settings = settings
        self.engines = engines
        self.clock = clock
        # A note must be answered before the inbound claim expires and another worker takes
        # the update over: past this budget the official is asked to type instead.
        self.budget = max(5.0, 0.6 * settings.claim_lease_seconds)

    def _where(self, engine: Engine, incoming: Incoming) -> Where:
        with Session(engine) as session:
            return dialog_context(session, incoming, settings=self.settings, now=self.clock())

    async def read_media(self, engine: Engine, incoming: Incoming) -> Incoming:
        done = incoming.payload == DONE_PAYLOAD or (
            not incoming.payload and not incoming.attachments and is_done_word(incoming.text)
        )
        if not incoming.attachments and not done:
            return incoming  # typed text: nothing to read, no query spent
        where = await asyncio.to_thread(self._where, engine, incoming)
        if where.context == Context.none:
            return incoming
        attachments = list(incoming.attachments)
        voice = first_voice(incoming)
        if voice is not None and hears_note(where, incoming):
            attachments[voice] = await self.hear(attachments[voice])
        paper = first_paper(incoming)
        if where.context == Context.question and voice is None and paper is not None:
            attachments[paper] = await self.read_paper(attachments[paper])
        read_files: tuple[Attachment, ...] = ()
        if where.context == Context.describing and done:
            read_files = await self.read_draft(where.data)
        return replace(incoming, attachments=tuple(attachments), read_files=read_files)

    async def hear(self, note: Attachment) -> Attachment:
        transcriber = self.engines.transcriber
        if not note.file_ref:
            if note.duration > MAX_NOTE_SECONDS:
                return replace(note, reading=TranscriptStatus.too_long)
            if not transcriber.available:
                return replace(note, reading=TranscriptStatus.unavailable)
            return replace(note, reading=NOT_FETCHED)
        if not transcriber.available:
            return replace(note, reading=TranscriptStatus.unavailable)
        data = await self._bytes(note.file_ref)
        if data is None:
            return replace(note, reading=NOT_FETCHED)
        try:
            heard: Transcript = await asyncio.wait_for(transcriber.transcribe(data), self.budget)
        except TimeoutError:
            log.warning("voice note not transcribed within %.0f s", self.budget)
            return replace(note, reading=TranscriptStatus.busy)
        return replace(note, text=heard.text.strip(), reading=heard.status)

    async def read_paper(self, paper: Attachment) -> Attachment:
        reader = self.engines.reader
        if not reader.available:
            return replace(paper, reading=OcrStatus.unavailable)
        if not paper.file_ref:
            return replace(paper, reading=NOT_FETCHED)
        result = await self._read_file(paper.file_ref, paper.content_type, paper.filename, self.budget)
        return replace(paper, text=result.text.strip(), reading=result.status)

    async def read_draft(self, data: dict[str, Any]) -> tuple[Attachment, ...]:
        """The photos of a report whose description is too short to route by."""
        if not self.engines.reader.available or not needs_reading(data):
            return ()
        files = [
            f
            for f in data.get("files", [])
            if not f.get("reading") and paper_type(f["filename"] or f["path"], f["content_type"])
        ]
        loop = asyncio.get_running_loop()
        ends = loop.time() + DRAFT_SECONDS
        read: list[Attachment] = []
        for f in files[:DRAFT_PAPERS]:
            left = ends - loop.time()
            if left <= 0:
                break
            result = await self._read_file(f["path"], f["content_type"], f["filename"], left)
            if result.status != OcrStatus.busy:  # busy: left for the background reader
                read.append(Attachment("", f["path"], f["filename"], text=result.text, reading=result.status))
        return tuple(read)

    async def _bytes(self, path: str) -> bytes | None:
        try:
            return await asyncio.to_thread((self.settings.uploads_dir / path).read_bytes)
        except OSError as exc:  # removed meanwhile (retention), or the disk failed: say so
            log.warning("media file unreadable: %s", type(exc).__name__)
            return None

    async def _read_file(self, path: str, content_type: str, filename: str, budget: float) -> OcrResult:
        data = await self._bytes(path)
        if data is None:
            return OcrResult(OcrStatus.unreadable, reason="file missing")
        try:
            return await asyncio.wait_for(
                self.engines.reader.read(data, content_type=content_type, filename=filename), budget
            )
        except TimeoutError:
            return OcrResult(OcrStatus.busy, reason=f"not read within {budget:.0f} s")
