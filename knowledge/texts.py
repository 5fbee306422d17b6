"""Every Vietnamese sentence the knowledge side shows: the refusal, the notes and labels of an
answer, the words of a citation, the language model's instructions, and metadata errors.
The vocabulary it matches documents against (stop words, abbreviations, document types, the
legal structure's words) stays with the code that matches it (terms.py, normalize.py,
metadata.py, chunking.py)."""

from __future__ import annotations

# --- answers -------------------------------------------------------------------------------------
NOT_FOUND = (
    "Chưa tìm thấy hướng dẫn phù hợp với câu hỏi này trong các văn bản đã được nạp. "
    "Anh/chị có thể diễn đạt lại câu hỏi cụ thể hơn, hoặc chọn «Gửi vướng mắc» để chuyển "
    "câu hỏi tới Sở phụ trách."
)
AMENDED_NOTE = "Lưu ý: văn bản này đã được sửa đổi, bổ sung; cần đối chiếu văn bản sửa đổi."
ACCORDING_TO = "Theo {citation}"
CITED = "({citation})"  # under the lead sentence of an answer
SUPPORT_HEADING = "Trích {citation}"  # before the supporting clause text
RELATED = (
    "Chưa tìm thấy quy định trả lời trực tiếp câu hỏi này. Các điều sau có thể liên quan "
    "(không phải câu trả lời, cần đối chiếu):"
)
RELATED_HINT = "Nếu chưa đúng, anh/chị có thể chọn «Gửi vướng mắc» để chuyển câu hỏi tới Sở phụ trách."
SEE_ALSO = "\n\nXem thêm: {citations}."
LEGAL_BASIS = "\n\nCăn cứ: {citations}."

# --- citations: "Điều 20 khoản 1 Luật Cư trú số 68/2020/QH14", "Thủ tục … (mã 1.000894) — Hồ sơ"
ARTICLE = "Điều {number}"
CLAUSE = "khoản {number}"
POINT = "điểm {number}"
NUMBERED = "{name} số {number}"
PROCEDURE_PREFIX = "thủ tục"  # a procedure record's title already starting so is not prefixed
PROCEDURE = "Thủ tục {title}"
PROCEDURE_CODE = " (mã {number})"
WHOLE_ARTICLE = " khoản -"  # what citation() writes for "the whole article", cut from its head

# --- composing with a language model (instructions to the model, in the officials' language) ---
LLM_SYSTEM = (
    "Bạn là trợ lý cho cán bộ xã, phường. Chỉ trả lời dựa trên các đoạn văn bản được cung cấp; "
    "không thêm thông tin ngoài. Trả lời ngắn gọn bằng tiếng Việt, nêu rõ căn cứ (Điều, khoản, "
    "văn bản) như trong các đoạn. Nếu các đoạn không trả lời được câu hỏi, hãy nói rõ là chưa "
    "tìm thấy hướng dẫn."
)
LLM_PROMPT = "Các đoạn văn bản:\n\n{context}\n\nCâu hỏi: {question}"

# --- metadata sidecars ---------------------------------------------------------------------------
BAD_STATUS = (
    "Trạng thái “{value}” không hợp lệ: dùng còn hiệu lực (in_force), "
    "đã sửa đổi (amended) hoặc hết hiệu lực (expired)."
)
BAD_ISSUED_DATE = "Ngày ban hành “{value}” không hợp lệ (dùng dd/mm/yyyy)."
SIDECAR_UNREADABLE = "Tệp siêu dữ liệu {name} không đọc được: {error}"
SIDECAR_NOT_OBJECT = "Tệp siêu dữ liệu {name} phải là một đối tượng JSON."
SIDECAR_UNKNOWN_FIELDS = "Tệp siêu dữ liệu {name} có trường không hỗ trợ: {unknown} (được dùng: {known})."


# --- DOCX parsing caps (knowledge/formats.py) ------------------------------------------------
DOCX_TOO_LARGE = "Tệp {name} quá lớn để nạp: {what}. Hãy tách thành nhiều tệp nhỏ hơn."
DOCX_OVER_BYTES = "nội dung vượt {mb} MB"
DOCX_OVER_ELEMENTS = "hơn {count} đoạn văn và ô bảng"
DOCX_OVER_CHARS = "hơn {count} ký tự"
DOCX_OVER_SECONDS = "đọc mất quá {seconds} giây"
