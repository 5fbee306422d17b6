"""The numbered main menu and help (payloads "menu:<item>")."""

from __future__ import annotations

from bot.channel import Button, Reply
from handlers import texts

ASK = "menu:ask"
REPORT = "menu:report"
MY = "menu:my"
HELP = "menu:help"

MAIN_MENU = (
    Button(texts.MENU_ASK, ASK),
    Button(texts.MENU_REPORT, REPORT),
    Button(texts.MENU_MY, MY),
    Button(texts.MENU_HELP, HELP),
)


def menu_reply(text: str = texts.MENU_PROMPT) -> Reply:
    return Reply(text=text, buttons=list(MAIN_MENU))


def help_replies() -> list[Reply]:
    return [Reply(text=texts.HELP), menu_reply()]
