"""Web accounts (department staff, heads, leaders, admins), audit log, key-value store."""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from core.clock import utcnow


class Role(StrEnum):
    staff = "staff"  # their department
    head = "head"  # their department, assigns
    leader = "leader"  # all departments, read-only, dashboard
    admin = "admin"  # everything


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=100)
    password_hash: str = Field(max_length=300)
    role: Role = Field(max_length=20)
    department_code: str | None = Field(default=None, foreign_key="department.code", max_length=20)
    full_name: str = Field(default="", max_length=200)
    active: bool = True
    must_change_password: bool = False
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class AuditLog(SQLModel, table=True):
    """Administrative actions (users, documents, settings): who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=100)
    target: str = Field(default="", max_length=300)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)


class KeyValue(SQLModel, table=True):
    """Small persisted state: rotating Zalo OA tokens, the generated secret key, polling offsets."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: NaiveDatetime = Field(default_factory=utcnow)
