"""Every Vietnamese string of the command line (`troly …`): help and what each subcommand prints."""

from __future__ import annotations

APP = "Trợ lý thủ tục và vướng mắc cho cán bộ xã, phường"

HELP: dict[str, str] = {
    "serve": "chạy dịch vụ web, webhook và các tiến trình nền",
    "serve.workers": "số tiến trình uvicorn",
    "migrate": "áp dụng các migration của cơ sở dữ liệu",
    "backup": "sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp",
    "backup.file": "tệp .tar.gz, hoặc một thư mục (tên tệp tự đặt theo thời gian)",
    "backup.with-index": "kèm chỉ mục Chroma nhúng",
    "backup.keep": "chỉ giữ N bản mới nhất trong thư mục",
    "restore": "khôi phục từ tệp sao lưu (dừng dịch vụ trước)",
    "restore.force": "ghi đè dữ liệu đang có",
    "ingest": "nạp tài liệu hướng dẫn (PDF, DOCX, HTML, TXT, MD, JSONL; thư mục được duyệt đệ quy)",
    "ingest.paths": "tệp hoặc thư mục",
    "ingest.prune": "xóa tài liệu có tệp nguồn trong các thư mục này đã bị xóa",
    "ingest.status": "trạng thái: còn hiệu lực (in_force), đã sửa đổi (amended), hết hiệu lực (expired)",
    "ingest.department": "mã Sở phụ trách, ví dụ TP",
    "ingest.field": "lĩnh vực, ví dụ Hộ tịch",
    "ask": "hỏi một câu về thủ tục, in câu trả lời kèm trích dẫn",
    "ask.question": "câu hỏi (có dấu hoặc không dấu)",
    "eval": "đo chất lượng tìm kiếm trên một bộ câu hỏi có đáp án",
    "eval.json": "in một dòng JSON",
    "eval.strip-diacritics": "bỏ dấu câu hỏi (chữ thường, đ→d)",
    "eval.unanswerable": "tệp JSONL các câu hỏi mà kho văn bản không trả lời được (cần từ chối)",
    "roster": "danh sách cán bộ xã, phường",
    "roster.import": "nhập danh sách từ tệp CSV (Họ và tên, Xã/Phường, Chức vụ, Số điện thoại)",
    "invite": "cấp mã đăng ký một lần cho cán bộ",
    "invite.phone": "số điện thoại của cán bộ",
    "invite.person": "mã số (id) của cán bộ",
    "invite.all": "mọi cán bộ chưa liên kết tài khoản chat",
    "route": "gợi ý cơ quan xử lý cho một nội dung vướng mắc",
    "route.text": "nội dung vướng mắc",
    "route.json": "in danh sách xếp hạng dạng JSON",
    "route.lexical": "không dùng mô hình nhúng (nhanh hơn)",
    "route.top": "chỉ in N cơ quan đầu (0 = tất cả)",
    "departments": "danh mục cơ quan (Sở, ngành)",
    "departments.load": "nạp danh mục từ tệp JSON vào cơ sở dữ liệu",
    "departments.load.file": "tệp JSON (mặc định: DEPARTMENTS_FILE hoặc danh mục kèm theo)",
    "departments.export": "xuất danh mục đang dùng ra JSON",
    "departments.export.file": "tệp đích (mặc định: in ra màn hình)",
    "user": "quản lý tài khoản trang quản trị",
    "user.add": "tạo tài khoản",
    "user.add.department": "mã Sở (bắt buộc với staff, head)",
    "user.add.password": "mật khẩu (bỏ trống để nhập)",
    "user.add.name": "họ và tên",
    "user.passwd": "đổi mật khẩu",
    "user.passwd.password": "mật khẩu mới (bỏ trống để nhập)",
}

VERBOSE = "in cả nhật ký chi tiết (Alembic, bm25s, …) ra stderr"
ERROR = "Lỗi: {error}"
FILE_MISSING = "Không tìm thấy tệp {path}."
LINE_ERROR = "Dòng {line}: {message}"

# --- serve, migrate, backup, restore ---------------------------------------------------------------
MIGRATED = "Đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất."
BACKED_UP = "Đã sao lưu ({database}, {uploads} tệp tải lên) vào {target}"
PRUNED = "Đã xoá bản cũ {path}"
RESTORED = "Đã khôi phục bản sao lưu lúc {created_at} (UTC), {uploads} tệp tải lên."

# --- guidance ----------------------------------------------------------------------------------------
INGESTED = (
    "Đã nạp xong trong {seconds} giây: {added} tài liệu mới, {updated} cập nhật, {unchanged} không đổi, "
    "{removed} đã xóa; thêm {chunks_added} đoạn, bỏ {chunks_removed} đoạn."
)
SKIPPED_FILES = "Bỏ qua {count} tệp:"
SKIPPED_RECORDS = "Bỏ qua {count} bản ghi không dùng làm hướng dẫn cho cấp xã:"
EVALUATED = (
    "{n} câu hỏi — Recall@1 {r1:.3f}, Recall@5 {r5:.3f}, Recall@10 {r10:.3f}, MRR@10 {mrr:.3f}, "
    "p50 {p50} ms, p95 {p95} ms"
)
EVALUATED_ANSWERS = "Trả lời đúng điều: {right} — trả lời sai điều: {wrong} — từ chối: {refused}"
EVALUATED_LEAD = "Đáp án nằm trong 300 ký tự đầu: {found}/{total}"
EVALUATED_UNANSWERABLE = "Câu hỏi ngoài kho văn bản bị từ chối: {refused}/{total}"

# --- officials, departments, web accounts ----------------------------------------------------------
ROSTER_IMPORTED = "Đã thêm {created} cán bộ, cập nhật {updated} cán bộ."
NOBODY_FOUND = "Không tìm thấy cán bộ phù hợp."
DEPARTMENTS_LOADED = "Đã nạp {count} cơ quan vào danh mục."
PASSWORD_PROMPT = "Mật khẩu: "
USER_EXISTS = "Tài khoản {username} đã có."
NO_DEPARTMENT = "Không có Sở mã {code}."
USER_CREATED = "Đã tạo tài khoản {username} ({role})."
NO_USER = "Không có tài khoản {username}."
PASSWORD_CHANGED = "Đã đổi mật khẩu của {username}."
INVITE_VALID_DAYS = "Mã có hiệu lực {days} ngày kể từ hôm nay."
