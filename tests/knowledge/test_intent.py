"""What a question asks for, with and without diacritics, and whether a text holds it."""

from __future__ import annotations

import pytest

from knowledge.intent import AnswerType, Intent, detect_intent, has_answer_type, heading_intent
from knowledge.retrieve import strip_diacritics

QUESTIONS = [
    ("Hồ sơ đăng ký thường trú gồm những gì?", Intent.dossier, AnswerType.listing),
    ("Làm giấy khai sinh cần mang giấy tờ gì?", Intent.dossier, AnswerType.listing),
    ("Thủ tục đăng ký tạm trú", Intent.procedure, AnswerType.listing),
    ("Thời hạn giải quyết đăng ký tạm trú là bao lâu?", Intent.duration, AnswerType.duration),
    ("Đăng ký kết hôn mất mấy ngày?", Intent.duration, AnswerType.duration),
    ("Nam phải đủ bao nhiêu tuổi mới được kết hôn?", Intent.age, AnswerType.age),
    ("Lệ phí cấp giấy chứng nhận quyền sử dụng đất là bao nhiêu?", Intent.fee, AnswerType.money),
    ("Nộp hồ sơ đăng ký khai sinh ở đâu?", Intent.body, AnswerType.body),
    ("Cơ quan nào có thẩm quyền đăng ký thường trú?", Intent.body, AnswerType.body),
    ("Đăng ký khai tử ở xã nào?", Intent.body, AnswerType.body),
    ("Điều kiện kết hôn là gì?", Intent.condition, AnswerType.condition),
    ("Đối tượng được hưởng trợ cấp xã hội", Intent.subject, AnswerType.none),
    ("Không đăng ký tạm trú bị phạt bao nhiêu?", Intent.penalty, AnswerType.penalty),
    ("Tội trộm cắp tài sản bị xử lý như thế nào?", Intent.penalty, AnswerType.penalty),
    ("Xây nhà trái phép thì xử lý thế nào?", Intent.penalty, AnswerType.penalty),
    # "xử lý thế nào" without a wrong named asks how a case is handled, not for a sanction
    ("Đương sự vắng mặt tại phiên tòa thì xử lý ra sao?", Intent.general, AnswerType.none),
    ("Cư trú là gì?", Intent.definition, AnswerType.none),
    ("Có được cho thuê ô tô đang bị thế chấp không?", Intent.permission, AnswerType.none),
    # a yes/no question without "không", as citizens type it; not when "có …" asks another thing
    ("Con làm bạn gãy tay thì phụ huynh có phải bồi thường?", Intent.permission, AnswerType.none),
    ("Luật sư vắng mặt, có phải hoãn phiên tòa?", Intent.permission, AnswerType.none),
    ("Ai có được nhận di sản?", Intent.general, AnswerType.none),
    ("Người giám hộ có phải là người thân, đúng hay sai?", Intent.general, AnswerType.none),
    ("Quyền của người lao động", Intent.general, AnswerType.none),
]


@pytest.mark.parametrize(("question", "intent", "wants"), QUESTIONS)
def test_intent_as_typed_and_without_diacritics(question: str, intent: Intent, wants: AnswerType) -> None:
    for text in (question, strip_diacritics(question)):
        found = detect_intent(text)
        assert (found.intent, found.wants) == (intent, wants), text


def test_procedure_intents_name_the_part_of_a_record() -> None:
    assert detect_intent("dang ky nghia vu quan su can giay to gi").procedure_part == "Thành phần hồ sơ"
    assert detect_intent("Đăng ký nghĩa vụ quân sự mất bao lâu?").procedure_part == "Thời hạn giải quyết"
    assert detect_intent("le phi dang ky nghia vu quan su").procedure_part == "Phí, lệ phí"
    assert detect_intent("Nộp hồ sơ đăng ký ở đâu?").procedure_part == "Cơ quan thực hiện"
    assert detect_intent("Cư trú là gì?").procedure_part == ""


@pytest.mark.parametrize(
    ("text", "wanted", "present"),
    [
        ("Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên;", AnswerType.age, True),
        ("Chưa đủ tuổi kết hôn theo quy định tại điểm a khoản 1 Điều 8", AnswerType.age, False),
        ("Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ", AnswerType.duration, True),
        ("Thời hạn tạm trú tối đa là 02 năm", AnswerType.duration, True),
        ("Phạt tiền từ 500.000 đồng đến 1.000.000 đồng", AnswerType.money, True),
        ("Công dân có quyền tự do cư trú", AnswerType.money, False),
        ("thì bị phạt tù từ 12 năm đến 20 năm, tù chung thân hoặc tử hình", AnswerType.penalty, True),
        ("Hồ sơ gồm:\na) Tờ khai;\nb) Giấy tờ chứng minh chỗ ở hợp pháp.", AnswerType.listing, True),
        ("Ủy ban nhân dân cấp xã nơi cư trú thực hiện đăng ký khai sinh", AnswerType.body, True),
        ("Bất kỳ câu nào", AnswerType.none, True),
    ],
)
def test_answer_types_in_text(text: str, wanted: AnswerType, present: bool) -> None:
    assert has_answer_type(text, wanted) is present
    assert has_answer_type(strip_diacritics(text), wanted) is present


def test_the_national_records_combined_parts_are_asked_for_too() -> None:
    # knowledge/importers/procedures.py keeps the time limit with the fee, the body with the subjects.
    assert detect_intent("dang ky khai sinh mat bao lau").procedure_parts == (
        "Thời hạn giải quyết",
        "Cách thức, thời hạn, phí, lệ phí",
    )
    assert detect_intent("Nộp hồ sơ đăng ký khai tử ở đâu?").procedure_parts[-1] == (
        "Cơ quan thực hiện, đối tượng, kết quả"
    )
    assert detect_intent("Cần giấy tờ gì để đăng ký kết hôn?").procedure_parts == ("Thành phần hồ sơ",)


@pytest.mark.parametrize(
    ("heading", "intent", "about"),
    [
        ("Thẩm quyền đăng ký khai tử", Intent.body, "đăng ký khai tử"),
        ("Thời hạn đại diện", Intent.duration, "đại diện"),
        ("Hồ sơ đăng ký kết hôn", Intent.dossier, "đăng ký kết hôn"),
        ("Điều kiện kết hôn", Intent.condition, "kết hôn"),
        ("Đăng ký khai tử", Intent.general, ""),
        ("Thủ tục", Intent.general, ""),  # nothing named after the cue
    ],
)
def test_what_a_heading_says_it_answers(heading: str, intent: Intent, about: str) -> None:
    assert heading_intent(heading) == (intent, about)
