"""The authority map (issue 14): who holds a task since the two-level reform, one row per transfer
clause of a decree dividing authority, and the provisions of older texts each row refers to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class AuthorityTransfer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)  # the decree that says so
    decree_number: str = Field(default="", max_length=100)  # 140/2025/NĐ-CP
    article: str = Field(default="", max_length=20)  # of the decree: "4"
    clause: str = Field(default="", max_length=20)
    point: str = Field(default="", max_length=20)
    article_title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    task: str = Field(sa_column=Column(Text, nullable=False))  # as written
    provision: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # as written
    holder: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # as written
    level: str = Field(default="", max_length=30, index=True)  # knowledge.authority.vocabulary.HolderLevel
    condition: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    former_holder: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    department: str = Field(default="", max_length=200)  # provincial department of the field: Sở Xây dựng
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # the whole clause
    search_key: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # folded
    effective_from: date | None = None
    effective_to: date | None = None
    ordinal: int = 0


class AuthorityReference(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    transfer_id: int = Field(foreign_key="authoritytransfer.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)  # the decree, to drop its rows at once
    law: str = Field(default="", max_length=300)  # "Luật Đất đai", "Nghị định số 102/2024/NĐ-CP"
    law_key: str = Field(default="", max_length=300, index=True)  # number, or the folded law name
    article: str = Field(default="", max_length=20, index=True)
    clause: str = Field(default="", max_length=20)
    point: str = Field(default="", max_length=20)
