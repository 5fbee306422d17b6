"""Admin page for the officials' roster: import a CSV/XLSX file, hand out invite codes."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from api.web import texts
from api.web.accounts import audit
from api.web.deps import NotVisible, actor, admin_only, get_db
from api.web.render import MAX_FLASHES, flash, render
from api.web.security import require_csrf
from api.web.texts import INVITE_ISSUED, ROSTER_MORE_ERRORS
from core.models import ChatAccount, Person, User
from handlers.registration import format_code, import_roster, issue_invite

router = APIRouter()
MAX_ROSTER_BYTES = 5 * 1024 * 1024


def rows_from_upload(filename: str, data: bytes) -> list[dict[str, Any]]:
    """Header + rows of a CSV (UTF-8, comma/semicolon/tab) or the first sheet of an XLSX."""
    if filename.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        if not values:
            return []
        header = [str(h or "") for h in values[0]]
        return [
            {h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False)}
            for row in values[1:]
            if any(v not in (None, "") for v in row)
        ]
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    return [dict(row) for row in csv.DictReader(text.splitlines(), dialect=dialect)]


def _page(request: Request, db: Session, *, secret: str = "") -> Response:
    commune = request.query_params.get("commune", "").strip()
    query = select(Person).order_by(Person.commune, Person.name).limit(300)
    if commune:
        query = query.where(Person.commune == commune)
    people = db.exec(query).all()
    linked = set(db.exec(select(ChatAccount.person_id).where(col(ChatAccount.person_id).is_not(None))).all())
    context = {"people": people, "linked": linked, "commune": commune, "secret": secret}
    response = render(request, "admin_roster.html", context)
    if secret:
        response.headers["Cache-Control"] = "no-store"  # the page carries an invite code
    return response


@router.get("/admin/roster")
def roster_page(request: Request, _: User = Depends(admin_only), db: Session = Depends(get_db)) -> Response:
    return _page(request, db)


@router.post("/admin/roster", dependencies=[Depends(require_csrf)])
async def import_roster_file(
    request: Request, file: UploadFile, admin: User = Depends(admin_only), db: Session = Depends(get_db)
) -> Response:
    data = await file.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        flash(request, texts.ROSTER_TOO_LARGE, "error")
        return RedirectResponse("/admin/roster", status_code=303)
    try:
        rows = rows_from_upload(file.filename or "", data)
    except (ValueError, csv.Error, OSError, KeyError):
        flash(request, texts.ROSTER_UNREADABLE, "error")
        return RedirectResponse("/admin/roster", status_code=303)
    report = import_roster(db, rows=rows)
    audit(
        db, actor=actor(admin), action="roster.import", target=file.filename or "",
        detail=f"created={report.created} updated={report.updated} errors={len(report.errors)}",
    )  # fmt: skip
    db.commit()
    flash(request, texts.ROSTER_IMPORTED.format(created=report.created, updated=report.updated))
    shown = MAX_FLASHES - 2  # the summary above and the "and N more" line below
    for line, message in report.errors[:shown]:
        flash(request, texts.ROSTER_LINE_ERROR.format(line=line, message=message), "error")
    if len(report.errors) > shown:
        flash(request, ROSTER_MORE_ERRORS.format(count=len(report.errors) - shown), "error")
    return RedirectResponse("/admin/roster", status_code=303)


@router.post("/admin/roster/{person_id}/invite", dependencies=[Depends(require_csrf)])
def invite(
    request: Request, person_id: int, admin: User = Depends(admin_only), db: Session = Depends(get_db)
) -> Response:
    person = db.get(Person, person_id)
    if person is None:
        raise NotVisible()
    code = issue_invite(db, person_id=person_id)
    audit(db, actor=actor(admin), action="invite.issue", target=f"person:{person_id}")
    db.commit()
    days = request.app.state.ctx.settings.invite_code_ttl_days
    text = INVITE_ISSUED.format(
        name=person.name, commune=person.commune, code=format_code(code.code), days=days
    )
    return _page(request, db, secret=text)  # shown once: a flash would keep it in the cookie
