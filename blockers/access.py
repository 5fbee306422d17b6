"""Who may see and do what with a blocker: the permission table, and the one place it is read.

Web users: a staff member or head acts for a department, which either leads a blocker, supports
it (phối hợp) or has nothing to do with it; leaders and admins see the whole province. The table
`PERMISSIONS` maps (role, relation) to the actions allowed; docs/security.md prints it and
tests/blockers/test_blocker_access.py checks every cell. A supporting department sees the
blocker, keeps notes and answers its part; only the lead department (or an admin) changes its
course: status, information requests, transfer, support, assignment (heads), closing,
publishing. Leaders read everything, may step in where a blocker is stuck (close, transfer,
assign, publish: issue 11.2 "only the lead, or leader/admin") and send published answers to
the communes; the day-to-day work (notes, replies, information requests) stays with the
departments.

Officials in the chat: the one who reported a blocker owns it; one who followed it (after the
bot offered it as similar) receives its answers; anyone else is told nothing about it.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import or_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from core.models import Blocker, BlockerFollower, BlockerSupport, Role, User


class Relation(StrEnum):
    province = "province"  # leader, admin: every blocker
    lead = "lead"  # the user's department leads the blocker
    support = "support"  # the user's department supports it
    none = "none"


class Action(StrEnum):
    see = "see"  # the page, its files, its export
    note = "note"  # internal note
    reply = "reply"  # an answer to the official (a supporter's covers its part only)
    request_info = "request_info"
    change_status = "change_status"
    assign = "assign"
    transfer = "transfer"
    support = "support"  # invite another department
    close = "close"
    publish = "publish"  # an answer becomes guidance
    broadcast = "broadcast"  # a published answer sent to the communes


_LEAD = frozenset(
    {
        Action.see,
        Action.note,
        Action.reply,
        Action.request_info,
        Action.change_status,
        Action.transfer,
        Action.support,
        Action.close,
        Action.publish,
    }
)
_SUPPORT = frozenset({Action.see, Action.note, Action.reply})
_NOTHING: frozenset[Action] = frozenset()

PERMISSIONS: dict[tuple[Role, Relation], frozenset[Action]] = {
    (Role.staff, Relation.lead): _LEAD,
    (Role.staff, Relation.support): _SUPPORT,
    (Role.staff, Relation.none): _NOTHING,
    (Role.head, Relation.lead): _LEAD | {Action.assign},
    (Role.head, Relation.support): _SUPPORT,
    (Role.head, Relation.none): _NOTHING,
    (Role.leader, Relation.province): frozenset(
        {Action.see, Action.close, Action.transfer, Action.assign, Action.publish, Action.broadcast}
    ),
    (Role.admin, Relation.province): frozenset(Action),
}


class Page(StrEnum):
    """Web pages that show no blocker: who may open them depends on the role alone."""

    authority_map = "authority_map"  # /admin/authority "Phân định thẩm quyền" and its export


# Page → roles. The authority map is what the decrees say, public law: every web role reads it.
PAGE_ROLES: dict[Page, frozenset[Role]] = {
    Page.authority_map: frozenset({Role.staff, Role.head, Role.leader, Role.admin}),
}


def may_open(user: User, page: Page) -> bool:
    return user.active and user.role in PAGE_ROLES.get(page, frozenset())


def scope_department(user: User) -> str | None:
    """The department the user is limited to; None = the whole province."""
    if user.role in (Role.leader, Role.admin):
        return None
    # A staff account without a department sees nothing rather than everything.
    return user.department_code or "\x00none"


def visible_clause(department_code: str | None) -> ColumnElement[bool]:
    """Blockers a department leads or supports; everything when department_code is None."""
    if department_code is None:
        return true()
    supported = select(BlockerSupport.blocker_id).where(BlockerSupport.department_code == department_code)
    return or_(col(Blocker.department_code) == department_code, col(Blocker.id).in_(supported))


def visible_to(user: User) -> ColumnElement[bool]:
    return visible_clause(scope_department(user))


def relation(session: Session, *, user: User, blocker: Blocker) -> Relation:
    department = scope_department(user)
    if department is None:
        return Relation.province
    if blocker.department_code == department:
        return Relation.lead
    if session.get(BlockerSupport, (blocker.id, department)) is not None:
        return Relation.support
    return Relation.none


def allowed_actions(session: Session, *, user: User, blocker: Blocker) -> frozenset[Action]:
    if not user.active:
        return _NOTHING
    return PERMISSIONS.get((user.role, relation(session, user=user, blocker=blocker)), _NOTHING)


def may(session: Session, *, user: User, blocker: Blocker, action: Action) -> bool:
    return action in allowed_actions(session, user=user, blocker=blocker)


# --- officials in the chat -----------------------------------------------------------------------


class ChatRelation(StrEnum):
    owner = "owner"  # reported it
    follower = "follower"  # follows it after it was offered as similar
    none = "none"


def chat_relation(session: Session, *, account_id: int | None, blocker: Blocker) -> ChatRelation:
    if account_id is not None and blocker.account_id == account_id:
        return ChatRelation.owner
    follows = account_id is not None and session.get(BlockerFollower, (blocker.id, account_id)) is not None
    return ChatRelation.follower if follows else ChatRelation.none
