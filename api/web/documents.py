"""/admin/documents: upload guidance with its metadata, see how it was split, set status and
owning department, re-index, delete; and the to-do list of missing guidance."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from api.web import texts
from api.web.accounts import audit
from api.web.deps import NotVisible, actor, admin_only, get_ctx, get_db
from api.web.render import flash, render
from api.web.security import require_csrf
from blockers import stats
from core.clock import utcnow
from core.models import Blocker, Chunk, Department, Document, DocumentOrigin, DocumentStatus, User
from knowledge.loaders import SUPPORTED_SUFFIXES, LoadError, load_path
from knowledge.sidecar import MetadataError, check_dates, parse_meta_date
from knowledge.types import DocumentMeta
from knowledge.validity import today_vn, validity

log = logging.getLogger(__name__)
router = APIRouter()
PAGE_SIZE = 100
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_filename(name: str) -> str:
    stem = _UNSAFE.sub("_", Path(name).name).strip("._") or "tai-lieu"
    return stem[-120:]


@router.get("/admin/documents")
def documents_page(
    request: Request,
    page: int = Query(1, ge=1),  # bounded like every int parameter (api/limits.py)
    _: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    q = request.query_params.get("q", "").strip()
    where = or_(col(Document.title).contains(q), col(Document.number).contains(q)) if q else None
    count = select(func.count()).select_from(Document)
    query = select(Document).order_by(col(Document.updated_at).desc()).offset((page - 1) * PAGE_SIZE)
    if where is not None:
        count, query = count.where(where), query.where(where)
    total = int(db.exec(count).one())
    documents = db.exec(query.limit(PAGE_SIZE)).all()
    today = _today(ctx)
    return render(
        request,
        "admin_documents.html",
        {
            "documents": documents,
            "validity": {d.id: validity(d, today=today).label for d in documents},
            "total": total,
            "page": page,
            "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            "q": q,
            "departments": db.exec(select(Department).order_by(Department.name)).all(),
            "unanswered": stats.unanswered_questions(db),
            "wrong": stats.wrong_answers(db),
            "suffixes": ", ".join(SUPPORTED_SUFFIXES),
        },
    )


@router.post("/admin/documents", dependencies=[Depends(require_csrf)])
async def upload_document(
    request: Request,
    file: UploadFile,
    title: str = Form(""),
    number: str = Form(""),
    doc_type: str = Form(""),
    status: DocumentStatus = Form(DocumentStatus.in_force),
    field: str = Form(""),
    department_code: str = Form(""),
    effective_from: str = Form(""),
    effective_to: str = Form(""),
    replaced_by: str = Form(""),
    source_url: str = Form(""),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    try:
        dates = _validity_fields(effective_from, effective_to)
    except MetadataError as error:
        flash(request, str(error), "error")
        return RedirectResponse("/admin/documents", status_code=303)
    limit = ctx.settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        flash(request, texts.FILE_TOO_LARGE.format(mb=limit // (1024 * 1024)), "error")
        return RedirectResponse("/admin/documents", status_code=303)
    folder = ctx.settings.uploads_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%d%H%M%S}-{secrets.token_hex(3)}-{safe_filename(file.filename or '')}"
    path.write_bytes(data)
    meta = DocumentMeta(
        title=title.strip(), number=number.strip(), doc_type=doc_type.strip(), status=status.value,
        field=field.strip(), department_code=department_code.strip(), replaced_by=replaced_by.strip(),
        source_url=source_url.strip(), effective_from=dates["effective_from"],
        effective_to=dates["effective_to"],
    )  # fmt: skip
    try:
        docs = await asyncio.to_thread(load_path, path, defaults=meta)
        for doc in docs:
            if meta.title:
                doc.meta.title = meta.title
            await asyncio.to_thread(ctx.knowledge.add_document, doc, DocumentOrigin.upload)
    except LoadError as error:
        path.unlink(missing_ok=True)
        flash(request, str(error), "error")
        return RedirectResponse("/admin/documents", status_code=303)
    audit(db, actor=actor(admin), action="document.upload", target=path.name, detail=f"documents={len(docs)}")
    db.commit()
    flash(request, texts.DOCUMENT_LOADED.format(filename=file.filename, count=len(docs)))
    return RedirectResponse("/admin/documents", status_code=303)


def _validity_fields(effective_from: str, effective_to: str) -> dict[str, date | None]:
    """The validity dates of a form (dd/mm/yyyy or yyyy-mm-dd); MetadataError in Vietnamese."""
    values: dict[str, date | None] = {"effective_from": None, "effective_to": None}
    for key, raw in (("effective_from", effective_from), ("effective_to", effective_to)):
        if raw.strip():
            values[key] = parse_meta_date(key, raw.strip())
    check_dates(DocumentMeta(**values))  # type: ignore[arg-type]
    return values


def _today(ctx: Any) -> date:
    clock = getattr(ctx.knowledge, "today", None)  # the knowledge base's (injected in tests)
    return clock() if callable(clock) else today_vn()


def _document(db: Session, document_id: int) -> Document:
    document = db.get(Document, document_id)
    if document is None:
        raise NotVisible()
    return document


@router.get("/admin/documents/{document_id}")
def document_page(
    request: Request,
    document_id: int,
    _: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    document = _document(db, document_id)
    chunks = db.exec(select(Chunk).where(Chunk.document_id == document_id).order_by(col(Chunk.ordinal))).all()
    departments = db.exec(select(Department).order_by(Department.name)).all()
    articles: dict[str, str] = {}  # article (or procedure part) → its own status, "" = the document's
    for chunk in chunks:
        key = chunk.article or chunk.part
        if key and key not in articles:
            articles[key] = (document.article_status or {}).get(key, "")
    context = {
        "document": document,
        "chunks": chunks,
        "departments": departments,
        "articles": articles,
        "validity": validity(document, today=_today(ctx)).label,
    }
    return render(request, "admin_document.html", context)


@router.post("/admin/documents/{document_id}", dependencies=[Depends(require_csrf)])
def update_document(
    request: Request,
    document_id: int,
    status: DocumentStatus = Form(...),
    department_code: str = Form(""),
    field: str = Form(""),
    effective_from: str = Form(""),
    effective_to: str = Form(""),
    replaced_by: str = Form(""),
    source_url: str = Form(""),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    document = _document(db, document_id)
    if department_code and db.get(Department, department_code) is None:
        raise NotVisible()
    try:
        dates = _validity_fields(effective_from, effective_to)
    except MetadataError as error:
        flash(request, str(error), "error")
        return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)
    before = document.status
    db.rollback()  # release the read transaction: the knowledge base writes in its own
    # The status goes through the knowledge base (under its write lock) so that its search
    # catalogue reloads it before the next question: an expired document is never cited.
    ctx.knowledge.set_status(document_id, status)
    document = _document(db, document_id)
    document.department_code = department_code
    document.field, document.updated_at = field.strip(), utcnow()
    dated = (document.effective_from, document.effective_to, document.replaced_by)
    document.effective_from, document.effective_to = dates["effective_from"], dates["effective_to"]
    document.replaced_by, document.source_url = replaced_by.strip()[:300], source_url.strip()[:1000]
    redated = dated != (document.effective_from, document.effective_to, document.replaced_by)
    db.add(document)
    audit(
        db, actor=actor(admin), action="document.update", target=f"document:{document_id}",
        detail=f"status {before} -> {status}; department={department_code}",
    )  # fmt: skip
    db.commit()
    if redated:  # the validity dates reach the search catalogue before the next question
        ctx.knowledge.index.mark_changed()
    flash(request, texts.DOCUMENT_UPDATED)
    return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)


@router.post("/admin/documents/{document_id}/articles", dependencies=[Depends(require_csrf)])
def update_article_status(
    request: Request,
    document_id: int,
    article: str = Form(..., max_length=50),
    status: str = Form("", max_length=20),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    """One article's own status; empty = the document's status again."""
    _document(db, document_id)
    if status and status not in {s.value for s in DocumentStatus}:
        raise NotVisible()
    named = select(Chunk.id).where(Chunk.document_id == document_id)
    named = named.where((col(Chunk.article) == article) | (col(Chunk.part) == article))
    if not article or db.exec(named.limit(1)).first() is None:
        raise NotVisible()  # no such article in this document
    db.rollback()  # the knowledge base writes in its own transaction
    ctx.knowledge.set_article_status(document_id, article, status)
    audit(
        db, actor=actor(admin), action="document.article_status", target=f"document:{document_id}",
        detail=f"article {article} -> {status or 'document'}",
    )  # fmt: skip
    db.commit()
    flash(request, texts.ARTICLE_STATUS_UPDATED.format(article=article))
    return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)


@router.post("/admin/documents/{document_id}/reindex", dependencies=[Depends(require_csrf)])
async def reindex_document(
    request: Request,
    document_id: int,
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    document = _document(db, document_id)
    path = Path(document.source.split("#", 1)[0])
    if document.origin == DocumentOrigin.blocker_answer or not path.is_file():
        flash(request, texts.DOCUMENT_SOURCE_MISSING, "error")
        return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)
    # Reload the file with the metadata set here (not only what the file itself says).
    meta = DocumentMeta(
        title=document.title,
        number=document.number,
        doc_type=document.doc_type,
        issuer=document.issuer,
        issued_date=document.issued_date,
        status=str(document.status),
        field=document.field,
        department_code=document.department_code,
        effective_from=document.effective_from,
        effective_to=document.effective_to,
        replaced_by=document.replaced_by,
        source_url=document.source_url,
    )
    origin = document.origin
    db.rollback()  # release the read transaction: the knowledge base writes in its own
    try:
        docs = await asyncio.to_thread(load_path, path, defaults=meta)
        for doc in docs:
            doc.meta.title = meta.title or doc.meta.title
            await asyncio.to_thread(ctx.knowledge.add_document, doc, origin)
    except LoadError as error:
        flash(request, str(error), "error")
        return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)
    audit(db, actor=actor(admin), action="document.reindex", target=f"document:{document_id}")
    db.commit()
    flash(request, texts.DOCUMENT_REINDEXED)
    return RedirectResponse(f"/admin/documents/{document_id}", status_code=303)


@router.post("/admin/documents/{document_id}/delete", dependencies=[Depends(require_csrf)])
async def delete_document(
    request: Request,
    document_id: int,
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
    ctx: Any = Depends(get_ctx),
) -> Response:
    document = _document(db, document_id)
    title = document.title or document.source
    # A published blocker answer keeps its blocker; only the link to the guidance goes.
    db.exec(  # type: ignore[call-overload]
        update(Blocker)
        .where(col(Blocker.published_document_id) == document_id)
        .values(published_document_id=None)
    )
    db.commit()
    await asyncio.to_thread(ctx.knowledge.delete_document, document_id)
    audit(db, actor=actor(admin), action="document.delete", target=f"document:{document_id}", detail=title)
    db.commit()
    flash(request, texts.DOCUMENT_DELETED.format(title=title))
    return RedirectResponse("/admin/documents", status_code=303)
