"""A leader sends a published answer to the communes (POST + CSRF); the blocker page shows how
many messages went out. Who may: the permission table (Action.broadcast); how: blockers/closing.py."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.web import texts
from api.web.access import acting_blocker
from api.web.accounts import audit
from api.web.deps import CurrentStaff, SessionDep, actor
from api.web.render import flash
from api.web.security import require_csrf
from blockers.access import Action
from blockers.closing import BROADCASTS_PER_DAY, BroadcastOutcome, broadcast

router = APIRouter(dependencies=[Depends(require_csrf)])

_REFUSED = {
    BroadcastOutcome.nobody: texts.BROADCAST_NOBODY,
    BroadcastOutcome.repeated: texts.BROADCAST_REPEATED,
    BroadcastOutcome.limit: texts.BROADCAST_LIMIT.format(limit=BROADCASTS_PER_DAY),
    BroadcastOutcome.unpublished: texts.NOT_PUBLISHED,
}


@router.post("/inbox/blockers/{blocker_id}/broadcast")
def send_broadcast(
    request: Request, blocker_id: int, user: CurrentStaff, db: SessionDep, field: str = Form("")
) -> Response:
    blocker = acting_blocker(db, user=user, blocker_id=blocker_id, action=Action.broadcast)
    result = broadcast(db, blocker=blocker, user=user, field=field.strip()[:200])
    if result.outcome == BroadcastOutcome.queued:
        audit(db, actor=actor(user), action="broadcast.send", target=blocker.code, detail=field.strip()[:200])
        db.commit()
        flash(request, texts.BROADCAST_QUEUED.format(count=result.recipients))
    else:
        db.rollback()
        flash(request, _REFUSED[result.outcome], "error")
    return RedirectResponse(f"/inbox/blockers/{blocker.id}", status_code=303)
