"""Vietnamese messages of core/ (backups and restores, printed by `troly backup|restore`)."""

from __future__ import annotations

TOOL_MISSING = "Không tìm thấy công cụ {tool} (cài gói postgresql-client)."
TOOL_FAILED = "{tool} thất bại: {error}"
TARGET_EXISTS = "Tệp {target} đã tồn tại."
NO_DATABASE = "Không có cơ sở dữ liệu tại {path}."
UNSUPPORTED_DATABASE = "Không hỗ trợ sao lưu cơ sở dữ liệu {backend}."
BAD_BACKUP = "Tệp sao lưu không hợp lệ (thiếu hoặc hỏng manifest.json)."
UNSUPPORTED_FORMAT = "Định dạng sao lưu {format} không được hỗ trợ."
BACKUP_MISSING = "Không tìm thấy tệp sao lưu {source}."
CROSS_RESTORE = (
    "Bản sao lưu là {backup}, cơ sở dữ liệu đang cấu hình là {configured}: không thể khôi phục chéo."
)
DATA_PRESENT = "Đã có dữ liệu (cơ sở dữ liệu hoặc tệp tải lên). Dùng --force để ghi đè."
TABLES_PRESENT = "Cơ sở dữ liệu PostgreSQL đã có bảng. Dùng --force để ghi đè."
