"""Guidance documents and the chunks they are split into."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from core.clock import utcnow


class DocumentStatus(StrEnum):
    in_force = "in_force"  # còn hiệu lực
    amended = "amended"  # đã sửa đổi, bổ sung
    expired = "expired"  # hết hiệu lực


class DocumentOrigin(StrEnum):
    file = "file"  # ingested from a path (CLI, demo guidance)
    upload = "upload"  # uploaded in /admin/documents
    blocker_answer = "blocker_answer"  # a department answer published as guidance


class Document(SQLModel, table=True):
    """One legal text (a law, decree, circular, procedure record, Pháp điển đề mục, department
    instruction) with many articles or parts; its chunks belong to it.

    Status is set per document and inherited by its chunks; `article_status` overrides it for
    single articles ({"9": "expired"}, keyed by `Chunk.article`, or by `Chunk.part` for a
    procedure): kept on the document so that it survives re-chunking. Validity over time
    (`effective_from`, `effective_to`, `replaced_by`) is read by knowledge/validity.py.
    """

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True, unique=True, max_length=1000)  # path or "file.jsonl#record-id"
    content_hash: str = Field(max_length=64)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    number: str = Field(default="", max_length=100, index=True)  # 68/2020/QH14
    doc_type: str = Field(default="", max_length=50)  # Luật, Nghị định, Thủ tục hành chính…
    issuer: str = Field(default="", max_length=300)
    issued_date: date | None = None
    status: DocumentStatus = Field(default=DocumentStatus.in_force, max_length=20)
    field: str = Field(default="", max_length=200)  # lĩnh vực
    department_code: str = Field(default="", max_length=20, index=True)
    origin: DocumentOrigin = Field(default=DocumentOrigin.file, max_length=20)
    chunk_count: int = 0
    article_count: int = 0  # distinct articles (or procedure parts) among its chunks
    # Validity over time: in force from `effective_from`; from `effective_to` on it is no longer
    # cited as current and `replaced_by` (a number or a name) takes over.
    effective_from: date | None = None
    effective_to: date | None = None
    replaced_by: str = Field(default="", max_length=300)
    source_url: str = Field(default="", max_length=1000)  # vbpl.vn, dichvucong.gov.vn…
    article_status: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    updated_at: NaiveDatetime = Field(default_factory=utcnow)


class Chunk(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)  # stable: hash of source + ordinal + text
    document_id: int = Field(foreign_key="document.id", index=True)
    ordinal: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    breadcrumb: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    article: str = Field(default="", max_length=20)  # "20"
    article_title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    clause: str = Field(default="", max_length=20)  # "1"
    point: str = Field(default="", max_length=20)  # "a"
    part: str = Field(default="", max_length=50)  # procedure part: trình tự, hồ sơ, thời hạn…
    content_hash: str = Field(max_length=64, index=True)  # hash of the embedded text
    record_id: str = Field(default="", max_length=300)  # corpus id of its article (eval maps back)
    # A compilation's article (Pháp điển) is cited by the text it comes from:
    # "Điều 9 Nghị định số 123/2015/NĐ-CP".
    origin_number: str = Field(default="", max_length=100)
    origin_type: str = Field(default="", max_length=50)
    origin_article: str = Field(default="", max_length=20)
    origin_title: str = Field(default="", max_length=300)  # "Hộ tịch" (Luật Hộ tịch), when short
    origin_effective_from: date | None = None
