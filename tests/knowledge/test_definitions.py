"""Which term a question asks to have defined, and which lines define a term."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_kb import build_kb

from knowledge.definitions import asked_term, asked_terms, defined_terms
from knowledge.retrieve import strip_diacritics


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


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("Cư trú là gì?", [("cu tru",)]),
        (
            "Đạo đức nghề nghiệp của viên chức là gì?",
            [("dao duc nghe nghiep cua vien chuc", "dao duc nghe nghiep")],
        ),
        ("Làm sao để phân biệt nơi thường trú và nơi tạm trú?", [("noi thuong tru",), ("noi tam tru",)]),
        ("phan biet ly hon va ly than", [("ly hon",), ("ly than",)]),
        (
            "Sự khác nhau giữa di chúc miệng và di chúc bằng văn bản",
            [("di chuc mieng",), ("di chuc bang van ban",)],
        ),
        ("Tạm trú và thường trú có gì khác?", [("tam tru",), ("thuong tru",)]),
        ("Quyền sở hữu tài sản là gì?", [("quyen so huu tai san",)]),  # "tai" is "tài" here
        ("Ai phải đăng ký tạm trú và thường trú?", []),  # not a comparison
    ],
)
def test_asked_terms_of_definitions_and_comparisons(question: str, terms: list[tuple[str, ...]]) -> None:
    assert asked_terms(question) == terms


_ARTICLES = [
    (
        "2",
        "Giải thích từ ngữ",
        "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:\n"
        "1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống, thuộc quyền sở hữu hoặc quyền sử dụng "
        "của công dân.\n"
        "2. Cư trú là việc công dân sinh sống tại một địa điểm thuộc đơn vị hành chính cấp xã.\n"
        "3. Nơi thường trú là nơi công dân sinh sống ổn định, lâu dài và đã được đăng ký thường trú.\n"
        "4. Nơi tạm trú là nơi công dân sinh sống trong một khoảng thời gian nhất định ngoài nơi "
        "thường trú và đã được đăng ký tạm trú.",
    ),
    (
        "19",
        "Nơi cư trú của người không có nơi thường trú, nơi tạm trú",
        "1. Nơi cư trú của người không có cả nơi thường trú và nơi tạm trú do không đủ điều kiện "
        "đăng ký thường trú, đăng ký tạm trú là nơi ở hiện tại của người đó; trường hợp không có "
        "địa điểm chỗ ở cụ thể thì nơi ở hiện tại được xác định là đơn vị hành chính cấp xã nơi "
        "người đó đang thực tế sinh sống. Người không có nơi thường trú, nơi tạm trú phải khai báo "
        "thông tin về cư trú với cơ quan đăng ký cư trú tại nơi ở hiện tại.",
    ),
    (
        "20",
        "Điều kiện đăng ký thường trú",
        "1. Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại "
        "chỗ ở hợp pháp đó. Nơi thường trú, nơi tạm trú của công dân được cập nhật vào Cơ sở dữ "
        "liệu về cư trú.",
    ),
]
DEFINITIONS = [
    {"id": f"Luật Cư trú::{n}", "title": f"Luật Cư trú - Điều {n}. {heading}", "text": text}
    for n, heading, text in _ARTICLES
]


@pytest.mark.parametrize("typed", [True, False])
def test_a_comparison_finds_the_article_defining_both_terms(tmp_path: Path, typed: bool) -> None:
    corpus = tmp_path / "cu-tru.jsonl"
    corpus.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in DEFINITIONS) + "\n", encoding="utf-8"
    )
    kb = build_kb(tmp_path / "data", guidance=[corpus])
    try:
        question = "Làm sao để phân biệt nơi thường trú và nơi tạm trú?"
        retrieval = kb.search(question if typed else strip_diacritics(question), k=3)
        assert retrieval.hits and retrieval.hits[0].record_id == "Luật Cư trú::2"
    finally:
        kb.close()
