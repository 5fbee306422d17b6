"""What the reporting dialog asks the blocker domain before a blocker is filed: which departments
to suggest, which similar blockers this official may follow instead, the deadline to expect,
and whether a department still takes blockers. The dialog (handlers/reporting.py) only talks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from blockers.deadlines import deadline_for
from blockers.duplicates import find_similar
from blockers.routing import RouteScore, route
from blockers.texts import status_label
from core.models import BlockerFollower, Department
from core.settings import Settings
from knowledge.authority.store import provincial_department_for
from knowledge.normalize import fold_key

SUGGESTED = 3  # departments offered as buttons, besides "Không rõ"
KEPT_SCORES = 5  # routing scores stored with the blocker (the inbox shows why it was routed so)


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Offer:
    """A similar open blocker of another commune. Its existence and status are shown, never its
    text: the official may not read another commune's report, only follow it for the answer."""

    blocker_id: int
    code: str
    department: str
    status: str


def department_names(session: Session) -> dict[str, str]:
    return dict(session.exec(select(Department.code, Department.name)).all())


def open_department(session: Session, code: str) -> Department | None:
    """The department if it still takes blockers (it may have been deactivated since offered)."""
    department = session.get(Department, code)
    return department if department is not None and department.active else None


def holder_department(session: Session, *, text: str) -> str | None:
    """The code of the department answering for the task, when the authority map gives the task
    the blocker is about to the province or a provincial body (its name in the catalogue)."""
    name = fold_key(provincial_department_for(session, text=text))
    if not name:
        return None
    for code, department in department_names(session).items():
        if fold_key(department) == name and open_department(session, code) is not None:
            return code
    return None


def holder_first(session: Session, *, text: str, scores: list[RouteScore]) -> list[RouteScore]:
    """The router's ranking with the holder's department moved to the front."""
    code = holder_department(session, text=text)
    if code is None:
        return scores
    own = next((s for s in scores if s.department == code), RouteScore(code, 0.0))
    top = max((s.score for s in scores), default=0.0)
    return [RouteScore(code, max(own.score, top)), *(s for s in scores if s.department != code)]


def suggest_departments(
    session: Session, *, text: str, settings: Settings
) -> tuple[list[Suggestion], list[dict[str, float | str]]]:
    """The departments to offer, best first, and the scores to keep with the blocker.

    The triage department is never one of the three guesses (it is what "Không rõ" means),
    unless the router itself ranks it first: then it leads the list.
    """
    scores = route(session, text=text, use_embeddings=settings.routing_embeddings, settings=settings)
    scores = holder_first(session, text=text, scores=scores)  # issue 14: the authority map
    triage = settings.triage_department
    top = [s for s in scores if s.department != triage][:SUGGESTED]
    if scores and scores[0].department == triage:
        top = [scores[0], *top][:SUGGESTED]
    names = department_names(session)
    suggestions = [Suggestion(s.department, names.get(s.department, s.department), s.score) for s in top]
    kept: list[dict[str, float | str]] = [
        {"department": s.department, "score": s.score} for s in scores[:KEPT_SCORES]
    ]
    return suggestions, kept


def similar_offers(
    session: Session, *, text: str, account_id: int | None, commune: str, limit: int = 3
) -> list[Offer]:
    """Open blockers of other communes like this one, that this chat does not follow yet."""
    similar = find_similar(session, text=text, exclude_commune=commune, limit=limit + 10)
    followed = set(
        session.exec(select(BlockerFollower.blocker_id).where(BlockerFollower.account_id == account_id))
    )
    names = department_names(session)
    offers = [
        Offer(
            blocker_id=item.blocker.id or 0,
            code=item.blocker.code,
            department=names.get(item.blocker.department_code, item.blocker.department_code),
            status=status_label(item.blocker.status),
        )
        for item in similar
        if item.blocker.id not in followed and item.blocker.account_id != account_id
    ]
    return offers[:limit]


def deadline_preview(
    session: Session, *, department_code: str, now: datetime, settings: Settings
) -> datetime | None:
    """The deadline the blocker would get if filed now, from the department's own setting."""
    department = session.get(Department, department_code)
    if department is None:
        return None
    return deadline_for(now, department.deadline_days, settings=settings)
