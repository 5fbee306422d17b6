"""Every Vietnamese string shown by the conversation core (dispatch, registration, asking,
feedback, menu). Reporting texts live in handlers/report_texts.py.

Officials address the bot as "anh/chị"; keep sentences short: many read on a phone.
"""

from __future__ import annotations

# --- menu and help ---------------------------------------------------------------------------
MENU_ASK = "Hỏi thủ tục"
MENU_REPORT = "Báo vướng mắc"
MENU_MY = "Vướng mắc của tôi"
MENU_HELP = "Trợ giúp"
MENU_PROMPT = "Anh/chị cần hỗ trợ việc gì? Chọn một mục bên dưới (hoặc gõ số thứ tự):"

HELP = (
    "Trợ lý thủ tục và vướng mắc cho cán bộ xã, phường.\n"
    "\n"
    "• Hỏi thủ tục: gõ câu hỏi bất kỳ, trợ lý trả lời kèm trích dẫn văn bản. "
    "Nếu không tìm thấy hướng dẫn, trợ lý nói rõ và không đoán.\n"
    "• Báo vướng mắc: gửi tới Sở phụ trách, nhận mã theo dõi và hạn xử lý.\n"
    "• Vướng mắc của tôi: xem tình trạng các vướng mắc đã gửi.\n"
    "\n"
    "Các lệnh (trên Zalo gõ không cần dấu /):\n"
    "/hoi – hỏi thủ tục\n"
    "/baocao – báo vướng mắc\n"
    "/cuatoi – vướng mắc của tôi\n"
    "/huy – hủy thao tác đang làm\n"
    "/trogiup – xem hướng dẫn này\n"
    "/start – về trang đầu\n"
    "\n"
    "Khi có danh sách lựa chọn, anh/chị có thể bấm nút hoặc gõ số thứ tự (1, 2, 3…)."
)


def greeting_registered(name: str) -> str:
    return f"Xin chào {name}! Tôi là trợ lý thủ tục và vướng mắc."


GREETING_GUEST = "Xin chào! Tôi là trợ lý thủ tục và vướng mắc dành cho cán bộ xã, phường."
THANKS_REPLY = "Rất vui được hỗ trợ anh/chị. Cần gì thêm, anh/chị cứ nhắn."

# --- registration ----------------------------------------------------------------------------
REGISTER_HOW = (
    "Anh/chị chưa đăng ký tài khoản cán bộ. Có hai cách đăng ký:\n"
    "• Nhập mã đăng ký do quản trị viên cấp (ví dụ: ABCD-2345), "
    "hoặc bấm «Nhập mã đăng ký» rồi gõ mã.\n"
    "• Trên Telegram: bấm «Chia sẻ số điện thoại». "
    "Nếu số của anh/chị có trong danh sách cán bộ, tài khoản được kích hoạt ngay.\n"
    "Chưa có mã? Anh/chị liên hệ quản trị viên của tỉnh."
)
REGISTER_HOW_NO_CONTACT = (
    "Anh/chị chưa đăng ký tài khoản cán bộ. Để đăng ký, anh/chị nhập mã đăng ký do quản trị "
    "viên cấp (ví dụ: ABCD-2345), hoặc chọn «Nhập mã đăng ký» rồi gõ mã.\n"
    "Chưa có mã? Anh/chị liên hệ quản trị viên của tỉnh."
)
QUESTIONS_OPEN_NOTE = "Trong lúc chờ, anh/chị vẫn có thể hỏi thủ tục."
BUTTON_ENTER_CODE = "Nhập mã đăng ký"
BUTTON_SHARE_PHONE = "Chia sẻ số điện thoại"
ASK_CODE = "Mời anh/chị gõ mã đăng ký (8 ký tự, ví dụ: ABCD-2345). Gõ /huy để thôi."
WRONG_CODE = (
    "Mã đăng ký không đúng hoặc đã được dùng. Anh/chị kiểm tra lại và gõ lại mã, "
    "hoặc liên hệ quản trị viên để được cấp mã mới. Gõ /huy để thôi."
)
CODE_EXPIRED = (
    "Mã đăng ký này đã hết hạn (mã chỉ dùng được trong {days} ngày kể từ khi cấp). "
    "Anh/chị liên hệ quản trị viên để được cấp mã mới, rồi gõ mã mới vào đây. Gõ /huy để thôi."
)
TOO_MANY_CODE_GUESSES = (
    "Mã đăng ký đã bị nhập sai quá nhiều lần. Vì an toàn, anh/chị vui lòng thử lại sau một giờ "
    "hoặc liên hệ quản trị viên để được hỗ trợ."
)
PHONE_NOT_FOUND = (
    "Số điện thoại {phone} chưa có trong danh sách cán bộ. "
    "Anh/chị liên hệ quản trị viên để được bổ sung hoặc cấp mã đăng ký."
)
CONTACT_ONLY_TELEGRAM = "Việc chia sẻ số điện thoại chỉ dùng được trên Telegram. Anh/chị hãy nhập mã đăng ký."
CONTACT_PRESS_BUTTON = "Anh/chị hãy bấm nút «Chia sẻ số điện thoại» bên dưới khung chat."


def registered_ok(name: str, commune: str, position: str) -> str:
    who = ", ".join(part for part in (position, commune) if part)
    suffix = f" ({who})" if who else ""
    return f"Đăng ký thành công. Xin chào {name}{suffix}! Anh/chị đã có thể báo vướng mắc."


def already_registered(name: str) -> str:
    return f"Tài khoản này đã được đăng ký cho {name}. Không cần đăng ký lại."


REPORT_NEEDS_REGISTRATION = "Chỉ cán bộ đã đăng ký mới gửi và theo dõi được vướng mắc."
QUESTIONS_NEED_REGISTRATION = "Hiện trợ lý chỉ phục vụ cán bộ đã đăng ký."

# --- asking ----------------------------------------------------------------------------------
ASK_PROMPT = "Mời anh/chị gõ câu hỏi về thủ tục (ví dụ: «Hồ sơ đăng ký thường trú gồm những gì?»)."
BUTTON_HELPFUL = "Hữu ích"
BUTTON_WRONG = "Chưa đúng"
BUTTON_FULL_TEXT = "Xem toàn văn"
BUTTON_SEND_BLOCKER = "Gửi vướng mắc"
FULL_TEXT_MISSING = "Không còn tìm thấy toàn văn điều khoản này (văn bản có thể đã được cập nhật)."
ATTACHMENT_OUTSIDE_REPORT = (
    "Trợ lý chỉ nhận ảnh và tệp khi anh/chị đang báo vướng mắc. "
    "Chọn «Báo vướng mắc» (hoặc gõ /baocao) rồi gửi lại ảnh, tệp."
)
EMPTY_MESSAGE = "Trợ lý chưa hiểu tin nhắn này. Anh/chị gõ câu hỏi, hoặc chọn một mục bên dưới:"

# --- feedback --------------------------------------------------------------------------------
FEEDBACK_THANKS = "Cảm ơn anh/chị đã đánh giá câu trả lời."
FEEDBACK_WRONG = (
    "Cảm ơn anh/chị đã báo câu trả lời chưa đúng; ý kiến này giúp bổ sung hướng dẫn. "
    "Nếu cần Sở phụ trách trả lời, anh/chị chọn «Gửi vướng mắc»."
)

# --- dispatch --------------------------------------------------------------------------------
CANCELLED = "Đã hủy thao tác đang làm."
NOTHING_TO_CANCEL = "Hiện không có thao tác nào đang làm."
EXPIRED = "Thao tác trước đã bị hủy vì quá lâu không có trả lời. Tin nhắn này được xử lý như tin mới."
STALE_CHOICE = "Lựa chọn này không còn hiệu lực. Anh/chị chọn lại từ danh sách mới nhất bên dưới:"
UNKNOWN_COMMAND = "Trợ lý không có lệnh này. Gõ /trogiup để xem các lệnh."


def choice_out_of_range(count: int) -> str:
    return f"Anh/chị gõ một số từ 1 đến {count} để chọn."


def flood_warning(per_minute: int) -> str:
    return (
        f"Anh/chị đang gửi quá nhiều tin nhắn (tối đa {per_minute} tin mỗi phút). "
        "Trợ lý tạm dừng trả lời một lát; xin gửi lại sau một phút."
    )
