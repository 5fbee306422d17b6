"""Chat load on loopback against one `troly serve` process and the fake Telegram Bot API.

Two phases, each with a fresh data directory:
  ingest     webhook updates acknowledged per second (workers off: storing is measured alone;
             a plain keep-alive socket client, so the client's own CPU does not cap the figure)
  answer     questions from distinct chats answered end to end with the demo corpus (workers on):
             answers per second, p50/p95 time from the webhook POST to the fake server receiving
             sendMessage, and lost / duplicated replies (both must be 0)

    python bench/chat_load.py --updates 3000 --questions 300
Results: bench/results/chat_load-<UTC time>.json (and printed).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.servers import FakePlatforms, free_port  # noqa: E402

TOKEN = "123456:BENCH-token"
SECRET = "bench-secret"
QUESTIONS = [
    "Thủ tục đăng ký thường trú cần những giấy tờ gì?",
    "Điều kiện đăng ký tạm trú là gì?",
    "Thời hạn giải quyết đăng ký khai sinh là bao lâu?",
    "Hồ sơ đăng ký kết hôn gồm những gì?",
    "Thẩm quyền xóa đăng ký thường trú thuộc cơ quan nào?",
    "Nuôi chó mèo trong khu dân cư phải tuân thủ quy định gì?",
    "Trách nhiệm bảo vệ môi trường của UBND cấp xã?",
    "Sau sắp xếp thì liên hệ Sở nào về đất đai?",
]


def start_server(
    data_dir: Path, port: int, fake: FakePlatforms, *, workers: bool, demo: bool
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "RUN_WORKERS": "true" if workers else "false",
        "DEMO_GUIDANCE": "true" if demo else "false",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
        "TELEGRAM_FILE_BASE_URL": f"{fake.url}/file/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID", "LLM_BASE_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = open(data_dir / "serve.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError("troly serve exited; see serve.log")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("troly serve did not become ready")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux), to read results on a shared, busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def post_all(
    port: int, updates: list[dict[str, Any]], concurrency: int
) -> tuple[float, Counter[int], list[float]]:
    """POST every update as a webhook; returns elapsed seconds, status counts and send times."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    statuses: Counter[int] = Counter()
    sent_at = [0.0] * len(updates)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(updates)):
        queue.put_nowait(index)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:

        async def worker() -> None:
            while not queue.empty():
                index = queue.get_nowait()
                sent_at[index] = time.monotonic()
                for _attempt in range(5):  # a platform retries a 5xx; so do we
                    try:
                        response = await client.post(
                            "/webhooks/telegram", json=updates[index], headers=headers
                        )
                    except httpx.HTTPError:
                        statuses[-1] += 1
                        continue
                    statuses[response.status_code] += 1
                    if response.status_code < 500:
                        break

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.monotonic() - started, statuses, sent_at


async def post_raw(port: int, updates: list[dict[str, Any]], concurrency: int) -> tuple[float, Counter[int]]:
    """Like post_all over plain keep-alive sockets: a light client, so the server is what is measured."""
    bodies = [json.dumps(u).encode() for u in updates]
    statuses: Counter[int] = Counter()
    next_index = iter(range(len(bodies)))

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for index in next_index:
                body = bodies[index]
                head = (
                    f"POST /webhooks/telegram HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                )
                writer.write(head.encode() + body)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                statuses[int(status_line.split()[1])] += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return time.monotonic() - started, statuses


def count_stored(data_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(data_dir / "troly.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM inboundupdate").fetchone()[0])


def ingest_phase(fake: FakePlatforms, workdir: Path, count: int, concurrency: int) -> dict[str, Any]:
    data_dir = workdir / "ingest"
    data_dir.mkdir()
    port = free_port()
    process = start_server(data_dir, port, fake, workers=False, demo=False)
    try:
        wait_ready(port, process, timeout=120)
        updates = [fake.telegram_update(900_000 + i % 500, f"tin {i}") for i in range(count)]
        asyncio.run(post_all(port, updates[:50], 8))  # warm-up (connections, code paths)
        cpu_before = cpu_seconds(process.pid)
        elapsed, statuses = asyncio.run(post_raw(port, updates[50:], concurrency))
        cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        stop_server(process)
    acknowledged = statuses.get(200, 0)
    return {
        "updates": count - 50,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "acknowledged_per_second": round(acknowledged / elapsed, 1),
        "statuses": dict(statuses),
        "server_cpu_ms_per_update": round(cpu * 1000 / max(count - 50, 1), 2),
        "server_cpu_bound_per_second": round((count - 50) / cpu, 1) if cpu else None,
        "load_average": os.getloadavg()[0],
        "stored": count_stored(data_dir),
        "expected_stored": count,
    }


def answer_phase(
    fake: FakePlatforms,
    data_dir: Path,
    count: int,
    concurrency: int,
    timeout: float,
    ready_timeout: float,
    demo: bool = True,
) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = start_server(data_dir, port, fake, workers=True, demo=demo)
    try:
        ready_after = wait_ready(port, process, timeout=ready_timeout)
        base = 10**9 + (int(time.time()) % 10**6) * 1000  # chats (and keys) new in every run
        warm = [fake.telegram_update(base - 1, QUESTIONS[0])]
        asyncio.run(post_all(port, warm, 1))
        deadline = time.monotonic() + 120
        while not fake.sent_texts("telegram", str(base - 1), delivered=True) and time.monotonic() < deadline:
            time.sleep(0.1)
        updates = [fake.telegram_update(base + i, QUESTIONS[i % len(QUESTIONS)]) for i in range(count)]
        chats = [str(base + i) for i in range(count)]
        calls_before = len(fake.calls)
        cpu_before = cpu_seconds(process.pid)
        _, statuses, sent_at = asyncio.run(post_all(port, updates, concurrency))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answered = {
                str(c.params.get("chat_id")) for c in fake.calls[calls_before:] if c.method == "sendMessage"
            }
            if all(chat in answered for chat in chats):
                break
            time.sleep(0.2)
        cpu = cpu_seconds(process.pid) - cpu_before
        time.sleep(3)  # let any duplicate arrive before counting
    finally:
        stop_server(process)
    first_at: dict[str, float] = {}
    per_message: Counter[tuple[str, str]] = Counter()
    for call in fake.calls[calls_before:]:
        if call.method != "sendMessage" or not call.ok:
            continue
        chat = str(call.params.get("chat_id"))
        per_message[(chat, str(call.params.get("text")))] += 1
        first_at.setdefault(chat, call.at)
    latencies = sorted(first_at[c] - sent_at[i] for i, c in enumerate(chats) if c in first_at)
    lost = sum(1 for c in chats if c not in first_at)
    duplicated = sum(n - 1 for n in per_message.values() if n > 1)
    span = (max(first_at.values()) - min(sent_at)) if first_at else float("inf")
    return {
        "questions": count,
        "demo_corpus": demo,
        "concurrency": concurrency,
        "ready_after_seconds": round(ready_after, 1),
        "webhook_statuses": dict(statuses),
        "answered": count - lost,
        "answered_per_second": round((count - lost) / span, 1) if first_at else 0.0,
        "latency_p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000) if latencies else None,
        "server_cpu_ms_per_answer": round(cpu * 1000 / max(count - lost, 1), 1),
        "load_average": os.getloadavg()[0],
        "lost": lost,
        "duplicated": duplicated,
        "messages_sent": sum(per_message.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=3000, help="webhook updates in the ingest phase")
    parser.add_argument(
        "--questions", type=int, default=300, help="questions (one per chat) in the answer phase"
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for every answer")
    parser.add_argument("--ready-timeout", type=float, default=1800, help="seconds for start + demo indexing")
    parser.add_argument("--data-dir", type=Path, help="keep the answer phase's data (index built once)")
    parser.add_argument("--no-demo", action="store_true", help="empty index: transport + dispatcher only")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-answer", action="store_true")
    args = parser.parse_args(argv)
    fake = FakePlatforms()
    fake._ids = itertools.count(int(time.time() * 1000))  # update ids never seen by a kept database
    fake.start()
    results: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        with tempfile.TemporaryDirectory(prefix="chat-load-") as tmp:
            if not args.skip_ingest:
                results["ingest"] = ingest_phase(fake, Path(tmp), args.updates, args.concurrency)
                print(json.dumps(results["ingest"], ensure_ascii=False), flush=True)
            if not args.skip_answer:
                data_dir = args.data_dir or Path(tmp) / "answer"
                results["answer"] = answer_phase(
                    fake, data_dir, args.questions, args.concurrency, args.timeout, args.ready_timeout,
                    demo=not args.no_demo,
                )  # fmt: skip
                print(json.dumps(results["answer"], ensure_ascii=False), flush=True)
    finally:
        fake.stop()
    out = ROOT / "bench" / "results" / f"chat_load-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
