"""Send pacing per chat and per bot, inside one process.

Telegram allows about one message per second in a chat, 20 per minute in a group and 30 per
second overall; Zalo publishes no figures, so the same conservative pacing is used there.
Several processes each pace themselves; the platform's 429 (honoured by the sender) covers the
rest.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pace:
    chat_interval: float  # seconds between two messages to one chat
    group_interval: float  # seconds between two messages to one group chat
    per_second: float  # messages per second over all chats (0 = unlimited)


PACES: dict[str, Pace] = {
    "telegram": Pace(chat_interval=1.0, group_interval=3.0, per_second=30.0),
    "zalo": Pace(chat_interval=1.0, group_interval=3.0, per_second=20.0),
    "zalo_oa": Pace(chat_interval=1.0, group_interval=1.0, per_second=10.0),
    "web": Pace(chat_interval=0.0, group_interval=0.0, per_second=0.0),
}


def is_group(channel: str, chat_id: str) -> bool:
    return channel == "telegram" and chat_id.startswith("-")


@dataclass
class RateLimiter:
    channel: str
    pace: Pace
    _chat_next: dict[str, float] = field(default_factory=dict)
    _global_next: float = 0.0

    def reserve(self, chat_id: str, now: float | None = None) -> float:
        """Book the next slot for `chat_id`; returns how long to wait before sending."""
        now = time.monotonic() if now is None else now
        start = max(now, self._chat_next.get(chat_id, 0.0), self._global_next)
        interval = self.pace.group_interval if is_group(self.channel, chat_id) else self.pace.chat_interval
        self._chat_next[chat_id] = start + interval
        if self.pace.per_second > 0:
            self._global_next = start + 1.0 / self.pace.per_second
        if len(self._chat_next) > 10_000:  # forget chats whose slot has long passed
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
        return start - now

    async def wait(self, chat_id: str) -> None:
        delay = self.reserve(chat_id)
        if delay > 0:
            await asyncio.sleep(delay)


def make_limiters(channels: list[str], paces: dict[str, Pace] | None = None) -> dict[str, RateLimiter]:
    paces = paces or PACES
    default = Pace(chat_interval=1.0, group_interval=3.0, per_second=10.0)
    return {name: RateLimiter(name, paces.get(name, default)) for name in channels}
