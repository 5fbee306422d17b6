"""Several processes migrating one PostgreSQL database at start: all succeed, one schema."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect

pytestmark = pytest.mark.postgres


def test_parallel_migrate_processes_all_succeed(postgres_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": postgres_url}
    code = "from core.db import get_engine, migrate; migrate(get_engine())"
    processes = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    failures = []
    for process in processes:
        _, err = process.communicate(timeout=60)
        if process.returncode != 0:
            failures.append(err[-500:])
    assert failures == []
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        assert len(versions) == 1
        assert "outboxmessage" in inspect(connection).get_table_names()
    engine.dispose()
