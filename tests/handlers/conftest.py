"""Dialog test kit: a fake Guidance, a settable clock and a `Chat` that talks to the
Dispatcher the way the inbound worker does (one transaction per message)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from blockers.catalogue import load_departments
from bot.channel import Attachment, Button, ChannelName, Incoming, Reply
from core.models import Department, Person
from core.settings import Settings
from handlers.dispatch import Dispatcher
from handlers.flow import Turn
from handlers.registration import issue_invite
from knowledge.normalize import fold_key as fold
from knowledge.types import Answer, Source

BUTTON_CHANNELS = {ChannelName.telegram, ChannelName.web}
ALL_CHANNELS = ["telegram", "zalo", "zalo_oa", "web"]

RESIDENCE_CHUNK = "chunk-cu-tru-20-1"
RESIDENCE_ANSWER = (
    "Hồ sơ đăng ký thường trú gồm tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh "
    "chỗ ở hợp pháp. (Điều 21 khoản 1 Luật Cư trú số 68/2020/QH14)"
)
NOT_FOUND = "Chưa tìm thấy hướng dẫn phù hợp trong các văn bản đã nạp, nên trợ lý không trả lời để tránh sai."


class FakeGuidance:
    """Knows one topic (residence registration); says so honestly for everything else."""

    def __init__(self, chunk_id: str = RESIDENCE_CHUNK) -> None:
        self.chunk_id = chunk_id
        self.questions: list[str] = []

    def ask(self, question: str) -> Answer:
        self.questions.append(question)
        if "thuong tru" in fold(question):
            source = Source(
                document="Luật Cư trú",
                number="68/2020/QH14",
                article="21",
                clause="1",
                score=0.91,
                chunk_id=self.chunk_id,
                citation="Điều 21 khoản 1 Luật Cư trú số 68/2020/QH14",
            )
            return Answer(question, RESIDENCE_ANSWER, grounded=True, confidence=0.91, sources=[source])
        return Answer(question, NOT_FOUND, grounded=False, confidence=0.1)

    def full_text(self, chunk_id: str) -> str:
        if chunk_id == self.chunk_id:
            return "Điều 21. Hồ sơ đăng ký thường trú\n1. Hồ sơ đăng ký thường trú bao gồm: …"
        return ""


@dataclass
class FakeReportingFlow:
    """Stands in for the blockers helper's ReportingFlow: records how it was started."""

    name: str = "rp"
    started: list[tuple[str, str]] = field(default_factory=list)  # (carried text, turn.choice)
    handled: list[str] = field(default_factory=list)

    def start(self, turn: Turn, carried_text: str = "") -> list[Reply]:
        self.started.append((carried_text, turn.choice))
        turn.open(self.name, "describe", text=carried_text)
        return [Reply(text="Mô tả vướng mắc, hoặc chọn Sở:", buttons=[Button("Sở Tài chính", "rp:dept:TC")])]

    def handle(self, turn: Turn) -> list[Reply]:
        self.handled.append(turn.choice or turn.text)
        return [Reply(text=f"Đã ghi: {turn.text}")]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 2, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class Chat:
    """One person writing on one channel. `press` clicks a button where the channel has
    buttons and types its number where it does not (Zalo), as a real user would."""

    _ids = itertools.count(1)

    def __init__(self, dispatcher: Dispatcher, session: Session, channel: str, user_id: str = "u1") -> None:
        self.dispatcher, self.session = dispatcher, session
        self.channel = ChannelName(channel)
        self.user_id = user_id
        self.replies: list[Reply] = []

    def send(self, text: str = "", **fields: object) -> list[Reply]:
        incoming = Incoming(
            channel=self.channel,
            chat_id=f"chat-{self.user_id}",
            user_id=self.user_id,
            message_id=str(next(self._ids)),
            text=text,
            display_name="Cán bộ thử",
            **fields,  # type: ignore[arg-type]
        )
        self.replies = self.dispatcher.handle(self.session, incoming)
        self.session.commit()  # the worker commits after each update
        return self.replies

    def press(self, label: str) -> list[Reply]:
        shown = next(r for r in reversed(self.replies) if r.buttons)
        labels = [b.label for b in shown.buttons]
        assert label in labels, f"no button {label!r} in {labels}"
        index = labels.index(label)
        if self.channel in BUTTON_CHANNELS:
            return self.send(payload=shown.buttons[index].payload)
        return self.send(str(index + 1))

    def register(self, code: str) -> None:
        """Telegram and web users type the command; Zalo users the words without a slash."""
        self.send(f"/dangky {code}" if self.channel in BUTTON_CHANNELS else f"dang ky {code}")
        assert "Đăng ký thành công" in self.text, self.text

    def share_contact(self, phone: str) -> list[Reply]:
        return self.send(contact_phone=phone)

    def send_photo(self) -> list[Reply]:
        return self.send(attachments=(Attachment(kind="photo", file_ref="file-1"),))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def labels(self) -> list[str]:
        return [b.label for r in self.replies for b in r.buttons]

    @property
    def payloads(self) -> list[str]:
        return [b.payload for r in self.replies for b in r.buttons]


@pytest.fixture
def guidance() -> FakeGuidance:
    return FakeGuidance()


@pytest.fixture
def reporting() -> FakeReportingFlow:
    return FakeReportingFlow()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_dispatcher(
    settings: Settings, guidance: FakeGuidance, reporting: FakeReportingFlow, clock: Clock
) -> Callable[..., Dispatcher]:
    def make(**overrides: object) -> Dispatcher:
        from handlers.my_reports import MyReportsFlow

        chosen = settings.model_copy(update=overrides) if overrides else settings
        flows = {"rp": reporting, "my": MyReportsFlow()}
        return Dispatcher(settings=chosen, knowledge=guidance, flows=flows, clock=clock)  # type: ignore[arg-type]

    return make


@pytest.fixture
def dispatcher(make_dispatcher: Callable[..., Dispatcher]) -> Dispatcher:
    return make_dispatcher()


@pytest.fixture
def make_chat(dispatcher: Dispatcher, session: Session) -> Callable[..., Chat]:
    def make(channel: str, user_id: str = "u1", via: Dispatcher | None = None) -> Chat:
        return Chat(via or dispatcher, session, channel, user_id)

    return make


@pytest.fixture(params=ALL_CHANNELS)
def chat(request: pytest.FixtureRequest, make_chat: Callable[..., Chat]) -> Chat:
    return make_chat(request.param)


@pytest.fixture
def official(session: Session) -> Person:
    person = Person(
        name="Nguyễn Thị Lan",
        commune="Xã Phú Bình",
        position="Công chức Tư pháp - Hộ tịch",
        phone="0912345678",
    )
    session.add(person)
    session.commit()
    return person


@pytest.fixture
def invite_code(session: Session, official: Person) -> str:
    assert official.id is not None
    code = issue_invite(session, person_id=official.id).code
    session.commit()
    return code


# --- the real reporting dialog (lexical routing keeps these tests fast) -------------------------


@pytest.fixture
def real_dispatcher(settings: Settings, guidance, clock) -> Dispatcher:
    # Lexical routing keeps the dialog tests fast; the fused router is measured in tests/blockers.
    chosen = settings.model_copy(update={"routing_embeddings": False})
    return Dispatcher(settings=chosen, knowledge=guidance, clock=clock)  # type: ignore[arg-type]


@pytest.fixture
def catalogue(session: Session) -> None:
    load_departments(session)
    tc = session.get(Department, "TC")
    assert tc is not None
    tc.notify_chats = ["telegram:-100777"]
    session.add(tc)
    session.commit()


@pytest.fixture
def open_chat(
    make_chat, real_dispatcher: Dispatcher, invite_code: str, catalogue: None
) -> Callable[[str], object]:
    def make(channel: str):
        chat = make_chat(channel, via=real_dispatcher)
        chat.register(invite_code)
        return chat

    return make
