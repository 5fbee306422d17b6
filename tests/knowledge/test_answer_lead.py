"""The answer first: the sentence that states the age, duration, amount or list asked for,
with its exact clause and point cited; procedure records answered with the part asked for;
a question whose kind of answer the guidance lacks is not answered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support_kb import build_kb

from core.models import Chunk, Document, DocumentStatus
from knowledge.answer import Passage, extractive_answer
from knowledge.answering import FEATURES, Model
from knowledge.intent import detect_intent
from knowledge.retrieve import Hit, strip_diacritics
from knowledge.service import KnowledgeBase
from knowledge.types import Answer

ALWAYS = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0, answer_at=0.5, related_at=0.3)


def answered(kb: KnowledgeBase, question: str) -> Answer:
    """The reply as the bot builds it, with a model that always answers: these tests are about
    what the reply says, not whether to answer (tests/knowledge/test_answer.py)."""
    intent, retrieval, passages = kb.retrieve_for_answer(question)
    return extractive_answer(
        question,
        passages,
        max_chars=2000,
        intent=intent,
        expansion=retrieval.expansion,
        lookup=kb.other_article,
        model=ALWAYS,
    )


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = build_kb(tmp_path_factory.mktemp("lead") / "data")
    yield base
    base.close()


@pytest.mark.parametrize("typed", [True, False])
def test_age_lead_cites_the_point(kb: KnowledgeBase, typed: bool) -> None:
    question = "Nam nữ kết hôn phải đủ bao nhiêu tuổi?"
    answer = answered(kb, question if typed else strip_diacritics(question))
    assert answer.kind == "answer"
    lead, _, rest = answer.text.partition("\n")
    assert "Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên" in lead and len(lead) <= 300
    assert rest.startswith("(Điều 8 khoản 1 điểm a Luật Hôn nhân và gia đình")
    assert (answer.sources[0].clause, answer.sources[0].point) == ("1", "a")


def test_duration_lead_is_the_clause_with_the_time_limit(kb: KnowledgeBase) -> None:
    answer = answered(kb, "Thời hạn giải quyết đăng ký tạm trú là bao lâu?")
    assert answer.kind == "answer"
    assert answer.text.startswith("Trong thời hạn 03 ngày làm việc")
    assert "(Điều 28 khoản 2 Luật Cư trú số 68/2020/QH14)" in answer.text
    assert "Xem thêm" in answer.text or "Trích Điều 28 khoản 2" in answer.text


def test_list_lead_gives_the_items(kb: KnowledgeBase) -> None:
    answer = answered(kb, "ho so dang ky thuong tru gom nhung gi")
    assert answer.kind == "answer" and answer.sources[0].article == "21"
    lead = answer.text[:300]
    assert "Tờ khai thay đổi thông tin cư trú" in lead and "chứng minh việc sở hữu chỗ ở hợp pháp" in lead
    assert len(answer.text) <= 2000


def _passage(
    text: str, *, article: str, title: str, heading: str, number: str, score: float = 0.9
) -> Passage:
    document = Document(id=1, source="x", title=title, number=number, status=DocumentStatus.in_force)
    chunk = Chunk(
        id=f"c{article}", document_id=1, ordinal=0, text=text, article=article, article_title=heading
    )
    hit = Hit(chunk.id, score, 10.0, 0.9, 1, f"{title}::{article}", "in_force")
    return Passage(hit, chunk, document)


def test_amount_lead_keeps_the_amount_of_a_long_sentence() -> None:
    # Nghị định 144/2021/NĐ-CP, Điều 9 khoản 1 (vi phạm quy định về đăng ký và quản lý cư trú).
    clause = (
        "1. Phạt tiền từ 500.000 đồng đến 1.000.000 đồng đối với một trong những hành vi sau đây:\n"
        "a) Không thực hiện đúng quy định về đăng ký thường trú, đăng ký tạm trú, xóa đăng ký thường trú, "
        "xóa đăng ký tạm trú, tách hộ hoặc điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú;\n"
        "b) Không thực hiện đúng quy định về thông báo lưu trú, khai báo tạm vắng;"
    )
    passage = _passage(
        clause,
        article="9",
        title="Nghị định xử phạt vi phạm hành chính lĩnh vực an ninh, trật tự",
        heading="Vi phạm quy định về đăng ký và quản lý cư trú",
        number="144/2021/NĐ-CP",
    )
    question = "Không đăng ký tạm trú bị phạt bao nhiêu tiền?"
    answer = extractive_answer(question, [passage], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer"
    assert answer.text.startswith("Phạt tiền từ 500.000 đồng đến 1.000.000 đồng")
    assert "(Điều 9 khoản 1 điểm a Nghị định" in answer.text


def test_cross_reference_is_followed_for_the_answer() -> None:
    """ "chưa đủ tuổi kết hôn theo quy định tại điểm a khoản 1 Điều 8" has no age itself."""
    definition = (
        "8. Tảo hôn là việc lấy vợ, lấy chồng khi một bên hoặc cả hai bên chưa đủ tuổi kết hôn theo quy "
        "định tại điểm a khoản 1 Điều 8 của Luật này."
    )
    article_8 = (
        "1. Nam, nữ kết hôn với nhau phải tuân theo các điều kiện sau đây:\n"
        "a) Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên;\n"
        "b) Việc kết hôn do nam và nữ tự nguyện quyết định;"
    )
    passage = _passage(
        definition,
        article="3",
        title="Luật Hôn nhân và gia đình",
        heading="Giải thích từ ngữ",
        number="52/2014/QH13",
    )
    asked: list[str] = []

    def lookup(_: Passage, article: str) -> str:
        asked.append(article)
        return article_8 if article == "8" else ""

    question = "Tảo hôn là lấy vợ lấy chồng khi chưa đủ bao nhiêu tuổi?"
    answer = extractive_answer(question, [passage], max_chars=2000, model=ALWAYS, lookup=lookup)
    assert asked == ["8"]
    assert "Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên" in answer.text[:200]
    assert "(Điều 8 khoản 1 điểm a Luật Hôn nhân và gia đình số 52/2014/QH13)" in answer.text


@pytest.mark.parametrize(
    ("question", "part", "expected"),
    [
        ("Đăng ký nghĩa vụ quân sự lần đầu cần nộp những giấy tờ gì?", "Thành phần hồ sơ", "Phiếu tự khai"),
        ("dang ky nghia vu quan su lan dau mat bao lau", "Thời hạn giải quyết", "Ngày làm việc"),
    ],
)
def test_procedure_record_answers_with_the_part_asked_for(
    kb: KnowledgeBase, question: str, part: str, expected: str
) -> None:
    answer = answered(kb, question)
    assert answer.kind == "answer", answer.text[:200]
    assert answer.sources[0].part == part
    assert f"Thủ tục đăng ký nghĩa vụ quân sự lần đầu (mã 1.013133) — {part}" in answer.text
    assert expected in answer.text[:300]


def test_a_question_whose_kind_of_answer_is_absent_is_not_answered(kb: KnowledgeBase) -> None:
    """The residence law states no fine: "bị phạt bao nhiêu tiền" finds the right topic but no
    amount, so the reply is not an answer."""
    question = "Không đăng ký tạm trú thì bị phạt bao nhiêu tiền?"
    intent, retrieval, passages = kb.retrieve_for_answer(question)
    assert intent.intent.value == "penalty" and passages
    from knowledge.answer import decision_inputs

    _, features = decision_inputs(question, passages, intent, retrieval.expansion)
    assert features["type_missing"] == 1.0
    answer = kb.ask(question)
    assert answer.kind != "answer" and not answer.grounded


def test_intent_is_detected_before_retrieval(kb: KnowledgeBase) -> None:
    assert detect_intent("thoi han giai quyet dang ky tam tru").intent.value == "duration"


# Bộ luật dân sự 2015, Điều 572 (Trả thưởng), clauses 1, 3 and 4.
REWARD = (
    "1. Khi một công việc được hứa thưởng do một người thực hiện thì khi công việc hoàn thành, người "
    "thực hiện công việc đó được nhận thưởng.\n"
    "2. Khi một công việc được hứa thưởng do nhiều người cùng thực hiện nhưng mỗi người thực hiện độc "
    "lập với nhau thì người hoàn thành đầu tiên được nhận thưởng.\n"
    "3. Trường hợp nhiều người cùng hoàn thành công việc được hứa thưởng vào cùng một thời điểm thì "
    "phần thưởng được chia đều cho những người đó.\n"
    "4. Trường hợp nhiều người cùng cộng tác để hoàn thành công việc được hứa thưởng theo yêu cầu của "
    "người hứa thưởng thì mỗi người được nhận một phần của phần thưởng tương ứng với phần đóng góp "
    "của mình."
)


def _reward(text: str) -> Passage:
    return _passage(text, article="572", title="Bộ luật dân sự", heading="Trả thưởng", number="91/2015/QH13")


@pytest.mark.parametrize("typed", [True, False])
def test_a_lead_saying_its_whole_clause_is_followed_by_the_next_clause_not_by_itself(typed: bool) -> None:
    question = "Trả thưởng thế nào khi nhiều người cùng cộng tác hoàn thành công việc được hứa thưởng?"
    asked = question if typed else strip_diacritics(question)
    answer = extractive_answer(asked, [_reward(REWARD)], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer" and answer.sources[0].clause == "4"
    assert answer.text.startswith("Trường hợp nhiều người cùng cộng tác")
    assert answer.text.count("phần đóng góp của mình") == 1  # the clause is not repeated below
    assert "Trích Điều 572 khoản 3 Bộ luật dân sự số 91/2015/QH13 (Trả thưởng):\n3. Trường hợp" in answer.text


def test_a_lead_saying_its_whole_clause_has_no_support_when_no_other_clause_speaks_of_it() -> None:
    only = REWARD.split("\n")[0]  # a one-clause article: nothing else to show
    answer = extractive_answer(
        "Một người hoàn thành công việc được hứa thưởng thì có được nhận thưởng không?",
        [_reward(only)],
        max_chars=2000,
        model=ALWAYS,
    )
    assert answer.kind == "answer" and "được nhận thưởng" in answer.text
    assert "Trích" not in answer.text and answer.text.count("được nhận thưởng") == 1


def test_a_lead_saying_the_whole_article_repeats_none_of_its_clauses() -> None:
    # Luật Cư trú 2020, Điều 11: short enough for the lead to say it whole.
    article = (
        "1. Nơi cư trú của công dân bao gồm nơi thường trú, nơi tạm trú.\n"
        "2. Trường hợp không xác định được nơi thường trú, nơi tạm trú thì nơi cư trú của công dân là "
        "nơi ở hiện tại."
    )
    passage = _passage(
        article, article="11", title="Luật Cư trú", heading="Nơi cư trú của công dân", number="68/2020/QH14"
    )
    answer = extractive_answer(
        "Nơi cư trú của công dân được quy định như thế nào?", [passage], max_chars=2000, model=ALWAYS
    )
    assert answer.kind == "answer" and "nơi ở hiện tại" in answer.text
    assert answer.text.count("nơi ở hiện tại") == 1 and answer.text.count("bao gồm nơi thường trú") == 1
    assert "Trích" not in answer.text


# Bộ luật dân sự 2015, Điều 154 khoản 1 (Bắt đầu thời hiệu): a rule on time with no number of days.
LIMITATION_START = (
    "1. Thời hiệu được tính từ thời điểm bắt đầu ngày đầu tiên của thời hiệu và chấm dứt tại thời "
    "điểm kết thúc ngày cuối cùng của thời hiệu."
)


def _limitation() -> Passage:
    return _passage(
        LIMITATION_START,
        article="154",
        title="Bộ luật dân sự",
        heading="Bắt đầu thời hiệu",
        number="91/2015/QH13",
    )


@pytest.mark.parametrize(
    "question",
    [
        "Thời hiệu được tính từ thời điểm bắt đầu ngày đầu tiên của thời hiệu, đúng hay sai?",
        "Thoi hieu duoc tinh tu thoi diem bat dau ngay dau tien cua thoi hieu phai khong",
        "Khi nào thời hiệu chấm dứt?",
    ],
)
def test_a_statement_to_check_or_a_moment_asked_needs_no_number_of_days(question: str) -> None:
    """ "… đúng hay sai?" and "khi nào …" are about time ("thời hiệu") but the clause stating the
    rule answers them: the article is not capped for lacking a duration."""
    intent = detect_intent(question)
    assert intent.wants.value == "duration" and not intent.strict
    answer = extractive_answer(question, [_limitation()], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer" and answer.text.startswith("Thời hiệu được tính từ thời điểm")


def test_a_duration_asked_is_still_capped_when_the_article_states_none() -> None:
    question = "Thời hiệu khởi kiện là bao lâu?"
    assert detect_intent(question).strict and detect_intent(strip_diacritics(question)).strict
    answer = extractive_answer(question, [_limitation()], max_chars=2000, model=ALWAYS)
    assert answer.kind == "related"
