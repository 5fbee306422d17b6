"""An in-process Channel with scripted send results, for inbound and sender unit tests."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from bot.channel import Attachment, ChannelLimits, ChannelName, Incoming, Reply, SendResult


class ScriptedChannel:
    def __init__(self, name: str = "telegram", *, max_text: int = 4096, buttons: bool = True) -> None:
        self.name = ChannelName(name)
        self.limits = ChannelLimits(max_text=max_text, buttons=buttons)
        self.sent: list[tuple[str, Reply]] = []
        self.script: deque[SendResult] = deque()
        self.files: dict[str, bytes] = {}

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return headers.get("x-secret") == "ok"

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        return str(payload["id"]) if "id" in payload else None

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        if "chat" not in payload:
            return None
        files = tuple(
            Attachment(kind="document", file_ref=f, filename=f"{f}.pdf") for f in payload.get("files", [])
        )
        return Incoming(
            channel=self.name,
            chat_id=str(payload["chat"]),
            user_id=str(payload["chat"]),
            message_id=str(payload["id"]),
            text=str(payload.get("text", "")),
            attachments=files,
        )

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        result = (
            self.script.popleft()
            if self.script
            else SendResult(ok=True, platform_message_id=f"m{len(self.sent)}")
        )
        if result.ok:
            self.sent.append((chat_id, reply))
        return result

    async def download(self, attachment: Attachment) -> bytes:
        return self.files[attachment.file_ref]
