"""Blocker-domain fixtures: departments loaded, an official with a chat account, staff users."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from blockers.catalogue import load_departments
from core.db import create_schema, drop_schema, make_engine
from core.models import ChatAccount, Department, Person, Role, User
from core.settings import Settings


@pytest.fixture(scope="session")
def blocker_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per run; each test gets a copy (migrating per test dominates run time)."""
    path = tmp_path_factory.mktemp("blocker-schema") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(settings: Settings, blocker_schema: Path) -> Iterator[Engine]:
    if settings.database_url:
        engine = make_engine(settings.effective_database_url)
        drop_schema(engine)
        create_schema(engine)
        yield engine
        drop_schema(engine)
        engine.dispose()
        return
    source, target = sqlite3.connect(blocker_schema), sqlite3.connect(settings.sqlite_path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    engine = make_engine(settings.effective_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def departments(session: Session) -> dict[str, Department]:
    load_departments(session)
    # Give the departments a chat group each, so notifications to them can be observed.
    rows = {}
    for code in ("TC", "NV", "VP", "DTTG", "CA", "TP"):
        department = session.get(Department, code)
        assert department is not None
        department.notify_chats = [f"telegram:-100{len(rows) + 1}"]
        session.add(department)
        rows[code] = department
    session.commit()
    return rows


@pytest.fixture
def make_official(session: Session) -> Callable[..., tuple[Person, ChatAccount]]:
    def make(
        commune: str = "Xã Phú Bình", channel: str = "telegram", user_id: str = "501"
    ) -> tuple[Person, ChatAccount]:
        person = Person(name=f"Cán bộ {user_id}", commune=commune, phone=f"09{user_id:0>8}")
        session.add(person)
        session.flush()
        account = ChatAccount(
            channel=channel, user_id=user_id, chat_id=f"chat-{user_id}", person_id=person.id
        )
        session.add(account)
        session.commit()
        return person, account

    return make


@pytest.fixture
def staff(session: Session, departments: dict[str, Department]) -> User:
    user = User(
        username="tc.staff",
        password_hash="x",
        role=Role.staff,
        department_code="TC",
        full_name="Trần Văn Bình",
    )
    session.add(user)
    session.commit()
    return user
