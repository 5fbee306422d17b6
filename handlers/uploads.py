"""Which attachments of an incoming message are worth downloading, decided before any byte is
fetched, on what the platform says of each file (handlers/media.py says where the message
lands):
- a report being described, information being added (registered officials): files of an
  accepted type and size, within the number a report may carry; voice notes up to 2 minutes;
- a question (outside any dialog, as far as questions are admitted): the first voice note (up
  to 2 minutes) when voice transcription is on, or else the first photo or scan when the paper
  reader is installed;
- another dialog step of a registered official (choosing, confirming, the optional field): the
  first voice note (up to 2 minutes) when voice transcription is on, heard as if typed (with
  the caption, if any, first); not in a step that takes only a choice when a caption was
  typed: the caption decides there (handlers/media.py: hears_note);
- anything else (the invite-code step, over the flood limit, files no dialog takes): nothing.
The inbound worker downloads those only; the others reach the dialog unfetched and are
answered with the reason. Read-only: nothing is counted or changed here.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.channel import Incoming
from core.settings import Settings
from handlers.media import Context, dialog_context, first_paper, first_voice, hears_note
from handlers.reporting_steps import Verdict, verdict_for
from knowledge.media.engines import MediaEngines
from knowledge.media.speech import MAX_NOTE_SECONDS


def wanted_attachments(
    session: Session, incoming: Incoming, *, settings: Settings, engines: MediaEngines, now: datetime
) -> list[bool]:
    wanted = [False] * len(incoming.attachments)
    where = dialog_context(session, incoming, settings=settings, now=now)
    if where.context in (Context.question, Context.step):
        voice = first_voice(incoming)
        paper = first_paper(incoming) if where.context == Context.question else None
        if voice is not None:
            note = incoming.attachments[voice]
            wanted[voice] = (
                hears_note(where, incoming)
                and engines.transcriber.available
                and note.duration <= MAX_NOTE_SECONDS
                and note.size <= settings.upload_max_bytes
            )
        elif paper is not None:
            photo = incoming.attachments[paper]
            wanted[paper] = engines.reader.available and photo.size <= settings.upload_max_bytes
        return wanted
    if where.context not in (Context.describing, Context.adding):
        return wanted
    taken = len(where.data.get("files", [])) if where.context == Context.describing else 0
    for index, attachment in enumerate(incoming.attachments):
        ok = verdict_for(attachment, settings=settings, taken=taken) == Verdict.taken
        taken += ok
        wanted[index] = ok
    return wanted
