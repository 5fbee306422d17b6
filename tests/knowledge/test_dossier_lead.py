"""The lead of a procedure's dossier part ("thủ tục X cần giấy tờ gì"): a digest of its papers,
extracted from the part — the papers every applicant brings first, by the record's own groups,
then those needed only in some cases, marked; «Lưu ý» notes left to the supporting text; within
the first 290 characters. On real "Thành phần hồ sơ" parts of the shipped demo records
(fixtures/dossier-parts.json, copied from knowledge/demo/thu_tuc_cap_xa_2026/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.models import Chunk, Document
from knowledge import texts
from knowledge.answer import LEAD_CHARS, Passage, extractive_answer
from knowledge.answering import FEATURES, Model
from knowledge.records import dossier_groups
from knowledge.reply import dossier_lead
from knowledge.retrieve import Hit, strip_diacritics

PARTS = json.loads((Path(__file__).parent / "fixtures" / "dossier-parts.json").read_text(encoding="utf-8"))
ALWAYS = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0, answer_at=0.5, related_at=0.3)
CASES = texts.DOSSIER_CASES.format(papers="")  # "Khi có trường hợp riêng: "


def _digest(code: str) -> str:
    return dossier_lead(PARTS[code]["text"], LEAD_CHARS)


def _before_and_after(lead: str) -> tuple[str, str]:
    """(the papers of every case, the special cases) of a digest."""
    assert CASES in lead, lead
    always, _, cases = lead.partition(CASES)
    return always, cases


def test_the_khai_sinh_digest_puts_the_birth_certificate_before_the_special_cases() -> None:
    lead = _digest("1.001193")
    assert len(lead) <= LEAD_CHARS
    always, cases = _before_and_after(lead)
    # What every parent brings, by the record's groups, with the copies.
    assert "Giấy tờ phải nộp: Giấy chứng sinh (1 bản chính)" in always
    assert "Giấy tờ phải xuất trình: Giấy tờ tùy thân (1 bản chính)" in always
    assert "Tờ khai đăng ký khai sinh (1 bản chính)" in always  # a form whichever the channel
    # The abandoned child's record comes after, marked, not first as in the record.
    assert "biên bản về việc trẻ bị bỏ rơi" in cases and "bỏ rơi" not in always
    assert "Lưu ý" not in lead and "Trường hợp người yêu cầu đã nộp bản điện tử" not in lead


def test_the_ket_hon_digest() -> None:
    lead = _digest("1.000894")
    assert len(lead) <= LEAD_CHARS
    always, cases = _before_and_after(lead)
    assert "Tờ khai đăng ký kết hôn (1 bản chính)" in always
    assert "Giấy tờ phải xuất trình: Giấy tờ tùy thân (1 bản chính)" in always
    # "… trong trường hợp cơ quan đăng ký hộ tịch không thể khai thác được …": a special case.
    assert "Giấy tờ có giá trị chứng minh thông tin về cư trú" in cases
    assert "cư trú" not in always and "Lưu ý" not in lead


def test_a_chung_thuc_digest_keeps_the_records_group_label() -> None:
    lead = _digest("2.001035")
    assert len(lead) <= LEAD_CHARS
    always, cases = _before_and_after(lead)
    assert always.startswith("Người yêu cầu chứng thực nộp 01 (một) bộ hồ sơ")
    assert "Dự thảo giao dịch (1 bản chính)" in always
    # "Bản chính hoặc bản sao có chứng thực … của giấy chứng nhận quyền sở hữu … trong trường hợp
    # giao dịch …": the paper, without the choice of copies before it, among the special cases.
    assert cases.startswith("giấy chứng nhận quyền sở hữu, quyền sử dụng hoặc giấy tờ thay thế")


def test_a_land_digest_restores_the_sources_order_and_marks_a_representative() -> None:
    lead = _digest("1.012766")
    always, cases = _before_and_after(lead)
    # "(1) Đơn …", "(2) Giấy chứng nhận …", "(3) Văn bản …" listed 1, 3, 4, 2 by the portal.
    first, second, third = (
        always.index("Đơn đăng ký biến động đất đai"),
        always.index("Giấy chứng nhận đã cấp"),
        always.index("Văn bản về việc xóa cho thuê"),
    )
    assert first < second < third
    assert "(1 bản sao)" in always and "(1)" not in lead
    # "… đối với trường hợp thực hiện thủ tục thông qua người đại diện"
    assert cases.startswith("Văn bản về việc đại diện")


def test_a_residence_digest_by_case_groups() -> None:
    lead = _digest("1.004194")
    assert len(lead) <= LEAD_CHARS
    always, cases = _before_and_after(lead)
    assert always.startswith("Hồ sơ đăng ký tạm trú gồm: Thông tin chứng minh về chỗ ở hợp pháp; ")
    assert "Tờ khai thay đổi thông tin cư trú" in always
    assert "Đăng ký tạm trú theo danh sách, hồ sơ gồm: Văn bản đề nghị đăng ký tạm trú." in always
    # "Đối với Quân đội nhân dân: Giấy giới thiệu …": the paper, among the special cases.
    assert cases.startswith("Giấy giới thiệu đăng ký tạm trú")
    assert always.count("Tờ khai thay đổi thông tin cư trú") == 1  # a paper repeated by groups, once


def test_a_single_paper_without_groups() -> None:
    assert _digest("2.000992") == "Bản dịch và giấy tờ, văn bản cần dịch (1 bản chính)."


@pytest.mark.parametrize("code", sorted(PARTS))
def test_every_paper_head_is_taken_from_the_part(code: str) -> None:
    part = PARTS[code]["text"]
    groups = dossier_groups(part)
    assert groups and all(g.items for g in groups if not g.notes)
    folded = " ".join(part.split()).lower()
    for group in groups:
        for item in group.items:
            assert item.head.rstrip("…").lower() in folded, item.head
    assert len(dossier_lead(part, LEAD_CHARS)) <= LEAD_CHARS


def test_notes_groups_are_notes() -> None:
    groups = dossier_groups(PARTS["1.001193"]["text"])
    labels = [(g.label, g.notes) for g in groups]
    assert labels == [
        ("Giấy tờ phải nộp", False),
        ("Giấy tờ phải xuất trình", False),
        ("Lưu ý", True),
        ("", False),
    ]
    papers = groups[0].items
    assert [p.conditional for p in papers] == [True, True, True, False]  # Giấy chứng sinh: always
    assert papers[3].head == "Giấy chứng sinh" and papers[3].copies == "1 bản chính"


def test_a_part_without_numbered_papers_keeps_its_start() -> None:
    assert dossier_lead("Không yêu cầu thành phần hồ sơ.", LEAD_CHARS) == ""


RECORD = Document(
    id=7, source="ho-tich.jsonl", content_hash="k", title="Thủ tục đăng ký khai sinh", number="1.001193"
)


def _dossier_passage(code: str) -> Passage:
    text = PARTS[code]["text"]
    chunk = Chunk(id="7-dossier", document_id=7, ordinal=2, text=text[:1200], part=texts.PART_DOSSIER,
                  content_hash="7-dossier")  # fmt: skip
    hit = Hit("7-dossier", 0.9, 30.0, 0.9, 7, "", "in_force")
    return Passage(hit, chunk, RECORD, article_text=text)


@pytest.mark.parametrize(
    "question",
    [
        "thủ tục đăng ký khai sinh cần giấy tờ gì",
        strip_diacritics("thủ tục đăng ký khai sinh cần giấy tờ gì"),
        "hồ sơ đăng ký khai sinh gồm những gì",
        strip_diacritics("hồ sơ đăng ký khai sinh gồm những gì"),
    ],
)
def test_a_dossier_question_is_answered_with_the_digest_then_the_part(question: str) -> None:
    answer = extractive_answer(question, [_dossier_passage("1.001193")], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer"
    assert answer.lead == _digest("1.001193")
    assert answer.text.startswith(answer.lead + "\n")
    assert len(answer.lead) <= LEAD_CHARS and "Giấy chứng sinh (1 bản chính)" in answer.text[:300]
    assert "Thủ tục đăng ký khai sinh (mã 1.001193) — Thành phần hồ sơ" in answer.text
    # The supporting text below is the part as the record lists it.
    support = answer.text.split(texts.SUPPORT_HEADING.format(citation=answer.sources[0].citation), 1)[1]
    assert support.lstrip(":\n").startswith("Giấy tờ phải nộp:\n1. Trường hợp trẻ em bị bỏ rơi")


@pytest.mark.parametrize("code", sorted(PARTS))
def test_the_part_as_stored_without_blank_lines_gives_the_same_digest(code: str) -> None:
    # A long part is cut into chunks of paragraphs, read back joined by single line breaks.
    stored = "\n".join(line for line in PARTS[code]["text"].split("\n") if line.strip())
    assert dossier_lead(stored, LEAD_CHARS) == _digest(code)


def test_a_year_glued_to_the_count_is_not_a_count() -> None:
    # Record 1.012796 (Đất đai): "theo Mẫu số 18" glued to "1 bản chính" by the portal's table.
    part = (
        "1. Bản gốc Giấy chứng nhận đã cấp — 1 bản chính, 1 bản sao\n"
        "2. Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số — 181 bản chính, 1 bản sao"
    )
    papers = dossier_groups(part)[0].items
    assert [(p.head, p.copies) for p in papers] == [
        ("Bản gốc Giấy chứng nhận đã cấp", "1 bản chính, 1 bản sao"),
        ("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", ""),
    ]
