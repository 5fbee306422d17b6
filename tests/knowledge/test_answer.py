"""Answers: extractive with citation, refusal out of scope, the optional LLM path and the
OpenAI-compatible embeddings, both against fake servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sqlmodel import Session, select
from support_kb import build_kb, chat_completion, fake_openai

from core.models import Document, DocumentStatus
from knowledge import texts
from knowledge.answer import NOT_FOUND, topic_coverage
from knowledge.answering import load_model
from knowledge.embeddings import OpenAICompatibleEmbeddings
from knowledge.ingest import set_document_status
from knowledge.retrieve import strip_diacritics
from knowledge.service import KnowledgeBase

OUT_OF_SCOPE = [
    "Thời tiết Hà Nội ngày mai có mưa không?",
    "Đội tuyển Việt Nam đá với Thái Lan lúc mấy giờ?",
    "Cách nấu phở bò ngon tại nhà",
    "Chào bạn, hôm nay bạn thế nào?",
    "Giá vàng hôm nay bao nhiêu một chỉ?",
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    base = build_kb(tmp_path_factory.mktemp("answer") / "data")
    yield base
    base.close()


def test_extractive_answer_quotes_the_clause_with_its_citation(kb: KnowledgeBase) -> None:
    answer = kb.ask("Nam nữ kết hôn phải đủ bao nhiêu tuổi?")
    assert answer.grounded and answer.kind == "answer"
    assert answer.confidence >= load_model().answer_at
    # The answer first (the point that states the ages), then its exact citation.
    assert "Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên" in answer.text[:300]
    assert answer.text.startswith(answer.lead)
    assert "(Điều 8 khoản 1 điểm a Luật Hôn nhân và gia đình số 52/2014/QH13)" in answer.text
    assert len(answer.text) <= 2000
    payload = answer.to_json()
    assert payload["grounded"] is True and payload["kind"] == "answer"
    assert payload["sources"][0] == {
        "document": "Luật Hôn nhân và gia đình",
        "number": "52/2014/QH13",
        "article": "8",
        "clause": "1",
        "point": "a",
        "part": "",
        "status": "in_force",
        "status_label": "còn hiệu lực",
        "citation": "Điều 8 khoản 1 điểm a Luật Hôn nhân và gia đình số 52/2014/QH13",
        "score": round(answer.sources[0].score, 4),
    }


def test_procedure_answer_cites_the_procedure_part(kb: KnowledgeBase) -> None:
    answer = kb.ask("Đăng ký nghĩa vụ quân sự lần đầu cần nộp những giấy tờ gì?")
    assert answer.grounded
    assert "Thủ tục đăng ký nghĩa vụ quân sự lần đầu (mã 1.013133)" in answer.text


@pytest.mark.parametrize("question", OUT_OF_SCOPE + [strip_diacritics(q) for q in OUT_OF_SCOPE])
def test_out_of_scope_questions_are_refused(kb: KnowledgeBase, question: str) -> None:
    answer = kb.ask(question)
    assert not answer.grounded
    assert answer.text == NOT_FOUND and answer.text.startswith("Chưa tìm thấy hướng dẫn")
    assert answer.sources == []


# Real administrative topics the fixture guidance (residence, marriage, military service
# registration) does not cover, although their words ("đăng ký", "giấy tờ", "hồ sơ") are there.
ABSENT_TOPICS = [
    "Cấp hộ chiếu phổ thông lần đầu cần hồ sơ gì?",
    "Đăng ký xe máy mới mua cần những giấy tờ gì?",
    "Hưởng trợ cấp thất nghiệp cần điều kiện gì?",
]


@pytest.mark.parametrize("question", ABSENT_TOPICS + [strip_diacritics(q) for q in ABSENT_TOPICS])
def test_administrative_topics_absent_from_the_guidance_are_refused(kb: KnowledgeBase, question: str) -> None:
    """Refused outright, or at most articles listed as «có thể liên quan», never an answer."""
    answer = kb.ask(question)
    assert not answer.grounded and answer.kind != "answer", (answer.confidence, answer.text[:120])
    if answer.kind == "not_found":
        assert answer.text == NOT_FOUND and answer.sources == []
    else:
        assert answer.kind == "related" and answer.text.startswith(texts.RELATED)
        assert 1 <= len(answer.sources) <= 3


def test_topic_coverage_weights_rare_word_pairs() -> None:
    """Common pairs ("đăng ký", "giấy tờ") must not vouch for a topic the text lacks."""
    text = "Hồ sơ đăng ký tạm trú gồm tờ khai và giấy tờ, tài liệu chứng minh chỗ ở hợp pháp."
    common = {"~dang_ky": 0.1, "~giay_to": 0.5, "~ho_so": 0.3, "~so_dang": 0.5}

    def idf(term: str) -> float:
        return common.get(term, 4.0)

    absent = "Hồ sơ đăng ký khai sinh gồm những gì?"
    present = "Hồ sơ đăng ký tạm trú gồm những gì?"
    assert topic_coverage(absent, text, idf) < 0.2 < 0.4 < topic_coverage(absent, text)
    assert topic_coverage(present, text, idf) == topic_coverage(present, text) == 1.0


def test_in_scope_questions_without_marks_are_answered(kb: KnowledgeBase) -> None:
    answer = kb.ask("ho so dang ky tam tru gom nhung gi")
    assert answer.grounded and answer.sources[0].article == "28"


def test_amended_documents_are_flagged(tmp_path: Any) -> None:
    base = build_kb(tmp_path / "data")
    try:
        with Session(base.engine) as session:
            # The law is one document (its articles are its chunks): its status is the law's.
            doc = session.exec(select(Document).where(Document.source.endswith("#Luật Cư trú"))).one()  # type: ignore[attr-defined]
        assert doc.id is not None
        set_document_status(
            engine=base.engine, document_id=doc.id, status=DocumentStatus.amended, index=base.index
        )
        answer = base.ask("Điều kiện đăng ký tạm trú là gì?")
        assert answer.grounded and answer.sources[0].article == "27"
        assert "đã được sửa đổi, bổ sung" in answer.text
    finally:
        base.close()


def test_llm_composes_from_passages_and_keeps_citations(tmp_path: Any) -> None:
    def handler(path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        assert path.endswith("/chat/completions")
        return 200, chat_completion("Nam phải từ đủ 20 tuổi, nữ từ đủ 18 tuổi.")

    with fake_openai(handler) as (url, requests):
        base = build_kb(tmp_path / "data", llm_base_url=url, llm_model="fake-model", llm_api_key="k-123")
        try:
            answer = base.ask("Nam nữ kết hôn phải đủ bao nhiêu tuổi?")
        finally:
            base.close()
    assert answer.grounded
    assert answer.text.startswith("Nam phải từ đủ 20 tuổi, nữ từ đủ 18 tuổi.")
    assert "Căn cứ: Điều 8" in answer.text and "52/2014/QH13" in answer.text
    prompt = requests[0]["body"]["messages"][-1]["content"]
    assert "Điều kiện kết hôn" in prompt and "Nam nữ kết hôn phải đủ bao nhiêu tuổi?" in prompt
    assert requests[0]["body"]["model"] == "fake-model" and requests[0]["auth"] == "Bearer k-123"


def test_llm_failure_falls_back_to_the_extractive_answer(tmp_path: Any) -> None:
    with fake_openai(lambda path, body: (500, {"error": {"message": "boom"}})) as (url, _):
        base = build_kb(tmp_path / "data", llm_base_url=url, llm_model="fake-model")
        try:
            answer = base.ask("Nam nữ kết hôn phải đủ bao nhiêu tuổi?")
        finally:
            base.close()
    assert answer.grounded and "(Điều 8 khoản 1 điểm a Luật Hôn nhân" in answer.text


def test_llm_is_not_called_when_nothing_is_found(tmp_path: Any) -> None:
    with fake_openai(lambda path, body: (200, chat_completion("bịa"))) as (url, requests):
        base = build_kb(tmp_path / "data", llm_base_url=url)
        try:
            answer = base.ask("Cách nấu phở bò ngon tại nhà")
        finally:
            base.close()
    assert not answer.grounded and requests == []


def test_openai_compatible_embeddings() -> None:
    def handler(path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        assert path.endswith("/embeddings")
        data = [{"index": i, "embedding": [float(len(t)), 1.0, 0.0]} for i, t in enumerate(body["input"])]
        return 200, {"data": list(reversed(data)), "model": body["model"]}

    with fake_openai(handler) as (url, requests):
        emb = OpenAICompatibleEmbeddings(url, "multilingual-e5-small")
        docs = emb.embed_array(["ab", "abcd"])
        query = emb.query_array("x")
        emb.close()
    assert docs.shape == (2, 3) and np.allclose(np.linalg.norm(docs, axis=1), 1.0)
    assert docs[1][0] > docs[0][0]  # order follows "index", not the response order
    assert requests[1]["body"]["input"] == ["query: x"] and query.shape == (3,)
