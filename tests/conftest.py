"""Shared fixtures: an isolated DATA_DIR and a migrated database per test.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
database-backed tests against PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=url,
        demo_guidance=False,  # type: ignore[call-arg]
        run_workers=False,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.effective_database_url)
    if engine.dialect.name != "sqlite":
        drop_schema(engine)
    create_schema(engine)
    yield engine
    if engine.dialect.name != "sqlite":
        drop_schema(engine)
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
