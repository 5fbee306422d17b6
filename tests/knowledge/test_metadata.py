from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowledge.metadata import extract_meta, guess_title, parse_date
from knowledge.sidecar import MetadataError, normalize_status, overlay, read_sidecar
from knowledge.types import DocumentMeta

# Headers as they come out of the official DOCX/PDF files (header tables read cell by cell).
LUAT_CU_TRU = """QUỐC HỘI
-------
Luật số: 68/2020/QH14
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 13 tháng 11 năm 2020
LUẬT
CƯ TRÚ
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Cư trú.
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về việc thực hiện quyền tự do cư trú của công dân Việt Nam.
"""

NGHI_DINH = """CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
------- | Độc lập - Tự do - Hạnh phúc
Số: 150/2025/NĐ-CP | Hà Nội, ngày 12 tháng 6 năm 2025
NGHỊ ĐỊNH
Quy định tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, thành phố trực thuộc trung ương
Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;
"""

QUYET_DINH_UBND = """ỦY BAN NHÂN DÂN
TỈNH THÁI NGUYÊN
--------
Số: 1234/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thái Nguyên, ngày 05 tháng 8 năm 2025
QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính cấp xã
"""

CONG_VAN_SO = """UBND TỈNH THÁI NGUYÊN
SỞ TƯ PHÁP
Số: 456/STP-HCTP
V/v hướng dẫn chứng thực sau sắp xếp
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Thái Nguyên, ngày 01/8/2025
Kính gửi: Ủy ban nhân dân các xã, phường
"""


def test_law_header() -> None:
    meta = extract_meta(LUAT_CU_TRU)
    assert meta.number == "68/2020/QH14"
    assert meta.doc_type == "Luật"
    assert meta.issuer == "Quốc hội"
    assert meta.issued_date == date(2020, 11, 13)
    assert meta.status == "in_force"
    assert guess_title(LUAT_CU_TRU) == "Luật Cư trú"


def test_decree_header_read_row_by_row() -> None:
    meta = extract_meta(NGHI_DINH)
    # The decree's own number, not the law cited in its preamble.
    assert meta.number == "150/2025/NĐ-CP"
    assert meta.doc_type == "Nghị định"
    assert meta.issuer == "Chính phủ"
    assert meta.issued_date == date(2025, 6, 12)
    assert guess_title(NGHI_DINH).startswith("Nghị định quy định tổ chức các cơ quan chuyên môn")


def test_provincial_decision_with_issuer_on_two_lines() -> None:
    meta = extract_meta(QUYET_DINH_UBND)
    assert meta.number == "1234/QĐ-UBND"
    assert meta.doc_type == "Quyết định"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert meta.issued_date == date(2025, 8, 5)


def test_official_letter_of_a_department() -> None:
    meta = extract_meta(CONG_VAN_SO)
    assert meta.number == "456/STP-HCTP"
    assert meta.doc_type == "Công văn"
    assert meta.issuer == "Sở Tư pháp"  # the most specific line of the header
    assert meta.issued_date == date(2025, 8, 1)


@pytest.mark.parametrize(
    ("title", "number", "doc_type", "issuer"),
    [
        ("Luật Cư trú (68/2020/QH14)", "68/2020/QH14", "Luật", "Quốc hội"),
        ("Bộ luật Lao động (45/2019/QH14)", "45/2019/QH14", "Bộ luật", "Quốc hội"),
        ("Thông tư 01/2024/TT-BTP hướng dẫn hộ tịch", "01/2024/TT-BTP", "Thông tư", "Bộ Tư pháp"),
        ("Kế hoạch 12/KH-UBND triển khai", "12/KH-UBND", "Kế hoạch", ""),
        ("Hướng dẫn 03/HD-SNV về chế độ", "03/HD-SNV", "Hướng dẫn", ""),
        ("Thủ tục đăng ký khai sinh", "", "Thủ tục hành chính", ""),
    ],
)
def test_meta_from_title(title: str, number: str, doc_type: str, issuer: str) -> None:
    meta = extract_meta("", title)
    assert (meta.number, meta.doc_type, meta.issuer) == (number, doc_type, issuer)


def test_numbers_cited_deep_in_the_body_are_not_the_document_number() -> None:
    text = "HƯỚNG DẪN\nNội dung chung\n" + "Nội dung. " * 300 + "Theo Nghị định số 62/2021/NĐ-CP."
    assert extract_meta(text).number == ""


def test_dates() -> None:
    assert parse_date("Hà Nội, ngày 27 tháng 11 năm 2020") == date(2020, 11, 27)
    assert parse_date("ký ngày 27/11/2020") == date(2020, 11, 27)
    assert parse_date("ngày 31/02/2020, sau đó 01-03-2020") == date(2020, 3, 1)  # invalid skipped
    assert parse_date("không có ngày") is None


def test_law_date_is_the_adoption_date() -> None:
    text = "LUẬT\nCƯ TRÚ\nĐiều 1. ...\nLuật này được Quốc hội thông qua ngày 13 tháng 11 năm 2020."
    assert extract_meta(text).issued_date == date(2020, 11, 13)


def test_status_aliases() -> None:
    assert normalize_status("Hết hiệu lực") == "expired"
    assert normalize_status("đã sửa đổi") == "amended"
    assert normalize_status("in_force") == "in_force"
    with pytest.raises(MetadataError, match="không hợp lệ"):
        normalize_status("tạm dừng")


def test_sidecar_overrides(tmp_path: Path) -> None:
    target = tmp_path / "cong-van.txt"
    target.write_text("x", encoding="utf-8")
    (tmp_path / "cong-van.txt.meta.json").write_text(
        json.dumps({"status": "hết hiệu lực", "department_code": "TP", "issued_date": "01/08/2025"}),
        encoding="utf-8",
    )
    meta = overlay(DocumentMeta(number="1/X", field="Hộ tịch"), read_sidecar(target))
    assert meta.status == "expired"
    assert meta.department_code == "TP"
    assert meta.issued_date == date(2025, 8, 1)
    assert (meta.number, meta.field) == ("1/X", "Hộ tịch")  # untouched fields stay


def test_sidecar_errors_are_explained(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    side = tmp_path / "a.txt.meta.json"
    side.write_text(json.dumps({"trang_thai": "x"}), encoding="utf-8")
    with pytest.raises(MetadataError, match="trang_thai"):
        read_sidecar(target)
    side.write_text("{không phải json", encoding="utf-8")
    with pytest.raises(MetadataError, match=r"a\.txt\.meta\.json"):
        read_sidecar(target)
    assert read_sidecar(tmp_path / "none.txt") == {}


def test_sidecar_validity_fields(tmp_path: Path) -> None:
    target = tmp_path / "luat-ho-tich.txt"
    target.write_text("x", encoding="utf-8")
    side = tmp_path / "luat-ho-tich.txt.meta.json"
    values = {"effective_from": "01/01/2016", "effective_to": "2027-03-01",
              "replaced_by": "Luật Hộ tịch số 15/2026/QH15", "source_url": "https://vbpl.vn/x"}  # fmt: skip
    side.write_text(json.dumps(values), encoding="utf-8")
    meta = overlay(DocumentMeta(), read_sidecar(target))
    assert (meta.effective_from, meta.effective_to) == (date(2016, 1, 1), date(2027, 3, 1))
    assert (meta.replaced_by, meta.source_url) == ("Luật Hộ tịch số 15/2026/QH15", "https://vbpl.vn/x")
    with pytest.raises(MetadataError, match="Ngày “31/02/2027” của trường ngày hết hiệu lực không hợp lệ"):
        overlay(DocumentMeta(), {"effective_to": "31/02/2027"})
    with pytest.raises(MetadataError, match="phải sau ngày có hiệu lực"):
        overlay(DocumentMeta(), {"effective_from": "2027-03-01", "effective_to": "2027-03-01"})
