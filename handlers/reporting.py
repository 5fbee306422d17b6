"""The reporting dialog (flow "rp"): describe a blocker → similar open blockers (follow one
instead) → choose the department among the suggested three or "Không rõ" → optional field →
summary to confirm / edit / cancel → receipt with code, department and deadline.

Channel-agnostic: choices are Buttons (payloads ≤ 64 bytes); on Zalo the sender numbers them
and the dispatcher maps a typed number back to the payload. State lives in turn.state.data.
"""

from __future__ import annotations

from sqlmodel import select

from blockers import lifecycle
from blockers.catalogue import ensure_departments
from blockers.deadlines import deadline_for
from blockers.duplicates import find_similar
from blockers.routing import route
from bot.channel import Button, Reply
from core.clock import format_vn, utcnow
from core.models import Blocker, BlockerFollower, Department
from handlers import report_texts as t
from handlers.flow import Turn
from handlers.reporting_steps import (
    attachment_replies,
    description_of,
    is_done_word,
    stored_attachments,
)

NAME = "rp"
MIN_DESCRIPTION = 10  # characters: "đất" alone tells a department nothing
SUGGESTED = 3

DONE_BUTTONS = [Button(t.DONE, "rp:done"), Button(t.CANCEL, "rp:cancel")]


def _dept_name(turn: Turn, code: str) -> str:
    department = turn.session.get(Department, code)
    return department.name if department else code


class ReportingFlow:
    name = NAME

    # --- entry -----------------------------------------------------------------------------------

    def start(self, turn: Turn, carried_text: str = "") -> list[Reply]:
        if turn.person is None:
            from handlers import onboarding, texts

            return onboarding.how_to_register(turn, lead=texts.REPORT_NEEDS_REGISTRATION)
        question_id = turn.choice.removeprefix("rp:q:") if turn.choice.startswith("rp:q:") else ""
        turn.open(NAME, "describe", parts=[carried_text] if carried_text else [], files=[], q=question_id)
        if carried_text:
            return [Reply(text=t.CARRIED.format(text=carried_text), buttons=DONE_BUTTONS)]
        return [Reply(text=t.DESCRIBE, buttons=DONE_BUTTONS)]

    def handle(self, turn: Turn) -> list[Reply]:
        choice = turn.choice
        if choice.startswith("rp:rate:"):
            return self._rate(turn, choice)
        if turn.state.flow != NAME:
            if choice == "rp:start":
                return self.start(turn)
            return [Reply(text=t.STALE)]
        if choice == "rp:cancel":
            turn.close()
            return [Reply(text=t.CANCELLED)]
        step = turn.state.step
        handler = {
            "describe": self._describe,
            "similar": self._similar,
            "department": self._department,
            "field": self._field,
            "confirm": self._confirm,
            "edit": self._edit,
        }.get(step)
        if handler is None:
            turn.close()
            return [Reply(text=t.STALE)]
        return handler(turn)

    # --- steps -----------------------------------------------------------------------------------

    def _describe(self, turn: Turn) -> list[Reply]:
        data = dict(turn.state.data)
        if turn.choice == "rp:done" or (not turn.choice and is_done_word(turn.text)):
            return self._finish_description(turn)
        if turn.choice:
            return [Reply(text=t.PRESS_A_BUTTON, buttons=DONE_BUTTONS)]
        notes = attachment_replies(turn, data)
        if turn.text:
            data["parts"] = [*data.get("parts", []), turn.text]
        turn.state.data = data
        return [Reply(text="\n".join([*notes, t.NOTED]), buttons=DONE_BUTTONS)]

    def _finish_description(self, turn: Turn) -> list[Reply]:
        description = description_of(turn.state.data)
        if not description:
            return [Reply(text=t.NEED_DESCRIPTION, buttons=DONE_BUTTONS)]
        if len(description) < MIN_DESCRIPTION:
            return [Reply(text=t.TOO_SHORT, buttons=DONE_BUTTONS)]
        if turn.state.data.get("department"):  # editing the description of a finished draft
            return self._summary(turn)
        commune = turn.person.commune if turn.person else ""
        similar = find_similar(turn.session, text=description, exclude_commune=commune)
        followed = set(
            turn.session.exec(
                select(BlockerFollower.blocker_id).where(BlockerFollower.account_id == turn.account.id)
            )
        )
        similar = [s for s in similar if s.blocker.id not in followed]
        if not similar:
            return self._suggest(turn)
        turn.state.step = "similar"
        lines = [t.SIMILAR]
        buttons = []
        for n, item in enumerate(similar, 1):
            b = item.blocker
            department = _dept_name(turn, b.department_code)
            status = lifecycle.status_label(b.status)
            lines.append(
                t.SIMILAR_ITEM.format(n=n, code=b.code, department=department, status=status, title=b.title)
            )
            buttons.append(Button(t.FOLLOW.format(code=b.code), f"rp:follow:{b.id}"))
        buttons += [Button(t.FILE_NEW, "rp:new"), Button(t.CANCEL, "rp:cancel")]
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def _similar(self, turn: Turn) -> list[Reply]:
        if turn.choice.startswith("rp:follow:"):
            blocker = turn.session.get(Blocker, _int(turn.choice.removeprefix("rp:follow:")))
            if blocker is None:
                return [Reply(text=t.STALE)]
            lifecycle.follow_blocker(turn.session, blocker=blocker, account=turn.account)
            turn.close()
            department = _dept_name(turn, blocker.department_code)
            return [Reply(text=t.FOLLOWED.format(code=blocker.code, department=department))]
        if turn.choice == "rp:new":
            return self._suggest(turn)
        return [Reply(text=t.PRESS_A_BUTTON)]

    def _suggest(self, turn: Turn) -> list[Reply]:
        ensure_departments(turn.session, settings=turn.settings)
        description = description_of(turn.state.data)
        scores = route(turn.session, text=description, use_embeddings=turn.settings.routing_embeddings)
        triage = turn.settings.triage_department
        top = [s for s in scores if s.department != triage][:SUGGESTED]
        if scores and scores[0].department == triage:
            top = [scores[0], *top][:SUGGESTED]
        data = dict(turn.state.data)
        data["scores"] = [{"department": s.department, "score": s.score} for s in scores[:5]]
        turn.state.data, turn.state.step = data, "department"
        buttons = [Button(_dept_name(turn, s.department), f"rp:dept:{s.department}") for s in top]
        buttons.append(Button(t.UNSURE, "rp:dept:?"))
        return [Reply(text=t.CHOOSE_DEPARTMENT, buttons=buttons)]

    def _department(self, turn: Turn) -> list[Reply]:
        if not turn.choice.startswith("rp:dept:"):
            return [Reply(text=t.PRESS_A_BUTTON)]
        code = turn.choice.removeprefix("rp:dept:")
        if code == "?":
            code = turn.settings.triage_department
        if turn.session.get(Department, code) is None:
            return [Reply(text=t.STALE)]
        data = dict(turn.state.data)
        data["department"] = code
        turn.state.data = data
        if "field" in data:  # changing the department of a finished draft
            return self._summary(turn)
        turn.state.step = "field"
        return [Reply(text=t.ASK_FIELD, buttons=[Button(t.SKIP, "rp:skip"), Button(t.CANCEL, "rp:cancel")])]

    def _field(self, turn: Turn) -> list[Reply]:
        data = dict(turn.state.data)
        if turn.choice == "rp:skip":
            data["field"] = ""
        elif turn.choice or not turn.text:
            return [Reply(text=t.ASK_FIELD, buttons=[Button(t.SKIP, "rp:skip")])]
        else:
            data["field"] = turn.text[:200]
        turn.state.data = data
        return self._summary(turn)

    def _summary(self, turn: Turn) -> list[Reply]:
        data = turn.state.data
        turn.state.step = "confirm"
        department = turn.session.get(Department, data["department"])
        days = department.deadline_days if department else 5
        files = data.get("files", [])
        text = t.SUMMARY.format(
            description=description_of(data),
            files=", ".join(f["filename"] for f in files) if files else t.NO_FILES,
            department=department.name if department else data["department"],
            field=data.get("field") or t.NO_FIELD,
            deadline=format_vn(deadline_for(utcnow(), days, settings=turn.settings), with_time=False),
        )
        buttons = [Button(t.SEND, "rp:ok"), Button(t.EDIT, "rp:edit"), Button(t.CANCEL, "rp:cancel")]
        return [Reply(text=text, buttons=buttons)]

    def _confirm(self, turn: Turn) -> list[Reply]:
        if turn.choice == "rp:edit":
            turn.state.step = "edit"
            buttons = [
                Button(t.EDIT_DESCRIPTION, "rp:edit:desc"),
                Button(t.EDIT_DEPARTMENT, "rp:edit:dept"),
                Button(t.EDIT_FIELD, "rp:edit:field"),
            ]
            return [Reply(text=t.WHAT_TO_EDIT, buttons=buttons)]
        if turn.choice != "rp:ok":
            return [Reply(text=t.PRESS_A_BUTTON)]
        return self._file(turn)

    def _edit(self, turn: Turn) -> list[Reply]:
        data = dict(turn.state.data)
        if turn.choice == "rp:edit:desc":
            data["parts"] = []
            turn.state.data, turn.state.step = data, "describe"
            return [Reply(text=t.REDESCRIBE, buttons=DONE_BUTTONS)]
        if turn.choice == "rp:edit:dept":
            return self._suggest(turn)
        if turn.choice == "rp:edit:field":
            turn.state.step = "field"
            return [Reply(text=t.ASK_FIELD, buttons=[Button(t.SKIP, "rp:skip")])]
        return [Reply(text=t.PRESS_A_BUTTON)]

    def _file(self, turn: Turn) -> list[Reply]:
        data = turn.state.data
        question_id = _int(data.get("q") or "")
        blocker = lifecycle.file_blocker(
            turn.session,
            account=turn.account,
            person=turn.person,
            description=description_of(data),
            department_code=data["department"],
            field=data.get("field", ""),
            attachments=stored_attachments(data),
            source_question_id=question_id or None,
            route_scores=data.get("scores", []),
            settings=turn.settings,
        )
        turn.close()
        department = _dept_name(turn, blocker.department_code)
        deadline = format_vn(blocker.deadline, with_time=False)
        return [Reply(text=t.RECEIPT.format(code=blocker.code, department=department, deadline=deadline))]

    # --- rating (any time after an answer) -----------------------------------------------------

    def _rate(self, turn: Turn, choice: str) -> list[Reply]:
        raw_id, _, answer = choice.removeprefix("rp:rate:").partition(":")
        blocker = turn.session.get(Blocker, _int(raw_id))
        if blocker is None or answer not in ("y", "n") or not _concerns(turn, blocker):
            return [Reply(text=t.STALE)]
        solved = answer == "y"
        lifecycle.rate(turn.session, blocker=blocker, account=turn.account, solved=solved)
        if solved:
            return [Reply(text=t.RATED_SOLVED.format(code=blocker.code))]
        add = [Button(t.ADD_INFO, f"my:add:{blocker.id}")] if blocker.account_id == turn.account.id else []
        return [Reply(text=t.RATED_NOT_SOLVED.format(code=blocker.code), buttons=add)]


def _concerns(turn: Turn, blocker: Blocker) -> bool:
    if blocker.account_id == turn.account.id:
        return True
    return turn.session.get(BlockerFollower, (blocker.id, turn.account.id)) is not None


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0
