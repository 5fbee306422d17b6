"""Backups: one archive holding the database and the uploaded files.

SQLite is copied with its online backup API (consistent while the service keeps running);
PostgreSQL with `pg_dump -Fc` / `pg_restore`. Uploaded attachments (DATA_DIR/uploads) are
stored beside it. The vector index is derived data, rebuilt from the database by
re-ingesting, so it is only included on request (embedded Chroma only).

Archive layout (tar.gz): manifest.json, database.sqlite3 | database.pgdump, uploads/…, chroma/….
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from core import texts
from core.clock import utcnow
from core.db import dispose_engines, make_engine, migrate
from core.settings import Settings

log = logging.getLogger(__name__)

FORMAT = 1
SQLITE_NAME = "database.sqlite3"
PGDUMP_NAME = "database.pgdump"
NAME_PREFIX = "troly-backup-"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is meant for the operator."""


@dataclass
class Manifest:
    format: int
    created_at: str
    database: str  # sqlite | postgresql
    revision: str
    uploads: int  # number of files
    chroma: bool


def _revision(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return ""
            return str(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() or "")
    finally:
        engine.dispose()


def _pg_command(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password (which goes in PGPASSWORD, never argv)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    conninfo = parsed.set(drivername="postgresql", password=None)
    return conninfo.render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str]) -> None:
    tool = argv[0]
    if shutil.which(tool) is None:
        raise BackupError(texts.TOOL_MISSING.format(tool=tool))
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(texts.TOOL_FAILED.format(tool=tool, error=result.stderr.strip()[-2000:]))


def resolve_target(target: Path, *, now_label: str | None = None) -> Path:
    """A directory becomes <dir>/troly-backup-<UTC timestamp>.tar.gz (for timers)."""
    if target.is_dir():
        label = now_label or utcnow().strftime("%Y%m%d-%H%M%S")
        return target / f"{NAME_PREFIX}{label}.tar.gz"
    return target


def prune_backups(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest timestamped archives in a directory."""
    archives = sorted(directory.glob(f"{NAME_PREFIX}*.tar.gz"))
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def create_backup(settings: Settings, *, target: Path, include_chroma: bool = False) -> Manifest:
    url = settings.effective_database_url
    target = resolve_target(target)
    if target.exists():
        raise BackupError(texts.TARGET_EXISTS.format(target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="troly-backup-") as tmp:
        work = Path(tmp)
        if url.startswith("sqlite"):
            kind, db_name = "sqlite", SQLITE_NAME
            if not settings.sqlite_path.exists():
                raise BackupError(texts.NO_DATABASE.format(path=settings.sqlite_path))
            source = sqlite3.connect(settings.sqlite_path)
            copy = sqlite3.connect(work / db_name)
            try:
                source.backup(copy)  # page-by-page consistent snapshot, writers keep going
            finally:
                copy.close()
                source.close()
        elif url.startswith("postgresql"):
            kind, db_name = "postgresql", PGDUMP_NAME
            conninfo, env = _pg_command(url)
            _run(["pg_dump", "-Fc", "--no-owner", "-f", str(work / db_name), "-d", conninfo], env)
        else:
            raise BackupError(texts.UNSUPPORTED_DATABASE.format(backend=make_url(url).get_backend_name()))
        uploads = (
            [p for p in settings.uploads_dir.rglob("*") if p.is_file()]
            if settings.uploads_dir.exists()
            else []
        )
        with_chroma = include_chroma and not settings.chroma_url and settings.chroma_dir.exists()
        manifest = Manifest(
            format=FORMAT,
            created_at=utcnow().isoformat(timespec="seconds"),
            database=kind,
            revision=_revision(url),
            uploads=len(uploads),
            chroma=with_chroma,
        )
        (work / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(work / db_name, arcname=db_name)
            if settings.uploads_dir.exists():
                archive.add(settings.uploads_dir, arcname="uploads")
            if with_chroma:
                archive.add(settings.chroma_dir, arcname="chroma")
        partial.rename(target)  # a half-written archive never carries the final name
    log.info("backup written to %s (%s, %d uploads)", target, kind, manifest.uploads)
    return manifest


def _read_manifest(directory: Path) -> Manifest:
    try:
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise BackupError(texts.BAD_BACKUP) from exc
    if manifest.format != FORMAT:
        raise BackupError(texts.UNSUPPORTED_FORMAT.format(format=manifest.format))
    return manifest


def _has_data(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def restore_backup(settings: Settings, *, source: Path, force: bool = False) -> Manifest:
    """Restore an archive into the configured database and DATA_DIR. Stop `troly serve` first."""
    url = settings.effective_database_url
    if not source.is_file():
        raise BackupError(texts.BACKUP_MISSING.format(source=source))
    with tempfile.TemporaryDirectory(prefix="troly-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")  # refuses absolute paths and ../ escapes
        manifest = _read_manifest(work)
        if not url.startswith(manifest.database):
            raise BackupError(
                texts.CROSS_RESTORE.format(
                    backup=manifest.database, configured=make_url(url).get_backend_name()
                )
            )
        settings.ensure_dirs()
        has_uploads = any(settings.uploads_dir.iterdir())
        if not force and ((url.startswith("sqlite") and settings.sqlite_path.exists()) or has_uploads):
            raise BackupError(texts.DATA_PRESENT)
        if manifest.database == "sqlite":
            dispose_engines()
            backup_db = sqlite3.connect(work / SQLITE_NAME)
            live = sqlite3.connect(settings.sqlite_path)
            try:
                backup_db.backup(live)  # writes through SQLite, so WAL files stay consistent
            finally:
                live.close()
                backup_db.close()
        else:
            if not force and _has_data(url):
                raise BackupError(texts.TABLES_PRESENT)
            conninfo, env = _pg_command(url)
            argv = ["pg_restore", "--no-owner", "--single-transaction", "-d", conninfo]
            if force:
                argv[1:1] = ["--clean", "--if-exists"]
            _run([*argv, str(work / PGDUMP_NAME)], env)
        _replace_dir(work / "uploads", settings.uploads_dir)
        if manifest.chroma and not settings.chroma_url:
            _replace_dir(work / "chroma", settings.chroma_dir)
    engine = make_engine(url)
    try:
        migrate(engine)  # an older backup is brought up to the running code's schema
    finally:
        engine.dispose()
    log.info("restored %s from %s", manifest.database, source)
    return manifest


def _replace_dir(extracted: Path, destination: Path) -> None:
    if destination.exists():
        shutil.rmtree(destination)
    if extracted.exists():
        shutil.copytree(extracted, destination)
    else:
        destination.mkdir(parents=True, exist_ok=True)
