"""The importers of the national sources, on real excerpts copied into tests/fixtures/guidance/."""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from api.commands.knowledge import format_ingest_report
from knowledge.chunking import split_document
from knowledge.importers import procedures
from knowledge.importers.native import read_documents, write_documents
from knowledge.importers.notes import parse_source_note
from knowledge.ingest import ingest_paths
from knowledge.loaders import LoadError, load_path
from knowledge.types import LoadedDocument

GUIDANCE = Path(__file__).resolve().parents[1] / "fixtures" / "guidance"


def _one(name: str) -> LoadedDocument:
    (doc,) = load_path(GUIDANCE / name)
    return doc


# --- Pháp điển đề mục HTML -----------------------------------------------------------------------
def test_phapdien_html_is_one_document_with_an_article_per_pdieu() -> None:
    doc = _one("phapdien-15.3-ho-tich-trich.html")
    assert doc.meta.title == "Đề mục 15.3 Hộ tịch" and doc.extra["demuc"] == "15.3"
    assert [a.number for a in doc.articles] == [
        "15.3.LQ.1",
        "15.3.NĐ.1.1",
        "15.3.LQ.13",
        "15.3.LQ.14",
        "15.3.LQ.15",
    ]
    art13 = doc.articles[2]
    assert art13.title == "Thẩm quyền đăng ký khai sinh"
    assert art13.breadcrumb == (
        "Chương II. ĐĂNG KÝ HỘ TỊCH TẠI ỦY BAN NHÂN DÂN CẤP XÃ › Mục 1. ĐĂNG KÝ KHAI SINH"
    )
    assert doc.articles[0].breadcrumb == "Chương I. NHỮNG QUY ĐỊNH CHUNG"


def test_phapdien_source_note_gives_the_text_an_official_can_look_up() -> None:
    doc = _one("phapdien-15.3-ho-tich-trich.html")
    law, decree = doc.articles[0], doc.articles[1]
    assert (law.origin_type, law.origin_number, law.origin_article) == ("Luật", "60/2014/QH13", "1")
    assert law.origin_title == "Hộ tịch" and law.origin_effective_from == date(2016, 1, 1)
    assert law.origin_url == "http://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=46746#Chuong_I_Dieu_1"
    assert (decree.origin_type, decree.origin_number, decree.origin_article) == (
        "Nghị định",
        "123/2015/NĐ-CP",
        "1",
    )
    # The title a note gives on a text's first article is shared by the text's other articles.
    assert doc.articles[2].origin_title == "Hộ tịch" and doc.articles[2].origin_article == "13"
    # Cross-references are kept, not mixed into the body.
    assert "Luật 59/2014/QH13 Căn cước công dân" in law.references[0]
    assert "liên quan đến" not in law.text
    chunks = split_document(doc)
    cited = next(c for c in chunks if c.article == "15.3.LQ.13")
    assert (cited.origin_number, cited.origin_type, cited.origin_article) == ("60/2014/QH13", "Luật", "13")
    assert cited.breadcrumb.startswith("Đề mục 15.3 Hộ tịch › Chương II.")


def test_phapdien_html_survives_a_body_that_is_never_closed() -> None:
    doc = _one("phapdien-41.13-noidung-khong-dong.html")
    (article,) = doc.articles
    assert article.number == "41.13.QĐ.1" and article.origin_number == "308/2005/QĐ-TTg"
    assert article.text.startswith("Ban hành kèm theo Quyết định này Quy chế")
    assert "Quy che_Thuc hien" in article.text
    assert "Tổ chức việc tang" not in article.text and "Tổ chức việc tang" in article.references[0]


def test_source_note_with_an_amendment_and_a_title() -> None:
    note = parse_source_note(
        "(Điều 1 Nghị định số 123/2015/NĐ-CP, có hiệu lực thi hành kể từ ngày 01/01/2016, có nội "
        "dung được sửa đổi, có nội dung được bổ sung bởi Điều 2 Nghị định số 07/2025/NĐ-CP có hiệu "
        "lực thi hành kể từ ngày 09/01/2025)"
    )
    assert (note.article, note.number, note.effective_from) == ("1", "123/2015/NĐ-CP", date(2016, 1, 1))
    assert note.amended_by == ["07/2025/NĐ-CP"] and note.title == ""
    titled = parse_source_note(
        "(Điều 1 Thông tư số 68/2013/TT-BCA Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh ngày "
        "26/12/2013 của Bộ Công an, có hiệu lực thi hành kể từ ngày 01/03/2014 )"
    )
    assert titled.title == "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh"
    assert parse_source_note("không phải ghi chú").number == ""


# --- Pháp điển CSV ----------------------------------------------------------------------------
def test_phapdien_csv_groups_rows_into_their_source_texts() -> None:
    docs = {d.meta.number: d for d in load_path(GUIDANCE / "phapdien-2023-trich.csv")}
    assert set(docs) == {"23/2015/NĐ-CP", "123/2015/NĐ-CP", "60/2014/QH13"}  # the empty row is dropped
    decree = docs["123/2015/NĐ-CP"]
    assert decree.meta.doc_type == "Nghị định" and decree.meta.effective_from == date(2016, 1, 1)
    assert decree.meta.title.startswith("Nghị định Quy định chi tiết một số điều")
    assert [a.number for a in decree.articles] == ["1", "9"]  # numbered as in the decree
    art9 = decree.articles[1]
    assert art9.title == "Giấy tờ nộp và xuất trình khi đăng ký khai sinh"
    assert art9.record_id == "15.3.NĐ.1.9" and art9.origin_article == "9"
    assert art9.text.startswith("1. Người yêu cầu đăng ký khai sinh nộp")
    assert decree.source.endswith("phapdien-2023-trich.csv#123/2015/NĐ-CP")


def test_a_csv_that_is_not_the_phapdien_export_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "bang.csv"
    other.write_text("ma,ten\n1,Xã A\n", encoding="utf-8")
    with pytest.raises(LoadError, match="Bộ Pháp điển"):
        load_path(other)


# --- national procedure records ---------------------------------------------------------------
def _records() -> dict[str, LoadedDocument]:
    return {d.record_id: d for d in load_path(GUIDANCE / "thu-tuc-quoc-gia-trich.jsonl")}


def test_procedure_record_split_into_parts_with_the_dossier_as_a_list() -> None:
    birth = _records()["1.001193"]
    parts = dict(birth.parts)
    assert birth.meta.title == "Thủ tục đăng ký khai sinh" and birth.meta.number == "1.001193"
    assert birth.meta.source_url.startswith("https://dichvucong.gov.vn/")
    assert birth.meta.field == "Hộ tịch" and birth.kind == "procedure"
    dossier = parts["Thành phần hồ sơ"]
    assert dossier.startswith("Giấy tờ phải nộp:\n1. ")
    assert "\nGiấy tờ phải xuất trình:\n" in dossier
    assert any(
        line.startswith(f"{n}. Giấy chứng sinh;") and line.endswith("— 1 bản chính")
        for n in range(1, 6)
        for line in dossier.split("\n")
    )
    # "0 bản chính" rows are notes about the papers, not papers to hand in.
    assert "\nLưu ý: Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh" in dossier
    assert "Tên giấy tờ" not in dossier and "Mẫu đơn, tờ khai" not in dossier
    office = parts["Cơ quan thực hiện, đối tượng, kết quả"].split("\n")
    assert "Kết quả thực hiện: Giấy khai sinh (mã kết quả KQ.G15.000031)" in office
    how = parts["Cách thức, thời hạn, phí, lệ phí"]
    assert "Hình thức nộp" not in how and "Phí, lệ phí: Miễn phí" in how.split("\n")
    assert how.endswith("- Trực tuyến\n- Dịch vụ bưu chính\n- Trực tiếp")  # said once, above
    assert list(parts) == [
        "Trình tự thực hiện",
        "Cách thức, thời hạn, phí, lệ phí",
        "Thành phần hồ sơ",
        "Cơ quan thực hiện, đối tượng, kết quả",
        "Căn cứ pháp lý",
    ]


def test_procedure_legal_basis_lists_document_numbers() -> None:
    raw = json.loads((GUIDANCE / "thu-tuc-quoc-gia-trich.jsonl").read_text().split("\n")[0])
    numbers = [number for _, number in procedures.legal_basis(raw["can_cu_phap_ly"])]
    for expected in ("123/2015/NĐ-CP", "60/2014/QH13", "87/2020/NĐ-CP", "120/2025/NĐ-CP", "04/2020/TT-BTP"):
        assert expected in numbers
    assert "1360/2014/QH13" not in numbers and len(numbers) == len(set(numbers))
    records = _records()
    assert "(85/2019/TT-BTC)" in dict(records["1.001193"].parts)["Căn cứ pháp lý"]
    land = dict(records["1.012812"].parts)
    assert "43/2024/QH15" in land["Căn cứ pháp lý"]  # glued to the date before it: "29/6/202443/…"
    assert (
        "Thời hạn giải quyết:\n- Dịch vụ bưu chính: 30 ngày\n- Trực tiếp: 40 ngày"
        in (land["Cách thức, thời hạn, phí, lệ phí"])
    )
    assert (
        "2. Đơn yêu cầu yêu cầu hòa giải tranh chấp đất đai (bản chính); — 1 bản chính, 1 bản sao"
        in (land["Thành phần hồ sơ"])
    )


def test_records_outside_commune_business_are_skipped_with_their_reason() -> None:
    skipped: list[tuple[str, str]] = []
    docs = load_path(GUIDANCE / "thu-tuc-quoc-gia-trich.jsonl", skipped=skipped)
    assert [d.record_id for d in docs] == ["1.001193", "2.000815", "1.012812", "1.014208"]
    reasons = dict(skipped)
    assert "Hải quan" in reasons["1.000086"]
    assert "thu thập lỗi" in reasons["2.001428"]
    assert reasons["2.001709"] == "trùng nội dung với thủ tục 1.014208"


def test_ingest_reports_the_skipped_records(engine: Engine, fake_index, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    shutil.copy(GUIDANCE / "thu-tuc-quoc-gia-trich.jsonl", tmp_path / "src" / "thu-tuc.jsonl")
    report = ingest_paths(engine=engine, index=fake_index, paths=[tmp_path / "src"])
    assert report.added == 4 and len(report.skipped) == 3 and not report.errors
    summary = format_ingest_report(report)
    assert "Bỏ qua 3 bản ghi" in summary and "1 × lĩnh vực Hải quan không thuộc việc của cấp xã" in summary


def test_glued_channel_cells_are_taken_apart() -> None:
    rows = procedures.channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí(Theo quy định "
        "của Hội đồng nhân dân cấp tỉnh)Trực tiếp5 Ngày làm việcMiễn phí"
    )
    assert rows == [
        ("Trực tuyến", "5 ngày làm việc", "Miễn phí", "Theo quy định của Hội đồng nhân dân cấp tỉnh"),
        ("Trực tiếp", "5 ngày làm việc", "Miễn phí", ""),
    ]


def _papers(cells: str) -> list[tuple[str, str]]:
    """(paper, copies) of a "thành phần hồ sơ" table whose rows are `cells`, as crawled."""
    groups = procedures.dossier(f"Bao gồmTên giấy tờMẫu đơn, tờ khaiSố lượng{cells}")
    return [(paper, copies) for _, items in groups for paper, _, copies in items]


def test_a_count_glued_to_the_year_ending_a_papers_name_is_taken_apart() -> None:
    # Real cells of the national records: the paper's name ends with a date or "năm 2024", and
    # the crawler glued the count of copies to it ("31/12/20251 bản chính").
    papers = _papers(
        "Báo cáo theo Mẫu ban hành kèm theo Thông tư "
        "số 88/2025/TT-BNNMT ngày 31/12/20251 bản chính, 1 bản sao"
        "Giấy tờ theo Điều 145 Luật Đất đai năm 20240 bản chính, 1 bản sao"
        "Tờ khai2 bản chính"
    )
    assert papers == [
        (
            "Báo cáo theo Mẫu ban hành kèm theo Thông tư số 88/2025/TT-BNNMT ngày 31/12/2025",
            "1 bản chính, 1 bản sao",
        ),
        ("Giấy tờ theo Điều 145 Luật Đất đai năm 2024", "1 bản sao"),
        ("Tờ khai", "2 bản chính"),
    ]


def test_a_count_glued_to_the_form_number_ending_a_papers_name_is_taken_apart() -> None:
    # Real cells: "theo Mẫu số 18" and "Mẫu số 03-QĐ613" with "1 bản chính" glued on, which
    # read as 181 and 6131 copies. A form written with its own number and a space is the control.
    papers = _papers(
        "Đơn đăng ký biến động đất đai theo Mẫu số 181 bản chính,1 bản sao"
        "Tờ khai đề nghị trợ cấp mai táng theo Mẫu số 03-QĐ6131 bản chính"
        "Tờ khai theo Mẫu số 01/TK 2 bản chính"
    )
    assert papers == [
        ("Đơn đăng ký biến động đất đai theo Mẫu số 18", "1 bản chính, 1 bản sao"),
        ("Tờ khai đề nghị trợ cấp mai táng theo Mẫu số 03-QĐ613", "1 bản chính"),
        ("Tờ khai theo Mẫu số 01/TK", "2 bản chính"),
    ]


def test_todays_procedure_record_format_still_loads() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    (doc,) = load_path(fixtures / "thu-tuc-nghia-vu-quan-su.jsonl")
    assert doc.kind == "procedure" and dict(doc.parts)["Thành phần hồ sơ"]


# --- a law as Markdown / text ---------------------------------------------------------------------
def test_law_markdown_is_cleaned_and_split_on_articles() -> None:
    doc = _one("luat-72-2025-trich.md")
    assert doc.meta.title == "Luật Tổ chức chính quyền địa phương"
    assert (doc.meta.number, doc.meta.doc_type, doc.meta.issuer) == ("72/2025/QH15", "Luật", "Quốc hội")
    # "có hiệu lực thi hành từ ngày được thông qua": the date it was adopted.
    assert doc.meta.issued_date == date(2025, 6, 16) and doc.meta.effective_from == date(2025, 6, 16)
    assert "*" not in doc.text and "Tham khảo thêm" not in doc.text and "Retrieved" not in doc.text
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    chunks = split_document(doc)
    assert [c.article for c in chunks] == ["1", "2", "3", "51", "52"]
    art3 = chunks[2]
    assert art3.article_title == "Phân loại đơn vị hành chính" and "Chương I" in art3.breadcrumb


def test_decree_text_keeps_its_dates_and_leaves_the_appendix_forms_out() -> None:
    doc = _one("nd-144-2025-trich.txt")
    assert doc.meta.number == "144/2025/NĐ-CP" and doc.meta.doc_type == "Nghị định"
    assert (doc.meta.effective_from, doc.meta.effective_to) == (date(2025, 7, 1), date(2027, 3, 1))
    chunks = split_document(doc)
    assert [c.article for c in chunks if c.article] == ["1", "45"]
    assert not any("phá dỡ" in c.text for c in chunks)


def test_plain_html_and_text_are_not_taken_for_the_national_formats(tmp_path: Path) -> None:
    page = tmp_path / "trang.html"
    page.write_text("<html><h1>Thông báo</h1><p>Lịch tiếp công dân tháng 8.</p></html>", encoding="utf-8")
    (doc,) = load_path(page)
    assert doc.kind == "plain" and not doc.articles
    # The same Pháp điển export under another suffix is still recognised by its content.
    copy = tmp_path / "demuc.htm"
    shutil.copy(GUIDANCE / "phapdien-41.13-noidung-khong-dong.html", copy)
    (demuc,) = load_path(copy)
    assert demuc.articles and demuc.meta.doc_type == "Pháp điển"


# --- the product's own format -------------------------------------------------------------------
def test_native_format_round_trip(tmp_path: Path) -> None:
    originals = [
        ("15.3", _one("phapdien-15.3-ho-tich-trich.html")),
        ("1.001193", _records()["1.001193"]),
        ("72/2025/QH15", _one("luat-72-2025-trich.md")),
    ]
    originals[2][1].meta.effective_to = date(2027, 3, 1)
    path = tmp_path / "tai-lieu.jsonl"
    write_documents(path, originals)
    records = [(i, json.loads(line)) for i, line in enumerate(path.read_text().splitlines(), 1)]
    back = read_documents(records, "x")
    for (doc_id, before), after in zip(originals, back, strict=True):
        assert after.record_id == doc_id and after.source == f"x#{doc_id}"
        assert after.meta == before.meta and after.kind == before.kind
        assert after.articles == before.articles and after.parts == before.parts
    loaded = load_path(path)
    assert [d.meta.title for d in loaded] == [d.meta.title for _, d in originals]
    assert split_document(loaded[0]) == split_document(originals[0][1])


def test_native_format_with_a_bad_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "hong.jsonl"
    header = {"format": "troly-document/1", "id": "a", "kind": "legal", "meta": {"title": "A"}}
    path.write_text(
        json.dumps(header) + "\n" + json.dumps({"article": {"number": "1", "colour": "x"}}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match="dòng 2"):
        load_path(path)
