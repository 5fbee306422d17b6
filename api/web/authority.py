"""/admin/authority "Phân định thẩm quyền": the authority map as a searchable table with the decree
article each row comes from, and its CSV/XLSX export (cells neutralised by api/web/exports.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.web import texts
from api.web.deps import authority_readers, get_db
from api.web.exports import table_response
from api.web.render import render
from core.models import AuthorityTransfer, Document, User
from knowledge.authority.answers import decree_citation, vn_date
from knowledge.authority.store import search_transfers

router = APIRouter()
PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def _filters(request: Request) -> tuple[str, str]:
    q = request.query_params.get("q", "").strip()[:200]
    level = request.query_params.get("level", "")
    return q, level if level in texts.AUTHORITY_LEVEL_LABELS else ""


def _titles(db: Session, rows: list[AuthorityTransfer]) -> dict[int, str]:
    ids = {row.document_id for row in rows}
    return {i: (d.title or d.source) for i in ids if (d := db.get(Document, i)) is not None}


@router.get("/admin/authority")
def authority_page(
    request: Request,
    page: int = Query(1, ge=1),
    _: User = Depends(authority_readers),
    db: Session = Depends(get_db),
) -> Response:
    q, level = _filters(request)
    total, rows = search_transfers(db, q=q, level=level, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render(
        request,
        "admin_authority.html",
        {
            "rows": [(row, decree_citation(row)) for row in rows],
            "titles": _titles(db, rows),
            "total": total,
            "page": page,
            "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            "q": q,
            "level": level,
            "levels": texts.AUTHORITY_LEVEL_LABELS,
            "vn_date": vn_date,
        },
    )


def _export_rows(rows: list[AuthorityTransfer], titles: dict[int, str]) -> Iterator[list[Any]]:
    for row in rows:
        yield [
            row.decree_number,
            decree_citation(row),
            row.task,
            row.provision,
            row.holder,
            texts.AUTHORITY_LEVEL_LABELS.get(row.level, row.level),
            row.condition,
            row.former_holder,
            row.department,
            vn_date(row.effective_from) if row.effective_from else "",
            vn_date(row.effective_to) if row.effective_to else "",
            titles.get(row.document_id, ""),
        ]


@router.get("/admin/authority/export.{fmt}")
def export_authority(
    request: Request, fmt: str, _: User = Depends(authority_readers), db: Session = Depends(get_db)
) -> Response:
    q, level = _filters(request)
    _count, rows = search_transfers(db, q=q, level=level, limit=EXPORT_LIMIT)
    return table_response(
        texts.AUTHORITY_EXPORT_NAME, fmt, texts.AUTHORITY_HEADERS, _export_rows(rows, _titles(db, rows))
    )
