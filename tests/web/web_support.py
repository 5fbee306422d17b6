"""Helpers for the web tests: a fake knowledge base, seeded departments and users of every
role, direct blocker rows, and a TestClient wrapper that carries the CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.web.accounts import create_user
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerMessage,
    BlockerStatus,
    ChatAccount,
    Chunk,
    Department,
    Document,
    DocumentOrigin,
    DocumentStatus,
    MessageKind,
    Person,
    Role,
    User,
)
from core.settings import Settings
from knowledge.normalize import fold_key
from knowledge.types import Answer, LoadedDocument, Source

PASSWORD = "matkhau-dung-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeKnowledge:
    """Stores documents as rows the way the real KnowledgeBase does, without vectors."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.added: list[tuple[LoadedDocument, DocumentOrigin]] = []
        self.ingested: list[list[Path]] = []
        self.deleted: list[int] = []
        self.changes = 0
        self.statuses: list[tuple[int, str]] = []
        self.index = self  # the real one exposes its SearchIndex here (mark_changed)
        self.asked: list[str] = []

    def add_document(self, doc: LoadedDocument, origin: DocumentOrigin) -> int:
        """Store or replace (by source), as the real one does."""
        self.added.append((doc, origin))
        with Session(self.engine, expire_on_commit=False) as session:
            document = session.exec(select(Document).where(Document.source == doc.source)).first()
            if document is None:
                document = Document(source=doc.source, content_hash="x")
            for chunk in session.exec(select(Chunk).where(Chunk.document_id == document.id)).all():
                session.delete(chunk)
            meta = doc.meta
            document.title, document.number, document.doc_type = meta.title, meta.number, meta.doc_type
            document.status, document.field = DocumentStatus(meta.status), meta.field
            document.department_code, document.origin, document.chunk_count = meta.department_code, origin, 1
            session.add(document)
            session.flush()
            session.add(
                Chunk(
                    id=f"c{document.id}",
                    document_id=document.id or 0,
                    ordinal=0,
                    text=doc.text[:500],
                    breadcrumb=doc.meta.title,
                    article="1",
                    clause="2",
                    content_hash="h",
                )
            )
            session.commit()
            return int(document.id or 0)

    def ask(self, question: str) -> Answer:
        """Grounded in the latest added document whose text holds every longer word of the
        question (folded), as the real retrieval would cite a document that covers it."""
        self.asked.append(question)
        words = [w for w in fold_key(question).split() if len(w) > 3]
        for doc, _ in reversed(self.added):
            if words and all(w in fold_key(doc.text) for w in words):
                with Session(self.engine) as session:
                    document = session.exec(select(Document).where(Document.source == doc.source)).one()
                    source = Source(
                        document=document.title,
                        number=document.number,
                        article="1",
                        clause="2",
                        score=0.9,
                        chunk_id=f"c{document.id}",
                        document_id=document.id or 0,
                    )
                return Answer(question, doc.text[:200], grounded=True, confidence=0.9, sources=[source])
        return Answer(question, "Chưa tìm thấy hướng dẫn", grounded=False, confidence=0.1)

    def ingest(self, paths: list[Path]) -> None:
        self.ingested.append(list(paths))

    def mark_changed(self) -> None:
        self.changes += 1

    def set_status(self, document_id: int, status: str) -> bool:
        """As the real one: the row's status changes and the search catalogue reloads."""
        self.statuses.append((document_id, str(status)))
        with Session(self.engine) as session:
            document = session.get(Document, document_id)
            if document is None:
                return False
            document.status = DocumentStatus(status)
            session.add(document)
            session.commit()
        self.mark_changed()
        return True

    def delete_document(self, document_id: int) -> None:
        self.deleted.append(document_id)
        with Session(self.engine) as session:
            for chunk in session.query(Chunk).filter(Chunk.document_id == document_id):
                session.delete(chunk)
            document = session.get(Document, document_id)
            if document is not None:
                session.delete(document)
            session.commit()

    def status(self) -> dict[str, Any]:
        return {"ready": True}


@dataclass
class World:
    engine: Engine
    settings: Settings
    users: dict[str, User] = field(default_factory=dict)
    accounts: dict[str, ChatAccount] = field(default_factory=dict)

    def blocker(self, **values: Any) -> Blocker:
        """Insert a blocker directly (the lifecycle files them in production)."""
        with Session(self.engine, expire_on_commit=False) as session:
            now = utcnow()
            values.setdefault("code", f"VM-2026-{abs(hash((now, id(values)))) % 10**6:06d}")
            values.setdefault("description", "Mô tả vướng mắc")
            values.setdefault("department_code", "TC")
            values.setdefault("deadline", now + timedelta(days=3))
            values.setdefault("status", BlockerStatus.new)
            blocker = Blocker(**values)
            session.add(blocker)
            session.commit()
            return blocker

    def reply(self, blocker: Blocker, text: str, by: str = "cv_tc") -> int:
        """A department answer stored directly (the inbox writes them in production)."""
        with Session(self.engine) as session:
            message = BlockerMessage(
                blocker_id=blocker.id or 0, kind=MessageKind.reply, text=text, user_id=self.users[by].id
            )
            session.add(message)
            session.commit()
            return message.id or 0


def seed(engine: Engine, settings: Settings) -> World:
    world = World(engine=engine, settings=settings)
    with Session(engine, expire_on_commit=False) as session:
        session.add(Department(code="TC", name="Sở Tài chính", deadline_days=5))
        session.add(Department(code="NV", name="Sở Nội vụ", deadline_days=5))
        session.add(Department(code="XD", name="Sở Xây dựng", deadline_days=5))
        session.flush()
        for username, role, department in (
            ("cv_tc", Role.staff, "TC"),
            ("ld_tc", Role.head, "TC"),
            ("cv_nv", Role.staff, "NV"),
            ("lanhdao", Role.leader, None),
            ("quantri", Role.admin, None),
        ):
            world.users[username] = create_user(
                session,
                username=username,
                password=PASSWORD,
                role=role,
                department_code=department,
                full_name=f"Cán bộ {username}",
            )
        person = Person(name="Nguyễn Văn An", commune="Xã Phú Lương", position="Công chức tư pháp")
        session.add(person)
        session.flush()
        account = ChatAccount(
            channel="telegram", user_id="5001", chat_id="5001", display_name="An", person_id=person.id
        )
        session.add(account)
        session.commit()
        world.accounts["an"] = account
    return world


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


class Browser:
    """A TestClient with the session's CSRF token at hand."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, **kwargs: Any) -> Any:
        response = self.client.get(url, **kwargs)
        if match := CSRF.search(response.text):
            self.csrf = match.group(1)
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=payload, follow_redirects=False, **kwargs)


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def count_queries(engine, run) -> int:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)
