"""The department catalogue: a JSON file shipped for a merged province, loaded into the
Department table (the table is the source of truth afterwards: admin edits in the web go
there and can be exported back to a file with `export_departments`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from core.models import Department
from core.settings import Settings

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
SHIPPED_FILE = DATA_DIR / "departments.json"
FIELDS = ("name", "mandate", "keywords", "notify_chats", "deadline_days")


def catalogue_path(settings: Settings | None = None) -> Path:
    if settings is not None and settings.departments_file:
        return Path(settings.departments_file)
    return SHIPPED_FILE


def read_catalogue(path: Path) -> list[dict[str, Any]]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a JSON list of departments")
    for entry in entries:
        if not entry.get("code") or not entry.get("name"):
            raise ValueError(f"{path}: every department needs a code and a name: {entry!r}")
    return entries


def load_departments(session: Session, *, settings: Settings | None = None, path: Path | None = None) -> int:
    """Upsert the catalogue file into the Department table; returns the number of entries.

    Entries missing from the file are left alone (a department referenced by blockers must
    never disappear); the caller commits.
    """
    entries = read_catalogue(path or catalogue_path(settings))
    for entry in entries:
        row = session.get(Department, entry["code"])
        if row is None:
            row = Department(code=entry["code"], name=entry["name"])
        for name in FIELDS:
            if name in entry:
                setattr(row, name, entry[name])
        row.keywords = list(entry.get("keywords", []))
        row.notify_chats = list(entry.get("notify_chats", []))
        row.active = bool(entry.get("active", True))
        session.add(row)
    session.flush()
    log.info("loaded %d departments", len(entries))
    return len(entries)


def ensure_departments(session: Session, *, settings: Settings | None = None) -> None:
    """Load the catalogue once, when the table is still empty (first start, tests)."""
    if session.exec(select(Department).limit(1)).first() is None:
        load_departments(session, settings=settings)


def get_departments(session: Session, *, active_only: bool = True) -> list[Department]:
    query = select(Department).order_by(col(Department.code))
    if active_only:
        query = query.where(col(Department.active).is_(True))
    return list(session.exec(query))


def get_department(session: Session, code: str) -> Department | None:
    return session.get(Department, code)


def export_departments(session: Session) -> list[dict[str, Any]]:
    """The table as catalogue entries (same shape as departments.json)."""
    return [
        {
            "code": d.code,
            "name": d.name,
            "mandate": d.mandate,
            "keywords": list(d.keywords),
            "notify_chats": list(d.notify_chats),
            "deadline_days": d.deadline_days,
            "active": d.active,
        }
        for d in get_departments(session, active_only=False)
    ]
