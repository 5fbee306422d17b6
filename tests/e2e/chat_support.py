"""Talking to the real app as an official through the fake platforms, one exchange at a time.

`Chat.say(...)` sends one update and returns what the bot answered (every message delivered to
that chat since, once the outbox has settled), with the choices it offered: Telegram inline
buttons (label → callback_data) or the numbered list Zalo gets instead (label → number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from core.models import Person
from handlers.registration import issue_invite
from tests.fakes.harness import ZALO_SECRET, Harness

PART_ONE = "Hộ gia đình ông Nguyễn Văn Bình xin cấp giấy chứng nhận quyền sử dụng đất lần đầu."
PART_TWO = "Thửa đất không có giấy tờ về quyền sử dụng đất, xã chưa rõ cần xác nhận nguồn gốc đất thế nào."
_NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


@dataclass
class Answer:
    texts: list[str]
    choices: dict[str, str] = field(default_factory=dict)  # label → payload (Telegram) or number (Zalo)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def choice(self, label: str) -> str:
        found = [value for key, value in self.choices.items() if label in key]
        assert found, f"no choice {label!r} among {list(self.choices)} in:\n{self.text}"
        return found[0]


def add_official(h: Harness, *, name: str, commune: str) -> str:
    """A roster entry with a fresh invite code (what `troly invite` does)."""
    with Session(h.engine) as session:
        person = Person(name=name, commune=commune, position="Công chức địa chính")
        session.add(person)
        session.flush()
        code = issue_invite(session, person_id=person.id or 0).code
        session.commit()
    return code


class Chat:
    def __init__(self, h: Harness, platform: str, user: int | str) -> None:
        self.h, self.platform, self.user = h, platform, user
        self.chat_id = str(user)

    def delivered(self) -> list[str]:
        return self.h.fake.sent_texts(self.platform, self.chat_id, delivered=True)

    def _send_calls(self) -> list[Any]:
        calls = self.h.fake.calls_to(self.platform, "sendMessage")
        return [c for c in calls if c.ok and str(c.params.get("chat_id")) == self.chat_id]

    def wait_new(self, before: int, *, what: str, timeout: float = 20) -> Answer:
        """Messages delivered after the first `before` ones, once nothing is pending any more."""

        def arrived() -> bool:
            if len(self.delivered()) <= before:
                return False
            return all(r.status != "pending" for r in self.h.outbox())

        # All replies of one turn are written in one transaction: none pending means all sent.
        self.h.wait_for(arrived, timeout=timeout, what=f"{self.platform} answer to {what!r}")
        calls = self._send_calls()[before:]
        return Answer([c.params.get("text", "") for c in calls], self._choices(calls))

    def _choices(self, calls: list[Any]) -> dict[str, str]:
        if not calls:
            return {}
        last = calls[-1].params
        if self.platform == "telegram":
            keyboard = (last.get("reply_markup") or {}).get("inline_keyboard") or []
            return {b["text"]: b["callback_data"] for row in keyboard for b in row if "callback_data" in b}
        text = last.get("text", "")
        tail = text.rsplit("Trả lời bằng số:", 1)
        return {label: number for number, label in _NUMBERED.findall(tail[1])} if len(tail) == 2 else {}

    def say(self, text: str = "", **message: Any) -> Answer:
        before = len(self.delivered())
        if self.platform == "telegram":
            self.h.telegram_send(self.h.fake.telegram_update(int(self.user), text, **message))
        else:
            event = "message.image.received" if message else "message.text.received"
            zalo = self.h.fake.zalo_event(str(self.user), text, event=event)
            zalo["message"].update(message)
            if self.h.webhook_mode:
                body = {"ok": True, "result": zalo}
                self.h.http.post("/webhooks/zalo", json=body, headers={"X-Bot-Api-Secret-Token": ZALO_SECRET})
            else:
                self.h.fake.push_zalo(zalo)
        return self.wait_new(before, what=text or str(message))

    def choose(self, answer: Answer, label: str) -> Answer:
        """Press the button (Telegram) or type its number (Zalo)."""
        value = answer.choice(label)
        if self.platform != "telegram":
            return self.say(value)
        before = len(self.delivered())
        self.h.telegram_send(self.h.fake.telegram_callback(int(self.user), value))
        return self.wait_new(before, what=value)


def register(chat: Chat, code: str) -> None:
    """Greet, then type the invite code: the chat account is linked to the roster entry."""
    chat.say("/start" if chat.platform == "telegram" else "xin chào")
    registered = chat.say(code)
    assert "Xã" in registered.text or "Phường" in registered.text, registered.text


def report(chat: Chat, *, start: str, photo: dict[str, Any] | None = None) -> tuple[Answer, str]:
    """Describe in two messages (and a photo), finish, take the first suggested department,
    skip the field, send. Returns the receipt and the department's name."""
    describe = chat.say(start)
    assert describe.choice("Xong"), describe.text
    chat.say(PART_ONE)
    taken = chat.say(PART_TWO)
    if photo:
        taken = chat.say(**photo)
        assert "Đã nhận tệp" in taken.text, taken.text
    departments = chat.choose(taken, "Xong")
    assert "Không rõ" in departments.choices, departments.text
    chosen = next(label for label in departments.choices if label != "Không rõ")
    field = chat.choose(departments, chosen)
    summary = chat.choose(field, "Bỏ qua")
    assert PART_ONE in summary.text and chosen in summary.text, summary.text
    return chat.choose(summary, "Gửi"), chosen
