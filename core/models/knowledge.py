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
