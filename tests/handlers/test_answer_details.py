"""An answer's kind and sources travel with the reply to clients that show them (web chat)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from bot.webchat import web_messages
from core.models import DeliveryStatus
from core.outbox import enqueue_message
from tests.handlers.conftest import Chat


def test_an_answer_reply_carries_its_kind_and_sources(make_chat: Callable[..., Chat]) -> None:
    chat = make_chat("web")
    (reply,) = chat.send("Hồ sơ đăng ký thường trú gồm những gì?")
    assert reply.answer is not None and reply.answer["kind"] == "answer"
    (source,) = reply.answer["sources"]
    assert source["article"] == "21" and source["clause"] == "1" and source["number"] == "68/2020/QH14"
    assert source["citation"] == "Điều 21 khoản 1 Luật Cư trú số 68/2020/QH14"
    (refusal,) = chat.send("Cách nấu phở bò?")
    assert refusal.answer == {"kind": "not_found", "sources": []}


def test_web_messages_show_kind_and_sources(session: Session) -> None:
    details = {"kind": "answer", "sources": [{"article": "21", "clause": "1", "citation": "Điều 21 khoản 1"}]}
    answer = enqueue_message(session, channel="web", chat_id="w1", text="Hồ sơ gồm…", answer=details)
    plain = enqueue_message(session, channel="web", chat_id="w1", text="Mời anh/chị nhập câu hỏi.")
    for row in (answer, plain):
        row.status = DeliveryStatus.sent
        session.add(row)
    session.commit()
    first, second = web_messages(session, chat_id="w1")
    assert first["kind"] == "answer" and first["sources"] == details["sources"]
    assert second["kind"] is None and second["sources"] == []
