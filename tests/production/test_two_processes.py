"""Two `troly serve` processes on one PostgreSQL database: every update answered once, no
message sent twice, blocker codes unique."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, func, select

from core.db import make_engine
from core.models import DeliveryStatus, InboundStatus, InboundUpdate, OutboxMessage
from tests.fakes.servers import FakePlatforms
from tests.production.serving import ServeProcess, post_update, sends_per_chat, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CODES_SCRIPT = """
import sys
from sqlmodel import Session
from blockers.codes import next_code
from core.db import make_engine
engine = make_engine(sys.argv[1])
for i in range(int(sys.argv[2])):
    with Session(engine) as session:
        code = next_code(session, year=2025)
        if i % 5 == 4:
            session.rollback()  # a blocker that was not stored gives its number back
            continue
        session.commit()
        print(code, flush=True)
"""


def test_blocker_codes_unique_and_gapless_across_processes(postgres_url: str) -> None:
    from core.db import migrate

    engine = make_engine(postgres_url)
    migrate(engine)
    engine.dispose()
    env = {**os.environ}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CODES_SCRIPT, postgres_url, "100"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    codes = []
    for run in runs:
        out, _ = run.communicate(timeout=120)
        assert run.returncode == 0
        codes += out.split()
    assert len(codes) == 240 and len(set(codes)) == 240
    assert sorted(codes) == [f"VM-2025-{n:06d}" for n in range(1, 241)]


def test_two_processes_answer_each_update_once(tmp_path: Path, postgres_url: str) -> None:
    fake = FakePlatforms().start()
    shared = {"CLAIM_LEASE_SECONDS": "30"}
    a = ServeProcess(data_dir=tmp_path / "a", fake=fake, database_url=postgres_url, env=shared)
    b = ServeProcess(data_dir=tmp_path / "b", fake=fake, database_url=postgres_url, env=shared)
    try:
        a.start()
        b.start()
        updates = [fake.telegram_update(6000 + i % 40, "/menu") for i in range(120)]
        with httpx.Client(timeout=10) as client:
            for i, update in enumerate(updates):  # round-robin, as nginx does
                assert post_update(client, (a, b)[i % 2].url, update) == 200
            # a redelivery that lands on the other process is still a duplicate
            for i, update in enumerate(updates[:10]):
                assert post_update(client, (b, a)[i % 2].url, update) == 200
        engine = make_engine(postgres_url)

        def settled() -> bool:
            with Session(engine) as session:
                pending = session.exec(
                    select(func.count()).where(col(InboundUpdate.status) == InboundStatus.pending)
                ).one()
                unsent = session.exec(
                    select(func.count()).where(OutboxMessage.status == DeliveryStatus.pending)
                ).one()
            return pending == 0 and unsent == 0

        wait_until(settled, timeout=90, what="both processes drained the queues")
        with Session(engine) as session:
            stored = session.exec(select(func.count()).select_from(InboundUpdate)).one()
            rows = session.exec(select(OutboxMessage)).all()
            claimed_by = {r.claimed_by.split(":")[2] for r in rows if r.claimed_by}
        engine.dispose()
        assert stored == 120
        assert len(rows) == 120 and all(r.status == DeliveryStatus.sent for r in rows)
        assert len({r.inbound_id for r in rows}) == 120  # one answer per update
        expected = Counter(r.chat_id for r in rows)
        assert sends_per_chat(fake) == expected  # nothing sent twice, nothing missing
        assert len(claimed_by) == 2, claimed_by  # both processes' senders did part of the work
    finally:
        a.stop()
        b.stop()
        fake.stop()


def test_two_processes_starting_together_on_an_empty_database(tmp_path: Path, postgres_url: str) -> None:
    """systemd starts troly@8001 and troly@8002 at the same moment on a fresh database: both
    migrate (advisory lock), both come up, one first administrator exists."""
    from concurrent.futures import ThreadPoolExecutor

    from core.models import Role, User

    fake = FakePlatforms().start()
    servers = [
        ServeProcess(data_dir=tmp_path / name, fake=fake, database_url=postgres_url) for name in ("a", "b")
    ]
    try:
        with ThreadPoolExecutor(2) as pool:
            errors = [f.exception() for f in [pool.submit(s.start, wait=180) for s in servers]]
        assert errors == [None, None], [s.tail() for s in servers]
        for server in servers:
            assert server.process is not None and server.process.poll() is None
        engine = make_engine(postgres_url)
        with Session(engine) as session:
            admins = session.exec(select(User).where(User.role == Role.admin)).all()
        engine.dispose()
        assert len(admins) == 1
    finally:
        for server in servers:
            server.stop()
        fake.stop()
