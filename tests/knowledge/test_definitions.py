"""Which term a question asks to have defined, and which lines define a term."""

from __future__ import annotations

import pytest

from knowledge.definitions import asked_term, defined_terms


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Cư trú là gì?", "cu tru"),
        ("cu tru la gi", "cu tru"),
        ('Định nghĩa của "Người sử dụng lao động"?', "nguoi su dung lao dong"),
        ("Khái niệm chỗ ở hợp pháp", "cho o hop phap"),
        ("Theo Bộ luật Dân sự 2015, hoa lợi được hiểu như thế nào?", "hoa loi"),
        ("Bộ luật Dân sự quy định pháp nhân thương mại là gì?", "phap nhan thuong mai"),
        ("Thủ tục đăng ký thường trú", ""),  # not a definition question
        ("Khi nào phải khai báo tạm vắng?", ""),
    ],
)
def test_asked_term(question: str, term: str) -> None:
    assert asked_term(question) == term


def test_defined_terms_are_read_from_numbered_lines() -> None:
    text = (
        "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:\n"
        "1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống.\n"
        "a) Hoa lợi là sản vật tự nhiên mà tài sản mang lại.\n"
        "2. Cơ quan đăng ký cư trú có trách nhiệm cập nhật thông tin."  # not a definition
    )
    assert defined_terms(text) == {"cho o hop phap", "hoa loi"}
