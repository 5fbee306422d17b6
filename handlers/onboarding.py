"""Welcoming people and registering officials in the chat (flow "reg", payloads "reg:...").

An unregistered user is told plainly how to register: type the code the administrator gave
them, or (Telegram only) share their phone contact. The contact button's payload
"@request_contact" is understood by the Telegram adapter as a contact-request keyboard
button; other channels never get it.
"""

from __future__ import annotations

import logging

from bot.channel import Button, ChannelName, Reply
from handlers import menu, texts
from handlers.flow import Turn
from handlers.registration import InviteExpired, TooManyGuesses, link_by_phone, redeem_invite
from handlers.state import StaleChoice

FLOW = "reg"
STEP_CODE = "code"
ENTER_CODE = "reg:code"
REQUEST_CONTACT = "@request_contact"

log = logging.getLogger(__name__)


def how_to_register(turn: Turn, lead: str = "") -> list[Reply]:
    """The explanation for an unregistered user, with buttons to register (and to ask)."""
    telegram = turn.incoming.channel == ChannelName.telegram
    parts = [lead] if lead else []
    parts.append(texts.REGISTER_HOW if telegram else texts.REGISTER_HOW_NO_CONTACT)
    buttons = [Button(texts.BUTTON_ENTER_CODE, ENTER_CODE)]
    if turn.settings.allow_unregistered_questions:
        parts.append(texts.QUESTIONS_OPEN_NOTE)
        buttons.append(Button(texts.MENU_ASK, menu.ASK))
    if telegram:  # last: Telegram shows it as a keyboard key and numbers the others 1, 2…
        buttons.append(Button(texts.BUTTON_SHARE_PHONE, REQUEST_CONTACT))
    return [Reply(text="\n\n".join(parts), buttons=buttons)]


def welcome(turn: Turn) -> list[Reply]:
    if turn.person is not None:
        return [menu.menu_reply(texts.greeting_registered(turn.person.name) + "\n" + texts.MENU_PROMPT)]
    return how_to_register(turn, lead=texts.GREETING_GUEST)


def start_code_entry(turn: Turn) -> list[Reply]:
    if turn.person is not None:
        return [menu.menu_reply(texts.already_registered(turn.person.name))]
    turn.open(FLOW, STEP_CODE)
    return [Reply(text=texts.ASK_CODE)]


def redeem_code(turn: Turn, code: str) -> list[Reply]:
    if turn.person is not None:
        return [menu.menu_reply(texts.already_registered(turn.person.name))]
    try:
        person = redeem_invite(
            turn.session,
            code=code,
            account=turn.account,
            settings=turn.settings,
            address=turn.incoming.source_address,
        )
    except TooManyGuesses:
        turn.close()  # no more tries now: the next message is not read as a code
        return [Reply(text=texts.TOO_MANY_CODE_GUESSES)]
    except InviteExpired:
        turn.open(FLOW, STEP_CODE)  # a newer code may follow
        return [Reply(text=texts.CODE_EXPIRED.format(days=turn.settings.invite_code_ttl_days))]
    if person is None:
        turn.open(FLOW, STEP_CODE)  # stay here so the next message is another try
        return [Reply(text=texts.WRONG_CODE)]
    turn.close()
    turn.person = person
    log.info("account %s registered as person %s with an invite code", turn.account.id, person.id)
    return [menu.menu_reply(texts.registered_ok(person.name, person.commune, person.position))]


def handle_contact(turn: Turn) -> list[Reply]:
    """A phone contact the Telegram adapter vouched is the sender's own."""
    if turn.incoming.channel != ChannelName.telegram:
        return [Reply(text=texts.CONTACT_ONLY_TELEGRAM)]
    if turn.person is not None:
        return [menu.menu_reply(texts.already_registered(turn.person.name))]
    person = link_by_phone(turn.session, account=turn.account, phone=turn.incoming.contact_phone)
    if person is None:
        text = texts.PHONE_NOT_FOUND.format(phone=turn.incoming.contact_phone)
        return [Reply(text=text, buttons=[Button(texts.BUTTON_ENTER_CODE, ENTER_CODE)])]
    if turn.state.flow == FLOW:
        turn.close()
    turn.person = person
    log.info("account %s registered as person %s by phone contact", turn.account.id, person.id)
    log.info("account %s registered as person %s with an invite code", turn.account.id, person.id)
    return [menu.menu_reply(texts.registered_ok(person.name, person.commune, person.position))]


def handle_payload(turn: Turn) -> list[Reply]:
    if turn.choice == ENTER_CODE:
        return start_code_entry(turn)
    if turn.choice == REQUEST_CONTACT:  # typed as a number instead of pressing the key
        if turn.incoming.channel != ChannelName.telegram:
            return [Reply(text=texts.CONTACT_ONLY_TELEGRAM)]
        share = Button(texts.BUTTON_SHARE_PHONE, REQUEST_CONTACT)
        return [Reply(text=texts.CONTACT_PRESS_BUTTON, buttons=[share])]
    raise StaleChoice(turn.choice)


def handle(turn: Turn) -> list[Reply]:
    """A typed message while the code step is open."""
    if turn.text:
        return redeem_code(turn, turn.text)
    return [Reply(text=texts.ASK_CODE)]
