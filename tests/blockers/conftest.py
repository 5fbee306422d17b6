"""Blocker-domain fixtures: departments loaded, an official with a chat account, staff users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from blockers.catalogue import load_departments
from core.models import ChatAccount, Department, Person, Role, User


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
