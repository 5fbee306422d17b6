"""The read side of blockers for the web: which blockers a user may see, filtered so, for the
inbox list, the exports and the filter choices. One blocker's page is blockers/thread.py's;
the rule itself (lead, support, province) is blockers/access.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from blockers.access import visible_to
from blockers.stats import overdue_clause
from core.models import Blocker, BlockerStatus, Department, User
from knowledge.normalize import fold_key

PAGE_SIZE = 50
MAX_PAGE = 100_000  # past any real inbox; keeps OFFSET a small integer whatever is typed
SEARCH_WORDS = 8


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
    def from_params(cls, params: Mapping[str, str]) -> InboxFilters:
        status = params.get("status", "")
        page = params.get("page", "1")
        return cls(
            status=status if status in {s.value for s in BlockerStatus} else "",
            commune=params.get("commune", "").strip()[:200],
            field=params.get("field", "").strip()[:200],
            q=params.get("q", "").strip()[:200],
            overdue=params.get("overdue") == "1",
            mine=params.get("mine") == "1",
            page=min(max(int(page), 1), MAX_PAGE)
            if page.isascii() and page.isdigit() and len(page) < 7
            else 1,
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


def filter_clauses(
    filters: InboxFilters, *, user: User, with_status: bool, now: datetime
) -> list[ColumnElement[bool]]:
    """What the user may see, narrowed by the filters (the inbox and its CSV/XLSX export)."""
    clauses: list[ColumnElement[bool]] = [visible_to(user)]
    if with_status and filters.status:
        clauses.append(col(Blocker.status) == filters.status)
    if filters.commune:
        clauses.append(col(Blocker.commune) == filters.commune)
    if filters.field:
        clauses.append(col(Blocker.field) == filters.field)
    if filters.overdue:
        clauses.append(overdue_clause(now))
    if filters.mine:
        clauses.append(col(Blocker.assigned_user_id) == user.id)
    for word in fold_key(filters.q).split()[:SEARCH_WORDS]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(col(Blocker.search_text).like(pattern, escape="\\"))
    return clauses


def visible_blockers(session: Session, *, user: User, filters: InboxFilters, now: datetime) -> list[Blocker]:
    """Every blocker of the filtered list, deadline first (exports)."""
    where = and_(*filter_clauses(filters, user=user, with_status=True, now=now))
    query = select(Blocker).where(where).order_by(col(Blocker.deadline), col(Blocker.id))
    return list(session.exec(query))


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


def filter_choices(session: Session, *, user: User) -> tuple[list[str], list[str]]:
    """Communes and fields of the blockers this user may see: another department's communes and
    free-text fields are that department's business (served from the covering index)."""
    visible = visible_to(user)
    communes = session.exec(
        select(Blocker.commune).where(visible, Blocker.commune != "").distinct().order_by(Blocker.commune)
    ).all()
    fields = session.exec(
        select(Blocker.field).where(visible, Blocker.field != "").distinct().order_by(Blocker.field)
    ).all()
    return list(communes), list(fields)


def load_inbox(session: Session, *, user: User, filters: InboxFilters, now: datetime) -> InboxPage:
    where = and_(*filter_clauses(filters, user=user, with_status=True, now=now))
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
    by_status = and_(*filter_clauses(filters, user=user, with_status=False, now=now))
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
    communes, fields = filter_choices(session, user=user)
    return InboxPage(
        rows=rows,
        total=total,
        counts=counts,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        departments=dict(session.exec(select(Department.code, Department.name)).all()),
        assignees=assignees,
        communes=communes,
        fields=fields,
    )
