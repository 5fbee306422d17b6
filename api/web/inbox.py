"""The department inbox: the filtered list and one blocker's page with its whole thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from api.web.access import visibility
from api.web.deps import get_db, staff_or_above
from api.web.render import render
from blockers.stats import overdue_clause
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerStatus,
    Department,
    User,
)
from knowledge.normalize import fold_key as fold

router = APIRouter()
PAGE_SIZE = 50


@dataclass
class InboxFilters:
    status: str = ""
    commune: str = ""
    field: str = ""
    q: str = ""
    overdue: bool = False
    mine: bool = False
    page: int = 1

    @classmethod
    def from_request(cls, request: Request) -> InboxFilters:
        p = request.query_params
        status = p.get("status", "")
        page = p.get("page", "1")
        return cls(
            status=status if status in {s.value for s in BlockerStatus} else "",
            commune=p.get("commune", "").strip(),
            field=p.get("field", "").strip(),
            q=p.get("q", "").strip()[:200],
            overdue=p.get("overdue") == "1",
            mine=p.get("mine") == "1",
            page=max(int(page), 1) if page.isdigit() else 1,
        )

    def query_string(self, **changes: Any) -> str:
        values = {
            "status": self.status,
            "commune": self.commune,
            "field": self.field,
            "q": self.q,
            "overdue": "1" if self.overdue else "",
            "mine": "1" if self.mine else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({k: str(v) if v not in (None, False) else "" for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v})


def filter_clauses(filters: InboxFilters, *, user: User, with_status: bool) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [visibility(user)]
    if with_status and filters.status:
        clauses.append(col(Blocker.status) == filters.status)
    if filters.commune:
        clauses.append(col(Blocker.commune) == filters.commune)
    if filters.field:
        clauses.append(col(Blocker.field) == filters.field)
    if filters.overdue:
        clauses.append(overdue_clause(utcnow()))
    if filters.mine:
        clauses.append(col(Blocker.assigned_user_id) == user.id)
    for word in fold(filters.q).split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(col(Blocker.search_text).like(pattern, escape="\\"))
    return clauses


@dataclass
class InboxPage:
    rows: list[Blocker]
    total: int
    counts: dict[str, int]
    pages: int
    departments: dict[str, str]
    assignees: dict[int, str] = field(default_factory=dict)
    communes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def load_inbox(session: Session, *, user: User, filters: InboxFilters) -> InboxPage:
    where = and_(*filter_clauses(filters, user=user, with_status=True))
    # Ids first (sorted from the covering index), then only that page's full rows.
    page_ids = (
        select(Blocker.id)
        .where(where)
        .order_by(col(Blocker.deadline), col(Blocker.id))
        .offset((filters.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    rows = list(
        session.exec(
            select(Blocker)
            .where(col(Blocker.id).in_(page_ids.scalar_subquery()))
            .order_by(col(Blocker.deadline), col(Blocker.id))
        ).all()
    )
    # Counts per status ignore the status filter, so the tabs show what each one holds; the
    # total comes from them too (a text search scans rows, so every saved scan counts).
    by_status = and_(*filter_clauses(filters, user=user, with_status=False))
    grouped = select(Blocker.status, func.count()).where(by_status).group_by(Blocker.status)
    counts = {str(status): int(n) for status, n in session.exec(grouped).all()}
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    assigned_ids = {r.assigned_user_id for r in rows if r.assigned_user_id}
    assignees = {}
    if assigned_ids:
        for uid, username, full_name in session.exec(
            select(User.id, User.username, User.full_name).where(col(User.id).in_(assigned_ids))
        ).all():
            assignees[int(uid)] = full_name or username  # type: ignore[arg-type]
    # Commune and field names are public catalogues, so the choices come straight from their
    # indexes instead of a scan of the department's blockers.
    communes = session.exec(
        select(Blocker.commune).where(Blocker.commune != "").distinct().order_by(Blocker.commune)
    ).all()
    fields = session.exec(
        select(Blocker.field).where(Blocker.field != "").distinct().order_by(Blocker.field)
    ).all()
    return InboxPage(
        rows=rows,
        total=total,
        counts=counts,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        departments=dict(session.exec(select(Department.code, Department.name)).all()),
        assignees=assignees,
        communes=list(communes),
        fields=list(fields),
    )


@router.get("/inbox")
def inbox(request: Request, user: User = Depends(staff_or_above), db: Session = Depends(get_db)) -> Response:
    filters = InboxFilters.from_request(request)
    page = load_inbox(db, user=user, filters=filters)
    return render(request, "inbox.html", {"f": filters, "page": page, "now": utcnow()})
