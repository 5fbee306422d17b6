"""The department inbox: the filtered list and one blocker's page with its whole thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from api.web.access import ACTING_ROLES, ASSIGNING_ROLES, visibility, visible_blocker
from api.web.deps import NotVisible, get_db, get_settings_dep, staff_or_above
from api.web.render import render
from blockers.search import fold
from blockers.stats import overdue_clause
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerEvent,
    BlockerMessage,
    BlockerStatus,
    BlockerSupport,
    CannedReply,
    ChatAccount,
    Department,
    OutboxMessage,
    Person,
    Role,
    User,
)
from core.settings import Settings

router = APIRouter()
PAGE_SIZE = 50
INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


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


def load_thread(session: Session, *, blocker: Blocker) -> dict[str, Any]:
    """Everything the blocker page shows, in a fixed number of queries (no per-message query)."""
    messages = list(
        session.exec(
            select(BlockerMessage)
            .where(BlockerMessage.blocker_id == blocker.id)
            .order_by(col(BlockerMessage.created_at), col(BlockerMessage.id))
        ).all()
    )
    attachments = session.exec(
        select(BlockerAttachment).where(BlockerAttachment.blocker_id == blocker.id)
    ).all()
    files: dict[int | None, list[BlockerAttachment]] = {}
    for attachment in attachments:
        files.setdefault(attachment.message_id, []).append(attachment)
    message_ids = [m.id for m in messages if m.id is not None]
    deliveries: dict[int, list[str]] = {}
    if message_ids:
        for message_id, status in session.exec(
            select(OutboxMessage.blocker_message_id, OutboxMessage.status)
            .where(col(OutboxMessage.blocker_message_id).in_(message_ids))
            .order_by(col(OutboxMessage.id))
        ).all():
            deliveries.setdefault(int(message_id or 0), []).append(str(status))
    events = session.exec(
        select(BlockerEvent)
        .where(BlockerEvent.blocker_id == blocker.id)
        .order_by(col(BlockerEvent.created_at), col(BlockerEvent.id))
    ).all()
    users = {u.id: u for u in session.exec(select(User)).all()}
    supports = session.exec(
        select(BlockerSupport.department_code).where(BlockerSupport.blocker_id == blocker.id)
    ).all()
    departments = list(session.exec(select(Department).order_by(Department.name)).all())
    return {
        "messages": messages,
        "files": files,
        "deliveries": deliveries,
        "events": list(events),
        "users": users,
        "supports": list(supports),
        "departments": departments,
        "department_names": {d.code: d.name for d in departments},
        "person": session.get(Person, blocker.person_id) if blocker.person_id else None,
        "account": session.get(ChatAccount, blocker.account_id) if blocker.account_id else None,
        "canned": list(
            session.exec(
                select(CannedReply)
                .where(CannedReply.department_code == blocker.department_code)
                .order_by(CannedReply.title)
            ).all()
        ),
        "assignable": [
            u
            for u in users.values()
            if u.active and u.department_code == blocker.department_code and u.role in (Role.staff, Role.head)
        ],
    }


@router.get("/inbox/blockers/{blocker_id}")
def blocker_page(
    request: Request, blocker_id: int, user: User = Depends(staff_or_above), db: Session = Depends(get_db)
) -> Response:
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    context = load_thread(db, blocker=blocker)
    context.update(
        blocker=blocker,
        now=utcnow(),
        can_act=user.role in ACTING_ROLES,
        can_assign=user.role in ASSIGNING_ROLES,
        image_types=INLINE_IMAGES,
    )
    return render(request, "blocker.html", context)


@router.get("/inbox/blockers/{blocker_id}/files/{attachment_id}")
def attachment_file(
    blocker_id: int,
    attachment_id: int,
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
    settings: Settings = Depends(get_settings_dep),
) -> Response:
    """Files are served only through this authorised route, never from a public directory."""
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    attachment = db.get(BlockerAttachment, attachment_id)
    if attachment is None or attachment.blocker_id != blocker.id:
        raise NotVisible()
    root = settings.uploads_dir.resolve()
    path = (root / attachment.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotVisible()
    inline = attachment.content_type in INLINE_IMAGES
    return FileResponse(
        path,
        media_type=attachment.content_type if inline else "application/octet-stream",
        filename=attachment.filename,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
        },
    )
