"""Revision 0005 upgrades a deployed database whose JSONL corpora were stored one document per
line: the lines of one law become one document with all its chunks, each chunk keeping its
article's corpus id; an article whose status differed from its law's keeps it as an override."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.db import alembic_config, drop_schema, migrate
from core.models import Chunk, Document, DocumentStatus


def _at(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _old_document(connection, id_: int, source: str, status: str, extra: dict) -> None:  # type: ignore[no-untyped-def]
    connection.execute(
        text(
            "INSERT INTO document (id, source, content_hash, title, number, doc_type, issuer, status, field,"
            " department_code, origin, chunk_count, extra, created_at, updated_at) VALUES (:id, :source, 'h',"
            " :title, '68/2020/QH14', 'Luật', 'Quốc hội', :status, '', '', 'file', 1, :extra, :at, :at)"
        ),
        {
            "id": id_,
            "source": source,
            "title": "Luật Cư trú",
            "status": status,
            "extra": json.dumps(extra),
            "at": utcnow(),
        },
    )


def _old_chunk(connection, id_: str, document_id: int, article: str) -> None:  # type: ignore[no-untyped-def]
    connection.execute(
        text(
            "INSERT INTO chunk (id, document_id, ordinal, text, breadcrumb, article, article_title, clause,"
            " point, part, content_hash) VALUES (:id, :d, 0, 'Nội dung', '', :a, '', '', '', '', 'c')"
        ),
        {"id": id_, "d": document_id, "a": article},
    )


def test_corpus_lines_fold_into_one_document_per_law(engine: Engine) -> None:
    drop_schema(engine)
    _at(engine, "0004")
    file = "/srv/guidance/luat.jsonl"
    with engine.begin() as connection:
        for id_, article, status in ((1, "20", "in_force"), (2, "21", "in_force"), (3, "22", "expired")):
            record = f"Luật Cư trú::{article}"
            extra = {"file": file, "file_key": "k", "kind": "legal", "record_id": record,
                     "law": "Luật Cư trú", "article": article, "article_title": "Đăng ký"}  # fmt: skip
            _old_document(connection, id_, f"{file}#{record}", status, extra)
            _old_chunk(connection, f"c{id_}", id_, article)
        _old_chunk(connection, "c1b", 1, "20")  # a long article: two chunks
        procedure = {"file": "/srv/tthc.jsonl", "kind": "procedure", "record_id": "1.001"}
        _old_document(connection, 9, "/srv/tthc.jsonl#1.001", "in_force", procedure)
        _old_chunk(connection, "p1", 9, "")
    migrate(engine)
    with Session(engine) as session:
        documents = session.exec(select(Document).order_by(col(Document.id))).all()
        assert [d.source for d in documents] == [f"{file}#Luật Cư trú", "/srv/tthc.jsonl#1.001"]
        law, record = documents
        assert (law.chunk_count, law.article_count, law.status) == (4, 3, DocumentStatus.in_force)
        assert law.article_status == {"22": "expired"}
        assert "file_key" not in law.extra and law.extra["record_id"] == "Luật Cư trú"
        chunks = {c.id: c for c in session.exec(select(Chunk)).all()}
        assert {c.document_id for k, c in chunks.items() if k != "p1"} == {law.id}
        assert chunks["c1b"].record_id == "Luật Cư trú::20" and chunks["c3"].record_id == "Luật Cư trú::22"
        assert chunks["p1"].record_id == "1.001" and record.article_count == 1
        assert (law.effective_from, law.effective_to, law.replaced_by, law.source_url) == (None, None, "", "")
