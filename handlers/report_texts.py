"""Every Vietnamese string of the reporting dialog (/baocao) and of /cuatoi."""

from __future__ import annotations

# --- buttons -----------------------------------------------------------------------------------
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
ADD_INFO = "Bổ sung thông tin"
RATE_SOLVED = "Đã giải quyết được"
RATE_NOT_SOLVED = "Chưa được"

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
SIMILAR_ITEM = "{n}. {code} ({department}, {status}): {title}"
FOLLOW = "Theo dõi {code}"
FOLLOWED = (
    "Anh/chị đang theo dõi vướng mắc {code} ({department}). Khi cơ quan trả lời, trợ lý sẽ gửi "
    "câu trả lời tới anh/chị. Xem lại bằng /cuatoi."
)

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
CANCELLED = "Đã hủy, vướng mắc chưa được gửi."
STALE = "Lựa chọn này không còn hiệu lực. Gõ /baocao để gửi vướng mắc mới."
PRESS_A_BUTTON = "Anh/chị chọn một trong các lựa chọn bên dưới."

# --- rating ---------------------------------------------------------------------------------------
RATED_SOLVED = "Cảm ơn anh/chị đã phản hồi. Vướng mắc {code} được ghi nhận là đã giải quyết."
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
