"""Request dependencies: database session, the logged-in user, role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from api.context import AppContext
from api.web.sessions import COOKIE_KEY as SESSION_TOKEN
from api.web.sessions import current_session
from blockers.access import PAGE_ROLES, Page
from core.models import Role, User
from core.settings import Settings


class LoginRequired(Exception):
    """No valid session: the exception handler redirects to /login."""


class PasswordChangeRequired(Exception):
    """The account must set its own password before using the pages."""


class Forbidden(Exception):
    """The role may not use this page (403 page)."""


class NotVisible(Exception):
    """Not found, or not visible to this user: both answer 404 so nothing leaks."""


def get_ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.ctx.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    # Routes commit explicitly before they redirect; anything uncommitted is rolled back.
    with Session(request.app.state.ctx.engine, expire_on_commit=False) as session:
        yield session


def _load_user(request: Request, db: Session) -> User:
    # The session row decides (api/web/sessions.py); a cookie of the old scheme has no token.
    settings = request.app.state.ctx.settings
    record = current_session(db, token=request.session.get(SESSION_TOKEN), settings=settings)
    user = db.get(User, record.user_id) if record is not None else None
    if user is None or not user.active:
        request.session.clear()
        raise LoginRequired()
    request.state.user = user
    return user


def any_user(request: Request, db: Session = Depends(get_db)) -> User:
    """Logged in, even if the password must still be changed (the password page itself)."""
    return _load_user(request, db)


def current_user(request: Request, db: Session = Depends(get_db)) -> User:
    user = _load_user(request, db)
    if user.must_change_password:
        raise PasswordChangeRequired()
    return user


def require_roles(*roles: Role) -> Callable[..., User]:
    def dependency(user: User = Depends(current_user)) -> User:
        if user.role not in roles:
            raise Forbidden()
        return user

    return dependency


staff_or_above = require_roles(Role.staff, Role.head, Role.leader, Role.admin)
dashboard_roles = require_roles(Role.head, Role.leader, Role.admin)
admin_only = require_roles(Role.admin)
canned_managers = require_roles(Role.head, Role.admin)
authority_readers = require_roles(*sorted(PAGE_ROLES[Page.authority_map]))


def actor(user: User) -> str:
    return f"user:{user.id}"


# Annotated aliases, as in the FastAPI full-stack template: `db: SessionDep`, `user: CurrentUser`.
SessionDep = Annotated[Session, Depends(get_db)]
CurrentUser = Annotated[User, Depends(current_user)]
CurrentStaff = Annotated[User, Depends(staff_or_above)]
AppContextDep = Annotated[AppContext, Depends(get_ctx)]
