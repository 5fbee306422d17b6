"""The conversation core's entry point: one Incoming in, the Replies to send out.

Called by the inbound worker inside its transaction (this module flushes, never commits):
who is writing (ChatAccount, registered Person), the flood limit, the open dialog and its
idle expiry, then routing: a pressed button (or a typed number standing for one) by payload
prefix, a command, the open flow, or else a question. No try/except here: the worker's edge
owns the one broad handler.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from blockers import payloads
from bot.channel import Incoming, Reply
from core.clock import utcnow
from core.settings import Settings
from handlers import (
    admission,
    asking,
    drafts,
    feedback,
    follow_up,
    media,
    menu,
    onboarding,
    texts,
    voice_steps,
)
from handlers.accounts import get_or_create_account, registered_person
from handlers.admission import Access
from handlers.commands import Command, ParsedCommand, looks_like_code, parse_command, parse_number
from handlers.flow import Flow, Turn
from handlers.my_reports import MyReportsFlow
from handlers.reporting import QUESTION_PREFIX, ReportingFlow
from handlers.state import (
    FloodVerdict,
    Meta,
    StaleChoice,
    count_message,
    is_idle,
    load_state,
    remember_choices,
    save_state,
    take_meta,
)
from handlers.uploads import wanted_attachments
from knowledge.media.engines import MediaEngines, no_engines
from knowledge.media.ocr import OcrStatus
from knowledge.types import Guidance

REPORTING = "rp"
MY_REPORTS = "my"
_MENU_COMMANDS = {
    menu.ASK: Command.ask,
    menu.REPORT: Command.report,
    menu.MY: Command.my,
    menu.HELP: Command.help,
}
# Commands that leave the open dialog for something new.
_BEGINS = frozenset({Command.start, Command.register, Command.ask, Command.report, Command.my})


def default_flows() -> dict[str, Flow]:
    return {REPORTING: ReportingFlow(), MY_REPORTS: MyReportsFlow()}


class Dispatcher:
    def __init__(
        self,
        *,
        settings: Settings,
        knowledge: Guidance,
        flows: Mapping[str, Flow] | None = None,
        clock: Callable[[], datetime] = utcnow,
        engines: MediaEngines | None = None,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.engines = engines or no_engines()
        self.media = media.MediaStep(settings=settings, engines=self.engines, clock=clock)
        self.flows: dict[str, Flow] = dict(flows) if flows is not None else default_flows()
        self.clock = clock

    def __call__(self, session: Session, incoming: Incoming) -> list[Reply]:
        return self.handle(session, incoming)

    def attachments_wanted(self, session: Session, incoming: Incoming) -> list[bool]:
        """Asked by the inbound worker before it downloads anything (handlers/uploads.py)."""
        return wanted_attachments(
            session, incoming, settings=self.settings, engines=self.engines, now=self.clock()
        )

    async def read_media(self, engine: Engine, incoming: Incoming) -> Incoming:
        """Asked by the inbound worker after the download, before the transaction: the voice
        note heard, the photo asked about read (handlers/media.py)."""
        return await self.media.read_media(engine, incoming)

    def handle(self, session: Session, incoming: Incoming) -> list[Reply]:
        now = self.clock()
        account = get_or_create_account(session, incoming=incoming)
        assert account.id is not None  # flushed
        state = load_state(session, account_id=account.id)
        meta = take_meta(state)
        per_minute = self.settings.chat_messages_per_minute
        verdict = count_message(meta, now=now, per_minute=per_minute)
        if verdict != FloodVerdict.ok:  # nothing else runs: no question asked, no flow moved
            save_state(state, meta=meta, now=now)
            session.flush()
            return [Reply(text=texts.flood_warning(per_minute))] if verdict == FloodVerdict.warn else []
        replies: list[Reply] = []
        if is_idle(state, now=now, idle_minutes=self.settings.conversation_idle_minutes):
            replies.append(Reply(text=texts.EXPIRED))
            state.flow, state.step, state.data, meta.choices = "", "", {}, []
        turn = Turn(
            session=session,
            incoming=incoming,
            account=account,
            person=registered_person(session, account=account),
            state=state,
            settings=self.settings,
            knowledge=self.knowledge,
            now=now,
        )
        flow_before = state.flow
        try:
            replies += self._route(turn, meta)
        except StaleChoice:
            replies.append(menu.menu_reply(texts.STALE_CHOICE))
        if state.flow != flow_before:
            meta.choices = []  # the list belonged to the dialog that just ended or was left
        remember_choices(meta, replies)
        save_state(state, meta=meta, now=now)
        session.flush()
        return replies

    # --- routing -----------------------------------------------------------------------------

    def _route(self, turn: Turn, meta: Meta) -> list[Reply]:
        incoming = turn.incoming
        if incoming.payload:
            return self._on_payload(turn, meta, incoming.payload)
        if incoming.contact_phone:
            return onboarding.handle_contact(turn)
        if voice_steps.applies(turn):
            return self._route_spoken(turn, meta)
        if self._caption_acts(turn, meta):
            # the command acts, and the note is not dropped silently: what was heard is repeated
            return [*self._route_typed(turn, meta), Reply(text=texts.voice_beside_command(turn.heard))]
        return self._route_typed(turn, meta)

    @staticmethod
    def _caption_acts(turn: Turn, meta: Meta) -> bool:
        """Outside any dialog, a voice note whose typed caption is a menu number or a command:
        the caption acts and the note is not used."""
        if turn.voice is None or not turn.text or turn.state.flow:
            return False
        return parse_number(turn.text) is not None or parse_command(turn.text) is not None

    def _route_typed(self, turn: Turn, meta: Meta) -> list[Reply]:
        incoming = turn.incoming
        number = parse_number(turn.text)
        if number is not None and meta.choices:
            if not 1 <= number <= len(meta.choices):
                return [Reply(text=texts.choice_out_of_range(len(meta.choices)))]
            return self._on_payload(turn, meta, meta.choices[number - 1])
        if number is not None and not turn.state.flow:  # no list shown: numbers mean the main menu
            if not 1 <= number <= len(menu.MAIN_MENU):
                return [menu.menu_reply(texts.choice_out_of_range(len(menu.MAIN_MENU)))]
            return self._on_payload(turn, meta, menu.MAIN_MENU[number - 1].payload)
        command = parse_command(turn.text)
        if command is not None:
            return self._on_command(turn, meta, command)
        if turn.state.flow:
            return self._continue_flow(turn)
        by_media = self._ask_by_media(turn)
        if by_media is not None:
            return by_media
        if not turn.text:
            if incoming.attachments:
                return [menu.menu_reply(texts.ATTACHMENT_OUTSIDE_REPORT)]
            return [menu.menu_reply(texts.EMPTY_MESSAGE)]
        return self._typed_question(turn)

    def _typed_question(self, turn: Turn) -> list[Reply]:
        if turn.person is None and looks_like_code(turn.text):
            return onboarding.redeem_code(turn, turn.text)
        return self._ask(turn, turn.text)

    def _route_spoken(self, turn: Turn, meta: Meta) -> list[Reply]:
        """A voice note in an open dialog step (handlers/voice_steps.py): a spoken choice is
        pressed, any other transcript handled as typed (after the caption, if one was typed),
        and the answer starts with the echo or with why the note was not used."""
        refused = admission.refusal(turn, admission.DIALOGS.get(turn.state.flow, Access.anyone))
        if refused is not None:
            turn.close()
            return refused
        spoken = voice_steps.judge(turn, meta)
        if spoken.replies is not None:
            return spoken.replies
        if spoken.payload:
            replies = self._on_payload(turn, meta, spoken.payload)
        else:  # handled as typed: the caption, the transcript, or both (caption first)
            turn.incoming = replace(turn.incoming, text=spoken.text)
            replies = self._route_typed(turn, meta)
        return voice_steps.said_first(replies, spoken.first)

    def _on_payload(self, turn: Turn, meta: Meta, payload: str) -> list[Reply]:
        turn.choice = payload
        if payload in _MENU_COMMANDS:
            return self._on_command(turn, meta, ParsedCommand(_MENU_COMMANDS[payload]))
        access = admission.payload_access(payload)
        if access is None:
            raise StaleChoice(payload)
        refused = admission.refusal(turn, access) or admission.object_refusal(
            turn, payload, offered=meta.choices
        )
        if refused is not None:
            return refused
        prefix = payload.split(":", 1)[0]
        if prefix == "reg" or payload == onboarding.REQUEST_CONTACT:
            return onboarding.handle_payload(turn)
        if prefix == "ask":
            return asking.handle_payload(turn)
        if prefix == "fb":
            return feedback.handle_payload(turn)
        if payload.startswith(QUESTION_PREFIX):
            return self._hand_over(turn, payload.removeprefix(QUESTION_PREFIX))
        if payload.startswith(drafts.PREFIX):
            return self._on_draft(turn, meta, payload)
        parsed = payloads.parse(payload)
        if parsed is not None and parsed.action in (
            payloads.FollowUpAction.rate,
            payloads.FollowUpAction.add_info,
        ):
            return follow_up.handle_payload(turn, parsed)
        if payload == follow_up.DONE and follow_up.is_add_dialog(turn.state.flow, turn.state.step):
            return follow_up.handle(turn)
        if prefix in self.flows:
            return self.flows[prefix].handle(turn)
        raise StaleChoice(payload)

    def _on_command(self, turn: Turn, meta: Meta, parsed: ParsedCommand) -> list[Reply]:
        command, argument = parsed.command, parsed.argument
        refused = admission.refusal(turn, admission.COMMANDS.get(command, Access.anyone))
        if command == Command.cancel:
            if not turn.state.flow:
                return [menu.menu_reply(texts.NOTHING_TO_CANCEL)]
            turn.close()
            return [menu.menu_reply(texts.CANCELLED)]
        if command == Command.help:
            return menu.help_replies()
        if command == Command.menu:
            return [menu.menu_reply()]
        if command == Command.thanks:
            return [Reply(text=texts.THANKS_REPLY)]
        if command == Command.greet:
            return onboarding.welcome(turn)
        if command == Command.unknown:
            return [menu.menu_reply(texts.UNKNOWN_COMMAND)]
        if command in _BEGINS and drafts.has_content(turn.state):
            return drafts.ask_to_keep(turn, parsed)  # never drop what the official typed
        # The rest begin something new: a dialog that was open is left, and the user told so.
        left = [Reply(text=texts.CANCELLED)] if turn.state.flow and turn.state.flow != onboarding.FLOW else []
        turn.close()
        return left + (refused or self._begin(turn, meta, command, argument))

    def _begin(self, turn: Turn, meta: Meta, command: Command, argument: str) -> list[Reply]:
        if command == Command.register or (command == Command.start and looks_like_code(argument)):
            return onboarding.redeem_code(turn, argument) if argument else onboarding.start_code_entry(turn)
        if command == Command.start:
            return onboarding.welcome(turn)
        if command == Command.ask:
            return asking.ask_question(turn, argument) if argument else [Reply(text=texts.ASK_PROMPT)]
        if command == Command.report:
            idle = self.settings.conversation_idle_minutes
            draft = drafts.fresh_draft(meta, now=turn.now, idle_minutes=idle)
            if draft is not None:
                return drafts.offer(turn, draft, meta)
        return self.flows[REPORTING if command == Command.report else MY_REPORTS].start(turn)

    def _on_draft(self, turn: Turn, meta: Meta, payload: str) -> list[Reply]:
        """ "Lưu nháp" / "Hủy báo cáo" after a command interrupted a report, then that command;
        "Tiếp tục soạn" / "Vướng mắc mới" when /baocao found a saved draft."""
        if payload in (drafts.SAVE, drafts.DROP):
            pending = drafts.pending_command(turn)
            if pending is None:
                raise StaleChoice(payload)
            if payload == drafts.SAVE:
                replies = drafts.save(turn, meta)
            else:
                turn.close()
                replies = [Reply(text=texts.REPORT_CANCELLED)]
            return replies + self._begin(turn, meta, pending.command, pending.argument)
        if payload == drafts.RESUME:
            turn.close()
            return drafts.resume(turn, meta) or self.flows[REPORTING].start(turn)
        if payload == drafts.NEW:
            meta.draft = None
            turn.close()
            return self.flows[REPORTING].start(turn)
        raise StaleChoice(payload)

    def _continue_flow(self, turn: Turn) -> list[Reply]:
        name, step = turn.state.flow, turn.state.step
        refused = admission.refusal(turn, admission.DIALOGS.get(name, Access.anyone))
        if refused is not None:
            turn.close()
            return refused
        if name == onboarding.FLOW:
            return onboarding.handle(turn)
        if follow_up.is_add_dialog(name, step):
            return follow_up.handle(turn)
        flow = self.flows.get(name)
        if flow is None:  # a dialog of a flow that no longer exists (after an upgrade)
            turn.close()
            raise StaleChoice(name)
        return flow.handle(turn)

    def _ask(self, turn: Turn, question: str) -> list[Reply]:
        refused = admission.refusal(turn, admission.QUESTION)
        return refused if refused is not None else asking.ask_question(turn, question)

    def _ask_by_media(self, turn: Turn) -> list[Reply] | None:
        """A voice note or a photographed paper outside any dialog: a question (read by the
        media step before this transaction); None when the message carries neither."""
        voice = turn.voice
        paper = next((a for a in turn.incoming.attachments if media.is_paper(a)), None)
        if voice is None and paper is None:
            return None
        refused = admission.refusal(turn, admission.QUESTION)
        if refused is not None:
            return refused
        if voice is not None:
            caption = turn.incoming.text.strip()
            if not turn.heard and caption:  # the typed words asked, and why the note was not
                return voice_steps.said_first(self._typed_question(turn), texts.voice_not_used(voice.reading))
            if not turn.heard:
                return [Reply(text=texts.not_heard(voice.reading))]
            return asking.ask_heard(turn, turn.heard, typed=caption)  # caption first, then heard
        assert paper is not None
        if paper.reading in ("", OcrStatus.unavailable):  # no reader here: photos go in a report
            return None
        if paper.reading != "ok" or not paper.text.strip():
            return [Reply(text=texts.not_read(paper.reading))]
        return asking.ask_about_paper(turn, paper.text)

    def _hand_over(self, turn: Turn, raw_id: str) -> list[Reply]:
        """ "Gửi vướng mắc" under an answer: the reporting flow starts with the question."""
        log = asking.own_question(turn, raw_id)
        turn.close()
        # turn.choice still holds "rp:q:<id>": the flow reads the id to link the blocker.
        return self.flows[REPORTING].start(turn, carried_text=log.question)
