"""Error text that is safe to log or store: platform URLs carry tokens, so they are redacted."""

from __future__ import annotations

from core.logs import redact

__all__ = ["redact", "safe_error"]


def safe_error(exc: BaseException, limit: int = 500) -> str:
    """`Type: message` without secrets, bounded in length (stored in the `error` columns)."""
    return redact(f"{type(exc).__name__}: {exc}")[:limit]
