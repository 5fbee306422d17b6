"""The web's side of blockers/access.py: a blocker the user may not see answers 404 (never 403,
so a typed URL reveals nothing); one they see but may not act on this way answers 403."""

from __future__ import annotations

from sqlmodel import Session

from api.web.deps import Forbidden, NotVisible
from blockers.access import Action, allowed_actions
from core.models import Blocker, User


def visible_blocker(session: Session, *, user: User, blocker_id: int) -> Blocker:
    return acting_blocker(session, user=user, blocker_id=blocker_id, action=Action.see)


def acting_blocker(session: Session, *, user: User, blocker_id: int, action: Action) -> Blocker:
    blocker = session.get(Blocker, blocker_id)
    allowed = allowed_actions(session, user=user, blocker=blocker) if blocker is not None else frozenset()
    if blocker is None or Action.see not in allowed:
        raise NotVisible()
    if action not in allowed:
        raise Forbidden()
    return blocker
