"""The authority map at work: filled when a decree is ingested (and replaced or dropped with it),
asked "whose task is it now?" with and without diacritics, and correcting an older provision
that names cấp huyện."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import AuthorityReference, AuthorityTransfer, Chunk, Document
from knowledge.authority.answers import (
    authority_answer,
    correct_answer,
    correction_for,
    is_authority_question,
)
from knowledge.authority.store import holder_for, transfers_for
from knowledge.ingest import delete_document, ingest_paths
from knowledge.types import Answer, Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "authority"
BEFORE_EXPIRY = date(2026, 6, 1)


@pytest.fixture
def decrees(tmp_path: Path) -> Path:
    folder = tmp_path / "decrees"
    folder.mkdir()
    for name in ("nd139_excerpt.txt", "nd140_excerpt.txt", "nd151_excerpt.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


@pytest.fixture
def mapped(engine: Engine, fake_index, decrees: Path) -> Engine:
    report = ingest_paths(engine=engine, index=fake_index, paths=[decrees])
    assert not report.errors
    return engine


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_ingest_fills_the_map_and_re_ingest_replaces_it(mapped: Engine, fake_index, decrees: Path) -> None:
    rows = _count(mapped, AuthorityTransfer)
    assert rows > 40 and _count(mapped, AuthorityReference) > rows
    with Session(mapped) as session:
        permit = session.exec(
            select(AuthorityTransfer).where(AuthorityTransfer.task == "Thẩm quyền cấp giấy phép xây dựng")
        ).one()
        assert (permit.decree_number, permit.article, permit.clause) == ("140/2025/NĐ-CP", "4", "1")
        assert permit.effective_from == date(2025, 7, 1) and permit.department == "Sở Xây dựng"
    # The decree changes: its rows are those of the new text, no more, no fewer.
    path = decrees / "nd140_excerpt.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Điều 103", "Điều 104"), encoding="utf-8")
    ingest_paths(engine=mapped, index=fake_index, paths=[decrees])
    assert _count(mapped, AuthorityTransfer) == rows
    with Session(mapped) as session:
        assert transfers_for(session, title="Luật Xây dựng", article="104", clause="3")
        assert not transfers_for(session, title="Luật Xây dựng", article="103", clause="3")
        decree = session.exec(select(Document).where(Document.number == "140/2025/NĐ-CP")).one()
        decree_id = int(decree.id or 0)
    assert delete_document(engine=mapped, index=fake_index, document_id=decree_id)
    with Session(mapped) as session:
        assert not session.exec(
            select(AuthorityTransfer).where(AuthorityTransfer.document_id == decree_id)
        ).all()
        assert not transfers_for(session, title="Luật Xây dựng", article="104")


def test_other_texts_make_no_rows(engine: Engine, fake_index, tmp_path: Path) -> None:
    law = tmp_path / "luat.txt"
    law.write_text(
        "LUẬT\nXÂY DỰNG\nĐiều 103. Thẩm quyền cấp giấy phép\n"
        "3. Ủy ban nhân dân cấp huyện cấp giấy phép xây dựng đối với nhà ở riêng lẻ "
        "do Ủy ban nhân dân cấp xã thực hiện.\n",
        encoding="utf-8",
    )
    ingest_paths(engine=engine, index=fake_index, paths=[law])
    assert _count(engine, AuthorityTransfer) == 0


@pytest.mark.parametrize(
    "question",
    [
        "Sau sáp nhập ai cấp giấy phép xây dựng nhà ở riêng lẻ?",
        "sau sap nhap ai cap giay phep xay dung nha o rieng le",
        "Xã có được cấp giấy phép xây dựng không?",
    ],
)
def test_an_authority_question_is_answered_with_holder_and_citation(mapped: Engine, question: str) -> None:
    answer = authority_answer(mapped, question, today=BEFORE_EXPIRY)
    assert answer is not None and answer.grounded
    first = answer.text.splitlines()[0]
    assert "Từ 01/7/2025, việc này do Ủy ban nhân dân cấp xã thực hiện" in first
    assert "(Điều 4 khoản 1 Nghị định số 140/2025/NĐ-CP)" in first
    assert "khoản 2, khoản 3 Điều 103 Luật Xây dựng" in answer.text  # then the clause itself
    assert answer.sources[0].number == "140/2025/NĐ-CP" and answer.sources[0].article == "4"
    assert answer.sources[0].chunk_id  # "Xem thêm" opens the decree's article


def test_yes_or_no_when_asked_whether_the_commune_may() -> None:
    assert is_authority_question("xa co duoc quyet dinh gia dat cu the khong")
    assert not is_authority_question("Hồ sơ đăng ký khai sinh gồm những gì?")


def test_the_condition_follows_the_holder(mapped: Engine) -> None:
    answer = authority_answer(
        mapped, "Việc quản lý trật tự xây dựng nay do cấp nào thực hiện?", today=BEFORE_EXPIRY
    )
    assert answer is not None
    assert answer.text.splitlines()[0].startswith(
        "Từ 01/7/2025, việc này do Ủy ban nhân dân cấp xã thực hiện"
    )
    assert "Điều kiện: khi được Ủy ban nhân dân cấp tỉnh phân cấp." in answer.text
    assert "áp dụng đến trước ngày 01/3/2027" in answer.text


def test_land_and_trade_questions_typed_without_marks(mapped: Engine) -> None:
    price = authority_answer(
        mapped, "quyet dinh gia dat cu the bay gio thuoc tham quyen cua ai", today=BEFORE_EXPIRY
    )
    assert price is not None
    assert "Chủ tịch Ủy ban nhân dân cấp xã" in price.text.splitlines()[0]
    assert "Nghị định số 151/2025/NĐ-CP" in price.text.splitlines()[0]
    shop = authority_answer(mapped, "giấy phép bán lẻ rượu bây giờ do cấp nào cấp", today=BEFORE_EXPIRY)
    assert shop is not None
    assert "(Điều 7 khoản 1 Nghị định số 139/2025/NĐ-CP)" in shop.text.splitlines()[0]
    gas = authority_answer(
        mapped, "cửa hàng bán gas chai thì ai cấp giấy chứng nhận đủ điều kiện", today=BEFORE_EXPIRY
    )
    assert gas is not None and "Điều 14 khoản 1 Nghị định số 139/2025/NĐ-CP" in gas.text.splitlines()[0]


def test_questions_the_map_does_not_know_go_to_the_search(mapped: Engine) -> None:
    assert authority_answer(mapped, "Ai được hưởng trợ cấp xã hội hằng tháng?", today=BEFORE_EXPIRY) is None
    assert authority_answer(mapped, "Thủ tục đăng ký khai sinh gồm những gì?", today=BEFORE_EXPIRY) is None


def test_a_decree_past_its_end_is_not_cited_as_current(mapped: Engine) -> None:
    assert authority_answer(mapped, "ai cấp giấy phép xây dựng", today=date(2027, 3, 1)) is None


def test_holder_for_ranks_the_task_words(mapped: Engine) -> None:
    with Session(mapped) as session:
        [best, *_] = holder_for(session, words="cưỡng chế phá dỡ nhà ở để thu hồi đất")
    assert best.transfer.holder == "Chủ tịch Ủy ban nhân dân cấp xã" and best.transfer.article == "9"


def _older_answer(session: Session) -> Answer:
    law = Document(source="luat-dat-dai.txt", content_hash="x", title="Luật Đất đai", number="31/2024/QH15")
    session.add(law)
    session.flush()
    chunk = Chunk(
        id="dat-dai-91-2",
        document_id=int(law.id or 0),
        ordinal=0,
        text="2. Chủ tịch Ủy ban nhân dân cấp huyện quyết định giá đất cụ thể.",
        article="91",
        clause="2",
        content_hash="y",
    )
    session.add(chunk)
    session.commit()
    source = Source(
        document="Luật Đất đai", number="31/2024/QH15", article="91", clause="2", score=1.0, chunk_id=chunk.id
    )
    return Answer(
        question="giá đất cụ thể",
        text="Theo Điều 91 khoản 2 Luật Đất đai:\n…",
        grounded=True,
        confidence=0.9,
        sources=[source],
    )


def test_an_older_provision_naming_the_district_is_corrected_by_the_map(mapped: Engine) -> None:
    with Session(mapped) as session:
        answer = _older_answer(session)
        note = correction_for(session, number="31/2024/QH15", title="Luật Đất đai", article="91", clause="2")
    assert note == (
        "Lưu ý: từ 01/7/2025, thẩm quyền này do Chủ tịch Ủy ban nhân dân cấp xã thực hiện "
        "(Điều 5 khoản 1 điểm e Nghị định số 151/2025/NĐ-CP)."
    )
    corrected = correct_answer(mapped, answer)
    assert corrected.text.startswith(note) and corrected.text.endswith(answer.text)


def test_a_compilation_article_is_corrected_by_the_provision_it_comes_from(mapped: Engine) -> None:
    """A Pháp điển article cites Điều 91 Luật Đất đai under its own number (issue 14 item 3)."""
    with Session(mapped) as session:
        demuc = Document(source="de-muc.jsonl#16.1", content_hash="z", title="Đề mục 16.1 Đất đai", number="")
        session.add(demuc)
        session.flush()
        chunk = Chunk(
            id="de-muc-16-1-91-2",
            document_id=int(demuc.id or 0),
            ordinal=0,
            text="2. Chủ tịch Ủy ban nhân dân cấp huyện quyết định giá đất cụ thể.",
            article="16.1.LQ.91",
            clause="2",
            content_hash="w",
            origin_number="31/2024/QH15",
            origin_type="Luật",
            origin_title="Luật Đất đai",
            origin_article="91",
        )
        session.add(chunk)
        session.commit()
        source = Source(
            document=demuc.title, number="", article="16.1.LQ.91", clause="2", score=1.0, chunk_id=chunk.id
        )
    answer = Answer(question="giá đất cụ thể", text="Theo …", grounded=True, confidence=0.9, sources=[source])
    corrected = correct_answer(mapped, answer)
    assert corrected.text.startswith("Lưu ý: từ 01/7/2025, thẩm quyền này do Chủ tịch Ủy ban nhân dân cấp xã")
    assert "Điều 5 khoản 1 điểm e Nghị định số 151/2025/NĐ-CP" in corrected.text.splitlines()[0]


def test_no_correction_without_a_transfer_or_without_the_district(mapped: Engine) -> None:
    with Session(mapped) as session:
        answer = _older_answer(session)
        assert correction_for(session, number="31/2024/QH15", title="Luật Đất đai", article="7") is None
    moved = Answer(
        **{**answer.__dict__, "sources": [Source(**{**answer.sources[0].__dict__, "article": "7"})]}
    )
    assert correct_answer(mapped, moved).text == answer.text


def test_knowledge_base_ask_answers_from_the_map_first(tmp_path: Path) -> None:
    from support_kb import build_kb

    kb = build_kb(tmp_path / "data")
    try:
        shutil.copy(FIXTURES / "nd140_excerpt.txt", tmp_path / "nd140.txt")
        assert not kb.ingest([tmp_path / "nd140.txt"]).errors
        answer = kb.ask("ai ra quyet dinh cuong che pha do nha o de thu hoi dat")
        first = answer.text.splitlines()[0]
        assert first == (
            "Từ 01/7/2025, việc này do Chủ tịch Ủy ban nhân dân cấp xã thực hiện "
            "(Điều 9 khoản 6 Nghị định số 140/2025/NĐ-CP)."
        )
        assert kb.full_text(answer.sources[0].chunk_id).startswith("Điều 9")
        # An ordinary question still goes through the search.
        assert "Nghị định số 140/2025" not in kb.ask("Nam nữ kết hôn phải đủ bao nhiêu tuổi?").text
    finally:
        kb.close()
