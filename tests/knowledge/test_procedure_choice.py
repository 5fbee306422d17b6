"""Which retrieved text answers first (knowledge/answer.py): a procedure record's part over a
decree article describing the same procedure for "cần giấy tờ gì"; for a time limit, the
article whose time limit is in a sentence about what is asked; and "bao nhiêu ngày phải …" is
a time limit the person must keep, not a processing time (knowledge/intent.py)."""

from __future__ import annotations

import pytest

from core.models import Chunk, Document
from knowledge.answer import Passage, choose_passage, extractive_answer, prefer_procedure
from knowledge.answering import FEATURES, Model
from knowledge.intent import Intent, detect_intent
from knowledge.retrieve import Hit

DECREE = Document(id=1, source="nd.jsonl", content_hash="a", title="Nghị định hướng dẫn Luật Hộ tịch",
                  number="123/2015/NĐ-CP")  # fmt: skip
LAW = Document(id=2, source="luat.jsonl", content_hash="b", title="Luật Hộ tịch", number="60/2014/QH13")
RECORD = Document(
    id=3, source="tt.jsonl", content_hash="c", title="Thủ tục đăng ký khai tử", number="1.000656"
)
OTHER_RECORD = Document(id=4, source="tt.jsonl", content_hash="d", title="Thủ tục đăng ký kết hôn",
                        number="1.000894")  # fmt: skip

DECREE_ARTICLE = (
    "1. Người yêu cầu đăng ký khai tử nộp Tờ khai đăng ký khai tử theo mẫu quy định.\n"
    "2. Ngay sau khi tiếp nhận hồ sơ, công chức tư pháp - hộ tịch ghi vào Sổ hộ tịch.\n"
    "Trường hợp cần xác minh thì thời hạn giải quyết không quá 03 ngày làm việc."
)
LAW_ARTICLE = (
    "1. Trong thời hạn 15 ngày kể từ ngày có người chết thì vợ, chồng hoặc con của người chết có "
    "trách nhiệm đi đăng ký khai tử.\n2. Công chức tư pháp - hộ tịch thường xuyên kiểm tra việc khai tử."
)


def _passage(document: Document, score: float, text: str, *, article: str = "", part: str = "",
             title: str = "") -> Passage:  # fmt: skip
    chunk_id = f"{document.id}-{article or part}"
    chunk = Chunk(id=chunk_id, document_id=document.id, ordinal=0, text=text, article=article, part=part,
                  article_title=title, content_hash=chunk_id)  # fmt: skip
    return Passage(Hit(chunk_id, score, 30.0, 0.9, int(document.id or 0), "", "in_force"), chunk, document)


def test_bao_nhieu_ngay_phai_is_a_time_limit_to_keep_not_a_processing_time() -> None:
    deadline = detect_intent("người chết bao nhiêu ngày phải đăng ký khai tử")
    assert deadline.intent == Intent.duration and not deadline.processing
    assert not detect_intent("nguoi chet bao nhieu ngay phai dang ky khai tu").processing
    # How long the commune takes is still a processing time, with or without "phải".
    assert detect_intent("đăng ký khai tử mất mấy ngày").processing
    assert detect_intent("xã phải giải quyết trong bao nhiêu ngày").processing
    assert detect_intent("phải chờ mấy ngày mới có giấy khai tử").processing


def test_a_dossier_question_prefers_the_procedure_record_close_to_a_decree_article() -> None:
    decree = _passage(DECREE, 0.62, DECREE_ARTICLE, article="20", title="Thủ tục đăng ký khai tử")
    record = _passage(RECORD, 0.59, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
    for question in ("đăng ký khai tử cần hồ sơ gì", "dang ky khai tu can ho so gi"):
        ordered = prefer_procedure(question, [decree, record], detect_intent(question))
        assert ordered[0] is record and ordered[1] is decree


def test_the_time_a_body_takes_is_the_procedure_records_time_limit() -> None:
    """ "mất mấy ngày", "thời hạn giải quyết …": the record states the processing time of that
    procedure; "bao nhiêu ngày phải …" (a time limit the person keeps) stays with the law."""
    decree = _passage(DECREE, 0.62, DECREE_ARTICLE, article="20", title="Thủ tục đăng ký khai tử")
    for question in ("đăng ký khai tử mất mấy ngày", "dang ky khai tu mat may ngay"):
        record = _passage(RECORD, 0.59, "Thời hạn giải quyết: 03 ngày làm việc.", part="Trình tự thực hiện")
        assert prefer_procedure(question, [decree, record], detect_intent(question))[0] is record
    question = "người chết bao nhiêu ngày phải đăng ký khai tử"
    record = _passage(RECORD, 0.59, "Thời hạn giải quyết: 03 ngày làm việc.", part="Trình tự thực hiện")
    assert prefer_procedure(question, [decree, record], detect_intent(question))[0] is decree


def test_the_record_must_be_close_and_about_the_question() -> None:
    decree = _passage(DECREE, 0.62, DECREE_ARTICLE, article="20", title="Thủ tục đăng ký khai tử")
    intent = detect_intent("đăng ký khai tử cần hồ sơ gì")
    far = _passage(RECORD, 0.40, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
    assert prefer_procedure("đăng ký khai tử cần hồ sơ gì", [decree, far], intent)[0] is decree
    unrelated = _passage(OTHER_RECORD, 0.60, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
    assert prefer_procedure("đăng ký khai tử cần hồ sơ gì", [decree, unrelated], intent)[0] is decree
    # A question that is not about the record's parts keeps the article (a condition, a time limit).
    for question in ("điều kiện đăng ký khai tử", "người chết bao nhiêu ngày phải đăng ký khai tử"):
        record = _passage(RECORD, 0.60, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
        assert prefer_procedure(question, [decree, record], detect_intent(question))[0] is decree


def test_a_time_limit_in_a_sentence_about_what_is_asked_beats_an_unrelated_one() -> None:
    decree = _passage(DECREE, 0.60, DECREE_ARTICLE, article="20")
    law = _passage(LAW, 0.59, LAW_ARTICLE, article="33", title="Thời hạn và trách nhiệm đăng ký khai tử")
    for question in (
        "người chết bao nhiêu ngày phải đăng ký khai tử",
        "nguoi chet bao nhieu ngay phai dang ky khai tu",
    ):
        assert choose_passage([decree, law], detect_intent(question), question)[0] is law
    # Without the question (the former call), or when the first holds it too, the first stays.
    question = "người chết bao nhiêu ngày phải đăng ký khai tử"
    assert choose_passage([decree, law], detect_intent(question))[0] is decree
    same = _passage(DECREE, 0.60, LAW_ARTICLE, article="21")
    assert choose_passage([same, law], detect_intent(question), question)[0] is same


FOREIGN_RECORD = Document(id=5, source="tt.jsonl", content_hash="e", number="2.000806",
                          title="Thủ tục đăng ký kết hôn có yếu tố nước ngoài")  # fmt: skip


def test_among_close_records_the_plainest_answers_unless_the_question_names_the_case() -> None:
    foreign = _passage(FOREIGN_RECORD, 0.61, "Phí, lệ phí: Miễn phí", part="Cách thức, thời hạn, phí, lệ phí")
    plain = _passage(OTHER_RECORD, 0.60, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
    question = "lệ phí đăng ký kết hôn bao nhiêu"
    assert prefer_procedure(question, [foreign, plain], detect_intent(question))[0] is plain
    asked = "lệ phí đăng ký kết hôn có yếu tố nước ngoài"
    assert prefer_procedure(asked, [foreign, plain], detect_intent(asked))[0] is foreign
    # Not close enough: retrieval's order stands.
    far = _passage(OTHER_RECORD, 0.40, "Bước 1: nộp hồ sơ.", part="Trình tự thực hiện")
    assert prefer_procedure(question, [foreign, far], detect_intent(question))[0] is foreign


HOW = (
    "Thời hạn giải quyết: 1 ngày làm việc\n"
    "Phí, lệ phí: Miễn phí\n"
    "Cách thức thực hiện:\n"
    "- Trực tuyến: Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) theo quy định.\n"
    "- Trực tiếp: Tại Ủy ban nhân dân cấp xã."
)
ALWAYS = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0, answer_at=0.5, related_at=0.3)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("lệ phí đăng ký kết hôn bao nhiêu", "Phí, lệ phí: Miễn phí"),
        ("le phi dang ky ket hon bao nhieu", "Phí, lệ phí: Miễn phí"),
        ("đăng ký kết hôn mất mấy ngày", "Thời hạn giải quyết: 1 ngày làm việc"),
    ],
)
def test_a_part_of_several_fields_leads_with_the_field_asked_for(question: str, start: str) -> None:
    record = _passage(OTHER_RECORD, 0.6, HOW, part="Cách thức, thời hạn, phí, lệ phí")
    answer = extractive_answer(question, [record], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer" and answer.text.startswith(start)
    assert "Miễn phí" in (answer.lead or "") and "1 ngày làm việc" in answer.text  # nothing left out


def test_a_close_article_whose_heading_names_the_body_asked_answers_first() -> None:
    """Both hold a body; the heading "Thẩm quyền đăng ký khai tử" says it answers "ở xã nào"."""
    border = _passage(DECREE, 0.67, "1. Ủy ban nhân dân xã ở khu vực biên giới thực hiện đăng ký khai tử "
                      "cho người chết là người nước ngoài cư trú tại xã đó.", article="20",
                      title="Đăng ký khai tử")  # fmt: skip
    rule = "Ủy ban nhân dân cấp xã nơi cư trú cuối cùng của người chết thực hiện việc đăng ký khai tử."
    authority = _passage(LAW, 0.63, rule, article="32", title="Thẩm quyền đăng ký khai tử")
    for question in ("đăng ký khai tử ở xã nào", "dang ky khai tu o xa nao"):
        ordered = choose_passage([border, authority], detect_intent(question), question)
        assert ordered[0] is authority
    # a heading about another topic does not count, nor one for another intent
    other = _passage(LAW, 0.63, authority.full, article="51", title="Thẩm quyền đăng ký kết hôn")
    assert (
        choose_passage(
            [border, other], detect_intent("đăng ký khai tử ở xã nào"), "đăng ký khai tử ở xã nào"
        )[0]
        is border
    )
    deadline = detect_intent("đăng ký khai tử trong thời hạn bao lâu")
    assert (
        choose_passage([border, authority], deadline, "đăng ký khai tử trong thời hạn bao lâu")[0] is border
    )
