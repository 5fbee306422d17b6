"""Who may see and act on which blocker.

Staff and heads see blockers their department leads or supports; leaders and admins see all.
Anything outside that answers 404 (never 403) so a typed URL reveals nothing.
"""

from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from api.web.deps import Forbidden, NotVisible
from blockers.stats import visible_to
from core.models import Blocker, BlockerSupport, Role, User

ACTING_ROLES = (Role.staff, Role.head, Role.admin)  # leaders read only
ASSIGNING_ROLES = (Role.head, Role.admin)


def scope_department(user: User) -> str | None:
    """The department the user is limited to; None = the whole province."""
    if user.role in (Role.leader, Role.admin):
        return None
    # A staff account without a department sees nothing rather than everything.
    return user.department_code or "\x00none"


def visibility(user: User) -> ColumnElement[bool]:
    return visible_to(scope_department(user))


def can_see(session: Session, *, user: User, blocker: Blocker) -> bool:
    department = scope_department(user)
    if department is None or blocker.department_code == department:
        return True
    support = session.get(BlockerSupport, (blocker.id, department))
    return support is not None


def visible_blocker(session: Session, *, user: User, blocker_id: int) -> Blocker:
    blocker = session.get(Blocker, blocker_id)
    if blocker is None or not can_see(session, user=user, blocker=blocker):
        raise NotVisible()
    return blocker


def require_action(user: User, *, assign: bool = False) -> None:
    allowed = ASSIGNING_ROLES if assign else ACTING_ROLES
    if user.role not in allowed:
        raise Forbidden()
