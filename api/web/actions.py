"""Actions on a blocker (POST + CSRF). Each is admitted by the permission table
(blockers/access.py: 404 when the blocker is not visible, 403 when the action is not this
user's), then calls the blocker lifecycle, which writes the message, the event and the outbox
rows in this request's transaction; the route commits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from api.web import texts
from api.web.access import acting_blocker
from api.web.deps import AppContextDep, CurrentStaff, NotVisible, SessionDep
from api.web.render import flash
from api.web.security import require_csrf
from blockers import closing, lifecycle
from blockers.access import Action, Relation, relation
from core.models import Blocker, BlockerMessage, BlockerStatus, MessageKind, User

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(require_csrf)])


def _page(blocker: Blocker) -> Response:
    return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)


def _run(
    request: Request, db: Session, user: User, blocker: Blocker, action: Callable[[], Any], done: str
) -> Response:
    """Run one lifecycle call; a refused transition (ValueError) becomes a notice, not a 500."""
    try:
        action()
    except (ValueError, PermissionError) as error:
        db.rollback()
        flash(request, str(error) or texts.ACTION_FAILED, "error")
        return _page(blocker)
    db.commit()
    flash(request, done)
    # After a transfer the blocker may have left this user's department.
    if relation(db, user=user, blocker=blocker) == Relation.none:
        return RedirectResponse("/inbox", status_code=303)
    return _page(blocker)


def _text_missing(request: Request, blocker: Blocker, text: str) -> Response | None:
    if text.strip():
        return None
    flash(request, texts.EMPTY_TEXT, "error")
    return _page(blocker)


@router.post("/inbox/blockers/{blocker_id}/reply")
def reply(
    request: Request,
    blocker_id: int,
    user: CurrentStaff,
    db: SessionDep,
    text: str = Form(""),
    legal_basis: str = Form(""),
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.reply)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    # A supporting department answers its part: the blocker stays with the lead department.
    part = user.department_code or "" if relation(db, user=user, blocker=blocker) == Relation.support else ""
    call = partial(
        lifecycle.reply,
        db,
        blocker=blocker,
        user=user,
        text=text.strip(),
        legal_basis=legal_basis.strip(),
        supporter=part,
    )
    return _run(request, db, user, blocker, call, texts.PART_REPLY_SENT if part else texts.REPLY_SENT)


@router.post("/inbox/blockers/{blocker_id}/info")
def request_info(
    request: Request, blocker_id: int, user: CurrentStaff, db: SessionDep, text: str = Form("")
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.request_info)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    call = partial(lifecycle.request_info, db, blocker=blocker, user=user, text=text.strip())
    return _run(request, db, user, blocker, call, texts.INFO_REQUESTED)


@router.post("/inbox/blockers/{blocker_id}/note")
def add_note(
    request: Request, blocker_id: int, user: CurrentStaff, db: SessionDep, text: str = Form("")
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.note)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    call = partial(lifecycle.add_note, db, blocker=blocker, user=user, text=text.strip())
    return _run(request, db, user, blocker, call, texts.NOTE_SAVED)


@router.post("/inbox/blockers/{blocker_id}/assign")
def assign(
    request: Request, blocker_id: int, user: CurrentStaff, db: SessionDep, assignee_id: int = Form(...)
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.assign)
    assignee = db.get(User, assignee_id) if 0 < assignee_id < 2**63 else None
    if assignee is None or assignee.department_code != blocker.department_code:
        flash(request, texts.ASSIGN_OUTSIDE_LEAD, "error")
        return _page(blocker)
    call = partial(lifecycle.assign, db, blocker=blocker, user=user, assignee_id=assignee_id)
    done = texts.ASSIGNED.format(name=assignee.full_name or assignee.username)
    return _run(request, db, user, blocker, call, done)


@router.post("/inbox/blockers/{blocker_id}/status")
def change_status(
    request: Request,
    blocker_id: int,
    user: CurrentStaff,
    db: SessionDep,
    status: str = Form(...),
    reason: str = Form(""),
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.change_status)
    if status not in {s.value for s in BlockerStatus}:
        raise NotVisible()
    new = BlockerStatus(status)
    call = partial(lifecycle.change_status, db, blocker=blocker, user=user, status=new, reason=reason.strip())
    return _run(request, db, user, blocker, call, texts.STATUS_CHANGED)


@router.post("/inbox/blockers/{blocker_id}/transfer")
def transfer(
    request: Request,
    blocker_id: int,
    user: CurrentStaff,
    db: SessionDep,
    ctx: AppContextDep,
    department_code: str = Form(...),
    reason: str = Form(""),
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.transfer)
    if not reason.strip():
        flash(request, texts.TRANSFER_REASON_REQUIRED, "error")
        return _page(blocker)
    call = partial(
        lifecycle.transfer,
        db,
        blocker=blocker,
        user=user,
        department_code=department_code,
        reason=reason.strip(),
        settings=ctx.settings,
    )
    return _run(request, db, user, blocker, call, texts.TRANSFERRED)


@router.post("/inbox/blockers/{blocker_id}/support")
def add_support(
    request: Request,
    blocker_id: int,
    user: CurrentStaff,
    db: SessionDep,
    ctx: AppContextDep,
    department_code: str = Form(...),
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.support)
    call = partial(
        lifecycle.add_support,
        db,
        blocker=blocker,
        user=user,
        department_code=department_code,
        settings=ctx.settings,
    )
    return _run(request, db, user, blocker, call, texts.SUPPORT_ADDED)


@router.post("/inbox/blockers/{blocker_id}/close")
def close(
    request: Request, blocker_id: int, user: CurrentStaff, db: SessionDep, reason: str = Form("")
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.close)
    call = partial(lifecycle.close, db, blocker=blocker, user=user, reason=reason.strip())
    return _run(request, db, user, blocker, call, texts.CLOSED)


@router.post("/inbox/blockers/{blocker_id}/publish")
def publish(
    request: Request,
    blocker_id: int,
    user: CurrentStaff,
    db: SessionDep,
    ctx: AppContextDep,
    message_id: int = Form(...),
) -> Response:
    """Turn a department answer into guidance so the bot answers the next commune itself, and
    send it to the officials whose questions on it went unanswered (once each)."""
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.publish)
    message = db.get(BlockerMessage, message_id) if 0 < message_id < 2**63 else None
    if message is None or message.blocker_id != blocker.id or message.kind != MessageKind.reply:
        raise NotVisible()
    told: list[int] = []

    def call() -> None:
        told.append(closing.publish_answer(db, blocker=blocker, message=message, user=user, knowledge=ctx.kb))

    response = _run(request, db, user, blocker, call, texts.PUBLISHED)
    if told and told[0]:
        flash(request, texts.PUBLISHED_TOLD.format(count=told[0]))
    return response
