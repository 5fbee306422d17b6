"""Actions on a blocker (POST + CSRF). Each calls the blocker lifecycle, which writes the
message, the event and the outbox rows in this request's transaction; the route commits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from api.web.access import can_see, require_action, visible_blocker
from api.web.deps import NotVisible, get_ctx, get_db, staff_or_above
from api.web.render import flash
from api.web.security import require_csrf
from blockers import lifecycle
from blockers.publish import guidance_from_answer, mark_published
from core.models import Blocker, BlockerMessage, BlockerStatus, DocumentOrigin, MessageKind, User

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(require_csrf)])

EMPTY_TEXT = "Vui lòng nhập nội dung."


def _run(
    request: Request,
    db: Session,
    user: User,
    blocker: Blocker,
    action: Callable[[], Any],
    done: str,
) -> Response:
    """Run one lifecycle call; a refused transition (ValueError) becomes a notice, not a 500."""
    try:
        action()
    except (ValueError, PermissionError) as error:
        db.rollback()
        flash(request, str(error) or "Không thực hiện được thao tác này.", "error")
        return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)
    db.commit()
    flash(request, done)
    # After a transfer the blocker may have left this user's department.
    if not can_see(db, user=user, blocker=blocker):
        return RedirectResponse("/inbox", status_code=303)
    return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)


def _acting(db: Session, user: User, blocker_id: int, *, assign: bool = False) -> Blocker:
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    require_action(user, assign=assign)
    return blocker


def _text_missing(request: Request, blocker: Blocker, text: str) -> Response | None:
    if text.strip():
        return None
    flash(request, EMPTY_TEXT, "error")
    return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)


@router.post("/inbox/blockers/{blocker_id}/reply")
def reply(
    request: Request,
    blocker_id: int,
    text: str = Form(""),
    legal_basis: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    call = partial(
        lifecycle.reply, db, blocker=blocker, user=user, text=text.strip(), legal_basis=legal_basis.strip()
    )
    return _run(request, db, user, blocker, call, "Đã gửi trả lời tới cán bộ xã.")


@router.post("/inbox/blockers/{blocker_id}/info")
def request_info(
    request: Request,
    blocker_id: int,
    text: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    call = partial(lifecycle.request_info, db, blocker=blocker, user=user, text=text.strip())
    return _run(request, db, user, blocker, call, "Đã gửi đề nghị bổ sung thông tin.")


@router.post("/inbox/blockers/{blocker_id}/note")
def add_note(
    request: Request,
    blocker_id: int,
    text: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    if (missing := _text_missing(request, blocker, text)) is not None:
        return missing
    call = partial(lifecycle.add_note, db, blocker=blocker, user=user, text=text.strip())
    return _run(request, db, user, blocker, call, "Đã lưu ghi chú nội bộ.")


@router.post("/inbox/blockers/{blocker_id}/assign")
def assign(
    request: Request,
    blocker_id: int,
    assignee_id: int = Form(...),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id, assign=True)
    assignee = db.get(User, assignee_id)
    if assignee is None or assignee.department_code != blocker.department_code:
        flash(request, "Chỉ phân công cho cán bộ của Sở chủ trì.", "error")
        return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)
    call = partial(lifecycle.assign, db, blocker=blocker, user=user, assignee_id=assignee_id)
    return _run(
        request, db, user, blocker, call, f"Đã phân công cho {assignee.full_name or assignee.username}."
    )


@router.post("/inbox/blockers/{blocker_id}/status")
def change_status(
    request: Request,
    blocker_id: int,
    status: str = Form(...),
    reason: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    if status not in {s.value for s in BlockerStatus}:
        raise NotVisible()
    new = BlockerStatus(status)
    call = partial(lifecycle.change_status, db, blocker=blocker, user=user, status=new, reason=reason.strip())
    return _run(request, db, user, blocker, call, "Đã cập nhật trạng thái.")


@router.post("/inbox/blockers/{blocker_id}/transfer")
def transfer(
    request: Request,
    blocker_id: int,
    department_code: str = Form(...),
    reason: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    if not reason.strip():
        flash(request, "Vui lòng nêu lý do chuyển.", "error")
        return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)
    code, why = department_code, reason.strip()
    call = partial(lifecycle.transfer, db, blocker=blocker, user=user, department_code=code, reason=why)
    return _run(request, db, user, blocker, call, "Đã chuyển vướng mắc sang Sở khác.")


@router.post("/inbox/blockers/{blocker_id}/support")
def add_support(
    request: Request,
    blocker_id: int,
    department_code: str = Form(...),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    call = partial(lifecycle.add_support, db, blocker=blocker, user=user, department_code=department_code)
    return _run(request, db, user, blocker, call, "Đã thêm Sở phối hợp.")


@router.post("/inbox/blockers/{blocker_id}/close")
def close(
    request: Request,
    blocker_id: int,
    reason: str = Form(""),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    blocker = _acting(db, user, blocker_id)
    call = partial(lifecycle.close, db, blocker=blocker, user=user, reason=reason.strip())
    return _run(request, db, user, blocker, call, "Đã đóng vướng mắc.")


@router.post("/inbox/blockers/{blocker_id}/publish")
def publish(
    request: Request,
    blocker_id: int,
    message_id: int = Form(...),
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    """Turn a department answer into guidance so the bot answers the next commune itself."""
    blocker = _acting(db, user, blocker_id)
    message = db.get(BlockerMessage, message_id)
    if message is None or message.blocker_id != blocker.id or message.kind != MessageKind.reply:
        raise NotVisible()

    def call() -> None:
        doc = guidance_from_answer(db, blocker=blocker, message=message)
        document_id = ctx.knowledge.add_document(doc, DocumentOrigin.blocker_answer)
        mark_published(db, blocker=blocker, document_id=document_id, user=user)

    return _run(request, db, user, blocker, call, "Đã đăng câu trả lời thành hướng dẫn cho trợ lý.")
