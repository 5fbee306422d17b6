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
from sqlalchemy import and_
from sqlmodel import Session, col, select

from api.web.access import scope_department, visible_blocker
from api.web.deps import NotVisible, dashboard_roles, get_db, staff_or_above
from api.web.inbox import InboxFilters, filter_clauses
from api.web.render import MESSAGE_LABELS, status_label
from blockers import stats
from core.clock import format_vn, utcnow
from core.models import Blocker, BlockerMessage, Department, User

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


BLOCKER_HEADERS = (
    "Mã", "Tiêu đề", "Lĩnh vực", "Xã/phường", "Sở chủ trì", "Trạng thái", "Hạn xử lý",
    "Ngày tạo", "Phản hồi đầu tiên", "Ngày trả lời", "Ngày đóng", "Đánh giá",
)  # fmt: skip


@router.get("/export/blockers.{fmt}")
def export_blockers(
    request: Request, fmt: str, user: User = Depends(staff_or_above), db: Session = Depends(get_db)
) -> Response:
    filters = InboxFilters.from_request(request)
    where = and_(*filter_clauses(filters, user=user, with_status=True))
    names = dict(db.exec(select(Department.code, Department.name)).all())
    query = select(Blocker).where(where).order_by(col(Blocker.deadline), col(Blocker.id))
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
        for b in db.exec(query)
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
    return table_response(blocker.code, fmt, ("Thời gian", "Loại", "Nội dung", "Căn cứ pháp lý"), rows)


def dashboard_table(
    db: Session, table: str, department: str | None
) -> tuple[Sequence[str], list[Sequence[Any]]]:
    if table == "trang-thai":
        counts = stats.counts_by_status(db, department_code=department)
        return ("Trạng thái", "Số vướng mắc"), [(status_label(k), v) for k, v in counts.items()]
    if table == "so":
        rows = stats.counts_by_department(db, department_code=department)
        return ("Sở", "Tổng", "Đang mở", "Quá hạn"), [(r.name, r.total, r.open, r.overdue) for r in rows]
    if table == "xa-phuong":
        return ("Xã/phường", "Số vướng mắc"), list(
            stats.counts_by_commune(db, department_code=department, limit=1000)
        )
    if table == "thang":
        return ("Tháng", "Số vướng mắc"), list(stats.counts_by_month(db, department_code=department))
    if table == "qua-han":
        _, blockers = stats.overdue_blockers(db, department_code=department, limit=10000)
        return ("Mã", "Tiêu đề", "Xã/phường", "Sở", "Hạn xử lý"), [
            (b.code, b.title, b.commune, b.department_code, format_vn(b.deadline)) for b in blockers
        ]
    if table == "linh-vuc":
        return ("Lĩnh vực", "Số vướng mắc"), list(
            stats.frequent_fields(db, department_code=department, limit=100)
        )
    if table in ("chua-tra-loi", "chua-dung"):
        groups = stats.unanswered_questions(db) if table == "chua-tra-loi" else stats.wrong_answers(db)
        return ("Câu hỏi tiêu biểu", "Số lần", "Lần gần nhất"), [
            (g["example"], g["count"], format_vn(g["last_at"])) for g in groups
        ]
    raise NotVisible()


@router.get("/dashboard/export/{table}.{fmt}")
def export_dashboard_table(
    table: str, fmt: str, user: User = Depends(dashboard_roles), db: Session = Depends(get_db)
) -> Response:
    headers, rows = dashboard_table(db, table, scope_department(user))
    return table_response(f"{table}-{utcnow():%Y%m%d}", fmt, headers, rows)
