"""Group commit of webhook updates."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot.ingest import UpdateWriter
from core.db import make_engine
from core.models import InboundUpdate


async def test_concurrent_stores_commit_together_and_detect_duplicates(engine):
    writer = UpdateWriter(engine)
    keys = [str(i) for i in range(100)] + ["7", "7"]
    results = await asyncio.gather(
        *(writer.store(channel="telegram", key=k, payload={"update_id": k}) for k in keys)
    )
    assert results.count(True) == 100 and results.count(False) == 2
    with Session(engine) as session:
        assert len(session.exec(select(InboundUpdate)).all()) == 100


async def test_failed_commit_raises_for_every_request(tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    writer = UpdateWriter(broken)
    results = await asyncio.gather(
        writer.store(channel="telegram", key="1", payload={}),
        writer.store(channel="telegram", key="2", payload={}),
        return_exceptions=True,
    )
    assert all(isinstance(r, Exception) for r in results)
    with pytest.raises(OperationalError):
        await writer.store(channel="telegram", key="3", payload={})
