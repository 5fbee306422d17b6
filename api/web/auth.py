"""Login, logout and changing one's own password."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from api.web import texts
from api.web.accounts import password_problem, set_password, verify_password
from api.web.deps import any_user, get_db, get_settings_dep, session_fingerprint
from api.web.render import flash, render
from api.web.security import require_csrf
from core.clock import utcnow
from core.models import LoginAttempt, Role, User
from core.settings import Settings

router = APIRouter()

TOO_MANY = texts.TOO_MANY_LOGINS
WRONG = texts.WRONG_LOGIN


def home_for(user: User) -> str:
    return "/dashboard" if user.role == Role.leader else "/inbox"


def _client_key(request: Request) -> str:
    return f"ip:{request.client.host if request.client else 'unknown'}"


def recent_failures(db: Session, *, key: str) -> int:
    since = utcnow() - timedelta(minutes=1)
    query = select(func.count()).where(
        LoginAttempt.key == key,
        col(LoginAttempt.succeeded).is_(False),
        LoginAttempt.created_at >= since,
    )
    return int(db.exec(query).one())


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"username": ""})


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    db: Session = Depends(get_db),
    settings: Settings = Depends(get_settings_dep),
) -> Response:
    username = username.strip()
    keys = [f"user:{username.lower()}", _client_key(request)]
    limit = settings.login_attempts_per_minute
    if any(recent_failures(db, key=key) >= limit for key in keys):
        return render(request, "login.html", {"username": username, "error": TOO_MANY}, status_code=429)
    user = db.exec(select(User).where(User.username == username)).first()
    ok = user is not None and user.active and verify_password(user.password_hash, password)
    for key in keys:
        db.add(LoginAttempt(key=key, succeeded=ok))
    # Only the last minute matters; older attempts are dropped so the table stays small.
    db.exec(delete(LoginAttempt).where(col(LoginAttempt.created_at) < utcnow() - timedelta(days=1)))  # type: ignore[call-overload]
    db.commit()
    if not ok or user is None:
        return render(request, "login.html", {"username": username, "error": WRONG}, status_code=401)
    # A fresh session (and CSRF token) at login: nothing chosen before login carries over.
    request.session.clear()
    request.session.update({"uid": user.id, "fp": session_fingerprint(user)})
    target = "/account/password" if user.must_change_password else home_for(user)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_page(request: Request, user: User = Depends(any_user)) -> Response:
    return render(request, "password.html", {"user": user})


@router.post("/account/password", dependencies=[Depends(require_csrf)])
def change_password(
    request: Request,
    current: str = Form(""),
    new: str = Form(""),
    confirm: str = Form(""),
    user: User = Depends(any_user),
    db: Session = Depends(get_db),
) -> Response:
    error = ""
    if not verify_password(user.password_hash, current):
        error = texts.WRONG_CURRENT_PASSWORD
    elif new != confirm:
        error = texts.PASSWORDS_DIFFER
    else:
        error = password_problem(new)
    if error:
        return render(request, "password.html", {"user": user, "error": error}, status_code=400)
    set_password(db, user=user, password=new)
    db.commit()
    request.session["fp"] = session_fingerprint(user)
    flash(request, texts.PASSWORD_CHANGED)
    return RedirectResponse(home_for(user), status_code=303)
