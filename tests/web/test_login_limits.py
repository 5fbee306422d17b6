"""The login limit holds under parallel requests, per account and per address, and an unknown
account costs the same password hash as a wrong password."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from web_support import PASSWORD, Browser, World

import api.web.auth
from core.clock import utcnow
from core.limits import take_attempt

PARALLEL = 25


@pytest.fixture(autouse=True)
def one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt of a test in one fixed window: counters are aligned to the minute, so a
    burst that straddles a boundary may pass twice the limit by design (core/limits.py); on a
    loaded machine 25 logins can take long enough to straddle one."""
    now = utcnow().replace(second=30, microsecond=0)
    monkeypatch.setattr(api.web.auth, "utcnow", lambda: now)


@pytest.fixture
def counted_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash the login route verifies (the expensive, guessable step)."""
    seen: list[str] = []
    lock = threading.Lock()
    real = api.web.auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        with lock:
            seen.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(api.web.auth, "verify_password", counting)
    return seen


def _parallel(count: int, attempt: Callable[[int], int]) -> list[int]:
    start = threading.Barrier(count)

    def run(index: int) -> int:
        start.wait()  # all at once, as an attacker's script does
        return attempt(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _client(app: FastAPI) -> Browser:
    browser = Browser(TestClient(app))
    browser.get("/login")
    return browser


def _wrong_logins(app: FastAPI, usernames: list[str]) -> tuple[list[Browser], list[int]]:
    """One wrong password for each username, all at once, each from its own browser."""
    clients = [_client(app) for _ in usernames]
    attempts = [{"username": name, "password": f"sai-{i}"} for i, name in enumerate(usernames)]
    return clients, _parallel(len(usernames), lambda i: clients[i].post("/login", attempts[i]).status_code)


def test_parallel_wrong_logins_evaluate_at_most_the_limit(
    web_app: FastAPI, world: World, counted_hashes: list[str]
) -> None:
    limit = world.settings.login_attempts_per_minute
    clients, statuses = _wrong_logins(web_app, ["cv_tc"] * PARALLEL)
    assert len(counted_hashes) <= limit  # before: 19 of 25 evaluated against a limit of 5
    assert statuses.count(401) == len(counted_hashes) and statuses.count(429) == PARALLEL - len(
        counted_hashes
    )
    # While the limit holds, even the right password is not looked at.
    assert clients[0].post("/login", {"username": "cv_tc", "password": PASSWORD}).status_code == 429


def test_one_address_cannot_spread_guesses_over_many_accounts(
    web_app: FastAPI, world: World, counted_hashes: list[str]
) -> None:
    per_address = world.settings.login_attempts_per_minute_per_address
    _, statuses = _wrong_logins(web_app, [f"nguoi-{i}" for i in range(PARALLEL)])
    assert len(counted_hashes) == per_address < PARALLEL
    assert statuses.count(429) == PARALLEL - per_address


def test_a_right_password_does_not_use_up_the_limit(web_app: FastAPI, world: World) -> None:
    browser = _client(web_app)
    for _ in range(world.settings.login_attempts_per_minute + 2):
        browser.get("/login")
        assert browser.post("/login", {"username": "cv_tc", "password": PASSWORD}).status_code == 303


@pytest.mark.parametrize("username", ["khong-ai-co", "cv_tc_locked"])
def test_unknown_and_locked_accounts_cost_a_hash_like_a_wrong_password(
    web_app: FastAPI, world: World, counted_hashes: list[str], username: str
) -> None:
    from api.web.accounts import create_user
    from core.models import Role

    with Session(world.engine) as session:
        locked = create_user(
            session, username="cv_tc_locked", password=PASSWORD, role=Role.staff, department_code="TC"
        )
        locked.active = False
        session.commit()
    browser = _client(web_app)
    wrong = browser.post("/login", {"username": "cv_tc", "password": "sai"})
    other = browser.post("/login", {"username": username, "password": PASSWORD})
    assert wrong.status_code == other.status_code == 401 and wrong.text.count("không đúng") == 1
    assert len(counted_hashes) == 2  # one argon2 verification each: no timing difference to measure
    assert counted_hashes[1].startswith("$argon2")


def test_the_counter_is_atomic_across_threads(engine: Engine) -> None:
    """25 transactions at once on one key (SQLite here, PostgreSQL in the second pass)."""
    now = utcnow()

    def attempt(_: Any) -> int:
        with Session(engine) as session:
            counted = take_attempt(session, key="k", limit=5, window=timedelta(minutes=1), now=now)
            session.commit()
            return int(counted)

    assert sum(_parallel(PARALLEL, attempt)) == 5
    with Session(engine) as session:  # the next window starts from zero
        later = now + timedelta(minutes=1)
        assert take_attempt(session, key="k", limit=5, window=timedelta(minutes=1), now=later)
