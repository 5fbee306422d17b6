"""Questions: free text goes to the Guidance seam; every answer is logged (QuestionLog) and
carries feedback buttons, "Xem toàn văn" when it cites a source, and "Gửi vướng mắc" when no
guidance was found (the question is then handed over to the reporting flow).

Payloads stay within Telegram's 64 bytes: they carry ids, never text.
"""

from __future__ import annotations

from dataclasses import asdict

from blockers.payloads import object_id
from bot.channel import Button, Reply
from core.models import QuestionLog
from handlers import texts
from handlers.flow import Turn, typed_and_heard
from handlers.state import StaleChoice
from knowledge.types import Answer

MAX_PAYLOAD_BYTES = 64
FULL_PREFIX = "ask:full:"  # + chunk id
SOURCE_PREFIX = "ask:src:"  # + question id: the first source of a logged answer
RETYPE = "ask:retype"  # under the answer to a voice note: type the question instead
PHOTO_QUESTION_CHARS = 600  # of the text read from a photo, asked with the caption
PHOTO_ECHO_CHARS = 160  # of it, said back to the official


def feedback_payload(question_id: int, verdict: str) -> str:
    return f"fb:{question_id}:{verdict}"


def handover_payload(question_id: int) -> str:
    return f"rp:q:{question_id}"


def full_text_payload(question_id: int, chunk_id: str) -> str:
    """ask:full:<chunk id>, or ask:src:<question id> when the chunk id is too long to fit."""
    payload = FULL_PREFIX + chunk_id
    if len(payload.encode()) <= MAX_PAYLOAD_BYTES:
        return payload
    return f"{SOURCE_PREFIX}{question_id}"


def ask_question(turn: Turn, question: str) -> list[Reply]:
    answer = turn.knowledge.ask(question)
    log = _log(turn, question, answer)
    assert log.id is not None  # flushed
    buttons = [
        Button(texts.BUTTON_HELPFUL, feedback_payload(log.id, "h")),
        Button(texts.BUTTON_WRONG, feedback_payload(log.id, "w")),
    ]
    chunk_id = next((s.chunk_id for s in answer.sources if s.chunk_id), "")
    if chunk_id:
        buttons.append(Button(texts.BUTTON_FULL_TEXT, full_text_payload(log.id, chunk_id)))
    if not answer.grounded:
        buttons.append(Button(texts.BUTTON_SEND_BLOCKER, handover_payload(log.id)))
    details = {"kind": answer.kind, "sources": [source.to_json() for source in answer.sources]}
    return [Reply(text=answer.text, buttons=buttons, answer=details)]


def ask_heard(turn: Turn, heard: str, typed: str = "") -> list[Reply]:
    """A voice note's transcript answered like typed text (after its caption, when one was
    typed), said back first, with a choice to type the question instead (a button; on Zalo the
    sender numbers it with the others)."""
    replies = ask_question(turn, typed_and_heard(typed, heard))
    first = replies[0]
    first.text = f"{texts.HEARD.format(text=heard)}\n\n{first.text}"
    first.buttons.append(Button(texts.BUTTON_RETYPE, RETYPE))
    return replies


def ask_about_paper(turn: Turn, read: str) -> list[Reply]:
    """A photographed paper asked about: the caption (if any) with what was read, answered,
    and the start of what was read said back so the official sees what the answer rests on."""
    read = " ".join(read.split())
    question = "\n".join(part for part in (turn.text, read[:PHOTO_QUESTION_CHARS]) if part)
    replies = ask_question(turn, question)
    echo = read if len(read) <= PHOTO_ECHO_CHARS else read[:PHOTO_ECHO_CHARS].rsplit(" ", 1)[0] + " …"
    replies[0].text = f"{texts.READ_FROM_PHOTO.format(text=echo)}\n\n{replies[0].text}"
    return replies


def _log(turn: Turn, question: str, answer: Answer) -> QuestionLog:
    log = QuestionLog(
        account_id=turn.account.id,
        channel=turn.incoming.channel.value,
        question=question,
        answer=answer.text,
        grounded=answer.grounded,
        confidence=answer.confidence,
        sources=[asdict(source) for source in answer.sources],
    )
    turn.session.add(log)
    turn.session.flush()
    return log


def own_question(turn: Turn, raw_id: str) -> QuestionLog:
    """The logged question a payload points at, if it is this account's."""
    question_id = object_id(raw_id)
    log = turn.session.get(QuestionLog, question_id) if question_id is not None else None
    if log is None or log.account_id != turn.account.id:
        raise StaleChoice(turn.choice)
    return log


def handle_payload(turn: Turn) -> list[Reply]:
    """ "Xem toàn văn": the whole article the answer came from, with its citation; "Sửa câu
    hỏi" under a voice note's answer: the prompt to type it."""
    if turn.choice == RETYPE:
        return [Reply(text=texts.RETYPE_PROMPT)]
    if turn.choice.startswith(FULL_PREFIX):
        chunk_id = turn.choice.removeprefix(FULL_PREFIX)
    elif turn.choice.startswith(SOURCE_PREFIX):
        log = own_question(turn, turn.choice.removeprefix(SOURCE_PREFIX))
        chunk_id = next((str(s.get("chunk_id")) for s in log.sources if s.get("chunk_id")), "")
    else:
        raise StaleChoice(turn.choice)
    text = turn.knowledge.full_text(chunk_id) if chunk_id else ""
    return [Reply(text=text or texts.FULL_TEXT_MISSING)]
