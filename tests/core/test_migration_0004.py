"""Revision 0004 upgrades a deployed database with attachments in it: they keep their rows and
read as "not asked for" (extraction ""), then take text like new ones."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.clock import utcnow
from core.db import alembic_config, drop_schema, migrate
from core.models import Blocker, BlockerAttachment, Department, ExtractionStatus


def _at(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_existing_attachments_survive_the_upgrade(engine: Engine) -> None:
    drop_schema(engine)
    _at(engine, "0001")  # the deployed schema
    with Session(engine) as session:  # tables 0004 leaves alone: written through the models
        session.add(Department(code="TC", name="Sở Tài chính"))
        session.commit()
        blocker = Blocker(
            code="VM-2026-000001", description="Ảnh công văn", department_code="TC", deadline=utcnow()
        )
        session.add(blocker)
        session.commit()
        blocker_id = blocker.id
    with engine.begin() as connection:  # the attachment as revision 0001 stored it
        connection.execute(
            text(
                "INSERT INTO blockerattachment (blocker_id, filename, content_type, size, path, created_at) "
                "VALUES (:b, 'cong-van.jpg', 'image/jpeg', 1200, 'inbound/telegram/1-cong-van.jpg', :at)"
            ),
            {"b": blocker_id, "at": utcnow()},
        )
    migrate(engine)
    with Session(engine) as session:
        [old] = session.exec(select(BlockerAttachment)).all()
        assert (old.filename, old.extraction, old.extracted_text, old.extracted_at) == (
            "cong-van.jpg",
            ExtractionStatus.none,
            "",
            None,
        )
        old.extraction, old.extracted_text = ExtractionStatus.done, "QUYẾT ĐỊNH Số: 12/QĐ-UBND"
        session.add(old)
        session.commit()
        assert session.get(BlockerAttachment, old.id).extracted_text.startswith("QUYẾT ĐỊNH")
