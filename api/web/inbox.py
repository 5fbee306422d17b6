"""The department inbox page: the filtered list (queries in blockers/inbox.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.web.deps import get_db, staff_or_above
from api.web.render import render
from blockers.inbox import InboxFilters, load_inbox
from core.clock import utcnow
from core.models import User

router = APIRouter()


@router.get("/inbox")
def inbox(request: Request, user: User = Depends(staff_or_above), db: Session = Depends(get_db)) -> Response:
    filters = InboxFilters.from_params(request.query_params)
    now = utcnow()
    page = load_inbox(db, user=user, filters=filters, now=now)
    return render(request, "inbox.html", {"f": filters, "page": page, "now": now})
