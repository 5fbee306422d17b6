"""A question naming an article by number ("Điều 27 Luật Cư trú quy định gì?", "khoản 2 Điều
27 Luật Cư trú"): that article is ranked first and cited, the clause named first; "Điều 27"
without a document named, or an article the guidance lacks, is not resolved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support_kb import build_kb

from knowledge.named import (
    ArticleCatalogue,
    NamedArticle,
    document_keys,
    document_year,
    named_articles,
    without_reference,
)
from knowledge.retrieve import strip_diacritics
from knowledge.service import KnowledgeBase


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Điều 27 Luật Cư trú quy định gì?", [NamedArticle("27")]),
        ("khoản 2 Điều 8 Luật Hôn nhân và gia đình", [NamedArticle("8", "2")]),
        ("điểm a khoản 1 Điều 8 Luật Hôn nhân và gia đình", [NamedArticle("8", "1", "a")]),
        ("Theo Điều 33 Nghị định 123/2015/NĐ-CP và Điều 5", [NamedArticle("33"), NamedArticle("5")]),
        ("Điều kiện kết hôn là gì?", []),  # "điều kiện" names no article
    ],
)
def test_references_are_read_with_and_without_marks(question: str, expected: list[NamedArticle]) -> None:
    assert named_articles(question) == expected
    assert named_articles(strip_diacritics(question)) == expected


def test_a_document_is_named_by_its_title_or_its_number() -> None:
    keys = document_keys("Luật Cư trú (sửa đổi)", "68/2020/QH14")
    assert keys == {"luat cu tru", "68/2020/qh14", "68/2020"}
    assert document_keys("Luật", "") == frozenset()  # one word would name every law
    decree = document_keys("Nghị định quy định chi tiết Luật Hộ tịch", "123/2015/NĐ-CP", "Nghị định")
    assert {"nghi dinh 123", "nghi dinh so 123", "123/2015"} <= decree
    assert (document_year("68/2020/QH14"), document_year("01/VBHN-VPQH"), document_year("")) == (
        "2020",
        "",
        "",
    )


def _catalogue() -> ArticleCatalogue:
    catalogue = ArticleCatalogue()
    catalogue.add("residence-27", "27", document_keys("Luật Cư trú", "68/2020/QH14"), "2020", "Luật Cư trú")
    catalogue.add("civil-27", "27", document_keys("Bộ luật dân sự", "91/2015/QH13"))
    catalogue.add(
        "decree-27",
        "27",
        document_keys("Nghị định quy định chi tiết Luật Hộ tịch", "123/2015/NĐ-CP", "Nghị định"),
        "2015",
    )
    catalogue.add("short-27", "27", document_keys("Luật dân sự", ""))
    return catalogue


@pytest.mark.parametrize(
    ("question", "chunks"),
    [
        ("Điều 27 Luật Cư trú quy định gì?", {"residence-27"}),
        ("dieu 27 luat cu tru quy dinh gi", {"residence-27"}),
        ("Điều 27 luật số 68/2020/QH14", {"residence-27"}),
        ("Điều 27 Luật Cư trú năm 2020", {"residence-27"}),
        ("Theo Điều 27 Nghị định 123/2015/NĐ-CP", {"decree-27"}),
        ("Theo Điều 27 nghị định 123/2015", {"decree-27"}),
        # as officials say it: the type and the first number, abbreviated or not
        ("Điều 27 Nghị định 123 quy định gì?", {"decree-27"}),
        ("dieu 27 nghi dinh so 123", {"decree-27"}),
        ("Điều 27 NĐ 123", {"decree-27"}),
        ("Điều 27 Nghị định 123 năm 2015", {"decree-27"}),
        # "luật dân sự" is inside "bộ luật dân sự": the longer name is the one meant
        ("Theo Điều 27 Bộ luật dân sự 2015, …", {"civil-27"}),
    ],
)
def test_the_named_document_decides_which_article(question: str, chunks: set[str]) -> None:
    ref, found = _catalogue().find(question)
    assert ref == NamedArticle("27") and found == chunks


@pytest.mark.parametrize(
    "question",
    [
        "Điều 27 quy định gì?",
        "Điều 28 Luật Cư trú",
        "Luật Cư trú",
        "Điều 27 Luật Cư trú 2006",  # another law of that name: its Điều 27 is another rule
        "dieu 27 luat cu tru nam 2006",
        "Điều 27 Nghị định 123/2020",  # another decree numbered 123
        "Điều 27 Nghị định 123 năm 2020",
        "Điều 27 Nghị định 12",  # a number is whole: 12 is not 123
    ],
)
def test_no_document_named_or_no_such_article_resolves_nothing(question: str) -> None:
    assert _catalogue().find(question) == (None, frozenset())


def test_without_the_reference_the_question_keeps_what_it_asks() -> None:
    keys = document_keys("Luật Cư trú", "68/2020/QH14")
    assert without_reference("Điều 27 Luật Cư trú quy định gì?", keys) == "quy dinh gi"
    rest = without_reference("Theo khoản 1 Điều 27 Luật Cư trú, tạm trú bao lâu?", keys)
    assert rest == "theo tam tru bao lau"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = build_kb(tmp_path_factory.mktemp("named") / "data")
    yield base
    base.close()


@pytest.mark.parametrize("typed", [True, False])
def test_an_article_named_alone_is_answered_with_its_text(kb: KnowledgeBase, typed: bool) -> None:
    question = "Điều 27 Luật Cư trú quy định gì?"
    retrieval = kb.search(question if typed else strip_diacritics(question))
    assert retrieval.named == NamedArticle("27")
    assert retrieval.hits[0].named and retrieval.hits[0].record_id == "Luật Cư trú::27"
    answer = kb.ask(question if typed else strip_diacritics(question))
    assert answer.kind == "answer" and answer.sources[0].article == "27"
    assert answer.text.startswith("Công dân đến sinh sống tại chỗ ở hợp pháp")  # its first clause
    assert "(Điều 27 khoản 1 Luật Cư trú số 68/2020/QH14)" in answer.text
    # then the article itself, every clause of it
    assert "Trích Điều 27 Luật Cư trú số 68/2020/QH14 (Điều kiện đăng ký tạm trú):" in answer.text
    assert "3. Công dân không được đăng ký tạm trú mới" in answer.text


@pytest.mark.parametrize("question", ["Điều 27 Luật số 68 quy định gì?", "dieu 27 luat 68 nam 2020"])
def test_a_document_named_by_its_type_and_first_number_resolves(kb: KnowledgeBase, question: str) -> None:
    retrieval = kb.search(question)
    assert retrieval.named == NamedArticle("27") and retrieval.hits[0].record_id == "Luật Cư trú::27"
    assert kb.search("Điều 27 Luật 68 năm 2006").named is None  # the year is not the number's


@pytest.mark.parametrize("typed", [True, False])
def test_a_clause_named_alone_leads_the_reply(kb: KnowledgeBase, typed: bool) -> None:
    question = "khoản 2 Điều 27 Luật Cư trú"
    answer = kb.ask(question if typed else strip_diacritics(question))
    assert answer.kind == "answer" and (answer.sources[0].article, answer.sources[0].clause) == ("27", "2")
    assert answer.text.startswith("Thời hạn tạm trú tối đa là 02 năm")


def test_a_question_on_a_named_article_is_answered_from_it(kb: KnowledgeBase) -> None:
    answer = kb.ask("Theo Điều 8 Luật Hôn nhân và gia đình, nam phải bao nhiêu tuổi mới được kết hôn?")
    assert answer.kind == "answer"
    assert (answer.sources[0].article, answer.sources[0].clause, answer.sources[0].point) == ("8", "1", "a")
    assert "Nam từ đủ 20 tuổi trở lên" in answer.text[:300]


@pytest.mark.parametrize("typed", [True, False])
def test_an_article_the_guidance_lacks_is_said_to_be_absent(kb: KnowledgeBase, typed: bool) -> None:
    """The law is in the guidance, its Điều 99 is not: said so, no other article cited instead."""
    question = "Điều 99 Luật Cư trú quy định gì?"
    retrieval = kb.search(question if typed else strip_diacritics(question))
    assert retrieval.named is None and not any(h.named for h in retrieval.hits)
    assert retrieval.absent == (NamedArticle("99"), "Luật Cư trú số 68/2020/QH14")
    answer = kb.ask(question if typed else strip_diacritics(question))
    assert answer.kind == "not_found" and not answer.grounded and answer.sources == []
    assert answer.text.startswith(
        "Trong các văn bản đã được nạp, Luật Cư trú số 68/2020/QH14 không có Điều 99."
    )
    clause = kb.ask("khoản 4 Điều 99 Luật Cư trú")
    assert "Luật Cư trú số 68/2020/QH14 không có khoản 4 Điều 99." in clause.text


@pytest.mark.parametrize("question", ["Điều 99 Luật Đất đai quy định gì?", "Điều 99 quy định gì?"])
def test_an_article_of_a_document_not_in_the_guidance_goes_the_usual_way(
    kb: KnowledgeBase, question: str
) -> None:
    retrieval = kb.search(question)
    assert retrieval.named is None and retrieval.absent is None


def test_the_catalogue_says_which_named_document_lacks_the_article() -> None:
    catalogue = _catalogue()
    assert catalogue.resolve("Điều 27 Luật Cư trú").article == NamedArticle("27")
    absent = catalogue.resolve("Theo Điều 5 Nghị định 123/2015/NĐ-CP")
    assert absent.article is None and absent.absent is not None and absent.absent[0] == NamedArticle("5")
    assert catalogue.resolve("Điều 5 Luật Đất đai").absent is None
