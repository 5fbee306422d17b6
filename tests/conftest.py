"""Shared fixtures: an isolated DATA_DIR and a migrated database per test.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
database-backed tests against PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.db import create_schema, drop_schema, make_engine
from core.settings import Settings

# Tests never read the developer's .env or reach real platforms.
for _name in list(os.environ):
    if _name.startswith(
        ("TELEGRAM_", "ZALO_", "LLM_", "EMBEDDINGS_", "CHROMA_", "DATABASE_URL", "PUBLIC_BASE")
    ):
        os.environ.pop(_name)


# The PostgreSQL server used for scratch databases (tests that need PostgreSQL whatever
# TEST_DATABASE_URL says: backups, concurrent processes). Its `postgres` database is only
# used to CREATE/DROP the scratch ones.
POSTGRES_SERVER_URL = os.environ.get(
    "TEST_POSTGRES_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_reachable(url: str = POSTGRES_SERVER_URL) -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    try:
        psycopg.connect(parsed.render_as_string(hide_password=False), connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@contextmanager
def scratch_postgres_database(url: str, *, prefix: str = "troly_test_") -> Iterator[str]:
    """A new, uniquely named database on the server of `url`, dropped afterwards.

    The machine's shared `test` database is never dropped or emptied: parallel test runs
    (and other projects) each get their own database.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def test_database_url() -> Iterator[str]:
    """TEST_DATABASE_URL, or "" for SQLite. A PostgreSQL URL names the server: the session
    runs in its own scratch database there (created and dropped), not in the named one."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield url
        return
    with scratch_postgres_database(url) as scratch:
        yield scratch


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (skipped when no server is reachable)."""
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_SERVER_URL}")
    with scratch_postgres_database(POSTGRES_SERVER_URL) as url:
        yield url


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_chroma_server(path: Path, *, port: int | None = None, wait: float = 30.0) -> Iterator[str]:
    """The chromadb package's own server (`chroma run`) on loopback; yields its URL."""
    import subprocess
    import sys
    import time

    import httpx

    port = port or free_port()
    chroma = Path(sys.executable).parent / "chroma"
    log = open(path.parent / f"chroma-{port}.log", "wb")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not answer within {wait} s; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Chroma server shared by the session (use a unique collection name per test)."""
    with running_chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


@pytest.fixture
def start_chroma_server() -> Any:
    """`running_chroma_server` for tests that need their own server (e.g. to restart it)."""
    return running_chroma_server


# Debian's chromium driven by Playwright (its own browser download cannot work offline); the
# flags keep it from reaching for the network, which this machine closes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed: scripts/ensure-test-services installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(data_dir: Path, test_database_url: str) -> Settings:
    url = test_database_url
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=url,
        demo_guidance=False,  # type: ignore[call-arg]
        run_workers=False,
    )


@pytest.fixture(scope="session")
def sqlite_schema_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per run; each SQLite test gets a copy (migrating per test would be most
    of the suite's run time). The copy is still what the migrations build."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(settings: Settings, sqlite_schema_template: Path) -> Iterator[Engine]:
    if settings.database_url:  # PostgreSQL: a clean schema per test
        engine = make_engine(settings.effective_database_url)
        drop_schema(engine)
        create_schema(engine)
        yield engine
        drop_schema(engine)
        engine.dispose()
        return
    source, target = sqlite3.connect(sqlite_schema_template), sqlite3.connect(settings.sqlite_path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    engine = make_engine(settings.effective_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
