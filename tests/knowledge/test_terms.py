"""Topic words: stop words are told apart by their marks when the user typed marks."""

from __future__ import annotations

import pytest

from knowledge.terms import content_bigrams, query_terms, without_question_tail


def test_marked_content_word_is_not_mistaken_for_a_stop_word() -> None:
    # "từ" (from) is a function word; "tử" (death) names the topic in "khai tử".
    assert "khai tu" in content_bigrams("Thủ tục đăng ký khai tử cần giấy tờ gì?")
    assert "khai tu" not in content_bigrams("Thời hạn tính từ khai báo")


def test_unmarked_syllables_fall_back_to_folded_stop_words() -> None:
    pairs = content_bigrams("dang ky tam tru can nhung gi")
    assert pairs == {"dang ky", "ky tam", "tam tru"}  # "cần", "những", "gì" say nothing


def test_question_words_leave_only_the_topic() -> None:
    unigrams, _ = query_terms("Xin hỏi đăng ký tạm trú cần những gì ạ?")
    assert unigrams == {"dang", "ky", "tam", "tru"}


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("Điều kiện kết hôn là gì?", "Điều kiện kết hôn"),
        ("Hồ sơ đăng ký tạm trú gồm những gì ạ?", "Hồ sơ đăng ký tạm trú"),
        ("Tuổi kết hôn là bao nhiêu?", "Tuổi kết hôn"),
        ("thoi han tam tru toi da la bao lau", "thoi han tam tru toi da"),
        ("điều kiện kết hôn là gi", "điều kiện kết hôn"),  # marks restored on some words only
        ("Khi nào phải khai báo tạm vắng?", "Khi nào phải khai báo tạm vắng?"),
        ("Giá xăng dầu", "Giá xăng dầu"),  # "dầu" is not "đâu"
        ("Là gì?", "Là gì?"),  # nothing else left: unchanged
    ],
)
def test_question_tail_is_left_out_of_the_lexical_query(question: str, kept: str) -> None:
    assert without_question_tail(question) == kept


@pytest.mark.parametrize(
    "question",
    ["đăng ký khai tử ở xã nào", "dang ky khai sinh o dau", "nộp hồ sơ tại đâu", "đăng ký khai sinh ở đâu"],
)
def test_a_place_question_opened_by_o_or_tai_is_no_topic(question: str) -> None:
    """ "ở đâu", "ở xã nào": the preposition belongs to the question, so no "khai tử ở" pair."""
    assert not any(pair.endswith((" o", " tai")) for pair in content_bigrams(question))


def test_o_stays_a_topic_word_elsewhere() -> None:
    assert "dat o" in content_bigrams("đất ở là gì")
    assert "dat o" in content_bigrams("hạn mức đất ở nông thôn nào được tách thửa")
