"""Vietnamese text the transport layer itself sends (everything else comes from handlers/)."""

from __future__ import annotations

# The line above numbered choices on channels without buttons.
CHOICES_HEADER = "Trả lời bằng số:"

# An update that could not be handled even after its retries: said once, never silence.
APOLOGY = (
    "Xin lỗi anh/chị, trợ lý chưa xử lý được tin nhắn vừa rồi do lỗi hệ thống. "
    "Quản trị viên đã được báo. Anh/chị vui lòng gửi lại sau ít phút, "
    "hoặc gõ /huy để bắt đầu lại."
)
