"""A voice note in a dialog step other than a report's description or added information (those
take it as part of what they collect: handlers/reporting_steps.py).

The media step has heard it already (handlers/media.py, `Context.step`). Here it is decided what
the note stands for. Without a caption:
- the invite-code step never takes a note (a secret read letter by letter is easily misheard):
  the official is asked to type the code;
- a note that gave no text: why, and to type or choose instead; the dialog stays where it was;
- a spoken choice among the buttons last shown: its number ("hai", "số hai") or its label
  ("gửi", "bỏ qua", the department's name) stands for pressing it;
- a step that only takes a choice, when the transcript matches none: asked to tap or type the
  number, with the same choices shown again;
- otherwise the transcript is handled as if it were typed.
With a typed caption (Telegram's and Zalo's caption, the web chat's box):
- a step that only takes a choice, or the invite code: the caption decides, the note is not
  even downloaded (media.hears_note), and the answer says it was not heard;
- any other step: the caption and the transcript, caption first, are handled as typed; a
  note that gave no text: the caption alone, and the answer says why the note was not used.
What is then answered starts with «Tôi nghe được: «…»» (or why the note was not used), so the
official sees what was understood and nothing typed or said is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channel import Button, Reply
from handlers import texts
from handlers.commands import parse_spoken_number, squash
from handlers.flow import Turn, typed_and_heard
from handlers.follow_up import is_add_dialog
from handlers.media import CHOICE_STEPS, TYPED_ONLY_STEPS
from handlers.reporting import NAME as REPORTING
from handlers.state import Meta

MIN_LABEL = 3  # folded characters of a label found inside a longer transcript


@dataclass(frozen=True)
class Spoken:
    """What a note in a step comes to: replies to send as they are, a choice to press, or
    the text to handle as typed; `first`: the line said before the answer (the echo, or why
    the note was not used)."""

    replies: list[Reply] | None = None
    payload: str = ""
    text: str = ""
    first: str = ""


def applies(turn: Turn) -> bool:
    """A voice note (with or without a caption) in an open step that does not collect notes
    itself."""
    state = turn.state
    if turn.voice is None or not state.flow:
        return False
    describing = state.flow == REPORTING and state.step == "describe"
    return not describing and not is_add_dialog(state.flow, state.step)


def judge(turn: Turn, meta: Meta) -> Spoken:
    state = turn.state
    voice = turn.voice
    assert voice is not None
    caption = turn.incoming.text.strip()
    step = (state.flow, state.step)
    if step in TYPED_ONLY_STEPS:
        if caption:
            return Spoken(text=caption, first=texts.VOICE_CODE_TYPED)
        return Spoken(replies=[Reply(text=texts.VOICE_TYPE_CODE)])
    if caption and step in CHOICE_STEPS:  # not downloaded nor heard (media.hears_note)
        return Spoken(text=caption, first=texts.VOICE_CAPTION_DECIDES)
    heard = turn.heard
    if caption:
        if not heard:
            return Spoken(text=caption, first=texts.voice_not_used(voice.reading))
        return Spoken(text=typed_and_heard(caption, heard), first=texts.HEARD.format(text=heard))
    if not heard:
        return Spoken(replies=[Reply(text=texts.not_heard_in_step(voice.reading), buttons=_shown(meta))])
    echo = texts.HEARD.format(text=heard)
    payload = spoken_choice(heard, meta)
    if payload:
        return Spoken(payload=payload, first=echo)
    if step in CHOICE_STEPS:
        text = f"{echo}\n\n{texts.VOICE_NO_MATCHING_CHOICE}"
        return Spoken(replies=[Reply(text=text, buttons=_shown(meta))])
    return Spoken(text=heard, first=echo)


def spoken_choice(heard: str, meta: Meta) -> str:
    """The payload of the button the transcript names, by number or label; "" for none."""
    if not meta.choices:
        return ""
    number = parse_spoken_number(heard)
    if number is not None:
        return meta.choices[number - 1] if 1 <= number <= len(meta.choices) else ""
    if len(meta.labels) != len(meta.choices):
        return ""
    said = squash(heard)
    labels = [squash(label) for label in meta.labels]
    exact = [i for i, label in enumerate(labels) if label and label == said]
    inside = [i for i, label in enumerate(labels) if len(label) >= MIN_LABEL and label in said]
    found = exact or inside
    return meta.choices[found[0]] if len(found) == 1 else ""


def said_first(replies: list[Reply], line: str) -> list[Reply]:
    """The answer to a spoken step (or a captioned note), with `line` first."""
    if not line:
        return replies
    if not replies:
        return [Reply(text=line)]
    replies[0].text = f"{line}\n\n{replies[0].text}"
    return replies


def _shown(meta: Meta) -> list[Button]:
    """The choices last shown, again (nothing lost: the same payloads, the same order)."""
    if len(meta.labels) != len(meta.choices):
        return []
    return [Button(label, payload) for label, payload in zip(meta.labels, meta.choices, strict=True)]
