"""CSV and XLSX exports: the blockers (same filters and visibility as the inbox), one
blocker's thread, and each dashboard table."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from openpyxl import Workbook
from sqlmodel import Session, col, select

from api.web.access import visible_blocker
from api.web.deps import NotVisible, dashboard_roles, get_db, staff_or_above
from api.web.texts import BLOCKER_HEADERS, MESSAGE_LABELS, TABLE_HEADERS, THREAD_HEADERS, status_label
from blockers import stats
from blockers.access import scope_department
from blockers.inbox import InboxFilters, visible_blockers
from core.clock import format_vn, utcnow
from core.models import BlockerMessage, Department, User

router = APIRouter()
FORMATS = {"csv", "xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A formula character right after a separator (",=", ";=", a tab or a line break, spaces
# between): a spreadsheet that splits cells on another separator than ours, or a user who
# pastes the text, would start a new cell there.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n|][ \"']*)([=+\-@])")


def _cell(value: Any) -> Any:
    """A value safe in any spreadsheet (CSV or formula injection): text that could start a
    formula gets a leading apostrophe, which Excel and LibreOffice show as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    value = _cell(value)
    if isinstance(value, str):
        return _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", value)
    return value


def table_response(name: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    if fmt not in FORMATS:
        raise NotVisible()
    filename = f"{name}.{fmt}"
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)  # every cell quoted, numbers too
        writer.writerow(headers)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        # The BOM makes Excel read the Vietnamese text as UTF-8.
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        return Response(
            body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return Response(out.getvalue(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})


@router.get("/export/blockers.{fmt}")
def export_blockers(
    request: Request, fmt: str, user: User = Depends(staff_or_above), db: Session = Depends(get_db)
) -> Response:
    filters = InboxFilters.from_params(request.query_params)
    names = dict(db.exec(select(Department.code, Department.name)).all())
    rows = (
        (
            b.code,
            b.title,
            b.field,
            b.commune,
            names.get(b.department_code, b.department_code),
            status_label(b.status),
            format_vn(b.deadline),
            format_vn(b.created_at),
            format_vn(b.first_response_at),
            format_vn(b.answered_at),
            format_vn(b.closed_at),
            b.rating,
        )
        for b in visible_blockers(db, user=user, filters=filters, now=utcnow())
    )
    return table_response("vuong-mac", fmt, BLOCKER_HEADERS, rows)


@router.get("/inbox/blockers/{blocker_id}/export.{fmt}")
def export_thread(
    blocker_id: int, fmt: str, user: User = Depends(staff_or_above), db: Session = Depends(get_db)
) -> Response:
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    messages = db.exec(
        select(BlockerMessage).where(BlockerMessage.blocker_id == blocker.id).order_by(col(BlockerMessage.id))
    ).all()
    rows = [
        (format_vn(m.created_at), MESSAGE_LABELS.get(m.kind, m.kind), m.text, m.legal_basis) for m in messages
    ]
    return table_response(blocker.code, fmt, THREAD_HEADERS, rows)


def dashboard_table(
    db: Session, table: str, department: str | None
) -> tuple[Sequence[str], list[Sequence[Any]]]:
    if table not in TABLE_HEADERS:
        raise NotVisible()
    return TABLE_HEADERS[table], _table_rows(db, table, department)


def _table_rows(db: Session, table: str, department: str | None) -> list[Sequence[Any]]:
    if table == "trang-thai":
        counts = stats.counts_by_status(db, department_code=department)
        return [(status_label(k), v) for k, v in counts.items()]
    if table == "so":
        rows = stats.counts_by_department(db, department_code=department)
        return [(r.name, r.total, r.open, r.overdue) for r in rows]
    if table == "xa-phuong":
        return list(stats.counts_by_commune(db, department_code=department, limit=1000))
    if table == "thang":
        return list(stats.counts_by_month(db, department_code=department))
    if table == "qua-han":
        _, blockers = stats.overdue_blockers(db, department_code=department, limit=10000)
        return [(b.code, b.title, b.commune, b.department_code, format_vn(b.deadline)) for b in blockers]
    if table == "linh-vuc":
        return list(stats.frequent_fields(db, department_code=department, limit=100))
    if table in ("chua-tra-loi", "chua-dung"):
        if department is not None:  # province-wide questions of every commune: leaders only
            raise NotVisible()
        groups = stats.unanswered_questions(db) if table == "chua-tra-loi" else stats.wrong_answers(db)
        return [(g["example"], g["count"], format_vn(g["last_at"])) for g in groups]
    raise NotVisible()


@router.get("/dashboard/export/{table}.{fmt}")
def export_dashboard_table(
    table: str, fmt: str, user: User = Depends(dashboard_roles), db: Session = Depends(get_db)
) -> Response:
    headers, rows = dashboard_table(db, table, scope_department(user))
    return table_response(f"{table}-{utcnow():%Y%m%d}", fmt, headers, rows)
