"""/cuatoi (flow "my"): the official's blockers and the ones they follow, with status. One chosen
shows its history: all of it to the official who reported it (with "Bổ sung thông tin" and the
rating buttons), only the department's answers to a follower from another commune. Adding
information and rating are handlers/follow_up.py's; who may open what, handlers/admission.py's."""

from __future__ import annotations

from sqlmodel import col, select

from blockers import payloads
from blockers.access import ChatRelation, chat_relation
from blockers.notify import department_name
from blockers.texts import status_label
from bot.channel import Button, Reply
from core.clock import format_vn
from core.models import Blocker, BlockerEvent, BlockerFollower, BlockerMessage, BlockerStatus, MessageKind
from handlers import texts as t
from handlers.flow import Turn
from handlers.state import StaleChoice

NAME = "my"
LIST_LIMIT = 10
HISTORY_LIMIT = 15
MESSAGE_CHARS = 300


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
            status = status_label(blocker.status)
            if blocker.account_id == turn.account.id:
                lines.append(t.MY_ITEM.format(n=n, code=blocker.code, status=status, title=blocker.title))
            else:  # another commune's report: its department, never its text
                name = department_name(turn.session, blocker.department_code)
                lines.append(
                    t.MY_ITEM.format(n=n, code=blocker.code, status=status, title=name) + t.MY_FOLLOWED
                )
            buttons.append(Button(f"{blocker.code} ({status})", payloads.open_blocker(blocker.id or 0)))
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def handle(self, turn: Turn) -> list[Reply]:
        follow_up = payloads.parse(turn.choice)
        if follow_up is not None and follow_up.action == payloads.FollowUpAction.open:
            return self._show(turn, follow_up.blocker_id)
        return self.start(turn)

    def _show(self, turn: Turn, blocker_id: int) -> list[Reply]:
        """Admitted by handlers/admission.py: this chat reported or follows the blocker."""
        blocker = turn.session.get(Blocker, blocker_id)
        if blocker is None:
            raise StaleChoice(turn.choice)
        relation = chat_relation(turn.session, account_id=turn.account.id, blocker=blocker)
        facts = {
            "code": blocker.code,
            "department": department_name(turn.session, blocker.department_code),
            "status": status_label(blocker.status),
            "deadline": format_vn(blocker.deadline, with_time=False),
        }
        if relation != ChatRelation.owner:
            answers = self._history(turn, blocker, kinds=(MessageKind.reply,), events=False)
            lines = [t.MY_FOLLOWER_HEADER.format(**facts), t.MY_FOLLOWER_NOTE, "", t.MY_HISTORY, *answers]
            return [Reply(text="\n".join(lines))]
        header = t.MY_HEADER.format(**facts, description=blocker.description[:MESSAGE_CHARS])
        lines = [header, "", t.MY_HISTORY, *self._history(turn, blocker)]
        buttons = []
        if blocker.status != BlockerStatus.closed:
            buttons.append(payloads.add_info_button(blocker.id or 0))
        if blocker.status == BlockerStatus.answered and not blocker.rating:
            buttons += payloads.rating_buttons(blocker.id or 0)
        return [Reply(text="\n".join(lines), buttons=buttons)]

    def _history(
        self,
        turn: Turn,
        blocker: Blocker,
        *,
        kinds: tuple[MessageKind, ...] = (MessageKind.official, MessageKind.reply, MessageKind.info_request),
        events: bool = True,
    ) -> list[str]:
        entries: list[tuple[object, str]] = []
        messages = turn.session.exec(
            select(BlockerMessage).where(
                BlockerMessage.blocker_id == blocker.id, col(BlockerMessage.kind).in_(kinds)
            )
        )
        for m in messages:
            text = m.text if len(m.text) <= MESSAGE_CHARS else m.text[: MESSAGE_CHARS - 1] + "…"
            entries.append((m.created_at, t.MESSAGE_LINES[m.kind].format(text=text)))
        query = select(BlockerEvent).where(BlockerEvent.blocker_id == blocker.id)
        rows: list[BlockerEvent] = list(turn.session.exec(query)) if events else []
        for e in rows:
            template = t.EVENT_LINES.get(e.kind)
            if template is None:
                continue
            if e.kind == "status":
                to, from_ = status_label(e.to_value), e.from_value
            else:  # department codes, shown by name
                to, from_ = (
                    department_name(turn.session, e.to_value),
                    department_name(turn.session, e.from_value),
                )
            entries.append((e.created_at, template.format(to=to, from_=from_)))
        entries.sort(key=lambda entry: entry[0])  # type: ignore[arg-type,return-value]
        return [f"• {format_vn(at)}: {line}" for at, line in entries[-HISTORY_LIMIT:]]  # type: ignore[arg-type]
