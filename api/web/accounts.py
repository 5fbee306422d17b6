"""Web accounts: password hashing, creating users, the first admin login, the secret key."""

from __future__ import annotations

import logging
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.web import texts
from core.clock import utcnow
from core.models import AuditLog, KeyValue, Role, User
from core.settings import Settings

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
SECRET_KEY_NAME = "web.secret_key"
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def password_problem(password: str) -> str:
    """A Vietnamese reason why a new password is refused, or "" when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return texts.PASSWORD_TOO_SHORT.format(length=MIN_PASSWORD_LENGTH)
    return ""


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    department_code: str | None = None,
    full_name: str = "",
    must_change_password: bool = False,
) -> User:
    if role in (Role.staff, Role.head) and not department_code:
        raise ValueError(texts.NEEDS_DEPARTMENT)
    user = User(
        username=username.strip(),
        password_hash=hash_password(password),
        role=role,
        department_code=department_code or None,
        full_name=full_name,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, *, user: User, password: str, must_change: bool = False) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    session.add(user)
    session.flush()


def audit(session: Session, *, actor: str, action: str, target: str = "", detail: str = "") -> None:
    session.add(AuditLog(actor=actor, action=action, target=target, detail=detail))


def ensure_first_admin(engine: Engine) -> str | None:
    """Create an admin with a random password when none exists, and print the login once.

    Printed (not logged) on purpose: it is the operator's only way in on a fresh install, and
    log files may be shipped elsewhere. Returns the password when one was created.
    """
    with Session(engine) as session:
        if session.exec(select(User.id).where(User.role == Role.admin)).first() is not None:
            return None
        username = "admin"
        if session.exec(select(User.id).where(User.username == username)).first() is not None:
            username = f"admin-{secrets.token_hex(3)}"
        password = generate_password()
        try:
            create_user(
                session, username=username, password=password, role=Role.admin, must_change_password=True
            )
            audit(session, actor="system", action="user.first_admin", target=username)
            session.commit()
        except IntegrityError:
            # Several processes start together on a fresh database: one creates the admin.
            session.rollback()
            return None
    print(texts.FIRST_ADMIN.format(username=username, password=password), flush=True)
    return password


def resolve_secret_key(settings: Settings, engine: Engine) -> str:
    """The configured secret key, else one generated at first use and kept in KeyValue."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured
    with Session(engine) as session:
        row = session.get(KeyValue, SECRET_KEY_NAME)
        if row is not None:
            return row.value
        value = secrets.token_urlsafe(48)
        session.add(KeyValue(key=SECRET_KEY_NAME, value=value, updated_at=utcnow()))
        try:
            session.commit()
        except Exception:
            # Another worker stored one first: use theirs so every process signs alike.
            session.rollback()
            stored = session.get(KeyValue, SECRET_KEY_NAME)
            if stored is None:
                raise
            return stored.value
        return value
