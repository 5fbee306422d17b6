"""Web accounts: password hashing, creating users, the first admin login, the secret key."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.web import texts
from api.web.sessions import end_user_sessions
from api.web.texts import FIRST_ADMIN_NOTICE, FIRST_ADMIN_TEXT, FIRST_ADMIN_USER_LINE
from core.clock import utcnow
from core.logs import register_secret
from core.models import AuditLog, KeyValue, Role, SessionEnd, User
from core.settings import Settings

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
SECRET_KEY_NAME = "web.secret_key"
MIN_PASSWORD_LENGTH = 8
FIRST_ADMIN_FILE = "first-admin.txt"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy: tuple[PasswordHasher, str] | None = None


def dummy_password_hash() -> str:
    """A hash made like real ones, verified when the username is unknown or locked, so those
    answers take as long as a wrong password (no timing oracle for which accounts exist)."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


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
    """A new password ends every web session of the account (the caller starts a new one for
    the user who changed their own)."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    session.add(user)
    session.flush()
    assert user.id is not None
    end_user_sessions(session, user_id=user.id, reason=SessionEnd.password)


def audit(session: Session, *, actor: str, action: str, target: str = "", detail: str = "") -> None:
    session.add(AuditLog(actor=actor, action=action, target=target, detail=detail))


def first_admin_file(data_dir: Path) -> Path:
    return data_dir / FIRST_ADMIN_FILE


def _write_private(path: Path, text: str) -> None:
    """Readable by the service's own account only (0600), whatever the umask."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def ensure_first_admin(engine: Engine, *, data_dir: Path) -> str | None:
    """Create an admin with a random password when none exists; the password goes to a file.

    Never to stdout or a log: under systemd both end in the journal, which other accounts and
    log shipping may read. The file (DATA_DIR/first-admin.txt, mode 0600) is removed when that
    admin sets their own password. Returns the password when one was created.
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
    path = first_admin_file(data_dir)
    _write_private(path, FIRST_ADMIN_TEXT.format(username=username, password=password))
    print(FIRST_ADMIN_NOTICE.format(username=username, path=path.resolve()), flush=True)
    return password


def forget_first_admin_password(data_dir: Path, *, username: str) -> None:
    """The first admin chose their own password: the temporary one is no longer kept."""
    path = first_admin_file(data_dir)
    try:
        names_them = f"{FIRST_ADMIN_USER_LINE}{username}\n" in path.read_text(encoding="utf-8")
    except OSError:
        return
    if names_them:
        path.unlink(missing_ok=True)


def resolve_secret_key(settings: Settings, engine: Engine) -> str:
    """The configured secret key, else one generated at first use and kept in KeyValue."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        return configured
    with Session(engine) as session:
        row = session.get(KeyValue, SECRET_KEY_NAME)
        if row is not None:
            register_secret(row.value)
            return row.value
        value = secrets.token_urlsafe(48)
        register_secret(value)
        session.add(KeyValue(key=SECRET_KEY_NAME, value=value, updated_at=utcnow()))
        try:
            session.commit()
        except Exception:
            # Another worker stored one first: use theirs so every process signs alike.
            session.rollback()
            stored = session.get(KeyValue, SECRET_KEY_NAME)
            if stored is None:
                raise
            register_secret(stored.value)
            return stored.value
        return value
