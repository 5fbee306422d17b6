"""Blocker codes VM-<year>-<6-digit sequence>, unique under concurrency.

One BlockerSequence row per year holds the last number handed out. The increment happens in
the caller's transaction, so the code is only taken if the blocker is stored:
- PostgreSQL: INSERT … ON CONFLICT DO UPDATE … RETURNING increments atomically under the
  row lock; concurrent transactions queue on that row until the first commits.
- SQLite: the same statement (SQLite ≥ 3.35) is a write, which takes the database write lock
  for the rest of the transaction; a concurrent writer waits (busy_timeout) and then reads
  the committed value. `BEGIN IMMEDIATE` is not needed because the statement itself is the
  first read of the counter.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

_UPSERT = text(
    "INSERT INTO blockersequence (year, last) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last = blockersequence.last + 1 "
    "RETURNING last"
)


def format_code(year: int, number: int) -> str:
    return f"VM-{year}-{number:06d}"


def next_code(session: Session, *, year: int) -> str:
    number = session.connection().execute(_UPSERT, {"year": year}).scalar_one()
    return format_code(year, int(number))
