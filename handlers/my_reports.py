"""/cuatoi (flow "my"): the official's blockers and the ones they follow, with status; one
chosen shows its history (messages and status changes) and offers "Bổ sung thông tin", after
which each message (text, photos, files) is added to that blocker until "Xong"."""

from __future__ import annotations

from sqlmodel import col, select

from blockers import lifecycle
from blockers.notify import department_name
from bot.channel import Button, Reply
from core.clock import format_vn
from core.models import Blocker, BlockerEvent, BlockerFollower, BlockerMessage, BlockerStatus, MessageKind
from handlers import report_texts as t
from handlers.flow import Turn
from handlers.reporting_steps import attachment_replies, stored_attachments

NAME = "my"
LIST_LIMIT = 10
HISTORY_LIMIT = 15
MESSAGE_CHARS = 300


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0


class MyReportsFlow:
    name = NAME

    def start(self, turn: Turn, carried_text: str = "") -> list[Reply]:
        own = list(
            turn.session.exec(
                select(Blocker)
                .where(Blocker.account_id == turn.account.id)
                .order_by(col(Blocker.id).desc())
                .limit(LIST_LIMIT)
            )
        )
        followed = list(
            turn.session.exec(
                select(Blocker)
                .join(BlockerFollower, BlockerFollower.blocker_id == Blocker.id)  # type: ignore[arg-type]
                .where(BlockerFollower.account_id == turn.account.id)
                .order_by(col(Blocker.id).desc())
                .limit(LIST_LIMIT)
            )
        )
        if not own and not followed:
            return [Reply(text=t.MY_NONE)]
        lines, buttons = [t.MY_LIST], []
        for n, blocker in enumerate([*own, *followed][:LIST_LIMIT], 1):
            suffix = t.MY_FOLLOWED if blocker.account_id != turn.account.id else ""
            status = lifecycle.status_label(blocker.status)
            lines.append(
                t.MY_ITEM.format(n=n, code=blocker.code, status=status, title=blocker.title) + suffix
            )
            buttons.append(Button(f"{blocker.code} ({status})", f"my:open:{blocker.id}"))
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def handle(self, turn: Turn) -> list[Reply]:
        choice = turn.choice
        if choice.startswith("my:open:"):
            return self._show(turn, _int(choice.removeprefix("my:open:")))
        if choice.startswith("my:add:"):
            return self._begin_add(turn, _int(choice.removeprefix("my:add:")))
        if turn.state.flow == NAME and turn.state.step == "add":
            return self._add(turn)
        return self.start(turn)

    def _visible(self, turn: Turn, blocker_id: int) -> Blocker | None:
        blocker = turn.session.get(Blocker, blocker_id)
        if blocker is None:
            return None
        if blocker.account_id == turn.account.id:
            return blocker
        follows = turn.session.get(BlockerFollower, (blocker.id, turn.account.id))
        return blocker if follows is not None else None

    def _show(self, turn: Turn, blocker_id: int) -> list[Reply]:
        blocker = self._visible(turn, blocker_id)
        if blocker is None:
            return [Reply(text=t.MY_NOT_YOURS)]
        header = t.MY_HEADER.format(
            code=blocker.code,
            department=department_name(turn.session, blocker.department_code),
            status=lifecycle.status_label(blocker.status),
            deadline=format_vn(blocker.deadline, with_time=False),
            description=blocker.description[:MESSAGE_CHARS],
        )
        lines = [header, "", t.MY_HISTORY, *self._history(turn, blocker)]
        buttons = []
        if blocker.account_id == turn.account.id and blocker.status != BlockerStatus.closed:
            buttons.append(Button(t.ADD_INFO, f"my:add:{blocker.id}"))
        if blocker.status == BlockerStatus.answered and not blocker.rating:
            buttons += [
                Button(t.RATE_SOLVED, f"rp:rate:{blocker.id}:y"),
                Button(t.RATE_NOT_SOLVED, f"rp:rate:{blocker.id}:n"),
            ]
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def _history(self, turn: Turn, blocker: Blocker) -> list[str]:
        entries: list[tuple[object, str]] = []
        messages = turn.session.exec(
            select(BlockerMessage).where(
                BlockerMessage.blocker_id == blocker.id, col(BlockerMessage.kind) != MessageKind.note
            )
        )
        for m in messages:
            text = m.text if len(m.text) <= MESSAGE_CHARS else m.text[: MESSAGE_CHARS - 1] + "…"
            entries.append((m.created_at, t.MESSAGE_LINES[m.kind].format(text=text)))
        events = turn.session.exec(select(BlockerEvent).where(BlockerEvent.blocker_id == blocker.id))
        for e in events:
            template = t.EVENT_LINES.get(e.kind)
            if template is None:
                continue
            if e.kind == "status":
                to, from_ = lifecycle.status_label(e.to_value), e.from_value
            else:  # department codes, shown by name
                to, from_ = (
                    department_name(turn.session, e.to_value),
                    department_name(turn.session, e.from_value),
                )
            entries.append((e.created_at, template.format(to=to, from_=from_)))
        entries.sort(key=lambda entry: entry[0])  # type: ignore[arg-type,return-value]
        return [f"• {format_vn(at)}: {line}" for at, line in entries[-HISTORY_LIMIT:]]  # type: ignore[arg-type]

    def _begin_add(self, turn: Turn, blocker_id: int) -> list[Reply]:
        blocker = turn.session.get(Blocker, blocker_id)
        if blocker is None or blocker.account_id != turn.account.id:
            return [Reply(text=t.MY_NOT_YOURS)]
        if blocker.status == BlockerStatus.closed:
            return [Reply(text=t.CLOSED_NO_ADD.format(code=blocker.code))]
        turn.open(NAME, "add", blocker=blocker.id, code=blocker.code)
        return [Reply(text=t.ADD_PROMPT.format(code=blocker.code), buttons=[Button(t.DONE, "my:done")])]

    def _add(self, turn: Turn) -> list[Reply]:
        data = dict(turn.state.data)
        code = data.get("code", "")
        if turn.choice == "my:done" or (not turn.choice and turn.text.lower() in ("xong", "/xong")):
            turn.close()
            return [Reply(text=t.ADD_DONE.format(code=code))]
        blocker = turn.session.get(Blocker, _int(str(data.get("blocker", ""))))
        if blocker is None or blocker.status == BlockerStatus.closed:
            turn.close()
            return [Reply(text=t.CLOSED_NO_ADD.format(code=code))]
        scratch: dict[str, object] = {"files": []}
        notes = attachment_replies(turn, scratch)
        files = stored_attachments(scratch)
        if turn.text or files:
            lifecycle.add_official_message(
                turn.session, blocker=blocker, account=turn.account, text=turn.text, attachments=files
            )
            notes.append(t.ADDED.format(code=code))
        return [Reply(text="\n".join(notes) or t.PRESS_A_BUTTON, buttons=[Button(t.DONE, "my:done")])]
