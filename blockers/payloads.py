"""The follow-up payloads: buttons that name a blocker, built and parsed here only.

These strings sit in officials' chats for weeks (a rating request is answered days after
the answer arrived), so their shapes never change: "rp:rate:<id>:y|n", "my:add:<id>",
"my:open:<id>", "rp:follow:<id>". Whoever builds one calls a function below; whoever reads
one calls `parse`. Whether this chat may act on the named blocker is decided by the
admission table (handlers/admission.py), not by the payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from blockers import texts
from core.outbox import Button


class FollowUpAction(StrEnum):
    rate = "rate"  # "Đã giải quyết được" / "Chưa được" after an answer
    add_info = "add_info"  # "Bổ sung thông tin"
    open = "open"  # one blocker of /cuatoi
    follow = "follow"  # follow a similar blocker instead of filing a new one


_PREFIXES: dict[FollowUpAction, str] = {
    FollowUpAction.rate: "rp:rate:",
    FollowUpAction.add_info: "my:add:",
    FollowUpAction.open: "my:open:",
    FollowUpAction.follow: "rp:follow:",
}
_SOLVED = {"y": True, "n": False}
MAX_ID = 2**63 - 1  # a database integer: larger ids name nothing


@dataclass(frozen=True)
class FollowUp:
    action: FollowUpAction
    blocker_id: int
    solved: bool | None = None  # only for `rate`


def rate(blocker_id: int, *, solved: bool) -> str:
    return f"{_PREFIXES[FollowUpAction.rate]}{blocker_id}:{'y' if solved else 'n'}"


def add_info(blocker_id: int) -> str:
    return f"{_PREFIXES[FollowUpAction.add_info]}{blocker_id}"


def open_blocker(blocker_id: int) -> str:
    return f"{_PREFIXES[FollowUpAction.open]}{blocker_id}"


def follow(blocker_id: int) -> str:
    return f"{_PREFIXES[FollowUpAction.follow]}{blocker_id}"


def rating_buttons(blocker_id: int) -> list[Button]:
    return [
        Button(texts.RATE_SOLVED, rate(blocker_id, solved=True)),
        Button(texts.RATE_NOT_SOLVED, rate(blocker_id, solved=False)),
    ]


def add_info_button(blocker_id: int) -> Button:
    return Button(texts.ADD_INFO, add_info(blocker_id))


def object_id(raw: str) -> int | None:
    """The id a payload carries, or None. Payloads from the web chat are typed by anyone: digits
    only, within a database integer (a larger one would fail in the database, not here)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def is_follow_up(payload: str) -> bool:
    return any(payload.startswith(prefix) for prefix in _PREFIXES.values())


def parse(payload: str) -> FollowUp | None:
    """The follow-up a payload stands for, or None when it is not a well-formed one."""
    for action, prefix in _PREFIXES.items():
        if not payload.startswith(prefix):
            continue
        rest = payload.removeprefix(prefix)
        solved: bool | None = None
        if action == FollowUpAction.rate:
            rest, _, answer = rest.partition(":")
            if answer not in _SOLVED:
                return None
            solved = _SOLVED[answer]
        blocker_id = object_id(rest)
        return FollowUp(action, blocker_id, solved) if blocker_id is not None else None
    return None
