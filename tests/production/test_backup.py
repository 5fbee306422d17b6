"""`troly backup` / `troly restore`: a round-trip on SQLite and on PostgreSQL keeps every row
and every uploaded file, and restore never overwrites silently."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from core.backup import BackupError, create_backup, prune_backups, resolve_target, restore_backup
from core.db import make_engine, migrate
from core.models import AuditLog, KeyValue
from core.settings import Settings


def _settings(data_dir: Path, url: str = "") -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, database_url=url, demo_guidance=False)  # type: ignore[call-arg]


def _fill(settings: Settings, *, rows: int) -> None:
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    with Session(engine) as session:
        for i in range(rows):
            session.add(AuditLog(actor="admin", action="test", target=f"row-{i}", detail="Điều 21 khoản 2"))
        session.add(KeyValue(key="zalo_oa_refresh_token", value="ròtating"))
        session.commit()
    engine.dispose()
    (settings.uploads_dir / "2025" / "07").mkdir(parents=True)
    (settings.uploads_dir / "2025" / "07" / "biên-bản.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)


def _snapshot(settings: Settings) -> tuple[int, list[str], str, dict[str, bytes]]:
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(AuditLog)).one()
        targets = sorted(row.target for row in session.exec(select(AuditLog)))
        token = session.get(KeyValue, "zalo_oa_refresh_token")
    engine.dispose()
    files = {
        str(p.relative_to(settings.uploads_dir)): p.read_bytes()
        for p in settings.uploads_dir.rglob("*")
        if p.is_file()
    }
    return count, targets, token.value if token else "", files


def test_sqlite_round_trip(tmp_path: Path) -> None:
    original = _settings(tmp_path / "a")
    _fill(original, rows=250)
    archive = tmp_path / "backup.tar.gz"
    manifest = create_backup(original, target=archive)
    assert manifest.database == "sqlite" and manifest.uploads == 1 and manifest.revision
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.sqlite3", "uploads/2025/07/biên-bản.pdf"} <= names

    restored = _settings(tmp_path / "b")
    restore_backup(restored, source=archive)
    assert _snapshot(restored) == _snapshot(original)
    assert _snapshot(restored)[0] == 250


def test_restore_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    original = _settings(tmp_path / "a")
    _fill(original, rows=3)
    archive = tmp_path / "backup.tar.gz"
    create_backup(original, target=archive)
    # Newer work happens after the backup …
    engine = make_engine(original.effective_database_url)
    with Session(engine) as session:
        session.add(AuditLog(actor="admin", action="after-backup"))
        session.commit()
    engine.dispose()
    with pytest.raises(BackupError, match="--force"):
        restore_backup(original, source=archive)
    assert _snapshot(original)[0] == 4  # untouched
    restore_backup(original, source=archive, force=True)
    assert _snapshot(original)[0] == 3


def test_backup_never_overwrites_an_archive_and_names_by_time_in_a_directory(tmp_path: Path) -> None:
    original = _settings(tmp_path / "a")
    _fill(original, rows=1)
    backups = tmp_path / "backups"
    backups.mkdir()
    first = resolve_target(backups, now_label="20250711-010000")
    create_backup(original, target=first)
    with pytest.raises(BackupError):
        create_backup(original, target=first)
    for label in ("20250712-010000", "20250713-010000"):
        create_backup(original, target=resolve_target(backups, now_label=label))
    removed = prune_backups(backups, keep=2)
    assert [p.name for p in removed] == ["troly-backup-20250711-010000.tar.gz"]
    assert len(list(backups.glob("*.tar.gz"))) == 2


def test_restore_rejects_a_foreign_archive(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    (tmp_path / "x.txt").write_text("không phải bản sao lưu")
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(tmp_path / "x.txt", arcname="x.txt")
    with pytest.raises(BackupError, match="manifest"):
        restore_backup(_settings(tmp_path / "c"), source=bogus)


@pytest.mark.postgres
def test_postgres_round_trip_with_pg_dump(tmp_path: Path, postgres_url: str) -> None:
    original = _settings(tmp_path / "a", postgres_url)
    _fill(original, rows=120)
    archive = tmp_path / "pg.tar.gz"
    manifest = create_backup(original, target=archive)
    assert manifest.database == "postgresql"
    expected = _snapshot(original)

    # Lose everything: drop every table, then restore into the now empty database.
    from core.db import drop_schema

    engine = make_engine(postgres_url)
    drop_schema(engine)
    engine.dispose()
    import shutil

    shutil.rmtree(original.uploads_dir)
    restore_backup(original, source=archive)
    assert _snapshot(original) == expected

    # A second restore over live data needs --force, and then replaces it.
    with pytest.raises(BackupError, match="--force"):
        restore_backup(original, source=archive)
    restore_backup(original, source=archive, force=True)
    assert _snapshot(original) == expected


@pytest.mark.postgres
def test_cross_backend_restore_is_refused(tmp_path: Path, postgres_url: str) -> None:
    original = _settings(tmp_path / "a")
    _fill(original, rows=1)
    archive = tmp_path / "sqlite.tar.gz"
    create_backup(original, target=archive)
    with pytest.raises(BackupError, match="chéo"):
        restore_backup(_settings(tmp_path / "b", postgres_url), source=archive)


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    troly = str(Path(sys.executable).parent / "troly")
    original = _settings(tmp_path / "a")
    _fill(original, rows=7)
    backups = tmp_path / "backups"
    backups.mkdir()

    def run(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHROMA_URL")}
        env["DATA_DIR"] = str(data_dir)
        return subprocess.run([troly, *argv], env=env, capture_output=True, text=True, timeout=120)

    made = run(original.data_dir, "backup", str(backups), "--keep", "3")
    assert made.returncode == 0, made.stderr
    (archive,) = backups.glob("troly-backup-*.tar.gz")
    assert str(archive) in made.stdout

    restored = _settings(tmp_path / "b")
    done = run(restored.data_dir, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert _snapshot(restored) == _snapshot(original)
    again = run(restored.data_dir, "restore", str(archive))
    assert again.returncode == 1 and "--force" in again.stdout
