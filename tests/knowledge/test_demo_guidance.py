"""The shipped demo guidance answers a commune's first questions (issue 10): a khai sinh
dossier question is answered with the national procedure's dossier list, typed with or without
diacritics. Real retrieval over real demo files, vectors from knowledge/demo/vectors.npz."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.db import create_schema, make_engine
from core.settings import Settings
from knowledge.embeddings import make_embeddings
from knowledge.intent import AnswerType, has_answer_type
from knowledge.service import DEMO_DIR, DEMO_VECTORS, KnowledgeBase

# The hộ tịch procedures, with the texts that describe the same procedures (NĐ 123/2015 and the
# other 2023 Pháp điển texts, đề mục 15.3 with Luật Hộ tịch) competing for the same questions.
FILES = [
    DEMO_DIR / "thu_tuc_cap_xa_2026" / "ho-tich.jsonl",
    DEMO_DIR / "phap-dien-2023-ho-tich-chung-thuc.jsonl",
    DEMO_DIR / "phap_dien" / "de-muc-15.3.jsonl",
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    settings = Settings(_env_file=None, data_dir=data_dir, demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    create_schema(engine)
    embeddings = make_embeddings(settings)
    embeddings.cache.seed_from_npz(DEMO_VECTORS)
    base = KnowledgeBase.open(settings, engine, embeddings=embeddings)
    report = base.ingest(FILES)
    # the 41 hộ tịch procedures at commune level, 5 texts of the 2023 CSV, đề mục 15.3
    assert not report.errors and report.added == 47
    yield base
    engine.dispose()


@pytest.mark.parametrize(
    "question",
    ["thủ tục đăng ký khai sinh cần giấy tờ gì", "thu tuc dang ky khai sinh can giay to gi"],
)
def test_a_khai_sinh_dossier_question_gets_the_procedures_dossier_list(
    kb: KnowledgeBase, question: str
) -> None:
    answer = kb.ask(question)
    assert answer.grounded
    first = answer.sources[0]
    assert first.citation == "Thủ tục đăng ký khai sinh (mã 1.001193) — Thành phần hồ sơ"
    # Which sentence of the list is quoted is the answer's choice; the cited part is the list.
    dossier = kb.full_text(first.chunk_id)
    assert "Giấy tờ phải nộp:" in dossier and "Giấy chứng sinh" in dossier
    assert "— 1 bản chính" in dossier  # each paper with its count
    # The reply starts with the papers every parent brings (a digest of the list, the special
    # cases after and marked: tests/knowledge/test_dossier_lead.py), then the list itself.
    assert answer.text.startswith("Tờ khai đăng ký khai sinh (1 bản chính); ")
    always, _, cases = answer.lead.partition("Khi có trường hợp riêng: ")
    assert "Giấy tờ phải nộp: Giấy chứng sinh (1 bản chính)" in always and "bỏ rơi" in cases
    assert (
        "\nTrích Thủ tục đăng ký khai sinh (mã 1.001193) — Thành phần hồ sơ:\nGiấy tờ phải nộp:\n1. "
        in answer.text
    )


@pytest.mark.parametrize("question", ["đăng ký khai tử cần hồ sơ gì", "dang ky khai tu can ho so gi"])
def test_a_khai_tu_dossier_question_gets_the_procedure_not_the_decree_describing_it(
    kb: KnowledgeBase, question: str
) -> None:
    answer = kb.ask(question)
    assert answer.grounded
    assert answer.sources[0].citation == "Thủ tục đăng ký khai tử (mã 1.000656) — Thành phần hồ sơ"
    assert "Giấy tờ phải nộp: Giấy báo tử hoặc giấy tờ thay Giấy báo tử" in answer.lead
    assert "Hiệu lực: Thủ tục đăng ký khai tử (mã 1.000656) — còn hiệu lực." in answer.text


@pytest.mark.parametrize(
    "question",
    # Without marks too: the question words are restored from how people ask ("bao nhiêu"),
    # not from the guidance alone, which gave "báo nhiều" (knowledge/data/question_language.txt).
    ["người chết bao nhiêu ngày phải đăng ký khai tử", "nguoi chet bao nhieu ngay phai dang ky khai tu"],
)
def test_the_death_registration_limit_is_the_laws_15_days(kb: KnowledgeBase, question: str) -> None:
    answer = kb.ask(question)
    assert answer.grounded
    assert answer.sources[0].citation == "Điều 33 khoản 1 Luật Hộ tịch số 60/2014/QH13 (Đề mục 15.3 Hộ tịch)"
    assert answer.lead.startswith("Trong thời hạn 15 ngày kể từ ngày có người chết")
    assert answer.sources[0].number == "60/2014/QH13"


@pytest.mark.parametrize("question", ["nộp hồ sơ đăng ký kết hôn ở đâu", "nop ho so dang ky ket hon o dau"])
def test_where_to_file_is_the_procedures_body(kb: KnowledgeBase, question: str) -> None:
    """ "ở đâu" asks for a body: the record's part naming it answers, as for a dossier."""
    answer = kb.ask(question)
    assert answer.grounded
    first = answer.sources[0]
    assert first.citation == "Thủ tục đăng ký kết hôn (mã 1.000894) — Cơ quan thực hiện, đối tượng, kết quả"
    assert answer.lead.startswith("Cơ quan thực hiện: Ủy ban Nhân dân xã, phường, thị trấn.")


@pytest.mark.parametrize("question", ["đăng ký khai sinh cho con ở đâu", "dang ky khai sinh cho con o dau"])
def test_a_record_part_naming_no_body_does_not_answer_where(kb: KnowledgeBase, question: str) -> None:
    """The national record of khai sinh (1.001193) has no "Cơ quan thực hiện" line: its part of
    that name lists only who asks and what they get, so it must not answer "ở đâu"."""
    answer = kb.ask(question)
    assert answer.grounded
    assert "1.001193" not in answer.sources[0].citation
    assert has_answer_type(answer.lead, AnswerType.body)


def test_every_demo_file_has_its_vectors_shipped() -> None:
    """A first start must not embed the demo guidance: every chunk's vector is in the npz."""
    import numpy as np

    from knowledge.chunking import embedding_text, split_document
    from knowledge.embeddings import text_hash
    from knowledge.ingest import collect_files
    from knowledge.loaders import load_path

    with np.load(Path(DEMO_VECTORS)) as shipped:
        keys = {str(k) for k in shipped["keys"]}
    files, _, _ = collect_files([DEMO_DIR])
    lacking = {
        path.name: missing
        for path in files
        if (
            missing := sum(
                text_hash(embedding_text(chunk)) not in keys
                for doc in load_path(path)
                for chunk in split_document(doc)
            )
        )
    }
    assert lacking == {}
