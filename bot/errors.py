"""Error text that is safe to log or store: platform URLs carry tokens, so they are redacted."""

from __future__ import annotations

import re

_TOKEN_PATTERNS = (
    re.compile(r"bot\d+:[A-Za-z0-9_-]+"),  # Telegram and Zalo Bot tokens inside URLs
    re.compile(
        r"(access_token|refresh_token|secret_key|secret_token)([\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+", re.I
    ),
)


def redact(text: str) -> str:
    text = _TOKEN_PATTERNS[0].sub("bot<token>", text)
    return _TOKEN_PATTERNS[1].sub(r"\1\2<redacted>", text)


def safe_error(exc: BaseException, limit: int = 500) -> str:
    """`Type: message` without secrets, bounded in length (stored in the `error` columns)."""
    return redact(f"{type(exc).__name__}: {exc}")[:limit]
