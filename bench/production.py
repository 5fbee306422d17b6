"""The production path under load: two `troly serve` processes on PostgreSQL in webhook mode,
and one process on SQLite for comparison, against the fake Telegram Bot API on loopback.

N simulated chats send updates at a fixed total rate (open loop, each chat well under the
per-chat flood limit), alternating between the processes like a round-robin proxy. Measured:
updates acknowledged per second, answers per second, p50/p95/p99 time from the webhook POST to
the fake server receiving the answer, inbound and outbox depth sampled every second, lost and
duplicated answers (must be 0), CPU seconds and peak RSS of each process.

The messages are answered without the knowledge engine ("/menu", "cảm ơn"), one answer each:
this measures transport, storage, claiming, dispatch and the sender; question answering cost
is measured by bench/chat_load.py.

    python bench/production.py --seconds 60 --chats 100 --rate 25
Results: bench/results/production.json (and printed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.servers import FakePlatforms  # noqa: E402
from tests.production.serving import ServeProcess, post_update  # noqa: E402

MESSAGES = ["/menu", "cảm ơn"]  # one answer each, so the k-th answer in a chat answers its k-th update
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def proc_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds, current RSS in KiB) from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        rss = next(
            int(line.split()[1])
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
        return cpu, rss
    except (OSError, StopIteration, IndexError):
        return 0.0, 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def depth(engine: Any) -> tuple[int, int]:
    from sqlmodel import Session, func, select

    from core.models import DeliveryStatus, InboundStatus, InboundUpdate, OutboxMessage

    with Session(engine) as session:
        inbound = session.exec(
            select(func.count()).where(InboundUpdate.status == InboundStatus.pending)
        ).one()
        outbox = session.exec(
            select(func.count()).where(OutboxMessage.status == DeliveryStatus.pending)
        ).one()
    return int(inbound), int(outbox)


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(server_url)
    name = f"troly_bench_{uuid.uuid4().hex[:10]}"
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def stored_answers(engine: Any) -> tuple[Counter[str], dict[str, int]]:
    """Per chat, the answer messages queued for updates; and how many updates got 0, 1, 2… rows."""
    from sqlmodel import Session, select

    from core.models import InboundUpdate, OutboxMessage

    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage.chat_id, OutboxMessage.inbound_id)).all()
        updates = session.exec(select(InboundUpdate.id)).all()
    per_chat: Counter[str] = Counter(chat for chat, _ in rows)
    per_update = Counter(inbound for _, inbound in rows if inbound is not None)
    histogram = Counter(per_update.get(update_id, 0) for update_id in updates)
    return per_chat, {str(k): v for k, v in sorted(histogram.items())}


def run_scenario(
    name: str, *, processes: int, database_url: str, seconds: float, chats: int, rate: float, drain: float
) -> dict[str, Any]:
    from core.db import make_engine

    fake = FakePlatforms().start()
    tmp = Path(tempfile.mkdtemp(prefix=f"troly-bench-{name}-"))
    env = {"CHAT_MESSAGES_PER_MINUTE": "20"}
    servers = [
        ServeProcess(data_dir=tmp / f"p{i}", fake=fake, database_url=database_url, env=env)
        for i in range(processes)
    ]
    # One SQLite process: the database is the file in its own data directory.
    db_url = database_url or f"sqlite:///{servers[0].data_dir / 'troly.sqlite3'}"
    try:
        for server in servers:
            server.start(wait=180)
        engine = make_engine(db_url)
        cpu0 = {s.pid: proc_usage(s.pid)[0] for s in servers}
        sent_at: dict[str, list[float]] = defaultdict(list)  # chat -> POST times, in order
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        samples: list[dict[str, float]] = []
        peak_rss: dict[int, int] = {s.pid: 0 for s in servers}
        stop = threading.Event()

        def sampler() -> None:
            start = time.monotonic()
            while not stop.is_set():
                try:
                    inbound, outbox = depth(engine)
                except Exception:  # a busy SQLite: skip this sample
                    inbound = outbox = -1
                for s in servers:
                    peak_rss[s.pid] = max(peak_rss[s.pid], proc_usage(s.pid)[1])
                samples.append(
                    {"t": round(time.monotonic() - start, 1), "inbound": inbound, "outbox": outbox}
                )
                stop.wait(1.0)

        threading.Thread(target=sampler, daemon=True).start()
        clients = [httpx.Client(timeout=30) for _ in servers]

        def send(i: int) -> None:
            chat = 100_000 + i % chats
            update = fake.telegram_update(chat, MESSAGES[(i // chats) % len(MESSAGES)])
            target = i % len(servers)  # round-robin, as the proxy does
            with lock:  # order of POSTs per chat = order of answers per chat
                sent_at[str(chat)].append(time.monotonic())
            status = post_update(clients[target], servers[target].url, update)
            with lock:
                statuses[status] += 1

        total = int(seconds * rate)
        begin = time.monotonic()
        with ThreadPoolExecutor(32) as pool:
            for i in range(total):
                delay = begin + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(send, i)
        offered_for = time.monotonic() - begin
        acked = statuses[200]

        def answered() -> int:
            return len(fake.calls_to("telegram", "sendMessage"))

        deadline = time.monotonic() + drain
        while answered() < total and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # anything extra (a duplicate) arrives now or never
        elapsed = time.monotonic() - begin
        stop.set()
        cpu = {s.pid: round(proc_usage(s.pid)[0] - cpu0[s.pid], 1) for s in servers}

        calls = fake.calls_to("telegram", "sendMessage")
        by_chat: dict[str, list[float]] = defaultdict(list)
        for call in calls:
            by_chat[str(call.params.get("chat_id"))].append(call.at)
        expected, answers_per_update = stored_answers(engine)
        latencies: list[float] = []
        lost = duplicated = 0
        for chat, posts in sent_at.items():
            answers = by_chat.get(chat, [])
            # Against what was posted (an update never stored or never answered is lost) …
            lost += max(0, len(posts) - len(answers))
            # … and against what the database says was queued (anything beyond it is doubled).
            duplicated += max(0, len(answers) - max(expected.get(chat, 0), len(posts)))
            latencies += [a - p for p, a in zip(posts, answers, strict=False)]
        last_answer = max((c.at for c in calls), default=begin)
        engine.dispose()
        return {
            "scenario": name,
            "processes": processes,
            "database": "postgresql" if database_url else "sqlite",
            "chats": chats,
            "offered_rate_per_s": rate,
            "seconds": round(offered_for, 1),
            "updates_sent": total,
            "acknowledged_200": acked,
            "other_statuses": {str(k): v for k, v in statuses.items() if k != 200},
            "updates_acknowledged_per_s": round(acked / offered_for, 1),
            "answers": len(calls),
            "answers_per_s": round(len(calls) / max(last_answer - begin, 1e-9), 1),
            "latency_s": {
                "p50": round(percentile(latencies, 0.50), 3),
                "p95": round(percentile(latencies, 0.95), 3),
                "p99": round(percentile(latencies, 0.99), 3),
                "max": round(max(latencies, default=0.0), 3),
                "mean": round(statistics.fmean(latencies), 3) if latencies else 0.0,
            },
            "lost": lost,
            "duplicated": duplicated,
            "answers_queued_per_update": answers_per_update,
            "max_outbox_depth": max((s["outbox"] for s in samples), default=0),
            "max_inbound_depth": max((s["inbound"] for s in samples), default=0),
            "depth_samples": samples,
            "cpu_seconds_per_process": list(cpu.values()),
            "cpu_share_of_one_core": round(sum(cpu.values()) / elapsed, 2),
            "peak_rss_mib_per_process": [round(v / 1024, 1) for v in peak_rss.values()],
        }
    finally:
        for server in servers:
            server.stop()
        fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--rate", type=float, default=25.0, help="updates per second, all chats together")
    parser.add_argument("--drain", type=float, default=60, help="seconds to wait for the last answers")
    parser.add_argument("--only", choices=["postgres", "sqlite"], default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "production.json")
    args = parser.parse_args()
    if args.rate / args.chats > 20 / 60:
        parser.error("each chat would exceed the flood limit (20/min): raise --chats or lower --rate")

    results = []
    common = {"seconds": args.seconds, "chats": args.chats, "rate": args.rate, "drain": args.drain}
    if args.only in (None, "postgres"):
        with scratch_database(PG_SERVER) as url:
            results.append(run_scenario("postgres-2-processes", processes=2, database_url=url, **common))
    if args.only in (None, "sqlite"):
        results.append(run_scenario("sqlite-1-process", processes=1, database_url="", **common))
    report = {
        "measured_at_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    for r in results:
        summary = {k: v for k, v in r.items() if k != "depth_samples"}
        print(json.dumps(summary, ensure_ascii=False))
    print(f"written to {args.out}")
    return 0 if all(r["lost"] == 0 and r["duplicated"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
