"""Everyday words ↔ legal terms: the shipped table, a province's own file, and retrieval."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support_kb import build_kb

from knowledge.lay import SHIPPED, LayTerm, LayVocabulary, load_vocabulary, read_table
from knowledge.service import KnowledgeBase


def test_shipped_table_reads_cleanly_both_ways() -> None:
    terms = read_table(SHIPPED)
    assert len(terms) >= 100
    by_word = {t.everyday: t for t in terms}
    assert by_word["sổ đỏ"].legal == "giấy chứng nhận quyền sử dụng đất" and by_word["sổ đỏ"].both_ways
    assert by_word["hộ khẩu"].legal == "thường trú"
    assert by_word["làm giấy khai sinh"].legal == "đăng ký khai sinh"
    assert by_word["giấy độc thân"].legal == "xác nhận tình trạng hôn nhân"
    assert by_word["bỏ vợ"].legal == "ly hôn" and by_word["đất thổ cư"].legal == "đất ở"


@pytest.mark.parametrize(
    ("question", "added"),
    [
        ("Làm sổ đỏ cho đất thổ cư cần gì?", "giấy chứng nhận quyền sử dụng đất"),
        ("lam so do cho dat tho cu can gi", "đất ở"),
        ("Nhập hộ khẩu cho con", "đăng ký thường trú"),
        ("nhap ho khau cho con", "thường trú"),
        ("Xin giấy độc thân ở đâu?", "xác nhận tình trạng hôn nhân"),
        ("muon bo vo thi lam the nao", "ly hôn"),
        # "↔" lines: a question in legal terms also gets the everyday word
        ("Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "sổ đỏ"),
        # the areas of the national laws: labour, crime and drugs, family, education, schools
        ("Nghỉ phép mấy ngày một năm?", "nghỉ hằng năm"),
        ("thoi gian lam viec binh thuong mot ngay", "thời giờ làm việc"),
        ("Được nghỉ giữa ca bao nhiêu phút?", "nghỉ trong giờ làm việc"),
        ("choi ma tuy bi xu ly the nao", "sử dụng trái phép chất ma túy"),
        ("Bị ép cưới thì báo ai?", "cưỡng ép kết hôn"),
        ("hoc sinh cap 2 co phai dong hoc phi khong", "trung học cơ sở"),
        ("Giáo viên có được dạy thêm không?", "nhà giáo"),
        # land deals a commune certifies every day
        ("chứng thực hợp đồng chuyển nhượng đất", "chuyển nhượng quyền sử dụng đất"),
        ("ban dat cho con co phai nop thue khong", "chuyển nhượng quyền sử dụng đất"),
        ("Tách sổ đỏ cho con cần gì?", "tách thửa đất"),
        ("xin len tho cu", "chuyển mục đích sử dụng đất sang đất ở"),
    ],
)
def test_expansion_with_and_without_diacritics(question: str, added: str) -> None:
    assert added in load_vocabulary().expansion(question)


@pytest.mark.parametrize(
    "question", ["Gà, vịt đi lạc vào nhà thì sao?", "ga, vit di lac", "gà/vịt đi lạc", "gà - vịt"]
)
def test_a_phrase_is_matched_across_punctuation_inside_it(question: str) -> None:
    assert "gia cầm" in load_vocabulary().expansion(question)


def test_a_sentence_end_still_separates_and_cho_is_not_a_gift() -> None:
    assert "gia cầm" not in load_vocabulary().expansion("Nhà tôi nuôi gà. Vịt nhà hàng xóm sang ăn lúa")
    # "cho đất thổ cư" is "for the land", not a gift of land: no such entry
    assert "tặng cho" not in load_vocabulary().expansion("Làm sổ đỏ cho đất thổ cư")


def test_marks_keep_words_apart() -> None:
    vocabulary = LayVocabulary(read_table(SHIPPED))
    # "cuối" (end) is not "cưới" (wedding) when the user typed marks; no entry matches here.
    assert vocabulary.expansion("Cuối tuần có làm việc không?") == ""
    # A one-way entry does not expand its legal term back.
    assert "đuổi việc" not in vocabulary.expansion("Người sử dụng lao động sa thải người lao động")


def test_a_term_another_added_term_holds_is_said_once() -> None:
    vocabulary = LayVocabulary(
        [LayTerm("cấp 2", "trung học cơ sở", False), LayTerm("trường cấp 2", "trường trung học cơ sở", False)]
    )
    assert vocabulary.expansion("Trường cấp 2 có mấy lớp?") == "trường trung học cơ sở"
    assert vocabulary.expansion("truong cap 2 co may lop") == "trường trung học cơ sở"
    # a shorter term that is only part of a word of the longer one is kept
    vocabulary = LayVocabulary(
        [LayTerm("ca đêm", "làm việc vào ban đêm", False), LayTerm("bình yên", "an", False)]
    )
    assert vocabulary.expansion("Ca đêm có bình yên không?") == "làm việc vào ban đêm an"


def test_a_province_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "tinh.tsv"
    extra.write_text(
        "# tỉnh X\nbìa xanh\t→\tgiấy chứng nhận quyền sở hữu nhà ở\nhỏng dòng\n", encoding="utf-8"
    )
    vocabulary = load_vocabulary(str(extra))
    assert "giấy chứng nhận quyền sở hữu nhà ở" in vocabulary.expansion("Làm bìa xanh ở đâu?")
    assert "giấy chứng nhận quyền sở hữu nhà ở" in vocabulary.expansion("lam bia xanh o dau")
    assert load_vocabulary(str(tmp_path / "missing.tsv")).terms == load_vocabulary().terms


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = build_kb(tmp_path_factory.mktemp("lay") / "data")
    yield base
    base.close()


@pytest.mark.parametrize(
    "question", ["Nhập hộ khẩu cho con cần điều kiện gì?", "nhap ho khau cho con can dieu kien gi"]
)
def test_retrieval_uses_the_table(kb: KnowledgeBase, question: str) -> None:
    """ "hộ khẩu" is not a word of the Residence Law: the table makes it "thường trú"."""
    retrieval = kb.search(question, k=5)
    assert "thường trú" in retrieval.expansion
    assert retrieval.hits[0].record_id == "Luật Cư trú::20"  # Điều 20. Điều kiện đăng ký thường trú
    plain = kb.retriever.lay
    try:
        kb.retriever.lay = LayVocabulary([])
        without = kb.search(question + " ", k=5)
    finally:
        kb.retriever.lay = plain
    ranked = [h.record_id for h in without.hits]
    assert without.expansion == "" and ranked[0] != "Luật Cư trú::20"  # without it, another text wins
