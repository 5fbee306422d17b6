"""No secret in any log line: masked where records are made, for every logger and handler."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from core.logs import MASK, install_redaction, redact, register_secret, register_settings, uvicorn_log_config
from core.settings import Settings

TOKEN = "7312345678:AAE-secret-token-value"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """A handler added after redaction was installed, at DEBUG, on a logger of its own."""
    install_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)


def test_registered_secrets_are_masked_in_message_arguments_and_tracebacks(captured: io.StringIO) -> None:
    register_secret("webhook-secret-1234")
    log = logging.getLogger("tests.redaction")
    log.debug("secret %s in an argument", "webhook-secret-1234")
    log.info("f-string webhook-secret-1234 in the message")
    log.warning("encoded %s", "webhook-secret-1234".replace("-", "%2D"))  # not an encoding we register
    try:
        raise RuntimeError("failed with webhook-secret-1234")
    except RuntimeError:
        log.exception("with a traceback")
    text = captured.getvalue()
    assert "webhook-secret-1234" not in text and text.count(MASK) >= 3
    assert "Traceback" in text and "RuntimeError" in text


def test_bot_tokens_in_urls_are_masked_without_registration(captured: io.StringIO) -> None:
    log = logging.getLogger("tests.redaction")
    # Exactly how httpx logs every request at INFO.
    log.info(
        'HTTP Request: %s %s "%s %d %s"',
        "POST",
        f"https://api.telegram.org/bot{TOKEN}/sendMessage",
        "HTTP/1.1",
        200,
        "OK",
    )
    log.info("file https://api.telegram.org/file/bot%s/photos/a.jpg", TOKEN)
    log.info("zalo https://bot-api.zaloplatforms.com/botZALO-unregistered-987/getUpdates")
    text = captured.getvalue()
    assert TOKEN not in text and "AAE-secret" not in text and "ZALO-unregistered" not in text
    assert "/bot<redacted>/sendMessage" in text and "200 OK" in text


def test_credential_shapes_are_masked() -> None:
    for raw, secret in (
        ("postgresql+psycopg://troly:pg-pass-42@db:5432/troly", "pg-pass-42"),
        ('{"access_token": "oa-token-abc123", "x": 1}', "oa-token-abc123"),
        ("refresh_token=rt-zzz-999&app_id=1", "rt-zzz-999"),
        ("Authorization: Bearer sk-live-0123456789", "sk-live-0123456789"),
    ):
        assert secret not in redact(raw), raw


def test_every_secret_setting_and_the_database_password_are_registered() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr("tg-token-registered-1"),
        zalo_oa_app_secret=SecretStr("oa-app-secret-registered"),
        llm_api_key=SecretStr("llm-key-registered-2"),
        secret_key=SecretStr("session-signing-key-3"),
        database_url="postgresql+psycopg://u:db-pw-registered-4@h/d",
        zalo_webhook_secret=SecretStr("abc"),  # too short to mask safely: reported by name
    )
    short = register_settings(settings)
    line = " ".join(
        [
            "tg-token-registered-1",
            "oa-app-secret-registered",
            "llm-key-registered-2",
            "session-signing-key-3",
            "db-pw-registered-4",
        ]
    )
    assert redact(line) == " ".join([MASK] * 5)
    assert short == ["zalo_webhook_secret"]


def test_uvicorn_access_lines_keep_their_shape(captured: io.StringIO) -> None:
    """uvicorn's access formatter unpacks record.args: masking keeps them a 5-tuple."""
    from uvicorn.logging import AccessFormatter

    register_secret("query-secret-5678")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    )
    access = logging.getLogger("tests.redaction.access")
    access.addHandler(handler)
    access.propagate = False
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/chat?x=query-secret-5678", "1.1", 200)
    access.removeHandler(handler)
    assert stream.getvalue().strip() == f'127.0.0.1:5000 - "GET /chat?x={MASK} HTTP/1.1" 200 OK'


def test_uvicorn_log_config_sets_the_root_level() -> None:
    config = uvicorn_log_config("debug")
    assert config["root"]["level"] == "DEBUG" and config["loggers"]["uvicorn"]["propagate"] is True
