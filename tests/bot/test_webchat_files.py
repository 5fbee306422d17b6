"""Files in the web chat (POST /chat/files) through the real app, the inbound worker, the real
dispatcher and media step: a photo joins a blocker report like a Telegram photo, a recorded
voice note (WebM/Opus, as Chromium records it) is heard and answered, and bad input is refused
in Vietnamese, never with a 5xx."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from api.web import texts
from bot.webchat import WebChannel
from core.models import Blocker, BlockerAttachment, InboundUpdate, QuestionLog
from knowledge.media.speech import speech_installed
from tests.e2e.chat_support import PART_ONE, PART_TWO, add_official
from tests.knowledge.media_support import encode, pcm_of, png_bytes, render_paper, speech_clips

_ids = itertools.count(1)


class WebChat:
    """A visitor of /chat: the page's cookie, its posts, the replies it polls."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=20)
        assert self.http.get("/chat").status_code == 200  # sets the chat cookie
        self.after = 0

    def _wait(self, h: Any, timeout: float = 30) -> list[dict[str, Any]]:
        def new() -> list[dict[str, Any]]:
            if any(r.status == "pending" for r in h.outbox()):
                return []
            return self.http.get("/chat/messages", params={"after": self.after}).json()["messages"]

        got = h.wait_for(new, timeout=timeout, what="web chat reply")
        self.after = max(m["id"] for m in got)
        return got

    def say(self, h: Any, text: str = "", payload: str = "") -> list[dict[str, Any]]:
        sent = self.http.post(
            "/chat/messages", json={"client_id": f"t{next(_ids)}", "text": text, "payload": payload}
        )
        assert sent.status_code == 202, sent.text
        return self._wait(h)

    def post_file(self, name: str, data: bytes, ctype: str, **fields: str) -> httpx.Response:
        form = {"client_id": f"f{next(_ids)}", **fields}
        return self.http.post("/chat/files", data=form, files={"file": (name, data, ctype)})

    def press(self, h: Any, replies: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
        button = next(b for m in replies for b in m["buttons"] if label in b["label"])
        return self.say(h, button["label"], button["payload"])


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in replies)


def registered(h: Any) -> WebChat:
    code = add_official(h, name="Vàng Thị Mai", commune="Xã Tả Phìn")
    chat = WebChat(h.url)
    assert "Xã Tả Phìn" in text_of(chat.say(h, code))
    return chat


def test_a_photo_from_the_web_chat_joins_the_report_like_a_telegram_photo(make_harness) -> None:
    h = make_harness("polling", real=True, routing_embeddings=False)
    chat = registered(h)
    chat.say(h, "baocao")
    chat.say(h, PART_ONE)
    chat.say(h, PART_TWO)
    page = png_bytes(render_paper())
    posted = chat.post_file("quyet-dinh.png", page, "image/png", text="Ảnh quyết định của xã")
    assert posted.status_code == 202 and posted.json() == {"stored": True, "kind": "photo"}
    taken = chat._wait(h)
    assert "Đã nhận tệp" in text_of(taken) and "quyet-dinh.png" in text_of(taken)
    departments = chat.press(h, taken, "Xong")
    chosen = next(b["label"] for m in departments for b in m["buttons"] if b["label"] != "Không rõ")
    summary = chat.press(h, chat.press(h, departments, chosen), "Bỏ qua")
    assert "quyet-dinh.png" in text_of(summary) and "Ảnh quyết định của xã" in text_of(summary)
    receipt = chat.press(h, summary, "Gửi")
    with Session(h.engine) as session:
        blocker = session.exec(select(Blocker)).one()
        [row] = session.exec(select(BlockerAttachment)).all()
    assert blocker.code in text_of(receipt)
    assert (row.filename, row.content_type, row.size) == ("quyet-dinh.png", "image/png", len(page))
    assert row.path.startswith("inbound/web/")  # taken by the inbound worker, as any platform's
    assert (h.settings.uploads_dir / row.path).read_bytes() == page
    assert row.extraction in ("pending", "done", "unavailable")  # the background reader's row


@pytest.mark.skipif(not speech_installed(), reason="the [voice] extra is not installed")
def test_a_recorded_voice_note_is_heard_and_answered(make_harness) -> None:
    h = make_harness("polling", real=True)
    chat = WebChat(h.url)
    clip = speech_clips()[3]  # "Tết là dịp mọi người háo hức …"
    note = encode(pcm_of(clip), container="webm", codec="libopus")
    posted = chat.post_file("ghi-am.webm", note, "audio/webm", voice="1", duration="5")
    assert posted.status_code == 202 and posted.json()["kind"] == "voice"
    answer = text_of(chat._wait(h, timeout=90))
    assert answer.startswith("Tôi nghe được: «"), answer
    heard = answer.split("«", 1)[1].split("»", 1)[0]
    assert "tết" in heard and "năm mới" in heard
    with Session(h.engine) as session:
        assert session.exec(select(QuestionLog)).one().question == heard


@pytest.mark.skipif(not speech_installed(), reason="the [voice] extra is not installed")
def test_a_recorded_note_with_typed_words_asks_both_the_words_first(make_harness) -> None:
    h = make_harness("polling", real=True)
    chat = WebChat(h.url)
    note = encode(pcm_of(speech_clips()[3]), container="webm", codec="libopus")
    posted = chat.post_file("ghi-am.webm", note, "audio/webm", voice="1", duration="5", text="Cho tôi hỏi:")
    assert posted.status_code == 202
    answer = text_of(chat._wait(h, timeout=90))
    heard = answer.split("«", 1)[1].split("»", 1)[0]
    assert answer.startswith("Tôi nghe được: «") and "tết" in heard
    with Session(h.engine) as session:
        assert session.exec(select(QuestionLog)).one().question == f"Cho tôi hỏi:\n{heard}"
    assert not any((h.settings.uploads_dir / "inbound" / "web-staged").rglob("*.webm"))  # moved


def test_bad_uploads_are_refused_in_vietnamese(make_harness) -> None:
    h = make_harness("polling", real=True, upload_max_bytes=200_000)
    chat = WebChat(h.url)
    anonymous = httpx.Client(base_url=h.url)
    no_session = anonymous.post(
        "/chat/files", data={"client_id": "x1"}, files={"file": ("a.png", b"x", "image/png")}
    )
    assert no_session.status_code == 403 and no_session.json()["detail"] == texts.CHAT_REOPEN
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * 200_001
    too_large = chat.post_file("to.png", big, "image/png")
    assert too_large.status_code == 413 and "tối đa" in too_large.json()["detail"]
    far_too_large = chat.post_file("to.png", big * 2, "image/png")  # past the body limit itself
    assert far_too_large.status_code == 413
    script = chat.post_file("anh.jpg", b"#!/bin/sh\nrm -rf /\n", "image/jpeg")  # named as a photo
    assert script.status_code == 415 and script.json()["detail"] == texts.CHAT_FILE_WRONG_TYPE
    exe = chat.post_file("setup.exe", b"MZ\x90\x00" + b"\0" * 100, "application/octet-stream")
    assert exe.status_code == 415
    empty = chat.post_file("trong.pdf", b"", "application/pdf")
    assert empty.status_code == 422 and empty.json()["detail"] == texts.CHAT_FILE_EMPTY
    not_multipart = chat.http.post(
        "/chat/files", content=b"garbage", headers={"Content-Type": "multipart/form-data"}
    )
    assert not_multipart.status_code == 400 and not_multipart.json()["detail"] == texts.CHAT_FILE_BAD_FORM
    no_file = chat.http.post(
        "/chat/files", data={"client_id": "n1"}, files={"other": ("a", b"1", "text/plain")}
    )
    assert no_file.status_code == 422
    bad_client = chat.post_file("a.pdf", b"%PDF-1.4\n", "application/pdf", client_id="bad id!")
    assert bad_client.status_code == 422
    with Session(h.engine) as session:
        assert session.exec(select(InboundUpdate)).all() == []  # nothing refused was stored
    staged = h.settings.uploads_dir / "inbound" / "web-staged"
    assert not staged.exists() or not any(p.is_file() for p in staged.rglob("*"))


def test_unregistered_chats_cannot_post_files_when_questions_are_closed(make_harness) -> None:
    h = make_harness("polling", real=True, allow_unregistered_questions=False)
    chat = WebChat(h.url)
    refused = chat.post_file("a.pdf", b"%PDF-1.4\n", "application/pdf")
    assert refused.status_code == 403 and refused.json()["detail"] == texts.CHAT_FILE_NEEDS_REGISTRATION


def test_files_per_address_are_limited(make_harness) -> None:
    h = make_harness("polling", real=True, web_chat_files_per_hour=2)
    chat = WebChat(h.url)
    assert [chat.post_file("a.pdf", b"%PDF-1.4\n", "application/pdf").status_code for _ in range(3)] == [
        202,
        202,
        429,
    ]
    fresh_cookie = WebChat(h.url)  # a new cookie is no fresh start: the address counts
    assert fresh_cookie.post_file("a.pdf", b"%PDF-1.4\n", "application/pdf").status_code == 429


SCRIPT = ("anh.jpg", b"#!/bin/sh\nrm -rf /\n", "image/jpeg")  # refused: 415
PDF = ("a.pdf", b"%PDF-1.4\n", "application/pdf")


def test_refused_uploads_do_not_use_up_the_allowance(make_harness) -> None:
    h = make_harness("polling", real=True, web_chat_files_per_hour=2, web_chat_refused_files_per_hour=10)
    chat = WebChat(h.url)
    refused = [chat.post_file(*SCRIPT).status_code for _ in range(3)]
    refused.append(chat.post_file("trong.pdf", b"", "application/pdf").status_code)
    refused.append(
        chat.http.post(
            "/chat/files", content=b"x", headers={"Content-Type": "multipart/form-data"}
        ).status_code
    )
    assert refused == [415, 415, 415, 422, 400]
    assert [chat.post_file(*PDF).status_code for _ in range(3)] == [202, 202, 429]  # 2 accepted


def test_refused_uploads_are_bounded_on_their_own(make_harness) -> None:
    h = make_harness("polling", real=True, web_chat_files_per_hour=10, web_chat_refused_files_per_hour=2)
    chat = WebChat(h.url)
    assert chat.post_file(*PDF).status_code == 202  # an accepted file is not a refused one
    assert [chat.post_file(*SCRIPT).status_code for _ in range(3)] == [415, 415, 429]
    too_many = chat.post_file(*PDF)  # until the hour passes, the address sends nothing more
    assert too_many.status_code == 429 and too_many.json()["detail"] == texts.CHAT_FILE_TOO_MANY
    assert WebChat(h.url).post_file(*SCRIPT).status_code == 429  # a new cookie is no fresh start
    with Session(h.engine) as session:
        assert len(session.exec(select(InboundUpdate)).all()) == 1


def test_a_stored_update_names_only_files_staged_for_its_own_chat(tmp_path) -> None:
    mine, other = "w" + "a" * 24, "w" + "b" * 24
    ref = f"inbound/web-staged/{other}/{'0' * 32}-anh.png"
    forged = {"kind": "photo", "ref": ref, "filename": "anh.png", "size": 5}
    channel = WebChannel(tmp_path)
    incoming = channel.parse({"chat_id": mine, "client_id": "c1", "attachments": [forged]})
    assert incoming is not None and incoming.attachments == ()
    escape = {**forged, "ref": f"inbound/web-staged/{mine}/../../../../etc/passwd"}
    assert channel.parse({"chat_id": mine, "client_id": "c2", "attachments": [escape]}).attachments == ()  # type: ignore[union-attr]
    own = {**forged, "ref": ref.replace(other, mine)}
    [attachment] = channel.parse({"chat_id": mine, "client_id": "c3", "attachments": [own]}).attachments  # type: ignore[union-attr]
    assert attachment.file_ref == own["ref"] and attachment.kind == "photo"


def test_only_the_chat_pages_may_use_the_microphone(make_harness) -> None:
    h = make_harness("polling")
    chat = httpx.Client(base_url=h.url).get("/chat")
    assert "microphone=(self)" in chat.headers["permissions-policy"]
    login = httpx.Client(base_url=h.url).get("/login")
    assert "microphone=()" in login.headers["permissions-policy"]
