"""Vietnamese texts the blocker domain sends by itself (notifications through the outbox).
The reporting dialog's own strings are in handlers/report_texts.py."""

from __future__ import annotations

from core.clock import format_vn
from core.models import Blocker, BlockerStatus

STATUS_LABELS: dict[BlockerStatus, str] = {
    BlockerStatus.new: "Mới",
    BlockerStatus.received: "Đã tiếp nhận",
    BlockerStatus.in_progress: "Đang xử lý",
    BlockerStatus.need_info: "Cần bổ sung thông tin",
    BlockerStatus.answered: "Đã trả lời",
    BlockerStatus.closed: "Đã đóng",
}

RATE_SOLVED = "Đã giải quyết được"
RATE_NOT_SOLVED = "Chưa được"
ADD_INFO = "Bổ sung thông tin"

REASON_REQUIRED = "Cần nêu lý do chuyển."
UNKNOWN_DEPARTMENT = "Không có cơ quan với mã này."
SAME_DEPARTMENT = "Vướng mắc đã thuộc cơ quan này."
BLOCKER_CLOSED = "Vướng mắc đã đóng."
EMPTY_TEXT = "Vui lòng nhập nội dung."
ALREADY_CLOSED = "Vướng mắc đã đóng từ trước."
STATUS_UNCHANGED = "Vướng mắc đang ở trạng thái này."
STATUS_NEEDS_MESSAGE = "Trạng thái này được đặt khi gửi câu trả lời hoặc yêu cầu bổ sung."
ALREADY_SUPPORTING = "Cơ quan này đã tham gia phối hợp."


def status_label(status: BlockerStatus | str) -> str:
    return STATUS_LABELS.get(BlockerStatus(status), str(status))


def _head(blocker: Blocker, department_name: str) -> str:
    return f"Vướng mắc {blocker.code} ({department_name})"


def status_notice(blocker: Blocker, department_name: str, reason: str = "") -> str:
    text = f"{_head(blocker, department_name)}\nTrạng thái mới: {status_label(blocker.status)}."
    return f"{text}\nLý do: {reason}" if reason else text


def reply_notice(blocker: Blocker, department_name: str, answer: str, legal_basis: str) -> str:
    lines = [f"{_head(blocker, department_name)} đã được trả lời:", "", answer.strip()]
    if legal_basis.strip():
        lines += ["", f"Căn cứ: {legal_basis.strip()}"]
    lines += ["", "Vướng mắc của anh/chị đã được giải quyết chưa?"]
    return "\n".join(lines)


def info_request_notice(blocker: Blocker, department_name: str, question: str) -> str:
    return (
        f"{_head(blocker, department_name)}: cơ quan cần anh/chị bổ sung thông tin:\n\n{question.strip()}\n\n"
        f"Chọn «{ADD_INFO}» rồi gửi nội dung (có thể kèm ảnh, tệp)."
    )


def transfer_notice(blocker: Blocker, old_name: str, new_name: str, reason: str) -> str:
    return (
        f"Vướng mắc {blocker.code} đã được chuyển từ {old_name} sang {new_name}.\nLý do: {reason}\n"
        f"Hạn trả lời mới: {format_vn(blocker.deadline, with_time=False)}."
    )


def support_notice(blocker: Blocker, lead_name: str, support_name: str) -> str:
    return f"{_head(blocker, lead_name)}: {support_name} tham gia phối hợp xử lý."


def published_notice(blocker: Blocker, department_name: str) -> str:
    return (
        f"Câu trả lời cho {_head(blocker, department_name).lower()} đã được đăng thành hướng dẫn: "
        "cán bộ các xã, phường hỏi nội dung tương tự sẽ được trợ lý trả lời ngay."
    )


def department_new_blocker(blocker: Blocker, link: str) -> str:
    return (
        f"Vướng mắc mới {blocker.code} ({blocker.commune or 'chưa rõ xã'}), hạn "
        f"{format_vn(blocker.deadline, with_time=False)}:\n{blocker.title}\n{link}"
    )


def department_update(blocker: Blocker, what: str, link: str) -> str:
    return f"Vướng mắc {blocker.code}: {what}\n{link}"


def reminder(blocker: Blocker, link: str) -> str:
    return (
        f"Nhắc hạn: vướng mắc {blocker.code} ({status_label(blocker.status)}) đến hạn trả lời lúc "
        f"{format_vn(blocker.deadline)}.\n{blocker.title}\n{link}"
    )


def escalation(blocker: Blocker, department_name: str, link: str) -> str:
    return (
        f"Quá hạn: vướng mắc {blocker.code} giao {department_name} đã quá hạn trả lời "
        f"({format_vn(blocker.deadline)}), trạng thái {status_label(blocker.status)}."
        f"\n{blocker.title}\n{link}"
    )
