"""Admin page for the department catalogue, and canned replies (admin: all; head: own)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from api.web import texts
from api.web.accounts import audit
from api.web.deps import NotVisible, actor, admin_only, canned_managers, get_db
from api.web.render import flash, render
from api.web.security import require_csrf
from core.models import CannedReply, Department, Role, User

router = APIRouter()


@router.get("/admin/departments")
def departments_page(
    request: Request, _: User = Depends(admin_only), db: Session = Depends(get_db)
) -> Response:
    departments = db.exec(select(Department).order_by(Department.code)).all()
    return render(request, "admin_departments.html", {"departments": departments})


@router.post("/admin/departments/{code}", dependencies=[Depends(require_csrf)])
def update_department(
    request: Request,
    code: str,
    name: str = Form(""),
    mandate: str = Form(""),
    keywords: str = Form(""),
    notify_chats: str = Form(""),
    deadline_days: int = Form(5),
    active: str = Form(""),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
) -> Response:
    department = db.get(Department, code)
    if department is None:
        raise NotVisible()
    department.name = name.strip() or department.name
    department.mandate = mandate.strip()
    department.keywords = [k.strip() for k in keywords.replace("\n", ",").split(",") if k.strip()]
    department.notify_chats = [c.strip() for c in notify_chats.splitlines() if c.strip()]
    department.deadline_days = max(1, min(deadline_days, 60))
    department.active = bool(active)
    db.add(department)
    audit(db, actor=actor(admin), action="department.update", target=code)
    db.commit()
    flash(request, texts.DEPARTMENT_UPDATED.format(name=department.name))
    return RedirectResponse("/admin/departments", status_code=303)


def _managed(user: User, code: str) -> bool:
    return user.role == Role.admin or user.department_code == code


@router.get("/admin/canned")
def canned_page(
    request: Request, user: User = Depends(canned_managers), db: Session = Depends(get_db)
) -> Response:
    query = select(CannedReply).order_by(CannedReply.department_code, CannedReply.title)
    departments = db.exec(select(Department).order_by(Department.name)).all()
    if user.role != Role.admin:
        query = query.where(CannedReply.department_code == user.department_code)
        departments = [d for d in departments if d.code == user.department_code]
    return render(request, "admin_canned.html", {"replies": db.exec(query).all(), "departments": departments})


@router.post("/admin/canned", dependencies=[Depends(require_csrf)])
def add_canned(
    request: Request,
    department_code: str = Form(...),
    title: str = Form(""),
    text: str = Form(""),
    user: User = Depends(canned_managers),
    db: Session = Depends(get_db),
) -> Response:
    if not _managed(user, department_code) or db.get(Department, department_code) is None:
        raise NotVisible()
    if not title.strip() or not text.strip():
        flash(request, texts.CANNED_MISSING, "error")
        return RedirectResponse("/admin/canned", status_code=303)
    db.add(CannedReply(department_code=department_code, title=title.strip(), text=text.strip()))
    audit(db, actor=actor(user), action="canned.create", target=department_code, detail=title.strip())
    db.commit()
    flash(request, texts.CANNED_ADDED)
    return RedirectResponse("/admin/canned", status_code=303)


@router.post("/admin/canned/{reply_id}/delete", dependencies=[Depends(require_csrf)])
def delete_canned(
    request: Request, reply_id: int, user: User = Depends(canned_managers), db: Session = Depends(get_db)
) -> Response:
    reply = db.get(CannedReply, reply_id)
    if reply is None or not _managed(user, reply.department_code):
        raise NotVisible()
    db.delete(reply)
    audit(db, actor=actor(user), action="canned.delete", target=reply.department_code, detail=reply.title)
    db.commit()
    flash(request, texts.CANNED_DELETED)
    return RedirectResponse("/admin/canned", status_code=303)
