"""/admin/documents/{id} with the real KnowledgeBase: a document marked "hết hiệu lực" on the
admin page is no longer cited by the very next question (no stale status in the index)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select
from web_support import Browser, World

from core.models import Document, DocumentStatus
from core.settings import Settings
from knowledge.embeddings import make_embeddings
from knowledge.service import KnowledgeBase

FIXTURES = Path(__file__).resolve().parents[1] / "knowledge" / "fixtures"
MARRIAGE = "Luật Hôn nhân và gia đình"
QUESTION = "Điều kiện kết hôn của nam và nữ"


@pytest.fixture
def real_kb(web_app: FastAPI, world: World, settings: Settings) -> Iterator[KnowledgeBase]:
    embeddings = make_embeddings(settings)
    # Precomputed vectors of the fixture chunks: only the questions are embedded here.
    embeddings.cache.seed_from_npz(FIXTURES / "vectors.npz")
    kb = KnowledgeBase.open(settings, world.engine, embeddings=embeddings)
    report = kb.ingest(
        [FIXTURES / "luat-cu-tru-trich.jsonl", FIXTURES / "luat-hon-nhan-trich.jsonl"], progress=False
    )
    assert not report.errors, report.errors
    web_app.state.ctx.knowledge = kb
    yield kb
    kb.close()


@pytest.mark.slow
def test_expired_on_the_admin_page_is_no_longer_cited(
    login: Callable[[str], Browser], world: World, real_kb: KnowledgeBase
) -> None:
    before = real_kb.ask(QUESTION)
    assert before.sources and before.sources[0].document == MARRIAGE  # cited while in force
    real_kb.search(QUESTION)  # the catalogue is loaded and clean: a stale copy would be used
    with Session(world.engine) as session:
        ids = [d.id for d in session.exec(select(Document).where(Document.title == MARRIAGE)).all()]
    assert ids
    admin = login("quantri")
    for document_id in ids:
        response = admin.post(
            f"/admin/documents/{document_id}",
            {"status": "expired", "department_code": "TC", "field": "Tư pháp"},
        )
        assert response.status_code == 303, response.text
    with Session(world.engine) as session:
        rows = [session.get(Document, i) for i in ids]
    assert all(r is not None and r.status == DocumentStatus.expired for r in rows)
    assert all(r is not None and (r.department_code, r.field) == ("TC", "Tư pháp") for r in rows)
    # The same KnowledgeBase object, no reopening: the route must have told it.
    assert all(not hit.record_id.startswith(MARRIAGE) for hit in real_kb.search(QUESTION, k=10).hits)
    assert all(source.document != MARRIAGE for source in real_kb.ask(QUESTION).sources)
    # Back in force through the same page: cited again.
    admin.post(f"/admin/documents/{ids[0]}", {"status": "in_force", "department_code": "TC", "field": ""})
    assert any(hit.document_id == ids[0] for hit in real_kb.search(QUESTION, k=10).hits)


@pytest.mark.slow
def test_the_list_has_one_row_per_law_and_an_article_keeps_its_own_status(
    login: Callable[[str], Browser], world: World, real_kb: KnowledgeBase
) -> None:
    admin = login("quantri")
    listing = admin.get("/admin/documents").text
    assert "2 văn bản." in listing  # two laws, not their twelve article lines
    assert listing.count(">Luật Cư trú</a>") == 1 and "68/2020/QH14" in listing
    assert "<td>8</td>" in listing  # Luật Cư trú: 8 articles
    with Session(world.engine) as session:
        law = session.exec(select(Document).where(Document.title == MARRIAGE)).one()
    page = admin.get(f"/admin/documents/{law.id}").text
    assert "Hiệu lực từng điều" in page and 'name="article" value="8"' in page
    # Điều 8 (điều kiện kết hôn) set apart as expired: the rest of the law stays cited.
    response = admin.post(f"/admin/documents/{law.id}/articles", {"article": "8", "status": "expired"})
    assert response.status_code == 303
    assert all(h.record_id != f"{MARRIAGE}::8" for h in real_kb.search(QUESTION, k=10).hits)
    assert any(h.document_id == law.id for h in real_kb.search("Giải thích từ ngữ hôn nhân", k=10).hits)
    assert "(1 điều riêng)" in admin.get("/admin/documents").text
    assert (
        admin.post(f"/admin/documents/{law.id}/articles", {"article": "999", "status": ""}).status_code == 404
    )
    admin.post(f"/admin/documents/{law.id}/articles", {"article": "8", "status": ""})
    assert any(h.record_id == f"{MARRIAGE}::8" for h in real_kb.search(QUESTION, k=10).hits)


@pytest.mark.slow
def test_validity_dates_set_on_the_page_take_effect_on_their_day(
    login: Callable[[str], Browser], world: World, real_kb: KnowledgeBase
) -> None:
    admin = login("quantri")
    with Session(world.engine) as session:
        law = session.exec(select(Document).where(Document.title == MARRIAGE)).one()
    form = {"status": "in_force", "department_code": "", "field": "", "replaced_by": "Luật mới"}
    bad = admin.post(f"/admin/documents/{law.id}", {**form, "effective_to": "30/02/2020"})
    assert bad.status_code == 303
    assert "ngày hết hiệu lực không hợp lệ" in admin.get(f"/admin/documents/{law.id}").text
    admin.post(f"/admin/documents/{law.id}", {**form, "effective_to": "01/01/2020"})  # already past
    assert "hết hiệu lực từ 01/01/2020, thay thế bởi Luật mới" in admin.get("/admin/documents").text
    assert all(h.document_id != law.id for h in real_kb.search(QUESTION, k=10).hits)
