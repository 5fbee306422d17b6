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
OFFENCE_NOTE = (
    "Lưu ý: câu hỏi hỏi mức phạt, còn các điều trên quy định tội phạm (Bộ luật Hình sự), chỉ áp "
    "dụng khi hành vi cấu thành tội phạm. Mức xử phạt vi phạm hành chính do nghị định xử phạt "
    "của lĩnh vực đó quy định, chưa có trong các văn bản đã nạp."
)
RELATED_HINT = "Nếu chưa đúng, anh/chị có thể chọn «Gửi vướng mắc» để chuyển câu hỏi tới Sở phụ trách."
SEE_ALSO = "\n\nXem thêm: {citations}."
LEGAL_BASIS = "\n\nCăn cứ: {citations}."

# --- citations: "Điều 20 khoản 1 Luật Cư trú số 68/2020/QH14", "Thủ tục … (mã 1.000894) — Hồ sơ"
# A question naming an article the guidance's copy of that document does not have.
ARTICLE_ABSENT = (
    "Trong các văn bản đã được nạp, {document} không có {article}. Anh/chị kiểm tra lại số điều, "
    "hỏi bằng nội dung cần tra cứu, hoặc chọn «Gửi vướng mắc» để chuyển câu hỏi tới Sở phụ trách."
)
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

# --- the authority map (issue 14): "whose task is it now?" ------------------------------------
AUTHORITY_SINCE = "Từ {date}, việc này do {holder} thực hiện ({citation})."
AUTHORITY_NOW = "Hiện nay, việc này do {holder} thực hiện ({citation})."
AUTHORITY_YES = "Có. "  # "xã có được … không?" and the commune holds it
AUTHORITY_NO = "Không. "  # … and someone else holds it
AUTHORITY_CLAUSE = "Theo {citation}:\n{text}"
AUTHORITY_CONDITION = "Điều kiện: {condition}."
AUTHORITY_UNTIL = "{decree} áp dụng đến trước ngày {date}, trừ khi được kéo dài hoặc thay thế."
AUTHORITY_RELATED = "Việc gần giống: {items}."
AUTHORITY_RELATED_ITEM = "{task} — {holder} ({citation})"
AUTHORITY_CORRECTION = "Lưu ý: từ {date}, thẩm quyền này do {holder} thực hiện ({citation})."
AUTHORITY_CORRECTION_NOW = "Lưu ý: hiện nay thẩm quyền này do {holder} thực hiện ({citation})."
AUTHORITY_DECREE = "Nghị định số {number}"

# --- validity over time (knowledge/validity.py) --------------------------------------------------
STATUS_LABELS = {"in_force": "còn hiệu lực", "amended": "đã sửa đổi, bổ sung", "expired": "hết hiệu lực"}
NOT_YET_LABEL = "chưa có hiệu lực, có hiệu lực từ {date}"
ENDED_LABEL = "hết hiệu lực từ {date}"
REPLACED_LABEL = "thay thế bởi {replacement}"
REPLACED_FROM_LABEL = "thay thế bởi {replacement} từ {date}"
VALIDITY_LINE = "\n\nHiệu lực: {name} — {label}."
NOT_YET_WARNING = "\n\nCảnh báo: {name} chưa có hiệu lực, có hiệu lực từ {date}."
SUPERSEDED_NOTE = "\n\nLưu ý: {name} đã hết hiệu lực từ {date}, được thay thế bởi {replacement}."
SUPERSEDED_NOTE_UNDATED = "\n\nLưu ý: {name} đã hết hiệu lực, được thay thế bởi {replacement}."
DISTRICT_NOTE = (
    "\n\nLưu ý: văn bản trước ngày 01/7/2025: thẩm quyền cấp huyện nay do cấp xã thực hiện theo "
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (chính quyền địa phương hai cấp)."
)
COMPILATION_CONTEXT = " ({title})"  # a Pháp điển article cited by its source, with its đề mục
BAD_DATE = "Ngày “{value}” của trường {field} không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)."
DATE_FIELDS = {
    "issued_date": "ngày ban hành",
    "effective_from": "ngày có hiệu lực",
    "effective_to": "ngày hết hiệu lực",
}
BAD_DATE_ORDER = "Ngày hết hiệu lực ({end}) phải sau ngày có hiệu lực ({start})."

# --- ingestion progress (knowledge/embeddings.py) ------------------------------------------------
EMBED_PROGRESS = "Tính vectơ các đoạn"
EMBED_UNIT = "đoạn"

# --- importers of the national sources (knowledge/importers/) -----------------------------------
PHAPDIEN_TYPE = "Pháp điển"  # a đề mục of the Bộ Pháp điển, compiling articles of many texts
PHAPDIEN_ISSUER = "Bộ Tư pháp"
PROCEDURE_TYPE = "Thủ tục hành chính"
# The parts of a procedure record, in the order an official reads them.
PART_STEPS = "Trình tự thực hiện"
PART_CHANNELS = "Cách thức thực hiện"
PART_DOSSIER = "Thành phần hồ sơ"
PART_TIME = "Thời hạn giải quyết"
PART_FEE = "Phí, lệ phí"
PART_WHO = "Đối tượng thực hiện"
PART_AGENCY = "Cơ quan thực hiện"
PART_CONDITIONS = "Yêu cầu, điều kiện"
PART_BASIS = "Căn cứ pháp lý"
PART_RESULT = "Kết quả thực hiện"
PART_HOW = "Cách thức, thời hạn, phí, lệ phí"
PART_OFFICE = "Cơ quan thực hiện, đối tượng, kết quả"
AGENCY_DOING = "Cơ quan thực hiện"
AGENCY_COMPETENT = "Cơ quan có thẩm quyền"
AGENCY_DELEGATED = "Cơ quan được ủy quyền"
AGENCY_COOPERATING = "Cơ quan phối hợp"
AGENCY_ADDRESS = "Địa chỉ tiếp nhận hồ sơ"
PROCEDURE_TIME = "thời hạn {time}"
PROCEDURE_TIME_NO_UNIT = "{value} (bản ghi gốc không ghi đơn vị thời gian)"
PROCEDURE_COPIES = "{n} bản {kind}"
PROCEDURE_FORM = " (mẫu: {form})"
PROCEDURE_NOTE = "Lưu ý: {text}"
# The lead of a dossier part (knowledge/reply.py dossier_lead): the papers every applicant
# brings, by group, then those needed only in some cases.
DOSSIER_GROUP = "{label}: {papers}"
DOSSIER_COPIES = "{paper} ({copies})"
DOSSIER_CASES = "Khi có trường hợp riêng: {papers}"
PROCEDURE_RESULT_CODE = " (mã kết quả {code})"
SKIP_NOT_COMMUNE = "lĩnh vực {field} không thuộc việc của cấp xã"
SKIP_MISSCRAPED = "bản ghi thu thập lỗi (tên là quyết định công bố, không phải thủ tục)"
SKIP_EMPTY = "bản ghi không có trình tự và thành phần hồ sơ"
SKIP_DUPLICATE = "trùng nội dung với thủ tục {code}"
NATIVE_BAD_LINE = "Tệp {name}: dòng {where} không đúng định dạng tài liệu của hệ thống (troly-document)."
CSV_UNKNOWN = "Tệp {name}: chỉ nạp được tệp CSV của Bộ Pháp điển (các cột ten, noidung, vbqppl, vbqppl_link)."

# --- reading files (knowledge/loaders.py) and ingesting them (knowledge/ingest.py) --------------
FILE_BINARY = "Tệp {name} không phải tệp văn bản (có dữ liệu nhị phân)."
FILE_PASSWORD = "Tệp {name} được đặt mật khẩu, không đọc được nội dung."
FILE_SCAN_NO_OCR = (
    "Tệp {name} là bản scan (không có lớp chữ) nên cần nhận dạng ký tự (OCR), "
    "nhưng máy chưa cài tesseract và gói tiếng Việt (apt install tesseract-ocr "
    "tesseract-ocr-vie poppler-utils). Hãy cài rồi nạp lại, hoặc dùng bản PDF có chữ."
)
OCR_EXIT_CODE = "mã lỗi {code}"
OCR_FAILED = "Nhận dạng ký tự (OCR) tệp {name} thất bại: {reason}"
JSONL_BAD_JSON = "Tệp {name}, dòng {line}: JSON không hợp lệ ({error})."
JSONL_NOT_OBJECT = "Tệp {name}, dòng {line}: mỗi dòng phải là một đối tượng JSON."
JSONL_UNKNOWN_RECORD = (
    "Tệp {name}, dòng {line}: không nhận ra bản ghi (cần {{id, title, text}} "
    "hoặc bản ghi thủ tục hành chính có metadata/content/tables)."
)
JSONL_BAD_ID = "Tệp {name}, dòng {line}: thiếu mã bản ghi hoặc mã bị trùng."
FILE_DOC_HINT = " (Word 97-2003: hãy lưu lại thành .docx)"
FILE_NO_SUFFIX = "không đuôi"
FILE_UNSUPPORTED = "Tệp {name}: định dạng “{suffix}” chưa được hỗ trợ{hint}; dùng {supported}."
FILE_EMPTY = "Tệp {name} rỗng, không có nội dung."
FILE_CANNOT_OPEN = "Không mở được tệp {name}: {error}."
FILE_DAMAGED = "Tệp {name} bị hỏng hoặc không đúng định dạng {kind}: {error}."
FILE_NO_TEXT = "Tệp {name} không có nội dung chữ để nạp."
INGEST_UNREADABLE = "Không đọc được tệp {name}: {error}."
INGEST_STORE_FAILED = "Lỗi khi lưu hoặc lập chỉ mục tệp {name}: {error}"
INGEST_NOT_FOUND = "Không tìm thấy {path}."

# --- the older procedure-record format (knowledge/records.py) -----------------------------------
RECORD_FORM = " — mẫu: {form}"
RECORD_QUANTITY = " — số lượng: {quantity}"
RECORD_ISSUED = ", ban hành {date}"
RECORD_ARTICLE_HEAD = "Điều {number}. {heading}"  # an article line made self-describing
RECORD_ARTICLE_BARE = "Điều {number}."
