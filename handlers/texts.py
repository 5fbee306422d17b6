"""Every Vietnamese string the chat dialogs show: dispatch, registration, asking, feedback, menu,
reporting a blocker (/baocao), drafts, /cuatoi and the follow-ups (rating, adding information).
What the blocker domain sends by itself (status labels, notifications) is in blockers/texts.py.

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
    "Nếu không tìm thấy hướng dẫn, trợ lý nói rõ và không đoán. "
    "Có thể hỏi thẳng một điều luật: «Điều 27 Luật Cư trú», «khoản 2 Điều 8 Luật Hôn nhân và gia đình».\n"
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


ROSTER_NO_NAME = "thiếu họ và tên"
ROSTER_NO_COMMUNE = "thiếu xã/phường"
ROSTER_BAD_PHONE = "số điện thoại không hợp lệ: {phone}"

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


# --- reporting: buttons -----------------------------------------------------------------------------------
DONE = "Xong"
CANCEL = "Hủy"
SEND = "Gửi"
EDIT = "Sửa"
SKIP = "Bỏ qua"
UNSURE = "Không rõ"
FILE_NEW = "Vẫn gửi vướng mắc mới"
EDIT_DESCRIPTION = "Sửa mô tả"
EDIT_DEPARTMENT = "Đổi cơ quan"
EDIT_FIELD = "Sửa lĩnh vực"
CONTINUE_DRAFT = "Tiếp tục soạn"
NEW_REPORT = "Vướng mắc mới"
SAVE_DRAFT = "Lưu nháp"
DROP_REPORT = "Hủy báo cáo"

# --- describing --------------------------------------------------------------------------------
DESCRIBE = (
    "Anh/chị mô tả vướng mắc: việc gì, ở đâu, đã làm gì, đang vướng ở khâu nào. Có thể gửi "
    "nhiều tin nhắn, kèm ảnh hoặc tệp (PDF, Word, Excel). Gửi xong chọn «Xong»."
)
CARRIED = (
    "Trợ lý đã ghi câu hỏi của anh/chị làm mô tả:\n«{text}»\n"
    "Anh/chị có thể gửi thêm chi tiết, ảnh hoặc tệp, rồi chọn «Xong»."
)
NOTED = "Đã ghi nhận. Gửi thêm nếu cần, hoặc chọn «Xong»."
NEED_DESCRIPTION = "Anh/chị chưa mô tả vướng mắc. Vui lòng gửi nội dung bằng chữ trước khi chọn «Xong»."
TOO_SHORT = "Mô tả còn quá ngắn để cơ quan hiểu được vướng mắc. Anh/chị viết rõ hơn một chút."
FILE_TAKEN = "Đã nhận tệp «{name}»."
FILE_TOO_LARGE = "Không nhận được tệp «{name}»: tệp quá lớn hoặc tải về bị lỗi (tối đa {mb} MB)."
FILE_WRONG_TYPE = "Không nhận tệp «{name}»: chỉ nhận ảnh, PDF, Word (DOC, DOCX) và Excel (XLS, XLSX)."
TOO_MANY_FILES = "Mỗi vướng mắc kèm tối đa {limit} tệp; tệp «{name}» không được nhận."

# --- similar blockers ----------------------------------------------------------------------------
SIMILAR = (
    "Xã, phường khác đã gửi vướng mắc tương tự và đang chờ xử lý. Anh/chị có thể theo dõi "
    "vướng mắc đó (sẽ nhận câu trả lời khi có) thay vì gửi mới:"
)
SIMILAR_ITEM = "{n}. {code} ({department}, {status})"
FOLLOW = "Theo dõi {code}"
FOLLOWED = (
    "Anh/chị đang theo dõi vướng mắc {code} ({department}). Khi cơ quan trả lời, trợ lý sẽ gửi "
    "câu trả lời tới anh/chị. Xem lại bằng /cuatoi."
)

DEPARTMENT_CLOSED = "{name} hiện không tiếp nhận vướng mắc. Anh/chị chọn cơ quan khác:"

# --- department, field, summary ------------------------------------------------------------------
CHOOSE_DEPARTMENT = (
    "Theo nội dung, vướng mắc này có thể thuộc các cơ quan dưới đây. Anh/chị chọn cơ quan phù "
    "hợp, hoặc «Không rõ» để Văn phòng UBND tỉnh phân loại."
)
ASK_FIELD = (
    "Lĩnh vực của vướng mắc (không bắt buộc), ví dụ: đất đai, hộ tịch, tài chính. "
    "Gõ ngắn gọn hoặc chọn «Bỏ qua»."
)
SUMMARY = (
    "Kiểm tra lại trước khi gửi:\n\n"
    "Mô tả: {description}\n"
    "Tệp kèm theo: {files}\n"
    "Cơ quan xử lý: {department}\n"
    "Lĩnh vực: {field}\n"
    "Hạn trả lời dự kiến: {deadline}"
)
NO_FIELD = "(không ghi)"
NO_FILES = "không có"
WHAT_TO_EDIT = "Anh/chị muốn sửa phần nào?"
REDESCRIBE = "Anh/chị gửi lại mô tả mới (mô tả cũ sẽ được thay thế), rồi chọn «Xong»."
RECEIPT = (
    "Đã gửi vướng mắc.\n"
    "Mã: {code}\n"
    "Cơ quan xử lý: {department}\n"
    "Hạn trả lời: {deadline}\n\n"
    "Mọi thay đổi trạng thái và câu trả lời sẽ được gửi vào cuộc trò chuyện này. Xem lại bằng /cuatoi."
)
REPORT_CANCELLED = "Đã hủy, vướng mắc chưa được gửi."
STALE = "Lựa chọn này không còn hiệu lực. Gõ /baocao để gửi vướng mắc mới."
PRESS_A_BUTTON = "Anh/chị chọn một trong các lựa chọn bên dưới."

# --- drafts: a command typed in the middle of a report ------------------------------------------
KEEP_DRAFT = "Anh/chị đang soạn dở một vướng mắc. Lưu nháp để gửi tiếp sau (gõ /baocao), hay hủy báo cáo này?"
DRAFT_SAVED = "Đã lưu nháp vướng mắc trong {minutes} phút. Gõ /baocao để soạn tiếp."
DRAFT_OFFER = (
    "Anh/chị có một vướng mắc đang soạn dở (lưu lúc {at}):\n«{excerpt}»\n"
    "Tiếp tục soạn vướng mắc này, hay bắt đầu vướng mắc mới?"
)
DRAFT_RESUMED = (
    "Đã mở lại vướng mắc đang soạn ({files} tệp kèm theo). Gửi thêm chi tiết, ảnh hoặc tệp, rồi chọn «Xong»."
)

# --- rating ---------------------------------------------------------------------------------------
RATED_SOLVED = "Cảm ơn anh/chị đã phản hồi. Vướng mắc {code} được ghi nhận là đã giải quyết."
RATED_AS_FOLLOWER = (
    "Cảm ơn anh/chị đã phản hồi về vướng mắc {code}; ý kiến được ghi lại để cơ quan xử lý tham khảo."
)
RATED_NOT_SOLVED = (
    "Đã ghi nhận vướng mắc {code} chưa được giải quyết; cơ quan sẽ xem lại. Anh/chị có thể bổ "
    "sung thông tin bằng nút bên dưới."
)

# --- /cuatoi --------------------------------------------------------------------------------------
MY_NONE = "Anh/chị chưa gửi hay theo dõi vướng mắc nào. Gõ /baocao để gửi vướng mắc."
MY_LIST = "Vướng mắc của anh/chị (chọn để xem chi tiết):"
MY_ITEM = "{n}. {code} – {status} – {title}"
MY_FOLLOWED = " (đang theo dõi)"
MY_HEADER = "{code} – {department}\nTrạng thái: {status}\nHạn trả lời: {deadline}\n\n{description}"
MY_HISTORY = "Diễn biến:"
MY_FOLLOWER_HEADER = "{code} – {department}\nTrạng thái: {status}\nHạn trả lời: {deadline}"
MY_FOLLOWER_NOTE = "Anh/chị đang theo dõi vướng mắc của xã, phường khác: chỉ hiện câu trả lời của cơ quan."
MY_NOT_YOURS = "Không tìm thấy vướng mắc này trong danh sách của anh/chị."
ADD_PROMPT = (
    "Anh/chị gửi nội dung bổ sung cho {code} (chữ, ảnh hoặc tệp). Mỗi tin nhắn được chuyển ngay "
    "tới cơ quan xử lý; chọn «Xong» khi đã đủ."
)
ADDED = "Đã chuyển nội dung bổ sung tới cơ quan xử lý vướng mắc {code}."
ADD_DONE = "Đã xong phần bổ sung cho {code}."
CLOSED_NO_ADD = "Vướng mắc {code} đã đóng, không bổ sung được nữa. Gõ /baocao để gửi vướng mắc mới."
EVENT_LINES = {
    "created": "Gửi tới {to}",
    "status": "Trạng thái: {to}",
    "transfer": "Chuyển từ {from_} sang {to}",
    "support": "{to} phối hợp xử lý",
    "publish": "Câu trả lời được đăng thành hướng dẫn",
}
MESSAGE_LINES = {
    "official": "Cán bộ xã: {text}",
    "reply": "Trả lời: {text}",
    "info_request": "Cơ quan đề nghị bổ sung: {text}",
}


# --- voice notes and photographed papers ---------------------------------------------------------
BUTTON_RETYPE = "Sửa câu hỏi (gõ lại)"
HEARD = "Tôi nghe được: «{text}»"
RETYPE_PROMPT = (
    "Anh/chị gõ lại câu hỏi cho đúng (trợ lý nghe ghi âm có thể nhầm), trợ lý sẽ trả lời theo câu vừa gõ."
)
READ_FROM_PHOTO = "Trợ lý đọc được trong ảnh: «{text}»"
VOICE_TOO_LONG_IN_REPORT = (
    "Ghi âm dài quá 2 phút nên trợ lý không nhận. Anh/chị gõ nội dung, hoặc gửi các ghi âm "
    "ngắn hơn (dưới 2 phút mỗi ghi âm)."
)
_NOT_HEARD = {
    "too_long": (
        "Ghi âm dài quá 2 phút nên trợ lý không nghe được. Anh/chị gõ câu hỏi, hoặc gửi ghi âm "
        "ngắn hơn (dưới 2 phút)."
    ),
    "unavailable": "Máy chủ này chưa bật nghe ghi âm. Anh/chị vui lòng gõ câu hỏi bằng chữ.",
    "empty": (
        "Trợ lý không nghe rõ lời nói trong ghi âm. Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc "
        "ghi âm lại ở nơi yên tĩnh."
    ),
    "busy": (
        "Trợ lý đang bận nghe nhiều ghi âm. Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc gửi lại sau ít phút."
    ),
}
_NOT_HEARD_DEFAULT = "Trợ lý không nghe được ghi âm này. Anh/chị vui lòng gõ câu hỏi bằng chữ."
_NOT_READ = {
    "empty": (
        "Trợ lý không đọc được chữ nào trong ảnh. Anh/chị chụp lại rõ hơn (đủ sáng, thẳng "
        "trang), hoặc gõ câu hỏi."
    ),
    "too_large": "Ảnh quá lớn để đọc. Anh/chị gửi ảnh nhỏ hơn, hoặc gõ câu hỏi.",
    "busy": "Trợ lý đang bận đọc nhiều ảnh. Anh/chị vui lòng gõ câu hỏi, hoặc gửi lại ảnh sau ít phút.",
}
_NOT_READ_DEFAULT = "Trợ lý không đọc được ảnh này. Anh/chị vui lòng gõ câu hỏi bằng chữ."
VOICE_HEARD_IN_REPORT = (
    "Đã nhận ghi âm. Tôi nghe được: «{text}». Nội dung này được ghi cùng vướng mắc; nếu nghe "
    "sai, anh/chị gõ thêm cho đúng."
)
VOICE_NOT_HEARD_IN_REPORT = (
    "Đã đính kèm ghi âm, nhưng {reason}. Anh/chị vui lòng gõ nội dung bằng chữ để cơ quan xử lý nhanh hơn."
)
_REASON_UNAVAILABLE = "máy chủ này chưa bật nghe ghi âm"
_REASON_NOT_HEARD = "trợ lý không nghe rõ"


# A voice note in another dialog step (handlers/voice_steps.py).
VOICE_TYPE_CODE = (
    "Mã đăng ký cần được gõ bằng chữ: trợ lý không nhận mã qua ghi âm để tránh nghe nhầm. "
    "Mời anh/chị gõ mã 8 ký tự (ví dụ: ABCD-2345). Gõ /huy để thôi."
)
VOICE_NO_MATCHING_CHOICE = (
    "Bước này cần chọn một trong các lựa chọn bên dưới, nhưng câu vừa nghe không khớp lựa chọn "
    "nào. Anh/chị bấm nút (hoặc gõ số thứ tự), hoặc nói đúng tên lựa chọn."
)
VOICE_STEP_NOT_HEARD = (
    "Chưa dùng được ghi âm ở bước này vì {reason}. Anh/chị vui lòng gõ bằng chữ (hoặc chọn "
    "trong các lựa chọn đã gửi); những gì đã soạn vẫn được giữ nguyên."
)
_STEP_REASONS = {
    "too_long": "ghi âm dài quá 2 phút",
    "unavailable": "máy chủ này chưa bật nghe ghi âm",
    "empty": "trợ lý không nghe rõ",
    "busy": "bộ phận nghe ghi âm đang bận",
}
_STEP_REASON_DEFAULT = "trợ lý không nghe được ghi âm này"
# A voice note with a typed caption whose note is not used (the caption is).
VOICE_CAPTION_DECIDES = (
    "Ở bước chọn này, trợ lý làm theo phần chữ anh/chị gõ kèm; ghi âm đi kèm không được nghe."
)
VOICE_CODE_TYPED = "Trợ lý dùng mã anh/chị gõ; ghi âm đi kèm không được nghe vì mã đăng ký chỉ nhận bằng chữ."
VOICE_NOT_USED = (
    "Ghi âm đi kèm chưa dùng được vì {reason}; trợ lý dùng phần chữ anh/chị gõ. Nếu ghi âm có "
    "thêm ý, anh/chị vui lòng gõ thêm."
)


VOICE_BESIDE_COMMAND = (
    "Trợ lý đã làm theo lệnh anh/chị gõ kèm, nên ghi âm đi kèm chưa được dùng. Nếu ghi âm có câu "
    "hỏi, anh/chị vui lòng gửi lại ghi âm riêng, không kèm chữ."
)
VOICE_BESIDE_COMMAND_HEARD = (
    "Trợ lý đã làm theo lệnh anh/chị gõ kèm, nên ghi âm đi kèm chưa được dùng (trợ lý nghe được: "
    "«{text}»). Nếu đó là câu hỏi, anh/chị vui lòng gửi lại riêng."
)


def voice_beside_command(heard: str) -> str:
    """A typed command or menu number sent with a voice note: the note was not used."""
    return VOICE_BESIDE_COMMAND_HEARD.format(text=heard) if heard else VOICE_BESIDE_COMMAND


def voice_not_used(reading: str) -> str:
    """A captioned voice note that gave no text: why, and that the caption was used."""
    return VOICE_NOT_USED.format(reason=_STEP_REASONS.get(reading, _STEP_REASON_DEFAULT))


def not_heard_in_step(reading: str) -> str:
    """A voice note in a dialog step that gave no text: why, and that nothing was lost."""
    return VOICE_STEP_NOT_HEARD.format(reason=_STEP_REASONS.get(reading, _STEP_REASON_DEFAULT))


def not_heard(reading: str) -> str:
    """A voice note asked as a question that gave no text: why, and to type instead."""
    return _NOT_HEARD.get(reading, _NOT_HEARD_DEFAULT)


def not_read(reading: str) -> str:
    return _NOT_READ.get(reading, _NOT_READ_DEFAULT)


def voice_taken(heard: str, reading: str) -> str:
    """A voice note in a report (or added information): attached, and what was heard."""
    if heard:
        return VOICE_HEARD_IN_REPORT.format(text=heard)
    reason = _REASON_UNAVAILABLE if reading == "unavailable" else _REASON_NOT_HEARD
    return VOICE_NOT_HEARD_IN_REPORT.format(reason=reason)
