"""One blocker's page: the whole thread, its files (served only through an authorised
route) and the delivery state of every message sent to the official."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import Session, col, select

from api.web.access import ACTING_ROLES, ASSIGNING_ROLES, visible_blocker
from api.web.deps import NotVisible, get_db, get_settings_dep, staff_or_above
from api.web.render import render
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerEvent,
    BlockerMessage,
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
INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


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
