"""Login, logout, changing one's own password and signing out everywhere."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from api.web import texts
from api.web.accounts import (
    dummy_password_hash,
    forget_first_admin_password,
    password_problem,
    set_password,
    verify_password,
)
from api.web.deps import any_user, get_db, get_settings_dep
from api.web.render import flash, render
from api.web.security import require_csrf
from api.web.sessions import COOKIE_KEY, end_session, end_user_sessions, start_session
from api.web.texts import LOGIN_TOO_MANY, LOGIN_WRONG, PASSWORD_CHANGED, SIGNED_OUT_EVERYWHERE
from core.clock import utcnow
from core.limits import forget_old_counters, return_attempt, take_attempts
from core.models import Role, SessionEnd, User
from core.settings import Settings

router = APIRouter()

LOGIN_WINDOW = timedelta(minutes=1)
MAX_USERNAME = 100  # the column's length: longer input cannot name an account


def home_for(user: User) -> str:
    return "/dashboard" if user.role == Role.leader else "/inbox"


def login_limits(request: Request, username: str, settings: Settings) -> list[tuple[str, int]]:
    """Per account and per source address (behind nginx: the forwarded client address)."""
    address = request.client.host if request.client else "unknown"
    return [
        (f"login:user:{username.lower()}", settings.login_attempts_per_minute),
        (f"login:ip:{address}", settings.login_attempts_per_minute_per_address),
    ]


def begin_session(request: Request, db: Session, *, user: User, settings: Settings) -> None:
    """A fresh cookie and session row: nothing chosen before (CSRF token included) carries over."""
    token = start_session(db, user=user, request=request, settings=settings)
    db.commit()
    request.session.clear()
    request.session[COOKIE_KEY] = token


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
    username = username.strip()[:MAX_USERNAME]
    now = utcnow()
    limits = login_limits(request, username, settings)
    # Counted and committed before the password is looked at: parallel requests cannot pass
    # more than the limit, whatever the number of processes (core/limits.py).
    full = take_attempts(db, limits=limits, window=LOGIN_WINDOW, now=now)
    db.commit()
    if full is not None:
        return render(request, "login.html", {"username": username, "error": LOGIN_TOO_MANY}, status_code=429)
    user = db.exec(select(User).where(User.username == username)).first()
    usable = user is not None and user.active
    # An unknown or locked account costs the same hash as a wrong password.
    matches = verify_password(
        user.password_hash if user is not None and usable else dummy_password_hash(), password
    )
    if not (usable and matches) or user is None:
        return render(request, "login.html", {"username": username, "error": LOGIN_WRONG}, status_code=401)
    for key, _ in limits:  # a right password is not a failed attempt
        return_attempt(db, key=key, window=LOGIN_WINDOW, now=now)
    forget_old_counters(db, before=now - timedelta(days=1))
    begin_session(request, db, user=user, settings=settings)
    target = "/account/password" if user.must_change_password else home_for(user)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    end_session(db, token=request.session.get(COOKIE_KEY), reason=SessionEnd.logout)
    db.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/account/sessions/end", dependencies=[Depends(require_csrf)])
def sign_out_everywhere(
    request: Request, user: User = Depends(any_user), db: Session = Depends(get_db)
) -> Response:
    """ "Đăng xuất mọi nơi": every session of this account, this one included."""
    assert user.id is not None
    end_user_sessions(db, user_id=user.id, reason=SessionEnd.everywhere)
    db.commit()
    request.session.clear()
    flash(request, SIGNED_OUT_EVERYWHERE)
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
    settings: Settings = Depends(get_settings_dep),
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
    set_password(db, user=user, password=new)  # ends every session of the account, this one too
    begin_session(request, db, user=user, settings=settings)
    if user.role == Role.admin:
        forget_first_admin_password(settings.data_dir, username=user.username)
    flash(request, PASSWORD_CHANGED)
    return RedirectResponse(home_for(user), status_code=303)
