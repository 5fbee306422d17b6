"""The chunker on real legal text (Luật Cư trú 68/2020/QH14) and a real procedure record."""

from __future__ import annotations

from pathlib import Path

from knowledge.chunking import MAX_CHARS, embedding_text, split_clauses, split_document
from knowledge.loaders import load_path
from knowledge.types import ArticleDraft, DocumentMeta, LoadedDocument

FIXTURES = Path(__file__).parent / "fixtures"


def _law_text() -> LoadedDocument:
    text = (FIXTURES / "luat-cu-tru-chuong-iii.txt").read_text(encoding="utf-8")
    return LoadedDocument(source="luat.txt", text=text, meta=DocumentMeta(title="Luật Cư trú"))


def test_articles_of_a_law_file_carry_breadcrumb_and_numbers() -> None:
    chunks = split_document(_law_text())
    assert {c.article for c in chunks} == {"20", "21", "22"}  # the header preamble is dropped
    assert all("Chương III" in c.breadcrumb for c in chunks)
    art22 = [c for c in chunks if c.article == "22"]
    assert len(art22) == 1 and art22[0].article_title == "Thủ tục đăng ký thường trú"
    assert art22[0].breadcrumb.endswith("› Điều 22")


def test_long_articles_become_windows_of_whole_clauses() -> None:
    art21 = [c for c in split_document(_law_text()) if c.article == "21"]
    assert len(art21) > 1
    assert art21[0].clause.startswith("1") and art21[0].text.startswith("1.")
    for chunk in art21:
        assert len(chunk.text) <= MAX_CHARS
        first = chunk.clause.split("-")[0]
        assert chunk.text.startswith(f"{first}.")  # a window never starts mid-clause
        assert f"Khoản {chunk.clause}" in chunk.breadcrumb
    # Every clause 1..10 of the article is in exactly one window.
    numbers = [n for c in art21 for n, _ in split_clauses(c.text) if n]
    assert numbers == [str(i) for i in range(1, 11)]


def test_corpus_records_are_one_article_each() -> None:
    [law] = load_path(FIXTURES / "luat-cu-tru-trich.jsonl")  # one law, one article per line
    by_record: dict[str, list] = {}
    for chunk in split_document(law):
        by_record.setdefault(chunk.record_id, []).append(chunk)
    assert set(by_record) == {a.record_id for a in law.articles}
    art27 = by_record["Luật Cư trú::27"]
    assert len(art27) == 1
    assert art27[0].article == "27" and art27[0].article_title == "Điều kiện đăng ký tạm trú"
    assert embedding_text(art27[0]).startswith("Điều kiện đăng ký tạm trú\n\n1.")
    # Điều 31 has a clause longer than a window: it is cut between its points.
    points = [c.point for c in by_record["Luật Cư trú::31"] if c.point]
    assert points and points[0].startswith("a")


def test_embedded_text_stays_within_the_e5_window() -> None:
    docs = [*load_path(FIXTURES / "luat-cu-tru-trich.jsonl"), _law_text()]
    for doc in docs:
        for chunk in split_document(doc):
            # ≈ 0.26 e5 tokens per character of Vietnamese: 2,000 characters ≈ 512 tokens.
            assert len(embedding_text(chunk)) <= 2000


def test_procedure_records_split_into_their_parts() -> None:
    (doc,) = load_path(FIXTURES / "thu-tuc-nghia-vu-quan-su.jsonl")
    chunks = split_document(doc)
    parts = [c.part for c in chunks]
    assert "Thành phần hồ sơ" in parts and "Trình tự thực hiện" in parts
    assert all(c.article_title == doc.meta.title for c in chunks)
    assert all(c.breadcrumb.startswith("Thủ tục đăng ký nghĩa vụ quân sự lần đầu › ") for c in chunks)


def _compiled_document() -> LoadedDocument:
    """A Pháp điển-like document whose loader already found the articles and their origin."""
    law = _law_text()
    parsed = split_document(law)
    art21_body = "\n".join(c.text for c in parsed if c.article == "21")
    articles = [
        ArticleDraft(
            number="15.3.NĐ.1.9",
            title="Giấy tờ nộp và xuất trình khi đăng ký khai sinh",
            text="1. Người đi đăng ký khai sinh nộp Tờ khai theo mẫu quy định.\n2. Giấy chứng sinh.",
            record_id="phapdien::15.3.NĐ.1.9",
            breadcrumb="Chương II ĐĂNG KÝ KHAI SINH",
            origin_number="123/2015/NĐ-CP",
            origin_type="Nghị định",
            origin_article="9",
        ),
        ArticleDraft(number="21", title="Nơi cư trú", text=art21_body, breadcrumb="Chương III › Mục 1"),
    ]
    return LoadedDocument(
        source="demuc.html", text="", meta=DocumentMeta(title="Đề mục 15.3 Hộ tịch"), articles=articles
    )


def test_articles_found_by_a_loader_are_chunked_with_their_origin() -> None:
    chunks = split_document(_compiled_document())
    first = [c for c in chunks if c.article == "15.3.NĐ.1.9"]
    assert len(first) == 1
    (chunk,) = first
    assert chunk.breadcrumb == "Đề mục 15.3 Hộ tịch › Chương II ĐĂNG KÝ KHAI SINH › Điều 15.3.NĐ.1.9"
    assert (chunk.origin_number, chunk.origin_type, chunk.origin_article) == (
        "123/2015/NĐ-CP",
        "Nghị định",
        "9",
    )
    assert chunk.record_id == "phapdien::15.3.NĐ.1.9"
    assert chunk.article_title == "Giấy tờ nộp và xuất trình khi đăng ký khai sinh"
    # A long article is cut into windows of whole clauses, as any law's.
    art21 = [c for c in chunks if c.article == "21"]
    assert len(art21) > 1 and all(
        c.breadcrumb.startswith("Đề mục 15.3 Hộ tịch › Chương III › Mục 1 › Điều 21") for c in art21
    )
    assert all(c.origin_number == "" and c.record_id == "" for c in art21)


def test_an_article_embeds_the_same_whether_parsed_or_given() -> None:
    """Loaders that know the structure must not change what the embedding cache holds."""
    parsed = [c for c in split_document(_law_text()) if c.article == "22"]
    body = "\n".join(c.text for c in parsed)
    given = LoadedDocument(
        source="x",
        text="",
        meta=DocumentMeta(title="Luật Cư trú"),
        articles=[ArticleDraft(number="22", title=parsed[0].article_title, text=body)],
    )
    assert [embedding_text(c) for c in split_document(given)] == [embedding_text(c) for c in parsed]


def test_an_article_without_a_body_keeps_its_heading() -> None:
    doc = LoadedDocument(
        source="x",
        text="",
        meta=DocumentMeta(title="Luật"),
        articles=[ArticleDraft(number="5", title="(được bãi bỏ)", text="")],
    )
    (chunk,) = split_document(doc)
    assert chunk.text == "(được bãi bỏ)" and chunk.article == "5"
