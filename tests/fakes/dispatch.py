"""A stand-in for handlers.dispatch: answers every message, records what it saw."""

from __future__ import annotations

import threading

from sqlmodel import Session

from bot.channel import Button, Incoming, Reply


class EchoDispatch:
    """Replies "Bạn đã gửi: <text>" with two feedback buttons; `long_answer` makes replies long."""

    def __init__(self, *, long_answer: int = 0, fail_times: int = 0) -> None:
        self.seen: list[Incoming] = []
        self.lock = threading.Lock()
        self.long_answer = long_answer
        self.fail_times = fail_times

    def __call__(self, session: Session, incoming: Incoming) -> list[Reply]:
        with self.lock:
            if self.fail_times > 0:
                self.fail_times -= 1
                raise RuntimeError("dispatcher failed on purpose")
            self.seen.append(incoming)
        said = incoming.payload or incoming.text
        text = f"Bạn đã gửi: {said}"
        if self.long_answer:
            sentence = "Theo quy định hiện hành, hồ sơ được nộp tại bộ phận một cửa của xã. "
            text += "\n\n" + sentence * (self.long_answer // len(sentence) + 1)
        buttons = [Button("Hữu ích", "fb:1:helpful"), Button("Chưa đúng", "fb:1:wrong")]
        return [Reply(text=text, buttons=buttons)]
