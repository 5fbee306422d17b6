"""Who may use what in the chat: the admission table, and the check of every payload that names
an object. The dispatcher asks here before it routes anything; nothing else decides it.

Three levels: anyone; questions (anyone while ALLOW_UNREGISTERED_QUESTIONS, else registered
officials); registered officials. Then the object a payload names: a blocker only as far as
this chat's relation to it allows (blockers/access.py: the reporter, or a follower), a similar
blocker to follow or a department to choose only among the buttons last shown to this chat (the
dispatcher's remembered choices, kept server-side: a forged payload is not among them), a
logged question only if this chat asked it. A refused payload never reaches a flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlmodel import Session, select

from blockers import payloads
from blockers.access import ChatRelation, chat_relation
from blockers.payloads import FollowUpAction
from bot.channel import Reply
from core.models import Blocker, ChatAccount
from core.settings import Settings
from handlers import asking, onboarding, texts
from handlers.accounts import registered_person
from handlers.commands import Command
from handlers.flow import Turn
from handlers.reporting import DEPARTMENT_PREFIX, QUESTION_PREFIX


class Access(StrEnum):
    anyone = "anyone"
    questions = "questions"
    registered = "registered"


COMMANDS: dict[Command, Access] = {
    Command.ask: Access.questions,
    Command.report: Access.registered,
    Command.my: Access.registered,
}  # every other command: anyone (start, register, help, menu, cancel, greet, thanks, unknown)

# Payload prefixes, first match wins. "menu:<item>" runs its command, which is then admitted.
PAYLOADS: tuple[tuple[str, Access], ...] = (
    ("menu:", Access.anyone),
    ("reg:", Access.anyone),
    (onboarding.REQUEST_CONTACT, Access.anyone),
    ("fb:", Access.anyone),  # feedback on one's own answer: the question check below applies
    ("ask:", Access.questions),
    ("rp:", Access.registered),
    ("my:", Access.registered),
)
DIALOGS: dict[str, Access] = {"rp": Access.registered, "my": Access.registered, "fu": Access.registered}
QUESTION = Access.questions  # free text taken as a question

# What a chat's relation to a blocker lets it do with a follow-up payload.
FOLLOW_UPS: dict[FollowUpAction, frozenset[ChatRelation]] = {
    FollowUpAction.open: frozenset({ChatRelation.owner, ChatRelation.follower}),
    FollowUpAction.rate: frozenset({ChatRelation.owner, ChatRelation.follower}),
    FollowUpAction.add_info: frozenset({ChatRelation.owner}),
    FollowUpAction.follow: frozenset({ChatRelation.none}),  # and only one the dialog offered
}
_NOT_YOURS = {FollowUpAction.open: texts.MY_NOT_YOURS, FollowUpAction.add_info: texts.MY_NOT_YOURS}
_QUESTION_PAYLOADS = ("fb:", asking.SOURCE_PREFIX, QUESTION_PREFIX)


def may_send_files(session: Session, *, channel: str, user_id: str, settings: Settings) -> bool:
    """Whether a chat may post files at all (the web chat asks before it takes a byte): a
    registered official, or anyone while questions are open to all. Which file a dialog then
    takes is handlers/uploads.py's."""
    if settings.allow_unregistered_questions:  # the questions level: a voice or photo question
        return True
    account = session.exec(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.user_id == user_id)
    ).first()
    return account is not None and registered_person(session, account=account) is not None


def payload_access(payload: str) -> Access | None:
    """The access level of a payload; None for a payload no flow has (a stale choice)."""
    return next((access for prefix, access in PAYLOADS if payload.startswith(prefix)), None)


def refusal(turn: Turn, access: Access) -> list[Reply] | None:
    """None when admitted; else the explanation of how to register."""
    if access == Access.anyone or turn.person is not None:
        return None
    if access == Access.questions:
        if turn.settings.allow_unregistered_questions:
            return None
        return onboarding.how_to_register(turn, lead=texts.QUESTIONS_NEED_REGISTRATION)
    return onboarding.how_to_register(turn, lead=texts.REPORT_NEEDS_REGISTRATION)


def object_refusal(turn: Turn, payload: str, *, offered: Sequence[str]) -> list[Reply] | None:
    """None when the object the payload names is this chat's to use; else what to answer.
    `offered`: the payloads of the buttons last shown to this chat. A question of another chat
    raises StaleChoice, as any choice that points at nothing."""
    question = next((prefix for prefix in _QUESTION_PAYLOADS if payload.startswith(prefix)), None)
    if question is not None:
        asking.own_question(turn, payload.removeprefix(question).split(":", 1)[0])
        return None
    if payload.startswith(DEPARTMENT_PREFIX):
        return None if payload in offered else [Reply(text=texts.STALE)]
    if not payloads.is_follow_up(payload):
        return None
    follow_up = payloads.parse(payload)
    blocker = turn.session.get(Blocker, follow_up.blocker_id) if follow_up is not None else None
    if follow_up is None or blocker is None:
        return [Reply(text=texts.STALE)]
    if follow_up.action == FollowUpAction.follow and payload not in offered:
        return [Reply(text=texts.STALE)]
    relation = chat_relation(turn.session, account_id=turn.account.id, blocker=blocker)
    if relation in FOLLOW_UPS[follow_up.action]:
        return None
    return [Reply(text=_NOT_YOURS.get(follow_up.action, texts.STALE))]
