"""Jinja2 templates, Vietnamese labels and flash messages shared by the web pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.security import CSRF_FIELD, csrf_token
from blockers.lifecycle import status_label as lifecycle_status_label
from core.clock import format_vn
from core.models import BlockerStatus, DeliveryStatus, DocumentStatus, EventKind, MessageKind, Role

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

ROLE_LABELS = {
    Role.staff: "Chuyên viên",
    Role.head: "Lãnh đạo phòng/Sở",
    Role.leader: "Lãnh đạo tỉnh",
    Role.admin: "Quản trị",
}
DELIVERY_LABELS = {
    DeliveryStatus.pending: "Đang chờ gửi",
    DeliveryStatus.sent: "Đã gửi",
    DeliveryStatus.failed: "Gửi thất bại",
    DeliveryStatus.window_closed: "Hết thời hạn tương tác (Zalo)",
    DeliveryStatus.blocked: "Người nhận đã chặn trợ lý",
}
MESSAGE_LABELS = {
    MessageKind.official: "Cán bộ xã",
    MessageKind.reply: "Trả lời",
    MessageKind.info_request: "Đề nghị bổ sung",
    MessageKind.note: "Ghi chú nội bộ",
}
EVENT_LABELS = {
    EventKind.created: "Tạo vướng mắc",
    EventKind.status: "Đổi trạng thái",
    EventKind.transfer: "Chuyển Sở",
    EventKind.assign: "Phân công",
    EventKind.support: "Thêm Sở phối hợp",
    EventKind.reply: "Trả lời",
    EventKind.info_request: "Đề nghị bổ sung",
    EventKind.note: "Ghi chú",
    EventKind.official_message: "Cán bộ xã bổ sung",
    EventKind.follow: "Theo dõi",
    EventKind.rating: "Đánh giá",
    EventKind.reminder: "Nhắc hạn",
    EventKind.escalation: "Báo cáo quá hạn",
    EventKind.publish: "Đăng thành hướng dẫn",
}
DOCUMENT_STATUS_LABELS = {
    DocumentStatus.in_force: "Còn hiệu lực",
    DocumentStatus.amended: "Đã sửa đổi, bổ sung",
    DocumentStatus.expired: "Hết hiệu lực",
}


def status_label(status: str) -> str:
    """Status wording comes from the lifecycle; unknown values (old events) show as stored."""
    try:
        return lifecycle_status_label(BlockerStatus(status))
    except ValueError:
        return str(status)


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(
    format_vn=format_vn,
    status_label=status_label,
    statuses=list(BlockerStatus),
    role_labels=ROLE_LABELS,
    delivery_labels=DELIVERY_LABELS,
    message_labels=MESSAGE_LABELS,
    event_labels=EVENT_LABELS,
    document_status_labels=DOCUMENT_STATUS_LABELS,
    csrf_field=CSRF_FIELD,
)


MAX_FLASHES = 8
MAX_FLASH_CHARS = 300


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A one-time notice shown on the next page (after a POST-redirect-GET).

    It travels in the session cookie, which is signed but readable: never a password or a
    code (show those once on the page itself), and bounded so the cookie stays small (browsers
    drop cookies over 4 KB)."""
    messages = list(request.session.get("flash", []))[: MAX_FLASHES - 1]
    if len(text) > MAX_FLASH_CHARS:
        text = text[: MAX_FLASH_CHARS - 1] + "…"
    messages.append({"kind": kind, "text": text})
    request.session["flash"] = messages


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    values: dict[str, Any] = dict(context or {})
    values.setdefault("user", getattr(request.state, "user", None))
    has_session = "session" in request.scope  # not on answers made before the session exists
    values["csrf_token"] = csrf_token(request) if has_session else ""
    values["flashes"] = request.session.pop("flash", []) if has_session and "flash" in request.session else []
    return templates.TemplateResponse(request, name, values, status_code=status_code)


# --- accounts and sessions ---------------------------------------------------------------
FIRST_ADMIN_USER_LINE = "Tên đăng nhập: "
FIRST_ADMIN_TEXT = (
    "Tài khoản quản trị đầu tiên của Trợ lý thủ tục và vướng mắc\n"
    + FIRST_ADMIN_USER_LINE
    + "{username}\nMật khẩu tạm: {password}\n"
    "Đăng nhập tại /login rồi đặt mật khẩu mới; tệp này tự xóa khi đổi mật khẩu.\n"
)
FIRST_ADMIN_NOTICE = (
    "Tài khoản quản trị đầu tiên: {username}. Mật khẩu tạm nằm trong tệp {path} "
    "(chỉ tài khoản chạy dịch vụ đọc được): cat {path}"
)
LOGIN_TOO_MANY = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau một phút."
LOGIN_WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
PASSWORD_CHANGED = "Đã đổi mật khẩu."
SIGNED_OUT_EVERYWHERE = "Đã đăng xuất tài khoản khỏi mọi thiết bị. Vui lòng đăng nhập lại."
USER_CREATED = (
    "Đã tạo tài khoản {username}. Mật khẩu tạm (chỉ hiện một lần, hãy chuyển cho người dùng): {password}"
)
PASSWORD_RESET = "Mật khẩu tạm mới của {username} (chỉ hiện một lần, hãy chuyển cho người dùng): {password}"
SESSIONS_ENDED = "Đã đăng xuất {username} khỏi mọi nơi ({count} phiên đang mở)."

# --- error answers (api/errors.py) --------------------------------------------------------
ERROR_BAD_REQUEST_TITLE = "Dữ liệu không hợp lệ"
ERROR_BAD_REQUEST = "Dữ liệu gửi lên không hợp lệ hoặc có số quá lớn. Vui lòng kiểm tra lại và thử lại."
ERROR_BAD_FIELDS = "Giá trị không hợp lệ hoặc vượt giới hạn ở: {fields}. Vui lòng kiểm tra lại và thử lại."
ERROR_LOGIN_TITLE = "Cần đăng nhập"
ERROR_LOGIN = "Vui lòng đăng nhập rồi thử lại."
ERROR_FORBIDDEN_TITLE = "Không có quyền"
ERROR_FORBIDDEN = "Yêu cầu này không được phép."
ERROR_NOT_FOUND_TITLE = "Không tìm thấy"
ERROR_NOT_FOUND = "Không tìm thấy trang hoặc vướng mắc này."
ERROR_METHOD_TITLE = "Không hỗ trợ"
ERROR_METHOD = "Địa chỉ này không nhận kiểu yêu cầu vừa gửi."
ERROR_TOO_LARGE_TITLE = "Dữ liệu quá lớn"
ERROR_TOO_LARGE = "Dữ liệu gửi lên vượt quá giới hạn cho phép."
ERROR_TOO_LARGE_LIMIT = "Dữ liệu gửi lên vượt quá giới hạn cho phép ({size})."
ERROR_BAD_TEXT = "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Vui lòng kiểm tra lại."
ERROR_TOO_DEEP = "Dữ liệu JSON lồng nhau quá sâu hoặc không cân đối ngoặc, không xử lý được."
ERROR_BUSY_TITLE = "Hệ thống đang bận"
ERROR_BUSY = "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."
ERROR_SERVER_TITLE = "Lỗi hệ thống"
ERROR_SERVER = (
    "Hệ thống gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại cho quản trị viên; vui lòng thử lại sau."
)
ERROR_UPLOAD_LOGIN = "Vui lòng đăng nhập trước khi tải tệp lên."
ERROR_UPLOAD_CSRF = (
    "Biểu mẫu tải tệp đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Vui lòng tải lại trang và thử lại."
)
INVITE_ISSUED = (
    "Mã mời của {name} ({commune}): {code} (dùng được {days} ngày; chỉ hiện một lần, hãy chuyển cho cán bộ)"
)
ROSTER_MORE_ERRORS = "… và {count} dòng lỗi khác."
