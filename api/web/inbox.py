"""The department inbox page: the filtered list (queries in blockers/inbox.py)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.web.deps import get_db, staff_or_above
from api.web.render import render
from blockers.inbox import MAX_PAGE, InboxFilters, load_inbox
from core.clock import utcnow
from core.models import User

router = APIRouter()


@router.get("/inbox")
def inbox(
    request: Request,
    page: int = Query(default=1, ge=1, le=MAX_PAGE),  # a page past the end is a 4xx, not page 1
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
) -> Response:
    filters = replace(InboxFilters.from_params(request.query_params), page=page)
    now = utcnow()
    listing = load_inbox(db, user=user, filters=filters, now=now)
    return render(request, "inbox.html", {"f": filters, "page": listing, "now": now})
