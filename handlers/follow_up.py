"""After a blocker is filed: rating an answer and adding information (each message then goes to
the blocker until "Xong"; dialog "fu").

Both come from buttons under notifications or /cuatoi, any time later. Which chat may rate or
add to which blocker is decided by the admission table (handlers/admission.py) before these
run; the payloads are built and parsed by blockers/payloads.py.
"""

from __future__ import annotations

from blockers import lifecycle, payloads
from blockers.payloads import FollowUp, FollowUpAction
from bot.channel import Button, Reply
from core.models import Blocker, BlockerStatus
from handlers import texts as t
from handlers.flow import Turn
from handlers.reporting_steps import attachment_replies, is_done_word, stored_attachments
from handlers.state import StaleChoice

FLOW = "fu"
STEP_ADD = "add"
DONE = "my:done"  # the add dialog's "Xong" (its shape predates this module: kept for old chats)
LEGACY_FLOW = "my"  # add dialogs opened before this module existed were stored as ("my", "add")
DONE_BUTTONS = [Button(t.DONE, DONE)]


def is_add_dialog(flow: str, step: str) -> bool:
    return flow == FLOW or (flow == LEGACY_FLOW and step == STEP_ADD)


def handle_payload(turn: Turn, follow_up: FollowUp) -> list[Reply]:
    blocker = turn.session.get(Blocker, follow_up.blocker_id)
    if blocker is None:
        raise StaleChoice(turn.choice)
    if follow_up.action == FollowUpAction.rate:
        return _rate(turn, blocker, solved=bool(follow_up.solved))
    if follow_up.action == FollowUpAction.add_info:
        return _begin_add(turn, blocker)
    raise StaleChoice(turn.choice)


def _rate(turn: Turn, blocker: Blocker, *, solved: bool) -> list[Reply]:
    lifecycle.rate(turn.session, blocker=blocker, account=turn.account, solved=solved, settings=turn.settings)
    if blocker.account_id != turn.account.id:
        return [Reply(text=t.RATED_AS_FOLLOWER.format(code=blocker.code))]
    if solved:
        return [Reply(text=t.RATED_SOLVED.format(code=blocker.code))]
    add = [payloads.add_info_button(blocker.id or 0)] if blocker.status != BlockerStatus.closed else []
    return [Reply(text=t.RATED_NOT_SOLVED.format(code=blocker.code), buttons=add)]


def _begin_add(turn: Turn, blocker: Blocker) -> list[Reply]:
    if blocker.status == BlockerStatus.closed:
        return [Reply(text=t.CLOSED_NO_ADD.format(code=blocker.code))]
    turn.open(FLOW, STEP_ADD, blocker=blocker.id, code=blocker.code)
    return [Reply(text=t.ADD_PROMPT.format(code=blocker.code), buttons=DONE_BUTTONS)]


def handle(turn: Turn) -> list[Reply]:
    """A message (text, photos, files) or "Xong" while adding information to a blocker."""
    data = dict(turn.state.data)
    code = str(data.get("code", ""))
    if turn.choice == DONE or (not turn.choice and is_done_word(turn.text)):
        turn.close()
        return [Reply(text=t.ADD_DONE.format(code=code))]
    if turn.choice:
        return [Reply(text=t.PRESS_A_BUTTON, buttons=DONE_BUTTONS)]
    blocker_id = payloads.object_id(str(data.get("blocker", "")))
    blocker = turn.session.get(Blocker, blocker_id) if blocker_id is not None else None
    if blocker is None or blocker.status == BlockerStatus.closed or blocker.account_id != turn.account.id:
        turn.close()
        return [Reply(text=t.CLOSED_NO_ADD.format(code=code))]
    scratch: dict[str, object] = {"files": []}
    notes = attachment_replies(turn, scratch)
    files = stored_attachments(scratch)
    if turn.text or files:
        lifecycle.add_official_message(
            turn.session,
            blocker=blocker,
            account=turn.account,
            text=turn.text,
            attachments=files,
            settings=turn.settings,
        )
        notes.append(t.ADDED.format(code=code))
    return [Reply(text="\n".join(notes) or t.PRESS_A_BUTTON, buttons=DONE_BUTTONS)]
