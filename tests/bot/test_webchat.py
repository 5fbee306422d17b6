"""The web chat: page, cookie, posting, fetching replies with clickable choices."""

from __future__ import annotations

import re

import httpx


def test_web_chat_round_trip(make_harness):
    h = make_harness("polling")
    anonymous = httpx.Client(base_url=h.url)
    assert anonymous.post("/chat/messages", json={"client_id": "a1", "text": "xin chào"}).status_code == 403
    assert anonymous.get("/chat/messages").status_code == 403

    page = h.http.get("/chat")
    assert page.status_code == 200 and "Trợ lý thủ tục và vướng mắc" in page.text
    assert not re.search(r"(src|href)=\"https?://", page.text)  # no CDN: works offline
    assert "innerHTML" not in page.text  # user and bot text are set as text
    cookie = page.headers["set-cookie"]
    assert "troly_chat=" in cookie and "httponly" in cookie.lower()

    sent = h.http.post("/chat/messages", json={"client_id": "m1", "text": "<b>Thủ tục</b> khai sinh"})
    assert sent.status_code == 202 and sent.json() == {"stored": True}
    again = h.http.post("/chat/messages", json={"client_id": "m1", "text": "<b>Thủ tục</b> khai sinh"})
    assert again.json() == {"stored": False}

    def replies() -> list:
        return h.http.get("/chat/messages", params={"after": 0}).json()["messages"]

    (first,) = h.wait_for(replies, what="web reply")
    assert first["text"] == "Bạn đã gửi: <b>Thủ tục</b> khai sinh"  # stored raw, shown with textContent
    assert [b["payload"] for b in first["buttons"]] == ["fb:1:helpful", "fb:1:wrong"]

    h.http.post("/chat/messages", json={"client_id": "m2", "text": "Hữu ích", "payload": "fb:1:helpful"})
    later = h.wait_for(lambda: h.http.get("/chat/messages", params={"after": first["id"]}).json()["messages"])
    assert later[0]["text"] == "Bạn đã gửi: fb:1:helpful"

    assert h.http.post("/chat/messages", json={"client_id": "bad id!", "text": "x"}).status_code == 422
    assert h.http.post("/chat/messages", json={"client_id": "m3", "text": "x" * 4001}).status_code == 422
    assert h.http.post("/chat/messages", json={"client_id": "m4", "text": "   "}).status_code == 422
    # Another visitor never sees this chat.
    other = httpx.Client(base_url=h.url)
    other.get("/chat")
    assert other.get("/chat/messages").json() == {"messages": []}
