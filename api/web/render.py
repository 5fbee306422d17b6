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


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A one-time notice shown on the next page (after a POST-redirect-GET)."""
    messages = list(request.session.get("flash", []))
    messages.append({"kind": kind, "text": text})
    request.session["flash"] = messages


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    values: dict[str, Any] = dict(context or {})
    values.setdefault("user", getattr(request.state, "user", None))
    values["csrf_token"] = csrf_token(request)
    values["flashes"] = request.session.pop("flash", []) if "flash" in request.session else []
    return templates.TemplateResponse(request, name, values, status_code=status_code)
