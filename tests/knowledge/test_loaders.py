from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import knowledge.loaders as loaders
from knowledge.loaders import LoadError, load_path
from knowledge.types import DocumentMeta

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo"

ARTICLE_20 = (
    "Điều 20. Điều kiện đăng ký thường trú",
    "1. Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú.",
    "2. Công dân được đăng ký thường trú tại chỗ ở hợp pháp không thuộc quyền sở hữu của mình.",
)


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def test_docx_paragraphs_and_tables(tmp_path: Path, make_docx: Callable[..., Path]) -> None:
    path = make_docx(
        tmp_path / "luat-cu-tru.docx",
        header=(
            "QUỐC HỘI\n-------\nLuật số: 68/2020/QH14",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Hà Nội, ngày 13 tháng 11 năm 2020",
        ),
        paragraphs=["LUẬT", "CƯ TRÚ", *ARTICLE_20],
        table=[["Giấy tờ", "Số lượng"], ["Tờ khai thay đổi thông tin cư trú", "01 bản chính"]],
    )
    [doc] = load_path(path)
    assert doc.source == path.resolve().as_posix()
    assert doc.kind == "legal"
    assert "Điều 20. Điều kiện đăng ký thường trú" in doc.text
    assert "Tờ khai thay đổi thông tin cư trú | 01 bản chính" in doc.text
    assert (doc.meta.title, doc.meta.number, doc.meta.doc_type) == ("Luật Cư trú", "68/2020/QH14", "Luật")
    assert doc.meta.issuer == "Quốc hội"
    assert doc.meta.issued_date == date(2020, 11, 13)
    assert nfc(doc.text)


def test_pdf_text_layer_in_vietnamese(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    path = make_pdf(
        tmp_path / "nghi-dinh.pdf",
        ["CHÍNH PHỦ", "Số: 150/2025/NĐ-CP", "Hà Nội, ngày 12 tháng 6 năm 2025", "NGHỊ ĐỊNH", *ARTICLE_20],
    )
    [doc] = load_path(path)
    assert "đăng ký thường trú" in doc.text
    assert "Điều 20" in doc.text
    assert doc.meta.number == "150/2025/NĐ-CP"
    assert doc.meta.doc_type == "Nghị định"
    assert doc.meta.issuer == "Chính phủ"
    assert nfc(doc.text)


def test_scanned_pdf_without_ocr_names_the_file(
    tmp_path: Path, make_scanned_pdf: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "ocr_available", lambda: False)
    path = make_scanned_pdf(tmp_path / "quyet-dinh-scan.pdf")
    with pytest.raises(LoadError) as error:
        load_path(path)
    message = str(error.value)
    assert "quyet-dinh-scan.pdf" in message
    assert "tesseract-ocr-vie" in message


def test_scanned_pdf_goes_through_ocr_when_installed(
    tmp_path: Path, make_scanned_pdf: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []

    def fake_ocr(path: Path) -> str:
        calls.append(path)
        return "QUYẾT ĐỊNH\nSố: 12/QĐ-UBND\nĐiều 1. Công bố thủ tục hành chính"

    monkeypatch.setattr(loaders, "ocr_available", lambda: True)
    monkeypatch.setattr(loaders, "_ocr_pdf", fake_ocr)
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    [doc] = load_path(path)
    assert calls == [path]
    assert doc.meta.number == "12/QĐ-UBND"


@pytest.mark.slow
def test_scanned_pdf_read_by_real_ocr(tmp_path: Path, make_scanned_text_pdf: Callable[..., Path]) -> None:
    # The real tesseract + vie + pdftoppm path (scripts/ensure-test-services installs them).
    assert loaders.ocr_available(), "OCR tools missing: run scripts/ensure-test-services"
    path = make_scanned_text_pdf(
        tmp_path / "quyet-dinh-scan.pdf", ["QUYẾT ĐỊNH", "Số: 12/2025/QĐ-UBND", *ARTICLE_20[:2]]
    )
    from pypdf import PdfReader

    assert not "".join(page.extract_text() or "" for page in PdfReader(path).pages).strip()
    [doc] = load_path(path)
    text = " ".join(doc.text.split())
    # Tolerant of OCR noise, but each of these needs Vietnamese diacritics read from pixels.
    assert "Điều" in text and "thường trú" in text
    words = ("Điều kiện", "đăng ký", "Công dân", "chỗ ở hợp pháp", "quyền sở hữu", "QUYẾT ĐỊNH")
    found = [word for word in words if word in text]
    assert len(found) >= 4, (found, text)
    assert doc.kind == "legal"  # "Điều 20" recognised as an article heading
    assert nfc(doc.text)


def test_html_drops_scripts_styles_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "huong-dan.html"
    path.write_text(
        "<html><head><title>Cổng TTĐT</title><style>p{color:red}</style>"
        "<script>var x = 'bí mật';</script></head><body>"
        "<nav><a href='/'>Trang chủ</a> | <a href='/tin'>Tin tức</a></nav>"
        "<h1>Hướng dẫn đăng ký khai sinh</h1>"
        "<p><b>Bước 1.</b> Nộp tờ khai tại <i>Bộ phận một cửa</i>.</p>"
        "<table><tr><td>Thời hạn</td><td>Ngay trong ngày</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    [doc] = load_path(path)
    assert doc.meta.title == "Hướng dẫn đăng ký khai sinh"
    assert "Bước 1. Nộp tờ khai tại Bộ phận một cửa." in doc.text  # inline tags keep the line
    assert "Thời hạn | Ngay trong ngày" in doc.text
    assert "bí mật" not in doc.text and "color" not in doc.text and "Trang chủ" not in doc.text
    assert doc.kind == "plain"


def test_txt_is_nfc_with_one_tone_style(tmp_path: Path) -> None:
    path = tmp_path / "cong-van.txt"
    decomposed = unicodedata.normalize("NFD", "Thông báo về việc hoà giải ở cơ sở, uỷ quyền")
    path.write_text(decomposed + "\nNội dung chi tiết.", encoding="utf-8")
    [doc] = load_path(path)
    assert nfc(doc.text)
    assert "hòa giải" in doc.text and "ủy quyền" in doc.text
    assert doc.meta.title.startswith("Thông báo về việc hòa giải")


def test_txt_in_windows_1258(tmp_path: Path) -> None:
    path = tmp_path / "cu.txt"
    tones = "\u0300\u0301\u0303\u0309\u0323"

    def windows_1258(ch: str) -> str:  # base letter precomposed, tone as a combining mark
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        return unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + tone

    text = "Hướng dẫn chứng thực bản sao"
    path.write_bytes("".join(windows_1258(ch) for ch in text).encode("cp1258"))
    [doc] = load_path(path)
    assert doc.text == text


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "hd.md"
    path.write_text(
        "# Hướng dẫn tạm thời về lưu trữ\n\nSố: 03/HD-SNV\n\n## 1. Phạm vi\n\n**Áp dụng** cho "
        "[các xã](http://x.vn).\n",
        encoding="utf-8",
    )
    [doc] = load_path(path)
    assert doc.meta.title == "Hướng dẫn tạm thời về lưu trữ"
    assert (doc.meta.doc_type, doc.meta.number) == ("Hướng dẫn", "03/HD-SNV")
    assert "1. Phạm vi" in doc.text and "Áp dụng cho các xã." in doc.text
    assert "#" not in doc.text and "**" not in doc.text and "http" not in doc.text


def test_corpus_jsonl_one_document_per_law(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [
        {
            "id": "Luật Cư trú::20",
            "title": "Luật Cư trú (68/2020/QH14) - Điều 20. Điều kiện đăng ký thường trú",
            "text": "Điều kiện đăng ký thường trú\n\n1. Công dân có chỗ ở hợp pháp...",
        },
        {"id": "Hiến pháp::1", "title": "Hiến pháp - Điều 1. Nước Cộng hòa", "text": "Nước Cộng hòa xã hội"},
        # No heading: the title quotes clause 1, which must not become the article's name.
        {
            "id": "Hiến pháp::102",
            "title": "Hiến pháp - Điều 102. 1. Tòa án nhân dân là",
            "text": "1. Tòa án\n\n2. Tòa",
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    law, constitution = load_path(path)  # one document per law, one article per line
    assert law.source == f"{path.resolve().as_posix()}#Luật Cư trú" and law.record_id == "Luật Cư trú"
    assert (law.meta.title, law.meta.number, law.meta.doc_type) == ("Luật Cư trú", "68/2020/QH14", "Luật")
    assert law.extra["law"] == "Luật Cư trú" and law.kind == "legal"
    [article] = law.articles
    assert (article.number, article.title, article.record_id) == (
        "20",
        "Điều kiện đăng ký thường trú",
        "Luật Cư trú::20",
    )
    assert article.text == "1. Công dân có chỗ ở hợp pháp..."
    assert law.text.startswith("Điều 20. Điều kiện đăng ký thường trú\n")
    assert (constitution.meta.title, constitution.meta.number) == ("Hiến pháp", "")
    first, second = constitution.articles
    # The heading line is the article's whole text: it is both its name and its body.
    assert (first.number, first.title, first.text) == ("1", "Nước Cộng hòa xã hội", "Nước Cộng hòa xã hội")
    # No heading: the title quotes clause 1, which must not become the article's name.
    assert (second.number, second.title, second.text) == ("102", "", "1. Tòa án\n2. Tòa")
    assert [a.record_id for a in constitution.articles] == ["Hiến pháp::1", "Hiến pháp::102"]


def test_procedure_records_split_into_parts() -> None:
    docs = load_path(DEMO / "thu-tuc-quan-su-cap-xa.jsonl")
    assert len(docs) == 38  # the older military records a commune's office carries out
    assert all(d.kind == "procedure" and d.meta.doc_type == "Thủ tục hành chính" for d in docs)
    assert all("Cấp Xã" in d.extra["level"] for d in docs)
    doc = next(d for d in docs if d.record_id == "1.013128")
    parts = dict(doc.parts)
    assert doc.meta.number == "1.013128" and doc.meta.field == "Ứng phó sự cố tràn dầu"
    assert doc.meta.issuer == "Bộ Quốc phòng"  # from "Quyết định số 3717/QĐ-BQP"
    assert parts["Trình tự thực hiện"].startswith("Bước 1:")
    assert "\nBước 2:" in parts["Trình tự thực hiện"]
    assert parts["Thời hạn giải quyết"] == "7 Ngày làm việc"
    assert parts["Phí, lệ phí"] == "Phí: 0 Đồng"
    assert "Văn bản đề nghị thẩm định" in parts["Thành phần hồ sơ"]
    assert "12/2021/QĐ-TTg" in parts["Căn cứ pháp lý"]
    assert parts["Cơ quan thực hiện"].startswith("Cơ quan thực hiện: Ủy ban nhân dân cấp xã")
    assert "Yêu cầu, điều kiện" not in parts  # "Không" carries no information
    assert "Không có thông tin" not in doc.text


def test_sidecar_and_defaults_set_metadata(tmp_path: Path) -> None:
    path = tmp_path / "hd.txt"
    path.write_text("Hướng dẫn chứng thực\nNội dung", encoding="utf-8")
    defaults = DocumentMeta(department_code="NV", field="Chứng thực", status="amended")
    [doc] = load_path(path, defaults=defaults)
    assert (doc.meta.department_code, doc.meta.field, doc.meta.status) == ("NV", "Chứng thực", "amended")
    (tmp_path / "hd.txt.meta.json").write_text(
        json.dumps({"department_code": "TP", "status": "hết hiệu lực", "number": "7/HD-STP"}),
        encoding="utf-8",
    )
    [doc] = load_path(path, defaults=defaults)  # the file's own sidecar wins over run-wide defaults
    assert (doc.meta.department_code, doc.meta.status, doc.meta.number) == ("TP", "expired", "7/HD-STP")
    assert doc.meta.field == "Chứng thực"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("rong.txt", b"", "rỗng"),
        ("trang.txt", b"  \n\n ", "không có nội dung"),
        ("hong.docx", b"PK\x03\x04 not really a zip", "bị hỏng"),
        ("hong.pdf", b"%PDF-1.4\n garbage", "bị hỏng"),
        ("cu.doc", b"\xd0\xcf\x11\xe0", "Word 97-2003"),
        ("bang.xlsx", b"PK", "chưa được hỗ trợ"),
        ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "nhị phân"),
        ("sai.jsonl", b'{"id": "a", "text": "x"}\n{oops\n', "dòng 2"),
        ("la.jsonl", b'{"foo": 1}\n', "không nhận ra"),
    ],
)
def test_bad_files_raise_a_vietnamese_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as error:
        load_path(path)
    assert name in str(error.value)
    assert expected in str(error.value)
