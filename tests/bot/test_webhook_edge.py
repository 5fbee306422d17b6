"""The webhook edge without platforms: a database that fails answers 503, never 200."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api import webhooks
from api.context import AppContext
from bot.runtime import take_lease
from core.db import make_engine
from core.models import InboundUpdate
from tests.fakes.channel import ScriptedChannel


def _client(settings, engine) -> TestClient:
    app = FastAPI()
    app.include_router(webhooks.router)
    app.state.ctx = AppContext(settings=settings, engine=engine, channels={"telegram": ScriptedChannel()})
    return TestClient(app)


def test_database_failure_answers_503_then_recovers(settings, engine, tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path}/absent/db.sqlite3")
    client = _client(settings, broken)
    response = client.post("/webhooks/telegram", json={"id": 1, "chat": 5}, headers={"x-secret": "ok"})
    assert response.status_code == 503
    client = _client(settings, engine)  # the database is back: the platform's retry is stored
    response = client.post("/webhooks/telegram", json={"id": 1, "chat": 5}, headers={"x-secret": "ok"})
    assert response.status_code == 200 and response.json()["detail"] == "stored"
    assert client.post("/webhooks/zalo", json={}).status_code == 404  # not configured
    with Session(engine) as session:
        assert len(session.exec(select(InboundUpdate)).all()) == 1


def test_only_one_poller_holds_the_lease(engine):
    assert take_lease(engine, name="poller.telegram", holder="a") is True
    assert take_lease(engine, name="poller.telegram", holder="b") is False
    assert take_lease(engine, name="poller.telegram", holder="a") is True  # renewal
    assert take_lease(engine, name="poller.telegram", holder="b", seconds=0) is True  # a's lease lapsed
