"""Files are downloaded only when the dialog will take them, and orphaned ones are removed
(issue 11.7: attachments from unregistered chats and of refused types used to be downloaded
and kept forever, before the flood limit applied)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from blockers import lifecycle
from blockers.retention import remove_orphaned_uploads
from bot.channel import Attachment, Incoming
from bot.inbound import process_pending, store_update
from core.clock import utcnow
from core.models import BlockerAttachment, ChatAccount, Conversation, Department, OutboxMessage, Person
from handlers.dispatch import Dispatcher
from knowledge.types import Answer
from tests.fakes.channel import ScriptedChannel


class FileChannel(ScriptedChannel):
    """Files named in the update ("setup.exe", "ho-so.pdf"); every download is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.downloads: list[str] = []

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        incoming = super().parse(payload)
        if incoming is None:
            return None
        names = payload.get("files", [])
        files = tuple(Attachment(kind="document", file_ref=n, filename=n, size=100) for n in names)
        return Incoming(**{**incoming.__dict__, "attachments": files})

    async def download(self, attachment: Attachment) -> bytes:
        self.downloads.append(attachment.file_ref)
        return b"%PDF-1.4 ..."


class NoGuidance:
    def ask(self, question: str) -> Answer:
        return Answer(question, "Chưa tìm thấy", grounded=False, confidence=0.0)

    def full_text(self, chunk_id: str) -> str:
        return ""


def _official_describing(engine, *, chat: str, flood_count: int = 0) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        person = Person(name="Lò Thị Mai", commune="Xã Mường Khoa")
        session.add(person)
        session.flush()
        account = ChatAccount(channel="telegram", user_id=chat, chat_id=chat, person_id=person.id)
        session.add(account)
        session.flush()
        data: dict[str, Any] = {"parts": ["Trường học thiếu phòng"], "files": []}
        if flood_count:
            data["_flood"] = {"start": utcnow().isoformat(), "count": flood_count, "warned": False}
        session.add(Conversation(account_id=account.id or 0, flow="rp", step="describe", data=data))
        session.commit()


async def _send(engine, settings, channel, *, key: str, chat: str, files: list[str]):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        store_update(session, channel="telegram", key=key, payload={"id": key, "chat": chat, "files": files})
        session.commit()
    dispatcher = Dispatcher(settings=settings, knowledge=NoGuidance())
    await process_pending(engine, channels={"telegram": channel}, dispatch=dispatcher, settings=settings)


def _stored(settings) -> list[str]:  # type: ignore[no-untyped-def]
    folder = settings.uploads_dir / "inbound"
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def test_files_from_an_unregistered_chat_are_never_downloaded(engine, settings) -> None:
    channel = FileChannel()
    await _send(engine, settings, channel, key="1", chat="55", files=["ho-so.pdf"])
    assert channel.downloads == [] and _stored(settings) == []
    with Session(engine) as session:
        [answer] = session.exec(select(OutboxMessage)).all()
    assert "đang báo vướng mắc" in answer.text  # told why, all the same


async def test_only_the_files_a_report_takes_are_downloaded(engine, settings) -> None:
    _official_describing(engine, chat="56")
    channel = FileChannel()
    await _send(engine, settings, channel, key="2", chat="56", files=["setup.exe", "ho-so.pdf"])
    assert channel.downloads == ["ho-so.pdf"]
    assert [name.rsplit("-", 1)[-1] for name in _stored(settings)] == ["so.pdf"]


async def test_nothing_is_downloaded_over_the_flood_limit(engine, settings) -> None:
    settings.chat_messages_per_minute = 3
    _official_describing(engine, chat="57", flood_count=3)
    channel = FileChannel()
    await _send(engine, settings, channel, key="3", chat="57", files=["ho-so.pdf"])
    assert channel.downloads == [] and _stored(settings) == []


@pytest.mark.parametrize("age_hours", [1, 30])
def test_orphaned_uploads_are_removed_once_old(engine, settings, age_hours: int) -> None:
    folder = settings.uploads_dir / "inbound" / "telegram"
    folder.mkdir(parents=True, exist_ok=True)
    names = ("orphan.pdf", "filed.pdf", "draft.pdf")
    for name in names:
        (folder / name).write_bytes(b"x")
        old = time.time() - timedelta(hours=age_hours).total_seconds()
        os.utime(folder / name, (old, old))
    _official_describing(engine, chat="58")
    with Session(engine) as session:
        state = session.get(Conversation, 1)
        assert state is not None
        state.data = {**state.data, "_draft": {"data": {"files": [{"path": "inbound/telegram/draft.pdf"}]}}}
        session.add(state)
        account = session.get(ChatAccount, 1)
        assert account is not None
        session.add(Department(code="TC", name="Sở Tài chính"))
        blocker = lifecycle.file_blocker(
            session, account=account, person=None, description="Mô tả", department_code="TC"
        )
        session.add(
            BlockerAttachment(
                blocker_id=blocker.id or 0, filename="filed.pdf", path="inbound/telegram/filed.pdf"
            )
        )
        session.commit()
    removed = remove_orphaned_uploads(engine=engine, settings=settings)
    assert removed == (["inbound/telegram/orphan.pdf"] if age_hours > 24 else [])
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        set(names) - {p.rsplit("/", 1)[-1] for p in removed}
    )
