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
from knowledge.service import DEMO_DIR, DEMO_VECTORS, KnowledgeBase

FILES = [DEMO_DIR / "thu_tuc_cap_xa_2026" / "ho-tich.jsonl"]


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
    assert not report.errors and report.added == 41  # the 41 hộ tịch procedures at commune level
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
