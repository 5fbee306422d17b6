"""A fine asked about, a crime's article found: the Criminal Code is not the answer to
"bị phạt bao nhiêu" for an act that is, first of all, an administrative violation; it is
listed «có thể liên quan» with a note saying why. A question that names a crime is answered."""

from __future__ import annotations

import pytest

from core.models import Chunk, Document, DocumentStatus
from knowledge import texts
from knowledge.answer import Passage, extractive_answer
from knowledge.answering import FEATURES, Model
from knowledge.intent import is_offence, names_crime
from knowledge.retrieve import Hit, strip_diacritics

ALWAYS = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0, answer_at=0.5, related_at=0.3)

# Bộ luật Hình sự, Điều 318 (Tội gây rối trật tự công cộng), khoản 1.
DISORDER = (
    "1. Người nào gây rối trật tự công cộng gây ảnh hưởng xấu đến an ninh, trật tự, an toàn xã hội "
    "hoặc đã bị xử phạt vi phạm hành chính về hành vi này hoặc đã bị kết án về tội này, chưa được "
    "xóa án tích mà còn vi phạm, thì bị phạt tiền từ 5.000.000 đồng đến 50.000.000 đồng, phạt cải "
    "tạo không giam giữ đến 02 năm hoặc phạt tù từ 03 tháng đến 02 năm."
)


def _offence(heading: str = "Tội gây rối trật tự công cộng") -> Passage:
    document = Document(
        id=1, source="x", title="Bộ luật Hình sự", number="100/2015/QH13", status=DocumentStatus.in_force
    )
    chunk = Chunk(id="c318", document_id=1, ordinal=0, text=DISORDER, article="318", article_title=heading)
    hit = Hit(chunk.id, 0.9, 10.0, 0.9, 1, "Bộ luật Hình sự::318", "in_force")
    return Passage(hit, chunk, document)


def _reply(question: str, passage: Passage) -> tuple[str, str]:
    answer = extractive_answer(question, [passage], max_chars=2000, model=ALWAYS)
    return answer.kind or "", answer.text


@pytest.mark.parametrize("typed", [True, False])
def test_a_fine_asked_about_is_not_answered_with_a_crime(typed: bool) -> None:
    question = "Đánh nhau, gây mất trật tự công cộng bị phạt bao nhiêu tiền?"
    kind, text = _reply(question if typed else strip_diacritics(question), _offence())
    assert kind == "related"
    assert texts.OFFENCE_NOTE in text
    assert "Điều 318" in text


@pytest.mark.parametrize(
    "question",
    [
        "Tội gây rối trật tự công cộng bị phạt thế nào?",
        "Gây rối trật tự công cộng bị phạt tù bao nhiêu năm?",
        "Gây rối trật tự công cộng đã bị xử phạt vi phạm hành chính mà còn vi phạm thì bị xử lý thế nào?",
        "toi gay roi trat tu cong cong bi phat the nao",
    ],
)
def test_a_question_naming_a_crime_is_answered(question: str) -> None:
    kind, text = _reply(question, _offence())
    assert kind == "answer"
    assert texts.OFFENCE_NOTE not in text


def test_an_article_that_is_not_an_offence_still_answers_a_fine() -> None:
    kind, _ = _reply("Gây rối trật tự công cộng bị phạt bao nhiêu tiền?", _offence("Xử phạt hành vi gây rối"))
    assert kind == "answer"


def test_crime_cues() -> None:
    assert names_crime("Tội trộm cắp tài sản bị phạt bao nhiêu?")
    assert names_crime("Vận chuyển trái phép chất ma túy bị xử lý thế nào?")  # a crime by nature
    assert not names_crime("Tôi đi xe máy vượt đèn đỏ bị phạt bao nhiêu?")  # "tôi" is not "tội"
    assert not names_crime("Mức phạt khi lùi xe ô tô trong hầm đường bộ")
    assert is_offence("Tội gây rối trật tự công cộng")
    assert is_offence("Điều 318. Tội gây rối trật tự công cộng")
    assert not is_offence("Tổ chức thi hành án")


def test_a_question_restating_the_offence_is_answered() -> None:
    # The crime's own words, without "tội": the question asks about that crime.
    question = (
        "Người nào gây rối trật tự công cộng gây ảnh hưởng xấu đến an ninh, trật tự, an toàn xã hội "
        "thì bị phạt tiền bao nhiêu?"
    )
    kind, text = _reply(question, _offence())
    assert kind == "answer"
    assert "5.000.000 đồng đến 50.000.000 đồng" in text
