"""The lead follows what the question asks inside the cited article: the penalty clause its
qualifier names (tối thiểu, tối đa, còn bị), the unit stating the value asked for, the
sentence that says yes or no, the line defining who "… là ai" names, and a long sentence
shortened to the part after the question's echo. Hand-written articles in the style of the
codes, each question typed and without diacritics."""

from __future__ import annotations

import pytest

from core.models import Chunk, Document, DocumentStatus
from knowledge.answer import Passage, extractive_answer
from knowledge.answering import FEATURES, Model
from knowledge.intent import AnswerType, detect_intent, has_answer_type
from knowledge.reply import lead_text
from knowledge.retrieve import Hit, strip_diacritics
from knowledge.select import (
    ECHO_BACK,
    _weights,
    _within_article,
    article_units,
    denied_words,
    echo_end,
    echo_start,
    question_words,
    score_unit,
    severity,
)
from knowledge.types import Answer

ALWAYS = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=5.0, answer_at=0.5, related_at=0.3)

# An offence written as the Criminal Code writes one: the base offence, aggravated clauses
# that refer to it without repeating it, an additional penalty.
OFFENCE = (
    "1. Người nào cố ý làm hư hại cây xanh công cộng gây thiệt hại từ 10.000.000 đồng đến dưới "
    "50.000.000 đồng, thì bị phạt cảnh cáo, phạt cải tạo không giam giữ đến 02 năm hoặc phạt tù từ "
    "06 tháng đến 02 năm.\n"
    "2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 02 năm đến 05 năm:\n"
    "a) Có tổ chức;\n"
    "b) Gây thiệt hại từ 50.000.000 đồng đến dưới 200.000.000 đồng;\n"
    "c) Tái phạm nguy hiểm.\n"
    "3. Phạm tội gây thiệt hại 200.000.000 đồng trở lên, thì bị phạt tù từ 05 năm đến 10 năm.\n"
    "4. Người phạm tội còn có thể bị phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng."
)


def _passage(
    text: str, *, article: str = "999", heading: str = "Tội làm hư hại cây xanh công cộng"
) -> Passage:
    document = Document(
        id=1, source="x", title="Bộ luật Thử nghiệm", number="", status=DocumentStatus.in_force
    )
    chunk = Chunk(
        id=f"c{article}", document_id=1, ordinal=0, text=text, article=article, article_title=heading
    )
    return Passage(Hit(chunk.id, 0.9, 10.0, 0.9, 1, f"x::{article}", "in_force"), chunk, document)


def _ask(question: str, text: str = OFFENCE, typed: bool = True, **kw: str) -> Answer:
    asked = question if typed else strip_diacritics(question)
    answer = extractive_answer(asked, [_passage(text, **kw)], max_chars=2000, model=ALWAYS)
    assert answer.kind == "answer"
    return answer


def _lead(answer: Answer) -> str:
    return answer.text.partition("\n")[0]


@pytest.mark.parametrize("typed", [True, False])
@pytest.mark.parametrize(
    ("question", "clause", "expected"),
    [
        # the mildest clause's lower bound, not the aggravated clause the offence words also fit
        ("Cố ý làm hư hại cây xanh công cộng bị phạt tù tối thiểu bao nhiêu?", "1", "phạt tù từ 06 tháng"),
        # the severest clause's upper bound
        ("Làm hư hại cây xanh công cộng bị phạt tù tối đa bao nhiêu năm?", "3", "từ 05 năm đến 10 năm"),
        # "còn bị": the additional penalty
        (
            "Người phạm tội làm hư hại cây xanh công cộng còn có thể bị phạt tiền bao nhiêu?",
            "4",
            "phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng",
        ),
        # an aggravated clause chosen by its own words
        (
            "Tội làm hư hại cây xanh công cộng có tổ chức thì bị phạt thế nào?",
            "2",
            "thì bị phạt tù từ 02 năm đến 05 năm: Có tổ chức",
        ),
        # the base offence: an aggravated clause does not inherit clause 1's penalty words
        (
            "Tội làm hư hại cây xanh công cộng gây thiệt hại bao nhiêu thì bị phạt cảnh cáo?",
            "1",
            "từ 10.000.000 đồng đến dưới 50.000.000 đồng",
        ),
        # the value the question names picks its clause
        (
            "Làm hư hại cây xanh công cộng gây thiệt hại bao nhiêu thì bị phạt tù đến 10 năm?",
            "3",
            "200.000.000 đồng trở lên",
        ),
    ],
)
def test_the_penalty_clause_follows_the_question(
    question: str, clause: str, expected: str, typed: bool
) -> None:
    answer = _ask(question, typed=typed)
    assert answer.sources[0].clause == clause
    assert expected in _lead(answer)


def test_an_amount_is_asked_only_the_clause_stating_one_answers() -> None:
    # Clause 1 matches every word of the question but names no amount; clause 2 does.
    text = (
        "1. Người nào chiếm giữ trái phép lối đi chung của khu dân cư, đã bị xử phạt vi phạm hành chính "
        "về hành vi này mà còn vi phạm, thì bị phạt cải tạo không giam giữ đến 02 năm hoặc phạt tù từ "
        "03 tháng đến 02 năm.\n"
        "2. Người phạm tội còn có thể bị phạt tiền từ 5.000.000 đồng đến 20.000.000 đồng."
    )
    answer = _ask("Người phạm tội chiếm giữ trái phép lối đi chung có thể bị phạt tiền đến bao nhiêu?", text)
    assert answer.sources[0].clause == "2"
    assert "20.000.000 đồng" in _lead(answer)


def test_severity_reads_prison_terms_and_fines() -> None:
    assert severity("phạt tù từ 06 tháng đến 02 năm") == (6, 24)
    assert severity("phạt tù từ 12 năm đến 20 năm, tù chung thân hoặc tử hình") == (144, 480)
    assert severity("phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng") == (10_000_000, 50_000_000)
    assert severity("Có tổ chức;") is None


DEFENCE = (
    "1. Tự vệ khẩn cấp là hành vi của người vì bảo vệ quyền hoặc lợi ích chính đáng của mình mà chống "
    "trả lại một cách cần thiết người đang có hành vi xâm phạm các lợi ích nói trên.\n"
    "Tự vệ khẩn cấp không phải là tội phạm.\n"
    "2. Người xúi bẩy là người kích động, dụ dỗ, thúc đẩy người khác thực hiện hành vi vi phạm.\n"
    "3. Người tham gia bao gồm người tổ chức, người thực hành, người xúi bẩy, người giúp sức."
)


@pytest.mark.parametrize("typed", [True, False])
def test_a_yes_no_question_leads_with_the_sentence_that_says_no(typed: bool) -> None:
    answer = _ask("Tự vệ khẩn cấp có phải là tội phạm không?", DEFENCE, typed, heading="Tự vệ khẩn cấp")
    assert _lead(answer) == "Tự vệ khẩn cấp không phải là tội phạm."


@pytest.mark.parametrize("typed", [True, False])
def test_who_is_a_term_leads_with_its_definition(typed: bool) -> None:
    answer = _ask("Người xúi bẩy là ai?", DEFENCE, typed, heading="Tự vệ khẩn cấp")
    assert _lead(answer).startswith("Người xúi bẩy là người kích động, dụ dỗ")
    assert answer.sources[0].clause == "2"


FOUND = (
    "1. Người phát hiện tài sản bị chôn, giấu, bị vùi lấp, chìm đắm phải thông báo hoặc trả lại ngay cho "
    "chủ sở hữu; nếu không biết ai là chủ sở hữu thì phải thông báo hoặc giao nộp cho Ủy ban nhân dân "
    "cấp xã hoặc công an cấp xã nơi gần nhất hoặc cơ quan nhà nước có thẩm quyền khác theo quy định của "
    "pháp luật để được xử lý theo đúng thủ tục."
)


@pytest.mark.parametrize("typed", [True, False])
def test_a_long_sentence_keeps_the_part_after_the_question(typed: bool) -> None:
    question = "Người phát hiện tài sản bị chôn, giấu mà không biết ai là chủ sở hữu thì phải làm gì?"
    answer = _ask(question, FOUND, typed, article="229", heading="Xác lập quyền sở hữu")
    lead = _lead(answer)
    assert len(lead) <= 290
    assert lead.startswith("Người phát hiện tài sản bị chôn")
    # the answer, whole, after the sentence's start and "…"
    assert "… " in lead
    assert "phải thông báo hoặc giao nộp cho Ủy ban nhân dân cấp xã hoặc công an cấp xã nơi gần nhất" in lead


@pytest.mark.parametrize("typed", [True, False])
def test_the_case_asked_leads_not_its_negation(typed: bool) -> None:
    """ "… mà biết ai là chủ sở hữu": the sentence's first part answers; its "nếu không biết ai
    là chủ sở hữu thì …" part is the other case (the test above asks that one)."""
    question = "Người phát hiện tài sản bị chôn, giấu mà biết ai là chủ sở hữu thì phải làm gì?"
    answer = _ask(question, FOUND, typed, article="229", heading="Xác lập quyền sở hữu")
    lead = _lead(answer)
    assert len(lead) <= 290 and "phải thông báo hoặc trả lại ngay cho chủ sở hữu" in lead
    text = " ".join(FOUND.split())
    weights = _weights(question, None)
    assert echo_end(text, weights) is None  # the only full echo is the denied case's
    denied = denied_words("… mà không biết ai là chủ sở hữu thì phải làm gì?")
    assert denied == {"biet"} and echo_end(text, weights, denied) is not None


LOAN = (
    "1. Bên vay tài sản là tiền thì phải trả đủ tiền khi đến hạn; nếu tài sản là vật thì phải trả vật "
    "cùng loại đúng số lượng, chất lượng, trừ trường hợp có thỏa thuận khác.\n"
    "2. Trường hợp bên vay không thể trả vật thì có thể trả bằng tiền theo trị giá của vật đã vay tại "
    "địa điểm và thời điểm trả nợ, nếu được bên cho vay đồng ý."
)


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("Bên vay tài sản là vật mà không thể trả vật thì sao?", True),
        ("Bên vay không thể trả vật thì sao?", False),
        ("Trường hợp bên vay tài sản không thể trả vật thì xử lý ra sao?", False),
    ],
)
def test_a_case_the_question_denies_is_found_where_the_text_denies_it(question: str, typed: bool) -> None:
    """ "không thể trả vật": the clause saying "không thể trả vật" is the case asked, not the
    rule about returning the thing, which shares as many of the question's words."""
    answer = _ask(question, LOAN, typed, article="466", heading="Nghĩa vụ trả nợ của bên vay")
    assert answer.sources[0].clause == "2"
    assert "có thể trả bằng tiền theo trị giá của vật đã vay" in _lead(answer)
    affirmed = _ask("Bên vay phải trả vật như thế nào?", LOAN, typed, article="466", heading="Nghĩa vụ")
    assert affirmed.sources[0].clause == "1"


def test_a_denied_word_is_a_whole_word() -> None:
    """ "… không ạ?" denies nothing a clause says: "không áp dụng" gets no bonus from it."""
    question = "Bên thuê có được cho thuê lại nhà không ạ?"
    denied = denied_words(question)
    unit = article_units("1. Quy định này không áp dụng đối với hợp đồng thuê nhà ở công vụ.")[0]
    weights, intent = _weights(question, None), detect_intent(question)
    plain = score_unit(unit, weights, intent, "", 0)
    assert score_unit(unit, weights, intent, "", 0, denied=denied) == plain


def test_echo_end_is_where_the_question_stops_being_repeated() -> None:
    text = (
        "Việc xác lập quan hệ dân sự liên quan đến quyền nhân thân của người đã chết phải được sự đồng ý "
        "của vợ, chồng hoặc con thành niên của người đó."
    )
    weights = _weights("Việc xác lập quan hệ dân sự của người đã chết phải được sự đồng ý của ai?", None)
    at = echo_end(text, weights)
    assert at is not None and text[at:].lstrip().startswith("của vợ, chồng")
    # an echo that closes its part: the answer is the part before it
    closing = (
        "Người làm hỏng thiết bị phải bồi thường theo thời giá; trường hợp do thiên tai, hỏa hoạn hoặc sự "
        "kiện bất khả kháng thì người làm hỏng thiết bị được miễn bồi thường."
    )
    at = echo_end(closing, _weights("Người làm hỏng thiết bị được miễn bồi thường khi nào?", None))
    assert at is not None and closing[at:].startswith("trường hợp do thiên tai")
    assert echo_end(text, {}) is None


# Điều 25 khoản 2 Bộ luật dân sự: whose consent, then the case without them, then the exception.
CONSENT = (
    "Việc xác lập, thực hiện quan hệ dân sự liên quan đến quyền nhân thân của người bị tuyên bố "
    "mất tích, người đã chết phải được sự đồng ý của vợ, chồng hoặc con thành niên của người đó; "
    "trường hợp không có những người này thì phải được sự đồng ý của cha, mẹ của người bị tuyên bố "
    "mất tích, người đã chết, trừ trường hợp Bộ luật này, luật khác có liên quan quy định khác."
)


def test_the_part_saying_not_of_what_the_question_denies_is_the_echo() -> None:
    """ "… không phải bồi thường trong trường hợp nào?": the run of question words completes
    first in a part saying "phải bồi thường"; the case asked is the part saying "không phải
    bồi thường", read from its start."""
    text = (
        "Người lao động làm mất dụng cụ, thiết bị của người sử dụng lao động thì phải bồi thường "
        "một phần hoặc toàn bộ theo thời giá thị trường; trường hợp có hợp đồng trách nhiệm thì phải "
        "bồi thường theo hợp đồng trách nhiệm; trường hợp do thiên tai, hỏa hoạn, dịch bệnh nguy hiểm "
        "thì không phải bồi thường."
    )
    question = "Người lao động không phải bồi thường trong trường hợp nào?"
    weights, denied = _weights(question, None), denied_words(question)
    at = echo_end(text, weights, denied)
    assert at is not None and text[at:].startswith("trường hợp do thiên tai")
    # without the denial the first complete run is the answer, as before
    plain = echo_end(text, _weights("Người lao động phải bồi thường thế nào?", None))
    assert plain is not None and plain < text.index("trường hợp có hợp đồng")


def test_the_answer_is_read_to_its_end_rather_than_its_context() -> None:
    """When the part after the echo would be cut, less of the sentence's start is shown so
    the answer is read whole (Điều 25 Bộ luật dân sự: the consent of whom, to the exception)."""
    sentence = CONSENT
    question = "Quan hệ dân sự liên quan đến quyền nhân thân của người đã chết phải được sự đồng ý của ai?"
    lead = lead_text(sentence, AnswerType.none, 290, _weights(question, None))
    assert len(lead) <= 290 and lead.endswith("luật khác có liên quan quy định khác.")
    assert "phải được sự đồng ý của vợ, chồng" in lead
    # a rest too long for the whole lead keeps the start and is cut, as before
    longer = sentence.replace("trừ trường hợp", "trừ trường hợp " + "có quy định riêng, " * 8)
    cut = lead_text(longer, AnswerType.none, 290, _weights(question, None))
    assert cut.startswith("Việc xác lập") and cut.endswith("…") and len(cut) <= 290


@pytest.mark.parametrize("typed", [True, False])
def test_a_negating_prefix_makes_another_word(typed: bool) -> None:
    """ "động sản" asked is not in "bất động sản": the clause on movables answers, not the
    earlier one on immovables that shares every other word."""
    text = (
        "1. Trường hợp một trong các chủ sở hữu chung đối với bất động sản từ bỏ phần quyền sở hữu "
        "của mình thì phần quyền sở hữu đó thuộc về Nhà nước.\n"
        "2. Trường hợp một trong các chủ sở hữu chung đối với động sản từ bỏ phần quyền sở hữu của "
        "mình thì phần quyền sở hữu đó thuộc về các chủ sở hữu còn lại."
    )
    question = "Chủ sở hữu chung đối với động sản từ bỏ phần quyền sở hữu thì phần đó thuộc về ai?"
    answer = _ask(question, text, typed, article="218", heading="Định đoạt tài sản chung")
    assert answer.sources[0].clause == "2"
    assert "các chủ sở hữu còn lại" in _lead(answer)
    # asked about immovables, the first clause still answers
    asked = "Chủ sở hữu chung đối với bất động sản từ bỏ phần quyền sở hữu thì phần đó thuộc về ai?"
    assert _ask(asked, text, typed, article="218", heading="Định đoạt tài sản chung").sources[0].clause == "1"


@pytest.mark.parametrize("typed", [True, False])
def test_the_words_the_other_clauses_lack_tell_the_clauses_apart(typed: bool) -> None:
    """ "hoàn thành", "hứa thưởng" are in every clause of the article; "cùng cộng tác" only in
    the one asked: it decides, though another clause holds more of the question's words."""
    text = (
        "1. Trường hợp một công việc được hứa thưởng do một người thực hiện thì khi công việc hoàn "
        "thành, người thực hiện công việc đó được nhận thưởng.\n"
        "2. Trường hợp nhiều người cùng hoàn thành công việc được hứa thưởng vào cùng một thời điểm "
        "thì phần thưởng được chia đều cho những người đó.\n"
        "3. Trường hợp nhiều người cùng cộng tác để thực hiện công việc được hứa thưởng thì mỗi người "
        "được nhận một phần của phần thưởng tương ứng với phần đóng góp của mình."
    )
    question = "Nhiều người cùng cộng tác để hoàn thành công việc được hứa thưởng thì nhận thưởng thế nào?"
    answer = _ask(question, text, typed, article="572", heading="Trả thưởng")
    assert answer.sources[0].clause == "3"
    assert "tương ứng với phần đóng góp" in _lead(answer)
    units = article_units(text)
    weights = _weights(question, None)
    raised = _within_article(weights, units)
    assert raised["cong_tac"] > raised["hoan_thanh"] and weights["cong_tac"] == weights["hoan_thanh"]


def test_the_answer_shown_after_the_cut_starts_a_phrase() -> None:
    """A long sentence cut after its start reads on from a comma near the echo's end ("…
    người đã chết phải được sự đồng ý của …"), not from inside a phrase ("… tích, người …")."""
    sentence = CONSENT
    question = "Quan hệ dân sự liên quan đến quyền nhân thân của người đã chết phải được sự đồng ý của ai?"
    lead = lead_text(sentence, AnswerType.none, 200, _weights(question, None))
    head, _, tail = lead.partition("… ")
    assert head.startswith("Việc xác lập") and tail.startswith("người đã chết phải được sự đồng ý của vợ")
    assert echo_start(sentence, len(sentence) - 5) > 0  # no comma near: still a word's start
    no_comma = "Người lao động làm việc đủ mười hai tháng cho một người sử dụng lao động thì được nghỉ"
    at = len(no_comma) - 1
    start = echo_start(no_comma, at)
    assert no_comma[start - 1] == " " and at - start <= ECHO_BACK + 10


def test_a_cut_never_says_a_part_twice() -> None:
    """When the part after the echo is short, the sentence's start would reach into it: the
    sentence is read straight on instead ("… địa… bỏ quên mà biết được địa chỉ …" before)."""
    sentence = (
        "Người phát hiện tài sản do người khác đánh rơi, bỏ quên mà biết được địa chỉ của người đánh "
        "rơi hoặc bỏ quên thì phải thông báo hoặc trả lại tài sản cho người đó; nếu không biết địa chỉ "
        "của người đánh rơi hoặc bỏ quên thì phải thông báo hoặc giao nộp cho Ủy ban nhân dân cấp xã "
        "hoặc công an cấp xã nơi gần nhất để thông báo công khai cho chủ sở hữu biết mà nhận lại."
    )
    question = (
        "Người phát hiện tài sản do người khác đánh rơi, bỏ quên mà biết được địa chỉ của người đánh "
        "rơi hoặc bỏ quên thì phải làm gì?"
    )
    lead = lead_text(sentence, AnswerType.none, 290, _weights(question, None))
    assert len(lead) <= 290 and lead.startswith("Người phát hiện tài sản")
    end = 0  # each piece of the lead comes after the previous one in the sentence, none overlapping
    for piece in (p.strip("… ") for p in lead.split("…") if p.strip("… ")):
        found = sentence.find(piece, end)
        assert found >= end, (piece, lead)
        end = found + len(piece)
    assert "phải thông báo hoặc trả lại tài sản cho người đó" in lead


@pytest.mark.parametrize("typed", [True, False])
def test_a_point_read_alone_starts_the_lead_as_a_sentence(typed: bool) -> None:
    text = (
        "1. Chủ tịch nước có những nhiệm vụ, quyền hạn sau đây:\n"
        "a) công bố Hiến pháp, luật, pháp lệnh;\n"
        "b) đề nghị Ủy ban thường vụ Quốc hội xem xét lại pháp lệnh trong thời hạn mười ngày, kể từ ngày "
        "pháp lệnh được thông qua, nếu pháp lệnh đó vẫn được Ủy ban thường vụ Quốc hội biểu quyết tán "
        "thành mà Chủ tịch nước vẫn không nhất trí thì Chủ tịch nước trình Quốc hội quyết định."
    )
    question = "Chủ tịch nước đề nghị xem xét lại pháp lệnh trong thời hạn bao nhiêu ngày?"
    answer = _ask(question, text, typed, article="88", heading="Nhiệm vụ và quyền hạn của Chủ tịch nước")
    assert (answer.sources[0].clause, answer.sources[0].point) == ("1", "b")
    assert _lead(answer).startswith("Đề nghị Ủy ban thường vụ Quốc hội xem xét lại pháp lệnh")


@pytest.mark.parametrize("typed", [True, False])
def test_an_example_illustrates_the_rule_it_does_not_answer(typed: bool) -> None:
    """A circular's "Ví dụ: …" line (every sentence of it) shares the question's words with
    the rule it illustrates: the rule leads."""
    text = (
        "3. Số chứng thực hợp đồng được ghi theo từng việc; không lấy số theo lượt người yêu cầu hoặc "
        "theo số bản hợp đồng.\n"
        "Ví dụ: ông Lê Văn H và bà Nguyễn Thị M yêu cầu chứng thực hợp đồng chuyển nhượng quyền sử dụng "
        "đất và chứng thực hợp đồng cho thuê cửa hàng. Trong trường hợp này phải lấy 01 (một) số chứng "
        "thực cho hợp đồng chuyển nhượng quyền sử dụng đất và 01 (một) số chứng thực cho hợp đồng thuê "
        "cửa hàng.\n"
        "4. Người thực hiện chứng thực ghi lời chứng vào hợp đồng."
    )
    question = "Chứng thực hợp đồng chuyển nhượng đất và hợp đồng thuê cửa hàng ghi số chứng thực thế nào?"
    answer = _ask(question, text, typed, article="4", heading="Số chứng thực")
    assert _lead(answer).startswith("Số chứng thực hợp đồng được ghi theo từng việc")
    assert answer.sources[0].clause == "3"


def test_a_short_sentence_is_kept_whole_and_an_answer_type_still_decides_the_cut() -> None:
    assert lead_text("Nam từ đủ 20 tuổi trở lên.", AnswerType.age, 290) == "Nam từ đủ 20 tuổi trở lên."
    long = "Người lao động " + "làm công việc theo hợp đồng, " * 12 + "được nghỉ 14 ngày làm việc."
    lead = lead_text(long, AnswerType.duration, 290)
    assert len(lead) <= 290 and "14 ngày làm việc" in lead


def test_the_question_frame_is_left_out() -> None:
    # The law a question cites, "quy định thế nào về", "làm gì": not words a clause is chosen by.
    assert question_words("Theo Điều 32, Bộ luật dân sự 2015, cá nhân có quyền gì?") == "cá nhân có quyền gì?"
    assert question_words("Bộ luật Dân sự 2015 quy định thế nào về nơi cư trú?") == "nơi cư trú?"
    text = (
        "1. Nơi cư trú của cá nhân là nơi người đó thường xuyên sinh sống.\n"
        "2. Trường hợp không xác định được nơi cư trú của cá nhân theo quy định tại khoản 1 Điều này thì "
        "nơi cư trú của cá nhân là nơi người đó đang sinh sống."
    )
    answer = _ask(
        "Bộ luật Dân sự 2015 quy định thế nào về nơi cư trú của cá nhân?", text, heading="Nơi cư trú"
    )
    assert answer.sources[0].clause == "1"


def test_a_list_question_gets_every_point_of_the_clause() -> None:
    text = (
        "1. Hội đồng chấm dứt hoạt động trong trường hợp sau đây:\n"
        "a) Hết nhiệm kỳ mà không được gia hạn;\n"
        "b) Theo quyết định giải thể của cơ quan đã thành lập.\n"
        "2. Trước khi chấm dứt hoạt động, hội đồng báo cáo kết quả hoạt động, bàn giao hồ sơ, tài liệu, con "
        "dấu và tài sản cho cơ quan đã thành lập; cơ quan đã thành lập công bố việc chấm dứt hoạt động "
        "của hội đồng trên cổng thông tin điện tử của mình trong thời hạn 05 ngày làm việc."
    )
    answer = _ask(
        "Hội đồng chấm dứt hoạt động trong những trường hợp nào?", text, heading="Chấm dứt hoạt động"
    )
    assert _lead(answer) == (
        "Hội đồng chấm dứt hoạt động trong trường hợp sau đây: Hết nhiệm kỳ mà không được gia hạn; "
        "Theo quyết định giải thể của cơ quan đã thành lập."
    )
    # a question about one point keeps that point
    answer = _ask("Hội đồng hết nhiệm kỳ mà không được gia hạn thì sao?", text, heading="Chấm dứt hoạt động")
    assert (answer.sources[0].clause, answer.sources[0].point) == ("1", "a")


def test_a_sentence_goes_on_with_the_rest_of_its_clause_while_it_fits() -> None:
    text = (
        "1. Cá nhân có quyền đối với giọng nói của mình.\n"
        "Việc ghi âm giọng nói của cá nhân phải được người đó đồng ý.\n"
        "2. Việc sử dụng bản ghi âm trái pháp luật thì người có giọng nói có quyền yêu cầu Tòa án buộc "
        "chấm dứt việc sử dụng."
    )
    answer = _ask(
        "Cá nhân có quyền đối với giọng nói của mình như thế nào?", text, heading="Quyền đối với giọng nói"
    )
    assert _lead(answer) == (
        "Cá nhân có quyền đối với giọng nói của mình. "
        "Việc ghi âm giọng nói của cá nhân phải được người đó đồng ý."
    )


def test_what_the_law_says_about_a_short_article_is_the_whole_article() -> None:
    text = (
        "1. Hội đồng phải có tên gọi bằng tiếng Việt.\n"
        "2. Tên gọi của hội đồng phải thể hiện rõ lĩnh vực hoạt động.\n"
        "3. Tên gọi của hội đồng được pháp luật bảo vệ."
    )
    answer = _ask("Luật quy định thế nào về tên gọi của hội đồng?", text, heading="Tên gọi của hội đồng")
    assert _lead(answer) == (
        "Hội đồng phải có tên gọi bằng tiếng Việt. Tên gọi của hội đồng phải thể hiện rõ lĩnh vực hoạt động. "
        "Tên gọi của hội đồng được pháp luật bảo vệ."
    )


def test_the_window_retrieval_ranked_best_breaks_a_tie() -> None:
    from knowledge.intent import detect_intent
    from knowledge.select import select

    first = "1. Bên thuê phải trả tiền thuê đúng hạn."
    second = "2. Bên thuê phải trả tiền thuê đúng hạn theo thỏa thuận."
    text = f"{first}\n{second}"
    question = "Bên thuê phải trả tiền thuê thế nào?"
    assert select(question, text, detect_intent(question)).unit.clause == "1"  # type: ignore[union-attr]
    chosen = select(question, text, detect_intent(question), hit=second)
    assert chosen is not None and chosen.unit.clause == "2"


def test_the_first_window_of_a_long_article_reads_the_whole_article(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from core.db import create_schema, make_engine
    from knowledge.service import KnowledgeBase

    engine = make_engine(f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    create_schema(engine)
    with Session(engine) as session:
        session.add(Document(id=1, source="x", content_hash="h", title="Bộ luật Thử nghiệm"))
        session.commit()
        # A long article's first window has its lead-in and first clauses: no clause number.
        head = Chunk(
            id="a",
            document_id=1,
            ordinal=0,
            text="Trong Bộ luật này:\n1. A là …",
            article="3",
            content_hash="1",
        )
        tail = Chunk(
            id="b",
            document_id=1,
            ordinal=1,
            text="7. Cưỡng ép là …",
            article="3",
            clause="7",
            content_hash="2",
        )
        session.add_all([head, tail])
        session.commit()
        assert KnowledgeBase._article_text(session, head) == "Trong Bộ luật này:\n1. A là …\n7. Cưỡng ép là …"


@pytest.mark.parametrize("typed", [True, False])
def test_a_ministry_named_is_the_body_asked_for(typed: bool) -> None:
    text = (
        "1. Thẩm quyền kiểm định phương tiện được quy định như sau:\n"
        "a) Cơ quan đăng kiểm thuộc Bộ Giao thông vận tải kiểm định phương tiện dân dụng, trừ trường hợp "
        "quy định tại điểm b khoản này;\n"
        "b) Cơ sở kỹ thuật thuộc Bộ Quốc phòng kiểm định phương tiện quân sự."
    )
    assert has_answer_type("Bộ Quốc phòng", AnswerType.body) and has_answer_type(
        "Sở Tư pháp", AnswerType.body
    )
    assert not has_answer_type("số tiền bỏ ra", AnswerType.body)
    answer = _ask("Đơn vị nào kiểm định phương tiện quân sự?", text, typed, heading="Kiểm định phương tiện")
    assert (answer.sources[0].clause, answer.sources[0].point) == ("1", "b")
    assert "Cơ sở kỹ thuật thuộc Bộ Quốc phòng kiểm định phương tiện quân sự" in _lead(answer)


# Bộ luật dân sự 2015, Điều 146 khoản 1: a lead-in naming every item, then a list too long for
# the lead.
PERIODS = (
    "1. Trường hợp các bên có thỏa thuận về thời hạn là một năm, nửa năm, một tháng, nửa tháng, một "
    "tuần, một ngày, một giờ, một phút mà khoảng thời gian diễn ra không liền nhau thì thời hạn đó "
    "được tính như sau:\n"
    "a) Một năm là ba trăm sáu mươi lăm ngày;\n"
    "b) Nửa năm là sáu tháng;\n"
    "c) Một tháng là ba mươi ngày;\n"
    "d) Nửa tháng là mười lăm ngày;\n"
    "đ) Một tuần là bảy ngày;\n"
    "e) Một ngày là hai mươi tư giờ;\n"
    "g) Một giờ là sáu mươi phút;\n"
    "h) Một phút là sáu mươi giây.\n"
    "2. Trường hợp các bên thỏa thuận về thời điểm đầu tháng, giữa tháng, cuối tháng thì thời điểm "
    "đó được quy định như sau: đầu tháng là ngày đầu tiên của tháng."
)


@pytest.mark.parametrize("typed", [True, False])
def test_a_list_too_long_for_the_lead_keeps_the_items_the_question_speaks_of(typed: bool) -> None:
    question = "Khi khoảng thời gian diễn ra không liền nhau, một giờ được tính là bao nhiêu phút?"
    answer = _ask(question, PERIODS, typed, article="146", heading="Cách tính thời hạn")
    lead = _lead(answer)
    assert lead.startswith("Trường hợp các bên có thỏa thuận về thời hạn")
    assert "… Một giờ là sáu mươi phút" in lead and len(lead) <= 290
    assert "Nửa năm là sáu tháng" not in lead  # an item the question does not speak of
    assert "Một giờ là sáu mươi phút" in answer.text[:300]


def test_a_list_that_fits_is_shown_whole() -> None:
    short = "1. Hồ sơ gồm:\na) Tờ khai;\nb) Giấy tờ chứng minh chỗ ở hợp pháp."
    answer = _ask("Hồ sơ gồm những gì?", short, heading="Hồ sơ")
    assert _lead(answer) == "Hồ sơ gồm: Tờ khai; Giấy tờ chứng minh chỗ ở hợp pháp."


ACCOMPLICES = (
    "1. Đồng phạm là trường hợp có hai người trở lên cố ý cùng thực hiện một tội phạm.\n"
    "2. Người thực hành là người trực tiếp thực hiện tội phạm.\n"
    "3. Người xúi giục là người kích động, dụ dỗ, thúc đẩy người khác thực hiện tội phạm.\n"
    "4. Người giúp sức là người tạo những điều kiện tinh thần hoặc vật chất cho việc thực hiện tội phạm."
)
NEVER = Model(weights=dict.fromkeys(FEATURES, 0.0), bias=-5.0, answer_at=0.5, related_at=0.3)


@pytest.mark.parametrize("typed", [True, False])
def test_the_line_defining_the_term_asked_answers_whatever_the_model_says(typed: bool) -> None:
    """ "Người xúi giục là ai?", "Định nghĩa của 'đồng phạm'": the article's line defining the
    term is the answer, no guess; a question asking something else of it is the model's."""
    passage = _passage(ACCOMPLICES, article="17", heading="Đồng phạm")
    for question, lead in (
        ("Người xúi giục là ai?", "Người xúi giục là người kích động"),
        ('Định nghĩa của "đồng phạm"?', "Đồng phạm là trường hợp"),
    ):
        asked = question if typed else strip_diacritics(question)
        answer = extractive_answer(asked, [passage], max_chars=2000, model=NEVER)
        assert answer.kind == "answer" and _lead(answer).startswith(lead)
    other = "Người xúi giục bị phạt bao nhiêu năm tù?"
    refused = extractive_answer(
        other if typed else strip_diacritics(other), [passage], max_chars=2000, model=NEVER
    )
    assert refused.kind != "answer"
