"""Web test kit: the real app (without its lifespan) on the test database, seeded
departments, users of every role, blockers, and a logged-in TestClient factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from web_support import PASSWORD, Browser, FakeKnowledge, World, seed

import api.web.accounts
from api.app import create_app
from api.context import AppContext
from core.settings import Settings


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Production argon2 costs ~1 s per hash on a busy 2-core box; tests need the code path only.
    monkeypatch.setattr(
        api.web.accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )


@pytest.fixture
def world(engine: Engine, settings: Settings) -> World:
    return seed(engine, settings)


@pytest.fixture
def web_app(engine: Engine, settings: Settings) -> FastAPI:
    app = create_app(settings, start_workers=False)
    # The lifespan (index, channels, workers) is not needed for pages: wire the context directly.
    app.state.ctx = AppContext(settings=settings, engine=engine, knowledge=FakeKnowledge(engine))
    return app


@pytest.fixture
def login(web_app: FastAPI, world: World) -> Iterator[Callable[[str], Browser]]:
    clients: list[TestClient] = []

    def log_in(username: str) -> Browser:
        client = TestClient(web_app, base_url="http://testserver")
        clients.append(client)
        browser = Browser(client)
        browser.get("/login")
        response = browser.post("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text
        browser.get("/inbox" if username != "lanhdao" else "/dashboard")
        return browser

    yield log_in
    for client in clients:
        client.close()
