"""Recognising commands in what the user typed.

Telegram users type "/baocao" (or pick it from the command list, "/baocao@TroLyBot"); Zalo
has no command menu, so people type the same word without the slash, often without
diacritics or with spaces: "bao cao", "Hủy", "tro giup". Only a whole message counts as a
command without the slash, so a question that merely starts with "hỏi" stays a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge.normalize import fold_key


class Command(StrEnum):
    start = "start"
    ask = "ask"
    report = "report"
    my = "my"
    cancel = "cancel"
    help = "help"
    menu = "menu"
    register = "register"
    greet = "greet"
    thanks = "thanks"
    unknown = "unknown"  # "/something" we do not have


# Folded (no diacritics, lowercase, no spaces) spelling → command.
_WORDS: dict[str, Command] = {
    "start": Command.start,
    "batdau": Command.start,
    "hoi": Command.ask,
    "hoithutuc": Command.ask,
    "baocao": Command.report,
    "baovuongmac": Command.report,
    "guivuongmac": Command.report,
    "cuatoi": Command.my,
    "vuongmaccuatoi": Command.my,
    "huy": Command.cancel,
    "huybo": Command.cancel,
    "cancel": Command.cancel,
    "trogiup": Command.help,
    "help": Command.help,
    "huongdan": Command.help,
    "menu": Command.menu,
    "dangky": Command.register,
}
# Typed without a slash only (a slash command of these would be odd but harmless).
_CHAT_WORDS: dict[str, Command] = {
    "xinchao": Command.greet,
    "chao": Command.greet,
    "chaoban": Command.greet,
    "hello": Command.greet,
    "hi": Command.greet,
    "camon": Command.thanks,
    "camonban": Command.thanks,
    "thanks": Command.thanks,
    "thankyou": Command.thanks,
}

_SEPARATORS = re.compile(r"[\s\-_.,!?:;/]+")
_CODE_TEXT = re.compile(r"^[A-Za-z0-9]{4}[\s\-]?[A-Za-z0-9]{4}$")


@dataclass(frozen=True)
class ParsedCommand:
    command: Command
    argument: str = ""  # text after the command word ("/hoi thủ tục …", "/start ABCD2345")


def squash(text: str) -> str:
    return _SEPARATORS.sub("", fold_key(text))


def parse_command(text: str) -> ParsedCommand | None:
    """The command in a typed message, or None when it is ordinary text."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("/"):
        head, _, rest = text[1:].partition(" ")
        word = squash(head.split("@", 1)[0])
        command = _WORDS.get(word)
        if command is None:
            return ParsedCommand(Command.unknown, argument=text)
        return ParsedCommand(command, argument=rest.strip())
    whole = squash(text)
    if whole in _WORDS:
        return ParsedCommand(_WORDS[whole])
    if whole in _CHAT_WORDS:
        return ParsedCommand(_CHAT_WORDS[whole])
    # "dang ky ABCD-2345" on Zalo: the register word followed by something shaped like a code.
    words = text.split()
    if len(words) >= 3 and squash(" ".join(words[:2])) == "dangky":
        rest = " ".join(words[2:])
        if looks_like_code(rest):
            return ParsedCommand(Command.register, argument=rest)
    return None


def looks_like_code(text: str) -> bool:
    """Shaped like an invite code ("ABCD-2345", "abcd2345"): 8 letters/digits, some of each."""
    text = text.strip()
    if not _CODE_TEXT.match(text):
        return False
    plain = re.sub(r"[\s\-]", "", text)
    return any(ch.isdigit() for ch in plain) and any(ch.isalpha() for ch in plain)


def parse_number(text: str) -> int | None:
    """A typed choice such as "2", " 2. " or "số 2"; None when the text is not just a number."""
    match = re.fullmatch(r"(?:so\s*)?(\d{1,2})\s*[.)]?", fold_key(text))
    return int(match.group(1)) if match else None


# Numbers as a voice note's transcript writes them: words, not digits ("số hai", "chọn ba").
_SPOKEN_NUMBERS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}


def parse_spoken_number(text: str) -> int | None:
    """A spoken choice: "hai", "số hai", "chọn số 2", "2"; None for anything else."""
    words = fold_key(text).replace(".", " ").split()
    while words and words[0] in ("chon", "so"):
        words = words[1:]
    if len(words) != 1:
        return None
    word = words[0]
    return int(word) if word.isdigit() and len(word) <= 2 else _SPOKEN_NUMBERS.get(word)
