"""Admin pages for web accounts: create, change role and department, reset password, sign out
everywhere. A temporary password is shown once, on the answer to the POST itself: never in a
flash message, which would carry it in the (signed, not encrypted) session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from api.web import texts
from api.web.accounts import audit, create_user, generate_password, password_problem, set_password
from api.web.deps import NotVisible, actor, admin_only, get_db
from api.web.render import flash, render
from api.web.security import require_csrf
from api.web.sessions import end_user_sessions, live_session_counts
from api.web.texts import PASSWORD_RESET, SESSIONS_ENDED, USER_CREATED
from core.models import Department, Role, SessionEnd, User

router = APIRouter()


def _page(
    request: Request, db: Session, *, error: str = "", status_code: int = 200, secret: str = ""
) -> Response:
    users = db.exec(select(User).order_by(User.role, User.username)).all()
    departments = db.exec(select(Department).order_by(Department.name)).all()
    settings = request.app.state.ctx.settings
    context = {
        "users": users,
        "departments": departments,
        "roles": list(Role),
        "error": error,
        "secret": secret,
        "sessions": live_session_counts(db, settings=settings),
    }
    return render(request, "admin_users.html", context, status_code=status_code)


def _show_once(request: Request, db: Session, text: str) -> Response:
    response = _page(request, db, secret=text)
    response.headers["Cache-Control"] = "no-store"  # the page carries a password
    return response


@router.get("/admin/users")
def users_page(request: Request, _: User = Depends(admin_only), db: Session = Depends(get_db)) -> Response:
    return _page(request, db)


def _user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotVisible()
    return user


def _department(db: Session, role: Role, code: str) -> str | None:
    if not code:
        return None
    if db.get(Department, code) is None:
        raise ValueError(texts.NO_SUCH_DEPARTMENT)
    return code


@router.post("/admin/users", dependencies=[Depends(require_csrf)])
def add_user(
    request: Request,
    username: str = Form(""),
    full_name: str = Form(""),
    role: Role = Form(...),
    department_code: str = Form(""),
    password: str = Form(""),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
) -> Response:
    username = username.strip()
    password = password or generate_password()
    error = password_problem(password)
    if not username:
        error = texts.USERNAME_REQUIRED
    elif db.exec(select(User.id).where(User.username == username)).first() is not None:
        error = texts.USERNAME_TAKEN
    if not error:
        try:
            department = _department(db, role, department_code)
            create_user(
                db, username=username, password=password, role=role, department_code=department,
                full_name=full_name.strip(), must_change_password=True,
            )  # fmt: skip
        except ValueError as exc:
            error = str(exc)
    if error:
        db.rollback()
        return _page(request, db, error=error, status_code=400)
    audit(db, actor=actor(admin), action="user.create", target=username, detail=f"role={role}")
    db.commit()
    return _show_once(request, db, USER_CREATED.format(username=username, password=password))


@router.post("/admin/users/{user_id}", dependencies=[Depends(require_csrf)])
def update_user(
    request: Request,
    user_id: int,
    role: Role = Form(...),
    department_code: str = Form(""),
    full_name: str = Form(""),
    active: str = Form(""),
    admin: User = Depends(admin_only),
    db: Session = Depends(get_db),
) -> Response:
    user = _user(db, user_id)
    if user.id == admin.id and (role != Role.admin or not active):
        flash(request, texts.CANNOT_DEMOTE_SELF, "error")
        return RedirectResponse("/admin/users", status_code=303)
    try:
        department = _department(db, role, department_code)
    except ValueError as exc:
        flash(request, str(exc), "error")
        return RedirectResponse("/admin/users", status_code=303)
    if role in (Role.staff, Role.head) and department is None:
        flash(request, texts.NEEDS_DEPARTMENT, "error")
        return RedirectResponse("/admin/users", status_code=303)
    was_active = user.active
    user.role, user.department_code = role, department
    user.full_name, user.active = full_name.strip(), bool(active)
    db.add(user)
    if was_active and not user.active:
        end_user_sessions(db, user_id=user_id, reason=SessionEnd.deactivated)
    audit(
        db, actor=actor(admin), action="user.update", target=user.username,
        detail=f"role={role} department={department or ''} active={user.active}",
    )  # fmt: skip
    db.commit()
    flash(request, texts.USER_UPDATED.format(username=user.username))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/password", dependencies=[Depends(require_csrf)])
def reset_password(
    request: Request, user_id: int, admin: User = Depends(admin_only), db: Session = Depends(get_db)
) -> Response:
    user = _user(db, user_id)
    password = generate_password()
    set_password(db, user=user, password=password, must_change=True)
    audit(db, actor=actor(admin), action="user.reset_password", target=user.username)
    db.commit()
    return _show_once(request, db, PASSWORD_RESET.format(username=user.username, password=password))


@router.post("/admin/users/{user_id}/sessions/end", dependencies=[Depends(require_csrf)])
def end_sessions(
    request: Request, user_id: int, admin: User = Depends(admin_only), db: Session = Depends(get_db)
) -> Response:
    """ "Đăng xuất mọi nơi" for an account (the admin's own included: then back to /login)."""
    user = _user(db, user_id)
    ended = end_user_sessions(db, user_id=user_id, reason=SessionEnd.everywhere)
    detail = f"sessions={ended}"
    audit(db, actor=actor(admin), action="user.sign_out_everywhere", target=user.username, detail=detail)
    db.commit()
    flash(request, SESSIONS_ENDED.format(username=user.username, count=ended))
    return RedirectResponse("/admin/users", status_code=303)
