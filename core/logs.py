"""Logging for every process: one format, the configured level, and no secret in any line.

Redaction happens where log records are made (logging's record factory), not in one handler:
that covers every logger at every level and every handler, including the ones uvicorn, httpx
or a test adds after start-up. Two nets:

- every registered secret (each `SecretStr` setting, the database password, the OA tokens the
  database holds after a refresh, a generated secret key), matched literally and URL-encoded;
- token shapes that need no registration: `/bot<token>/` path segments (Telegram and Zalo put
  the bot token in the URL, and httpx logs every URL at INFO), `key=value` pairs whose key
  names a credential, `Bearer …`, and `user:password@` in URLs.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote, quote_plus

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from core.settings import Settings

MASK = "<redacted>"
# Shorter values would mask ordinary words; a secret this short is a configuration mistake
# that `configure_logging` reports (by name, never by value).
MIN_SECRET_LENGTH = 6
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1" + MASK),
    (re.compile(r"(/bot)[^/\s\"'?#]{6,}"), r"\1" + MASK),
    (re.compile(r"\b(bot)\d+:[A-Za-z0-9_-]+"), r"\1" + MASK),
    (
        re.compile(
            r"(?i)\b(access_token|refresh_token|secret_key|secret_token|app_secret|api_key|apikey"
            r"|password|passwd|authorization|x-telegram-bot-api-secret-token)"
            r"([\"']?\s*[:=]\s*[\"']?)(?!<redacted>)[^\s\"'&,;}]+"
        ),
        r"\1\2" + MASK,
    ),
    (re.compile(r"(://[^:/@\s]+:)[^@\s/]+@"), r"\1" + MASK + "@"),
)

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_installed = False


def register_secret(value: str | SecretStr | None) -> None:
    """Mask `value` (and its URL-encoded forms) in every later log line."""
    global _pattern
    raw = value.get_secret_value() if isinstance(value, SecretStr) else (value or "")
    if len(raw) < MIN_SECRET_LENGTH:
        return
    forms = {raw, quote(raw, safe=""), quote_plus(raw)}
    with _lock:
        if forms <= _secrets:
            return
        _secrets.update(forms)
        # Longest first, so a secret that contains another is masked whole.
        alternatives = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in alternatives))


def redact(text: str) -> str:
    """`text` with every registered secret and every token shape masked."""
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for shape, replacement in _SHAPES:
        text = shape.sub(replacement, text)
    return text


def settings_secrets(settings: Settings) -> list[str]:
    """Every secret a configuration holds: each SecretStr field and the database password."""
    found = [
        value.get_secret_value()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
    ]
    if settings.database_url:
        try:
            password = make_url(settings.database_url).password
        except Exception:  # an unparsable URL fails at connect time, with its own message
            password = None
        if password:
            found.append(str(password))
    return [value for value in found if value]


def register_settings(settings: Settings) -> list[str]:
    """Register the configuration's secrets; returns the names of those too short to mask."""
    short = [
        name
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
        and 0 < len(value.get_secret_value()) < MIN_SECRET_LENGTH
    ]
    for value in settings_secrets(settings):
        register_secret(value)
    return short


def _scrub_arg(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


def scrub_record(record: logging.LogRecord) -> None:
    """Mask secrets in a record's message, arguments, traceback and stack, in place.

    The arguments keep their shape (uvicorn's access formatter unpacks them); a message that
    still carries a secret after that (one hidden in a repr) is flattened to its masked text.
    """
    record.msg = redact(record.msg) if isinstance(record.msg, str) else redact(str(record.msg))
    if isinstance(record.args, Mapping):
        record.args = {key: _scrub_arg(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_scrub_arg(value) for value in record.args)
    if record.args:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string is logging's own error to report
            message = ""
        if message and redact(message) != message:
            record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when it is set, so the traceback is masked once, here.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_redaction() -> None:
    """Wrap the record factory once per process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        base = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = base(*args, **kwargs)
            scrub_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def _log_uncaught(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
    logging.getLogger("troly.crash").critical("uncaught exception", exc_info=(kind, value, traceback))


def _log_thread_crash(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    exc_info = (args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("troly.crash").critical("uncaught exception in thread %s", name, exc_info=exc_info)


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the root logger at `level`, for every worker process."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["root"] = {"handlers": ["default"], "level": level.upper()}
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
    }
    config["formatters"] = {
        **LOGGING_CONFIG["formatters"],
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": LOG_FORMAT, "use_colors": False},
    }
    return config


def configure_logging(
    settings: Settings, *, extra_secrets: Iterable[str] = (), level: str | None = None
) -> None:
    """Root logger at `level` (default LOG_LEVEL), redaction installed, uncaught exceptions
    logged (and masked)."""
    install_redaction()
    short = register_settings(settings)
    for value in extra_secrets:
        register_secret(value)
    root = logging.getLogger()
    wanted = (level or settings.log_level).upper()
    logging.basicConfig(format=LOG_FORMAT, stream=sys.stderr, level=wanted)  # no-op if configured
    root.setLevel(wanted)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_crash
    if short:
        logging.getLogger(__name__).warning(
            "secrets shorter than %d characters cannot be masked in logs; lengthen: %s",
            MIN_SECRET_LENGTH,
            ", ".join(sorted(short)),
        )
