"""Every Vietnamese string the web shows outside the templates: labels, flash messages, error
pages, chart titles, export headers, the web chat's API errors. Status wording is the blocker
domain's (blockers/texts.py), imported here so the web and the chat say the same thing.
"""

from __future__ import annotations

from blockers.texts import status_label
from core.models import DeliveryStatus, DocumentStatus, EventKind, ExtractionStatus, MessageKind, Role

APP_TITLE = "Trợ lý thủ tục và vướng mắc"

# --- labels --------------------------------------------------------------------------------------
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
BROADCAST_ALL = "Tất cả xã, phường"

__all__ = ["status_label"]  # the one wording of a status, the blocker domain's (re-exported)


# --- error pages ---------------------------------------------------------------------------------
FORBIDDEN = ("Không có quyền", "Tài khoản của bạn không được dùng chức năng này.")
NOT_FOUND = ("Không tìm thấy", "Không tìm thấy trang hoặc vướng mắc này.")
CSRF_FAILED = (
    "Biểu mẫu không hợp lệ",
    "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Vui lòng tải lại trang và thử lại.",
)

# --- sign-in and accounts ------------------------------------------------------------------------
WRONG_CURRENT_PASSWORD = "Mật khẩu hiện tại không đúng."
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu mới không khớp."
PASSWORD_CHANGED = "Đã đổi mật khẩu."
PASSWORD_TOO_SHORT = "Mật khẩu phải có ít nhất {length} ký tự."
NEEDS_DEPARTMENT = "Cán bộ và lãnh đạo phòng phải thuộc một Sở."
NO_SUCH_DEPARTMENT = "Sở không tồn tại."
USERNAME_REQUIRED = "Vui lòng nhập tên đăng nhập."
USERNAME_TAKEN = "Tên đăng nhập đã có."
CANNOT_DEMOTE_SELF = "Không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình."
USER_UPDATED = "Đã cập nhật tài khoản {username}."

# --- roster, departments, canned replies, documents ----------------------------------------------
ROSTER_TOO_LARGE = "Tệp quá lớn (tối đa 5 MB)."
ROSTER_UNREADABLE = "Không đọc được tệp. Hãy dùng CSV (UTF-8) hoặc XLSX có dòng tiêu đề."
ROSTER_IMPORTED = "Đã nhập danh sách: {created} người mới, {updated} cập nhật."
ROSTER_LINE_ERROR = "Dòng {line}: {message}"
DEPARTMENT_UPDATED = "Đã cập nhật {name}."
CANNED_MISSING = "Vui lòng nhập tiêu đề và nội dung."
CANNED_ADDED = "Đã thêm câu trả lời mẫu."
CANNED_DELETED = "Đã xóa câu trả lời mẫu."
FILE_TOO_LARGE = "Tệp quá lớn (tối đa {mb} MB)."
DOCUMENT_LOADED = "Đã nạp {filename} ({count} văn bản) vào kho hướng dẫn."
DOCUMENT_UPDATED = "Đã cập nhật thông tin văn bản."
ARTICLE_STATUS_UPDATED = "Đã cập nhật hiệu lực của Điều/phần {article}."
DOCUMENT_SOURCE_MISSING = "Không còn tệp gốc để lập chỉ mục lại văn bản này."
DOCUMENT_REINDEXED = "Đã lập chỉ mục lại văn bản."
DOCUMENT_DELETED = "Đã xóa văn bản {title}."

# --- blocker actions -----------------------------------------------------------------------------
EMPTY_TEXT = "Vui lòng nhập nội dung."
ACTION_FAILED = "Không thực hiện được thao tác này."
REPLY_SENT = "Đã gửi trả lời tới cán bộ xã."
PART_REPLY_SENT = "Đã gửi tới cán bộ xã câu trả lời phần việc của Sở phối hợp."
INFO_REQUESTED = "Đã gửi đề nghị bổ sung thông tin."
NOTE_SAVED = "Đã lưu ghi chú nội bộ."
ASSIGN_OUTSIDE_LEAD = "Chỉ phân công cho cán bộ của Sở chủ trì."
ASSIGNED = "Đã phân công cho {name}."
STATUS_CHANGED = "Đã cập nhật trạng thái."
TRANSFER_REASON_REQUIRED = "Vui lòng nêu lý do chuyển."
TRANSFERRED = "Đã chuyển vướng mắc sang Sở khác."
SUPPORT_ADDED = "Đã thêm Sở phối hợp."
CLOSED = "Đã đóng vướng mắc."
PUBLISHED = "Đã đăng câu trả lời thành hướng dẫn cho trợ lý."
PUBLISHED_TOLD = "Đã gửi câu trả lời tới {count} cán bộ có câu hỏi tương tự chưa được trả lời."
NOT_PUBLISHED = "Câu trả lời chưa được đăng thành hướng dẫn."
BROADCAST_QUEUED = "Đã xếp lịch gửi hướng dẫn tới {count} cán bộ."
BROADCAST_NOBODY = "Không có cán bộ nào (chưa nhận hướng dẫn này) để gửi."
BROADCAST_REPEATED = "Hướng dẫn này đã được gửi tới nhóm cán bộ này."
BROADCAST_LIMIT = "Đã gửi {limit} lượt hướng dẫn trong 24 giờ qua; vui lòng gửi lại sau."

# --- dashboard -----------------------------------------------------------------------------------
NO_DATA = "Chưa có dữ liệu"
NO_DURATION = "chưa có dữ liệu"
CHART_STATUS = "Vướng mắc theo trạng thái"
CHART_DEPARTMENTS = "Vướng mắc theo Sở"
CHART_OVERDUE = "Vướng mắc quá hạn theo Sở"
CHART_COMMUNES = "Xã, phường có nhiều vướng mắc nhất"
CHART_MONTHS = "Vướng mắc mới theo tháng"
CHART_FIELDS = "Lĩnh vực thường gặp"
NO_LEADERSHIP_CHAT = "Chưa cấu hình nhóm chat lãnh đạo (LEADERSHIP_CHAT)."
SUMMARY_QUEUED = "Đã xếp lịch gửi báo cáo tuần tới nhóm chat lãnh đạo."


def duration(days: int, hours: int) -> str:
    if days and hours:
        return f"{days} ngày {hours} giờ"
    return f"{days} ngày" if days else f"{hours} giờ"


# --- exports -------------------------------------------------------------------------------------
BLOCKER_HEADERS = (
    "Mã", "Tiêu đề", "Lĩnh vực", "Xã/phường", "Sở chủ trì", "Trạng thái", "Hạn xử lý",
    "Ngày tạo", "Phản hồi đầu tiên", "Ngày trả lời", "Ngày đóng", "Đánh giá",
)  # fmt: skip
THREAD_HEADERS = ("Thời gian", "Loại", "Nội dung", "Căn cứ pháp lý")
TABLE_HEADERS: dict[str, tuple[str, ...]] = {
    "trang-thai": ("Trạng thái", "Số vướng mắc"),
    "so": ("Sở", "Tổng", "Đang mở", "Quá hạn"),
    "xa-phuong": ("Xã/phường", "Số vướng mắc"),
    "thang": ("Tháng", "Số vướng mắc"),
    "qua-han": ("Mã", "Tiêu đề", "Xã/phường", "Sở", "Hạn xử lý"),
    "linh-vuc": ("Lĩnh vực", "Số vướng mắc"),
    "chua-tra-loi": ("Câu hỏi tiêu biểu", "Số lần", "Lần gần nhất"),
    "chua-dung": ("Câu hỏi tiêu biểu", "Số lần", "Lần gần nhất"),
}

# --- the authority map (/admin/authority, issue 14) -------------------------------------------
AUTHORITY_HEADERS = (
    "Nghị định", "Điều, khoản, điểm", "Nhiệm vụ, thẩm quyền", "Quy định được dẫn", "Nay do",
    "Cấp", "Điều kiện", "Trước đây", "Sở theo dõi", "Áp dụng từ", "Áp dụng đến", "Văn bản nguồn",
)  # fmt: skip
AUTHORITY_LEVEL_LABELS = {
    "commune": "Ủy ban nhân dân cấp xã",
    "commune_chair": "Chủ tịch UBND cấp xã",
    "commune_council": "Hội đồng nhân dân cấp xã",
    "province": "Ủy ban nhân dân cấp tỉnh",
    "province_chair": "Chủ tịch UBND cấp tỉnh",
    "province_council": "Hội đồng nhân dân cấp tỉnh",
    "province_body": "Sở, cơ quan cấp tỉnh",
    "central": "Trung ương",
    "other": "Khác",
}
AUTHORITY_EXPORT_NAME = "phan-dinh-tham-quyen"

# --- web chat API ----------------------------------------------------------------------------------
CHAT_REOPEN = "Hãy mở lại trang /chat để bắt đầu."
CHAT_BAD_CLIENT = "client_id không hợp lệ"
CHAT_EMPTY = "Tin nhắn trống"
CHAT_BUSY = "Hệ thống đang bận, vui lòng gửi lại."
CHAT_FILE_MISSING = "Chưa chọn tệp nào để gửi."
CHAT_FILE_EMPTY = "Tệp trống, không có gì để gửi."
CHAT_FILE_TOO_LARGE = "Tệp quá lớn: mỗi tệp tối đa {mb} MB. Anh/chị gửi tệp nhỏ hơn, hoặc chụp lại ảnh."
CHAT_FILE_WRONG_TYPE = (
    "Trợ lý chỉ nhận ảnh (JPG, PNG, WEBP, GIF, HEIC), PDF, Word, Excel và ghi âm. "
    "Tệp này không đúng loại (hoặc nội dung không khớp với tên tệp)."
)
CHAT_FILE_BAD_FORM = "Không đọc được tệp gửi lên. Anh/chị thử gửi lại."
CHAT_FILE_NEEDS_REGISTRATION = (
    "Chỉ cán bộ đã đăng ký mới gửi được tệp. Anh/chị gõ /dangky và mã đăng ký được cấp để đăng ký."
)
CHAT_FILE_TOO_MANY = "Anh/chị đã gửi nhiều tệp trong một giờ qua. Vui lòng thử lại sau."


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


# --- text read from attachments (the thread's section under each photo, scan or voice note) -----
EXTRACTED_FROM_PAPER = "Nội dung trích từ ảnh"
EXTRACTED_FROM_VOICE = "Nội dung ghi âm (máy nghe, có thể sai)"
EXTRACTION_NOTES = {
    ExtractionStatus.pending: "Đang đọc nội dung…",
    ExtractionStatus.empty: "Không đọc được chữ nào.",
    ExtractionStatus.failed: "Không đọc được tệp này.",
    ExtractionStatus.unavailable: "Máy chủ chưa cài bộ đọc (OCR hoặc nghe ghi âm).",
}
