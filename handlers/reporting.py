"""The reporting dialog (flow "rp"): describe a blocker → similar open blockers (follow one
instead) → choose the department among the suggested three or "Không rõ" → optional field →
summary to confirm / edit / cancel → receipt with code, department and deadline.

Channel-agnostic: choices are Buttons (payloads ≤ 64 bytes); on Zalo the sender numbers them
and the dispatcher maps a typed number back to the payload. State lives in turn.state.data;
the admission table accepts a department or a similar blocker only among the buttons last
shown. Domain decisions (suggestions, similar blockers, deadlines) are blockers/intake.py's.
"""

from __future__ import annotations

from blockers import intake, lifecycle, payloads
from blockers.intake import department_names, open_department
from bot.channel import Button, Reply
from core.clock import format_vn
from core.models import Blocker
from handlers import texts as t
from handlers.flow import Turn
from handlers.reporting_steps import (
    attachment_replies,
    description_of,
    is_done_word,
    merge_readings,
    read_texts,
    stored_attachments,
)

NAME = "rp"
MIN_DESCRIPTION = 10  # characters: "đất" alone tells a department nothing
QUESTION_PREFIX = "rp:q:"  # an unanswered question handed over to a report
DEPARTMENT_PREFIX = "rp:dept:"
UNSURE_CODE = "?"
DONE_PAYLOAD = "rp:done"
# A description shorter than this is routed together with the text read from its photos
# ("xem giúp công văn này" says nothing of the department; the paper does).
SHORT_DESCRIPTION = 80

DONE_BUTTONS = [Button(t.DONE, DONE_PAYLOAD), Button(t.CANCEL, "rp:cancel")]


def needs_reading(data: dict[str, object]) -> bool:
    """Whether the draft's photos are worth reading before suggesting departments."""
    return len(description_of(data)) < SHORT_DESCRIPTION and bool(data.get("files"))


def routing_text(data: dict[str, object]) -> str:
    """What the departments are suggested on: the description, and when it is short, the text
    read from the photos attached to it."""
    description = description_of(data)
    if len(description) >= SHORT_DESCRIPTION:
        return description
    return "\n".join([description, *read_texts(data)])


class ReportingFlow:
    name = NAME

    # --- entry -----------------------------------------------------------------------------------

    def start(self, turn: Turn, carried_text: str = "") -> list[Reply]:
        question_id = (
            turn.choice.removeprefix(QUESTION_PREFIX) if turn.choice.startswith(QUESTION_PREFIX) else ""
        )
        turn.open(NAME, "describe", parts=[carried_text] if carried_text else [], files=[], q=question_id)
        if carried_text:
            return [Reply(text=t.CARRIED.format(text=carried_text), buttons=DONE_BUTTONS)]
        return [Reply(text=t.DESCRIBE, buttons=DONE_BUTTONS)]

    def resume(self, turn: Turn, data: dict[str, object]) -> list[Reply]:
        """Open a saved draft again at the description (its choices, if any, are kept)."""
        turn.open(NAME, "describe", **data)
        files = data.get("files")
        count = len(files) if isinstance(files, list) else 0
        return [Reply(text=t.DRAFT_RESUMED.format(files=count), buttons=DONE_BUTTONS)]

    def handle(self, turn: Turn) -> list[Reply]:
        choice = turn.choice
        if turn.state.flow != NAME:
            if choice == "rp:start":
                return self.start(turn)
            return [Reply(text=t.STALE)]
        if choice == "rp:cancel":
            turn.close()
            return [Reply(text=t.REPORT_CANCELLED)]
        handler = {
            "describe": self._describe,
            "similar": self._similar,
            "department": self._department,
            "field": self._field,
            "confirm": self._confirm,
            "edit": self._edit,
        }.get(turn.state.step)
        if handler is None:
            turn.close()
            return [Reply(text=t.STALE)]
        return handler(turn)

    # --- steps -----------------------------------------------------------------------------------

    def _describe(self, turn: Turn) -> list[Reply]:
        data = dict(turn.state.data)
        if turn.choice == DONE_PAYLOAD or (not turn.choice and is_done_word(turn.text)):
            return self._finish_description(turn)
        if turn.choice:
            return [Reply(text=t.PRESS_A_BUTTON, buttons=DONE_BUTTONS)]
        notes = attachment_replies(turn, data)
        said = [part for part in dict.fromkeys((turn.text, turn.heard)) if part]  # typed, heard
        if said:
            data["parts"] = [*data.get("parts", []), *said]
        turn.state.data = data
        return [Reply(text="\n".join([*notes, t.NOTED]), buttons=DONE_BUTTONS)]

    def _finish_description(self, turn: Turn) -> list[Reply]:
        if turn.incoming.read_files:  # the photos of a short description, read for routing
            turn.state.data = merge_readings(turn.state.data, turn.incoming.read_files)
        description = description_of(turn.state.data)
        if not description:
            return [Reply(text=t.NEED_DESCRIPTION, buttons=DONE_BUTTONS)]
        if len(description) < MIN_DESCRIPTION:
            return [Reply(text=t.TOO_SHORT, buttons=DONE_BUTTONS)]
        if turn.state.data.get("department"):  # editing the description of a finished draft
            return self._summary(turn)
        commune = turn.person.commune if turn.person else ""
        offers = intake.similar_offers(
            turn.session, text=routing_text(turn.state.data), account_id=turn.account.id, commune=commune
        )
        if not offers:
            return self._suggest(turn)
        turn.state.step = "similar"
        lines = [t.SIMILAR]
        buttons = []
        for n, offer in enumerate(offers, 1):
            lines.append(
                t.SIMILAR_ITEM.format(n=n, code=offer.code, department=offer.department, status=offer.status)
            )
            buttons.append(Button(t.FOLLOW.format(code=offer.code), payloads.follow(offer.blocker_id)))
        buttons += [Button(t.FILE_NEW, "rp:new"), Button(t.CANCEL, "rp:cancel")]
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def _similar(self, turn: Turn) -> list[Reply]:
        follow_up = payloads.parse(turn.choice)
        if follow_up is not None and follow_up.action == payloads.FollowUpAction.follow:
            # Admitted by handlers/admission.py: one of the blockers just offered.
            blocker = turn.session.get(Blocker, follow_up.blocker_id)
            if blocker is None:
                return [Reply(text=t.STALE)]
            lifecycle.follow_blocker(turn.session, blocker=blocker, account=turn.account)
            turn.close()
            department = department_names(turn.session).get(blocker.department_code, blocker.department_code)
            return [Reply(text=t.FOLLOWED.format(code=blocker.code, department=department))]
        if turn.choice == "rp:new":
            return self._suggest(turn)
        return [Reply(text=t.PRESS_A_BUTTON)]

    def _suggest(self, turn: Turn, lead: str = t.CHOOSE_DEPARTMENT) -> list[Reply]:
        suggestions, scores = intake.suggest_departments(
            turn.session, text=routing_text(turn.state.data), settings=turn.settings
        )
        turn.state.data = {**turn.state.data, "scores": scores}
        turn.state.step = "department"
        buttons = [Button(s.name, DEPARTMENT_PREFIX + s.code) for s in suggestions]
        buttons.append(Button(t.UNSURE, DEPARTMENT_PREFIX + UNSURE_CODE))
        return [Reply(text=lead, buttons=buttons)]

    def _department(self, turn: Turn) -> list[Reply]:
        if not turn.choice.startswith(DEPARTMENT_PREFIX):
            return [Reply(text=t.PRESS_A_BUTTON)]
        code = turn.choice.removeprefix(DEPARTMENT_PREFIX)  # one just offered (admission)
        if code == UNSURE_CODE:
            code = turn.settings.triage_department
        department = open_department(turn.session, code)
        if department is None:
            return self._suggest(turn, lead=t.DEPARTMENT_CLOSED.format(name=self._name(turn, code)))
        data = {**turn.state.data, "department": department.code}
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
        code = data["department"]
        deadline = intake.deadline_preview(
            turn.session, department_code=code, now=turn.now, settings=turn.settings
        )
        files = data.get("files", [])
        text = t.SUMMARY.format(
            description=description_of(data),
            files=", ".join(f["filename"] for f in files) if files else t.NO_FILES,
            department=self._name(turn, code),
            field=data.get("field") or t.NO_FIELD,
            deadline=format_vn(deadline, with_time=False) if deadline else "",
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
        code = data["department"]
        if open_department(turn.session, code) is None:  # deactivated since it was chosen
            return self._suggest(turn, lead=t.DEPARTMENT_CLOSED.format(name=self._name(turn, code)))
        question = str(data.get("q") or "")
        blocker = lifecycle.file_blocker(
            turn.session,
            account=turn.account,
            person=turn.person,
            description=description_of(data),
            department_code=code,
            field=data.get("field", ""),
            attachments=stored_attachments(data),
            source_question_id=int(question) if question.isascii() and question.isdigit() else None,
            route_scores=data.get("scores", []),
            settings=turn.settings,
        )
        turn.close()
        deadline = format_vn(blocker.deadline, with_time=False)
        department = self._name(turn, blocker.department_code)
        return [Reply(text=t.RECEIPT.format(code=blocker.code, department=department, deadline=deadline))]

    @staticmethod
    def _name(turn: Turn, code: str) -> str:
        return department_names(turn.session).get(code, code)
