"""A real `troly serve` at DEBUG, talking to the fake Telegram, Zalo and Zalo OA servers: its
whole log (stdout and stderr) holds none of the configured secrets, nor the OA tokens it
refreshed and keeps in the database, nor the first admin's password.

Before the redaction layer, httpx's INFO line "HTTP Request: POST …/bot<token>/sendMessage"
put the Telegram and Zalo tokens in every log, and python-telegram-bot's DEBUG lines the
webhook secret."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session

from core.db import make_engine
from core.models import KeyValue
from tests.conftest import postgres_reachable, scratch_postgres_database
from tests.fakes.harness import OA_APP_ID, OA_SECRET, TELEGRAM_SECRET, TELEGRAM_TOKEN, ZALO_SECRET, ZALO_TOKEN
from tests.fakes.servers import FakePlatforms
from tests.production.serving import SECRET_HEADER, ServeProcess, wait_until

DB_PASSWORD = "db-password-in-the-url-42"
SECRETS = {
    "ZALO_BOT_TOKEN": ZALO_TOKEN,
    "ZALO_WEBHOOK_SECRET": ZALO_SECRET,
    "ZALO_OA_APP_ID": OA_APP_ID,
    "ZALO_OA_SECRET_KEY": OA_SECRET,
    "ZALO_OA_APP_SECRET": "oa-app-secret-for-logs",
    "ZALO_OA_ACCESS_TOKEN": "oa-access-configured-0",
    "ZALO_OA_REFRESH_TOKEN": "oa-refresh-configured-0",
    "SECRET_KEY": "session-signing-key-for-logs",
    "LLM_API_KEY": "llm-api-key-for-logs",
    "EMBEDDINGS_API_KEY": "embeddings-key-for-logs",
}


@pytest.fixture
def database_url() -> Iterator[str]:
    """PostgreSQL with a password in the URL when a server is there (trust auth ignores it)."""
    if not postgres_reachable():
        yield ""
        return
    from tests.conftest import POSTGRES_SERVER_URL

    with scratch_postgres_database(POSTGRES_SERVER_URL) as url:
        yield make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)


def _oa_post(url: str, event: dict) -> int:
    body = json.dumps(event).encode()
    digest = hashlib.sha256(OA_APP_ID.encode() + body + event["timestamp"].encode() + OA_SECRET.encode())
    headers = {"X-ZEvent-Signature": "mac=" + digest.hexdigest(), "Content-Type": "application/json"}
    return httpx.post(f"{url}/webhooks/zalo-oa", content=body, headers=headers, timeout=10).status_code


def test_a_debug_log_of_real_traffic_holds_no_secret(
    tmp_path: Path, fake: FakePlatforms, database_url: str
) -> None:
    fake.oa_access = "revoked-before-start"  # the first OA send must refresh the tokens
    fake.oa_refresh = SECRETS["ZALO_OA_REFRESH_TOKEN"]
    env = {
        **SECRETS,
        "ZALO_API_BASE_URL": f"{fake.url}/zalo",
        "ZALO_OA_API_BASE_URL": f"{fake.url}/oa",
        "ZALO_OA_OAUTH_BASE_URL": f"{fake.url}/oauth",
        "LOG_LEVEL": "DEBUG",
    }
    data_dir = tmp_path / "data"
    server = ServeProcess(data_dir=data_dir, fake=fake, database_url=database_url, env=env)
    with server:
        headers = {**SECRET_HEADER, "Content-Type": "application/json"}
        httpx.post(
            f"{server.url}/webhooks/telegram", json=fake.telegram_update(7001, "/start"), headers=headers
        )
        zalo = {"ok": True, "result": fake.zalo_event("z7001", "/start")}
        httpx.post(f"{server.url}/webhooks/zalo", json=zalo, headers={"X-Bot-Api-Secret-Token": ZALO_SECRET})
        assert _oa_post(server.url, fake.oa_event(OA_APP_ID, "oa7001", "/start")) == 200
        for platform, chat in (("telegram", "7001"), ("zalo", "z7001"), ("zalo_oa", "oa7001")):
            try:
                wait_until(
                    lambda p=platform, c=chat: fake.sent_texts(p, c, delivered=True),
                    timeout=60,
                    what=platform,
                )
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{server.tail(60)}") from None
        time.sleep(1)  # the last log lines of the sends
    engine = make_engine(database_url or f"sqlite:///{data_dir / 'troly.sqlite3'}")
    with Session(engine) as session:
        row = session.get(KeyValue, "zalo_oa.tokens")
        assert row is not None
        refreshed = json.loads(row.value)
    engine.dispose()
    assert refreshed["access_token"] != SECRETS["ZALO_OA_ACCESS_TOKEN"]  # a refresh happened
    first_admin = (data_dir / "first-admin.txt").read_text(encoding="utf-8")
    admin_password = first_admin.split("Mật khẩu tạm: ", 1)[1].split("\n", 1)[0]

    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    assert "HTTP Request: POST" in log and "/bot<redacted>/" in log  # httpx did log the URLs
    assert "DEBUG" in log
    secrets = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        **{k: v for k, v in SECRETS.items() if k != "ZALO_OA_APP_ID"},
        "refreshed OA access token": refreshed["access_token"],
        "refreshed OA refresh token": refreshed["refresh_token"],
        "first admin password": admin_password,
    }
    if database_url:
        secrets["database password"] = DB_PASSWORD
    leaked = [name for name, value in secrets.items() if value in log]
    assert leaked == [], f"secrets in the log: {leaked}"
