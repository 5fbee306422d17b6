"""Feedback on an answer ("fb:<question id>:h|w"), stored on its QuestionLog row.

Pressing again changes the verdict (people correct a mis-tap); "Chưa đúng" also offers to
send the question to a department as a blocker.
"""

from __future__ import annotations

from bot.channel import Button, Reply
from core.clock import utcnow
from core.models import Feedback
from handlers import texts
from handlers.asking import handover_payload, own_question
from handlers.flow import Turn
from handlers.state import StaleChoice

_VERDICTS = {"h": Feedback.helpful, "w": Feedback.wrong}


def handle_payload(turn: Turn) -> list[Reply]:
    _, raw_id, code = [*turn.choice.split(":"), "", ""][:3]
    verdict = _VERDICTS.get(code)
    if verdict is None:
        raise StaleChoice(turn.choice)
    log = own_question(turn, raw_id)
    log.feedback, log.feedback_at = verdict, utcnow()
    turn.session.add(log)
    turn.session.flush()
    if verdict == Feedback.helpful or log.blocker_id is not None:
        return [Reply(text=texts.FEEDBACK_THANKS)]
    assert log.id is not None
    offer = Button(texts.BUTTON_SEND_BLOCKER, handover_payload(log.id))
    return [Reply(text=texts.FEEDBACK_WRONG, buttons=[offer])]
