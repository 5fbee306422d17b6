"""Documents as documents, with the real KnowledgeBase over the fixture laws: a law is one
document whose status its chunks inherit (an article may override it), and validity over time
decides what is cited on the day the injected clock says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from support_kb import FIXTURE_VECTORS, GUIDANCE

from core.db import create_schema, make_engine
from core.models import Document
from core.settings import Settings
from knowledge.embeddings import make_embeddings
from knowledge.service import KnowledgeBase

MARRIAGE = "Luật Hôn nhân và gia đình"
RESIDENCE = "Luật Cư trú"
D = date(2027, 3, 1)  # the day a (made-up) new marriage law replaces 52/2014/QH13
NEW_LAW = """LUẬT HÔN NHÂN VÀ GIA ĐÌNH (SỬA ĐỔI)

Điều 8. Điều kiện kết hôn
1. Nam, nữ kết hôn với nhau phải tuân theo các điều kiện sau đây:
a) Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên;
b) Việc kết hôn do nam và nữ tự nguyện quyết định;
c) Việc kết hôn được đăng ký trực tuyến trên Cổng dịch vụ công quốc gia bằng tài khoản định danh điện tử.
"""


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2027, 2, 28))


@pytest.fixture
def kb(tmp_path: Path, clock: Clock) -> Iterator[KnowledgeBase]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    create_schema(engine)
    embeddings = make_embeddings(settings)
    embeddings.cache.seed_from_npz(FIXTURE_VECTORS)
    base = KnowledgeBase.open(settings, engine, embeddings=embeddings, today=clock)
    report = base.ingest(GUIDANCE)
    assert not report.errors, report.errors
    yield base
    base.close()


def _document(kb: KnowledgeBase, title: str) -> Document:
    with Session(kb.engine) as session:
        return session.exec(select(Document).where(Document.title == title)).one()


def _update(kb: KnowledgeBase, document_id: int | None, **values: Any) -> None:
    with Session(kb.engine) as session:
        row = session.get(Document, document_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.commit()
    kb.index.mark_changed()


def _documents_hit(kb: KnowledgeBase, question: str) -> set[int]:
    return {hit.document_id for hit in kb.search(question, k=10).hits}


def test_a_law_with_several_articles_is_one_document(kb: KnowledgeBase) -> None:
    with Session(kb.engine) as session:
        laws = session.exec(select(Document).where(Document.doc_type == "Luật")).all()
    assert sorted(d.title for d in laws) == [RESIDENCE, MARRIAGE]
    residence = next(d for d in laws if d.title == RESIDENCE)
    assert (residence.article_count, residence.number) == (8, "68/2020/QH14")
    assert residence.chunk_count >= residence.article_count


def test_status_is_set_per_document_and_inherited_by_its_chunks(kb: KnowledgeBase) -> None:
    residence = _document(kb, RESIDENCE)
    question = "Hồ sơ đăng ký tạm trú gồm những gì?"
    assert residence.id in _documents_hit(kb, question)
    assert kb.set_status(int(residence.id or 0), "expired")
    _, catalogue = kb.index.snapshot()
    statuses = {info.status for info in catalogue.values() if info.document_id == residence.id}
    assert statuses == {"expired"}  # every chunk of the law follows its one status
    assert residence.id not in _documents_hit(kb, question)
    # An article may still be set apart: Điều 28 (hồ sơ đăng ký tạm trú) back in force alone.
    assert kb.set_article_status(int(residence.id or 0), "28", "in_force")
    hits = [h for h in kb.search(question, k=10).hits if h.document_id == residence.id]
    assert hits and {h.record_id for h in hits} == {"Luật Cư trú::28"}
    assert kb.ask(question).sources[0].article == "28"
    assert not kb.set_article_status(int(residence.id or 0), "999", "in_force")  # no such article
    assert kb.set_article_status(int(residence.id or 0), "28", "")  # follows the law again
    assert residence.id not in _documents_hit(kb, question)


def test_past_effective_to_is_never_cited_and_the_answer_names_the_replacement(
    kb: KnowledgeBase, clock: Clock
) -> None:
    residence = _document(kb, RESIDENCE)
    replacement = "Luật Cư trú số 12/2026/QH15"
    _update(kb, residence.id, effective_to=D, replaced_by=replacement)
    question = "Điều kiện đăng ký thường trú là gì?"
    before = kb.ask(question)
    assert before.grounded and before.sources[0].document == RESIDENCE
    assert (
        f"Hiệu lực: Luật Cư trú số 68/2020/QH14 — còn hiệu lực, thay thế bởi {replacement} từ 01/03/2027"
        in (before.text)
    )
    clock.day = D  # no reload, no re-ingest: the day alone switches it
    assert residence.id not in _documents_hit(kb, question)
    after = kb.ask(question)
    assert all(s.document != RESIDENCE for s in after.sources)
    assert f"Luật Cư trú số 68/2020/QH14 đã hết hiệu lực từ 01/03/2027, được thay thế bởi {replacement}" in (
        after.text
    )


@pytest.mark.slow
def test_a_replacement_switches_on_its_date(kb: KnowledgeBase, clock: Clock, tmp_path: Path) -> None:
    new = tmp_path / "luat-hon-nhan-moi.txt"
    new.write_text(NEW_LAW, encoding="utf-8")
    new.with_name(new.name + ".meta.json").write_text(
        json.dumps(
            {
                "title": "Luật Hôn nhân và gia đình (sửa đổi)",
                "number": "99/2026/QH15",
                "effective_from": "01/03/2027",
            }
        ),
        encoding="utf-8",
    )
    assert not kb.ingest([new]).errors
    old, replacement = _document(kb, MARRIAGE), _document(kb, "Luật Hôn nhân và gia đình (sửa đổi)")
    assert replacement.effective_from == D
    _update(kb, old.id, effective_to=D, replaced_by="Luật Hôn nhân và gia đình số 99/2026/QH15")
    question = "Điều kiện kết hôn của nam và nữ"
    online = (
        "Kết hôn được đăng ký trực tuyến trên Cổng dịch vụ công quốc gia bằng tài khoản định danh điện tử"
    )
    assert {old.id, replacement.id} <= _documents_hit(kb, question)  # both, the new one warned
    warned = kb.ask(online)
    assert warned.sources[0].document_id == replacement.id
    warning = "Cảnh báo: Luật Hôn nhân và gia đình (sửa đổi) số 99/2026/QH15 chưa có hiệu lực"
    assert f"{warning}, có hiệu lực từ 01/03/2027" in warned.text
    clock.day = D
    hits = _documents_hit(kb, question)
    assert replacement.id in hits and old.id not in hits
    current = kb.ask(online)
    assert current.sources[0].document_id == replacement.id and "Cảnh báo" not in current.text
    assert "— còn hiệu lực." in current.text
