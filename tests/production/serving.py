"""`troly serve` as a real child process (so it can be SIGKILLed), wired to the fake platforms.

Used by the fault tests and by bench/production.py. Telegram only, in webhook mode: the
process calls setWebhook on the fake at start and answers through its sendMessage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.harness import TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.fakes.servers import FakePlatforms, free_port

SECRET_HEADER = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
_CLEARED = ("TELEGRAM_", "ZALO_", "LLM_", "EMBEDDINGS_", "CHROMA_", "DATABASE_URL", "PUBLIC_BASE", "DATA_DIR")


class ServeProcess:
    """One `troly serve --port N` child process with its own environment."""

    def __init__(
        self,
        *,
        data_dir: Path,
        fake: FakePlatforms,
        database_url: str = "",
        port: int | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.workers = workers
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        base = {k: v for k, v in os.environ.items() if not k.startswith(_CLEARED)}
        self.env = {
            **base,
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "DEMO_GUIDANCE": "false",
            "RUN_WORKERS": "true",
            "PUBLIC_BASE_URL": self.url,
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_BASE_URL": f"{fake.url}/bot",
            "TELEGRAM_FILE_BASE_URL": f"{fake.url}/file/bot",
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, wait: float = 90.0) -> ServeProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        troly = Path(sys.executable).parent / "troly"
        argv = [str(troly), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.workers > 1:
            argv += ["--workers", str(self.workers)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"troly serve exited with {self.process.returncode}: {self.tail()}")
            try:
                # Any answer means the lifespan finished (channels started, webhook set).
                httpx.get(f"{self.url}/healthz", timeout=2)
                return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"troly serve did not answer within {wait} s: {self.tail()}")
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def post_update(client: httpx.Client, url: str, update: dict[str, Any]) -> int:
    """Deliver one webhook update like Telegram does; the status code, or 0 when no answer."""
    try:
        return client.post(f"{url}/webhooks/telegram", json=update, headers=SECRET_HEADER).status_code
    except httpx.HTTPError:
        return 0


def sends_per_chat(fake: FakePlatforms) -> Counter[str]:
    return Counter(str(call.params.get("chat_id")) for call in fake.calls_to("telegram", "sendMessage"))


def wait_until(check: Any, *, timeout: float, what: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)
