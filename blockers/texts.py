"""Every Vietnamese text of the blocker domain: status labels (the one wording of a status, used
by the chat and the web alike), the reasons a transition is refused, the notifications it
sends by itself through the outbox, the weekly summary and the text of a published answer.
The chat dialogs' own strings are in handlers/texts.py, the web's in api/web/texts.py."""

from __future__ import annotations

from datetime import date, datetime

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
ALREADY_PUBLISHED = "Câu trả lời của vướng mắc này đã được đăng thành hướng dẫn."


UNKNOWN_COMMUNE = "(không rõ)"
OFFICIAL_ADDED = "cán bộ xã đã bổ sung thông tin."
NOT_SOLVED = "cán bộ xã cho biết câu trả lời chưa giải quyết được vướng mắc."
GUIDANCE_DOC_TYPE = "Hướng dẫn"


def status_label(status: BlockerStatus | str) -> str:
    """The status wording; a value no longer known (an old event) shows as stored."""
    try:
        return STATUS_LABELS[BlockerStatus(status)]
    except (KeyError, ValueError):
        return str(status)


def invited_to_support(department_name: str) -> str:
    return f"{department_name} được mời phối hợp xử lý."


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


def part_reply_notice(blocker: Blocker, support_name: str, answer: str, legal_basis: str) -> str:
    lines = [f"Vướng mắc {blocker.code}: {support_name} (cơ quan phối hợp) trả lời phần việc của mình:"]
    lines += ["", answer.strip()]
    if legal_basis.strip():
        lines += ["", f"Căn cứ: {legal_basis.strip()}"]
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


# --- a department answer published as guidance -----------------------------------------------------


def guidance_title(blocker: Blocker, department_name: str) -> str:
    return f"Trả lời vướng mắc {blocker.code} của {department_name}: {blocker.title}"


def guidance_text(
    blocker: Blocker, department_name: str, answer: str, *, who: str, answered_on: date, legal_basis: str
) -> str:
    lines = [
        guidance_title(blocker, department_name),
        "",
        f"Vướng mắc: {blocker.description.strip()}",
        "",
        f"Trả lời: {answer.strip()}",
        "",
        f"Cơ quan trả lời: {department_name}" + (f" (người trả lời: {who})" if who else ""),
        f"Ngày trả lời: {answered_on.strftime('%d/%m/%Y')}",
    ]
    if legal_basis.strip():
        lines.append(f"Căn cứ pháp lý: {legal_basis.strip()}")
    return "\n".join(lines)


def answer_for_question(question: str, blocker: Blocker, department_name: str, answer: str) -> str:
    """To an official whose question the bot could not answer, once the answer exists."""
    return (
        f"Trợ lý chưa trả lời được câu hỏi «{question.strip()[:200]}» của anh/chị. Nay {department_name} "
        f"đã trả lời một vướng mắc tương tự ({blocker.code}) và câu trả lời được đăng thành hướng dẫn:"
        f"\n\n{answer.strip()}"
    )


def broadcast_notice(blocker: Blocker, department_name: str, answer: str, legal_basis: str) -> str:
    lines = [f"Hướng dẫn mới của {department_name} (trả lời vướng mắc {blocker.code}: {blocker.title})", ""]
    lines.append(answer.strip())
    if legal_basis.strip():
        lines += ["", f"Căn cứ: {legal_basis.strip()}"]
    return "\n".join(lines)


# --- weekly summary -------------------------------------------------------------------------------


def weekly_summary(
    *,
    since: datetime,
    now: datetime,
    counts: tuple[int, int, int, int],  # created, answered, closed, overdue
    on_time: tuple[int, int] | None,  # (on time, answered) of the week, None when nothing answered
    worst: list[tuple[str, int, int]],  # (department, overdue, open)
    unanswered: int,
) -> str:
    created, answered, closed, overdue = counts
    lines = [
        f"TỔNG HỢP VƯỚNG MẮC TUẦN ({format_vn(since, with_time=False)} – {format_vn(now, with_time=False)})",
        f"• Vướng mắc mới: {created}",
        f"• Đã trả lời: {answered}",
        f"• Đã đóng: {closed}",
        f"• Đang quá hạn: {overdue}",
    ]
    if on_time is not None:
        good, total = on_time
        lines.append(f"• Trả lời đúng hạn trong tuần: {round(good / total * 100)}% ({good}/{total})")
    if worst:
        lines.append("Sở có nhiều vướng mắc quá hạn nhất:")
        lines.extend(f"  – {name}: {late} quá hạn / {open_} đang mở" for name, late, open_ in worst)
    lines.append(f"• Câu hỏi trợ lý chưa có hướng dẫn để trả lời: {unanswered}")
    return "\n".join(lines)
