"""Fitting a logical message to a channel: split long text, number buttons where there are none.

A split never cuts inside a word when it can help it: it prefers paragraph breaks, then line
breaks, then sentence ends, then spaces, and only cuts a word that is itself longer than the
limit. Numbered choices follow the order of `Reply.buttons`, because the dispatcher maps a
typed number back to the payload offered at that position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot import texts
from bot.channel import Button, ChannelLimits

CHOICES_HEADER = texts.CHOICES_HEADER
_SENTENCE_END = re.compile(r"[.!?…;:](?:[\"'”»)\]]*)\s+")


@dataclass
class Part:
    text: str
    buttons: list[Button] = field(default_factory=list)  # only on the last part


def numbered_choices(buttons: list[Button]) -> str:
    lines = [CHOICES_HEADER]
    lines += [f"{index}. {button.label}" for index, button in enumerate(buttons, start=1)]
    return "\n".join(lines)


def _cut_point(text: str, limit: int) -> int:
    """Where to end the first piece of `text` so that it fits in `limit` characters."""
    window = text[:limit]
    for separator in ("\n\n", "\n"):
        at = window.rfind(separator)
        if at >= limit // 3:
            return at + len(separator)
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] >= limit // 3:
        return ends[-1]
    at = window.rfind(" ")
    if at >= limit // 3:
        return at + 1
    return limit


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters that concatenate (modulo edge spaces) to `text`."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def render(text: str, buttons: list[Button], limits: ChannelLimits) -> list[Part]:
    """The messages to send, in order, for one outbox row."""
    if buttons and not limits.buttons:
        choices = numbered_choices(buttons)
        body = f"{text.rstrip()}\n\n{choices}" if text.strip() else choices
        return [Part(piece) for piece in split_text(body, limits.max_text)]
    parts = [Part(piece) for piece in split_text(text, limits.max_text)]
    parts[-1].buttons = list(buttons)
    return parts
