"""Validity over time (knowledge/validity.py) and the lines it adds under an answer
(knowledge/notes.py), with the clock injected; the Pháp điển citation by its source text."""

from __future__ import annotations

from datetime import date, datetime

from core.models import Chunk, Document, DocumentStatus
from knowledge.answer import Passage, citation, to_source
from knowledge.notes import annotate, validity_notes
from knowledge.retrieve import Hit
from knowledge.types import Answer
from knowledge.validity import Citable, citable_on, district_note, today_vn, validity

NEW_CIVIL_STATUS = date(2027, 3, 1)


def _law(**fields: object) -> Document:
    values: dict[str, object] = {
        "id": 1,
        "source": "luat-ho-tich.jsonl#Luật Hộ tịch",
        "content_hash": "h",
        "title": "Luật Hộ tịch",
        "number": "60/2014/QH13",
        "doc_type": "Luật",
        "issued_date": date(2014, 11, 20),
        "effective_from": date(2016, 1, 1),
    }
    values.update(fields)
    return Document(**values)  # type: ignore[arg-type]


def _passage(document: Document, text: str = "Khai sinh cho trẻ em.", **chunk: object) -> Passage:
    values: dict[str, object] = {"id": f"c{document.id}", "document_id": document.id, "ordinal": 0,
                                 "text": text, "article": "13", "content_hash": "x"}  # fmt: skip
    values.update(chunk)
    hit = Hit(str(values["id"]), 0.9, 5.0, 0.9, int(document.id or 0), "", str(document.status))
    return Passage(hit, Chunk(**values), document)  # type: ignore[arg-type]


def _answer(*passages: Passage) -> Answer:
    sources = [to_source(p) for p in passages]
    return Answer("câu hỏi", f"Theo {sources[0].citation}:\nNội dung.", True, 0.9, sources)


def test_the_day_is_vietnams() -> None:
    assert today_vn(datetime(2027, 2, 28, 16, 59)) == date(2027, 2, 28)  # 23:59 in Hà Nội
    assert today_vn(datetime(2027, 2, 28, 17, 0)) == NEW_CIVIL_STATUS  # 00:00 on 1 March


def test_past_effective_to_is_never_current_and_names_its_replacement() -> None:
    old = _law(effective_to=NEW_CIVIL_STATUS, replaced_by="Luật Hộ tịch số 15/2026/QH15")
    before = validity(old, today=date(2027, 2, 28))
    assert before.citable == Citable.current and before.status == "in_force"
    assert before.label == "còn hiệu lực, thay thế bởi Luật Hộ tịch số 15/2026/QH15 từ 01/03/2027"
    on = validity(old, today=NEW_CIVIL_STATUS)
    assert (on.citable, on.status) == (Citable.never, "expired")
    assert on.label == "hết hiệu lực từ 01/03/2027, thay thế bởi Luật Hộ tịch số 15/2026/QH15"
    assert validity(_law(status=DocumentStatus.expired), today=date(2020, 1, 1)).citable == Citable.never


def test_not_yet_in_force_is_cited_with_its_start_date() -> None:
    new = _law(number="15/2026/QH15", effective_from=NEW_CIVIL_STATUS, issued_date=date(2026, 6, 1))
    warned = validity(new, today=date(2027, 2, 28))
    assert warned.citable == Citable.warned
    assert warned.label == "chưa có hiệu lực, có hiệu lực từ 01/03/2027"
    assert validity(new, today=NEW_CIVIL_STATUS).citable == Citable.current


def test_article_status_overrides_the_documents() -> None:
    law = _law(status=DocumentStatus.in_force)
    assert validity(law, today=date(2026, 1, 1), status="expired").citable == Citable.never
    assert citable_on("amended", None, None, date(2026, 1, 1)) == Citable.current


def test_answer_shows_number_and_status_and_warns_before_the_start_date() -> None:
    old = _law(effective_to=NEW_CIVIL_STATUS, replaced_by="Luật Hộ tịch số 15/2026/QH15")
    new = _law(id=2, number="15/2026/QH15", effective_from=NEW_CIVIL_STATUS, issued_date=date(2026, 6, 1))
    current, coming = _passage(old), _passage(new)
    notes = validity_notes(_answer(current, coming), [current, coming], today=date(2027, 2, 28))
    assert "Hiệu lực: Luật Hộ tịch số 60/2014/QH13 — còn hiệu lực" in notes
    assert "Cảnh báo: Luật Hộ tịch số 15/2026/QH15 chưa có hiệu lực, có hiệu lực từ 01/03/2027." in notes
    # On the day, the replacement is simply current (the old one is no longer retrieved).
    after = validity_notes(_answer(coming), [coming], today=NEW_CIVIL_STATUS)
    assert after == "\n\nHiệu lực: Luật Hộ tịch số 15/2026/QH15 — còn hiệu lực."


def test_an_ended_text_that_would_have_answered_says_what_replaced_it() -> None:
    ended = _law(effective_to=NEW_CIVIL_STATUS, replaced_by="Luật Hộ tịch số 15/2026/QH15")
    refusal = Answer("câu hỏi", "Chưa tìm thấy hướng dẫn.", False, 0.1)
    text = annotate(refusal, [], today=NEW_CIVIL_STATUS, max_chars=2000, superseded=[ended]).text
    assert text.endswith(
        "Lưu ý: Luật Hộ tịch số 60/2014/QH13 đã hết hiệu lực từ 01/03/2027, được thay thế bởi "
        "Luật Hộ tịch số 15/2026/QH15."
    )


def test_older_texts_naming_the_district_level_carry_the_two_level_note() -> None:
    district = "Ủy ban nhân dân cấp huyện thực hiện đăng ký khai sinh có yếu tố nước ngoài."
    assert "72/2025/QH15" in district_note(date(2014, 11, 20), district)
    assert district_note(date(2014, 11, 20), "Ủy ban nhân dân cấp xã đăng ký khai sinh.") == ""
    assert district_note(date(2025, 7, 1), district) == ""  # written for two-level government
    assert district_note(None, district) == ""  # the import cannot tell: no note
    passage = _passage(_law(), text=district)
    answer = annotate(_answer(passage), [passage], today=date(2026, 1, 1), max_chars=300)
    assert "văn bản trước ngày 01/7/2025: thẩm quyền cấp huyện nay do cấp xã thực hiện" in answer.text
    assert len(answer.text) <= 300 and answer.text.startswith("Theo Điều 13 Luật Hộ tịch")
    # Unaccented text is recognised too (folded match).
    assert district_note(date(2015, 1, 1), "UBND cap huyen") != ""


def test_a_compilation_article_is_cited_by_its_source_with_the_de_muc_as_context() -> None:
    de_muc = _law(title="Đề mục Hộ tịch", number="15.3", doc_type="Pháp điển", issued_date=None)
    chunk = Chunk(id="p", document_id=1, ordinal=0, text="1. Hồ sơ…", article="15.3.ND.9", clause="1",
                  origin_number="123/2015/NĐ-CP", origin_type="Nghị định", origin_article="9",
                  content_hash="x")  # fmt: skip
    assert citation(chunk, de_muc) == "Điều 9 khoản 1 Nghị định số 123/2015/NĐ-CP (Đề mục Hộ tịch)"
    passage = Passage(Hit("p", 0.9, 1.0, 0.9, 1, "", "in_force"), chunk, de_muc)
    notes = validity_notes(_answer(passage), [passage], today=date(2026, 1, 1))
    assert notes == "\n\nHiệu lực: Nghị định số 123/2015/NĐ-CP — còn hiệu lực."


def test_an_imported_de_muc_is_cited_by_its_source_texts(engine, fake_index) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from sqlmodel import Session, select

    from knowledge.ingest import ingest_paths

    de_muc = (
        Path(__file__).resolve().parents[1] / "fixtures" / "guidance" / "phapdien-15.3-ho-tich-trich.html"
    )
    report = ingest_paths(engine=engine, index=fake_index, paths=[de_muc])
    assert report.errors == [] and report.added == 1
    with Session(engine) as session:
        document = session.exec(select(Document)).one()
        chunks = {c.article: c for c in session.exec(select(Chunk)).all()}
    law, decree = chunks["15.3.LQ.13"], chunks["15.3.NĐ.1.1"]
    assert citation(law, document) == "Điều 13 Luật Hộ tịch số 60/2014/QH13 (Đề mục 15.3 Hộ tịch)"
    assert citation(decree, document).startswith("Điều 1 Nghị định số 123/2015/NĐ-CP (Đề mục 15.3 Hộ tịch)")
    assert law.origin_effective_from == date(2016, 1, 1)  # older than two-level government


def test_each_source_carries_its_documents_number_and_status_that_day() -> None:
    new = _law(id=2, number="15/2026/QH15", effective_from=NEW_CIVIL_STATUS, issued_date=date(2026, 6, 1))
    amended = _law(id=3, article_status={"13": "amended"})
    de_muc = _law(id=4, title="Đề mục Hộ tịch", number="", doc_type="Pháp điển", issued_date=None)
    coming, changed = _passage(new), _passage(amended)
    compiled = _passage(de_muc, article="15.3.LQ.33", origin_number="60/2014/QH13", origin_type="Luật",
                        origin_title="Hộ tịch", origin_article="33")  # fmt: skip
    answer = annotate(
        _answer(coming, changed, compiled),
        [coming, changed, compiled],
        today=date(2027, 2, 28),
        max_chars=2000,
    )
    sources = [s.to_json() for s in answer.sources]
    assert [s["number"] for s in sources] == ["15/2026/QH15", "60/2014/QH13", "60/2014/QH13"]
    assert sources[0]["status_label"] == "chưa có hiệu lực, có hiệu lực từ 01/03/2027"
    assert (sources[1]["status"], sources[1]["status_label"]) == ("amended", "đã sửa đổi, bổ sung")
    assert (sources[2]["status"], sources[2]["status_label"]) == ("in_force", "còn hiệu lực")
    # The reply says it too.
    assert (
        "Cảnh báo: Luật Hộ tịch số 15/2026/QH15 chưa có hiệu lực, có hiệu lực từ 01/03/2027." in answer.text
    )
    # On the day, the label follows the clock.
    after = annotate(_answer(coming), [coming], today=NEW_CIVIL_STATUS, max_chars=2000)
    assert (after.sources[0].status, after.sources[0].status_label) == ("in_force", "còn hiệu lực")


def test_a_procedure_records_validity_line_names_it_with_its_code() -> None:
    record = _law(title="Thủ tục đăng ký khai sinh", number="1.001193", doc_type="Thủ tục hành chính")
    passage = _passage(
        record, text="Giấy tờ phải nộp:\n1. Giấy chứng sinh.", article="", part="Thành phần hồ sơ"
    )
    answer = annotate(_answer(passage), [passage], today=date(2026, 1, 1), max_chars=2000)
    assert answer.text.endswith("Hiệu lực: Thủ tục đăng ký khai sinh (mã 1.001193) — còn hiệu lực.")
    assert answer.sources[0].to_json()["number"] == "1.001193"
