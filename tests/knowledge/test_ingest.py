from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import knowledge.ingest as ingest_module
from core.models import Chunk, Document, DocumentOrigin, DocumentStatus
from knowledge.ingest import delete_document, ingest_document, ingest_paths, set_document_status
from knowledge.types import DocumentMeta, LoadedDocument

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo"

HUONG_DAN = """UBND TỈNH THÁI NGUYÊN
SỞ TƯ PHÁP
Số: 456/STP-HCTP
Thái Nguyên, ngày 01 tháng 8 năm 2025
HƯỚNG DẪN
Chứng thực bản sao từ bản chính sau sắp xếp
1. Ủy ban nhân dân xã, phường chứng thực bản sao từ bản chính giấy tờ do cơ quan Việt Nam cấp.
2. Lệ phí chứng thực bản sao từ bản chính là 2.000 đồng/trang.
"""


def corpus_line(law: str, number: str, article: int, heading: str, body: str) -> str:
    record = {
        "id": f"{law}::{article}",
        "title": f"{law} ({number}) - Điều {article}. {heading}",
        "text": f"{heading}\n\n{body}",
    }
    return json.dumps(record, ensure_ascii=False)


@pytest.fixture
def folder(tmp_path: Path, make_docx: Callable[..., Path]) -> Path:
    root = tmp_path / "guidance"
    (root / "so-tu-phap").mkdir(parents=True)
    (root / "so-tu-phap" / "chung-thuc.txt").write_text(HUONG_DAN, encoding="utf-8")
    (root / "luat.jsonl").write_text(
        "\n".join(
            [
                corpus_line(
                    "Luật Cư trú",
                    "68/2020/QH14",
                    20,
                    "Điều kiện đăng ký thường trú",
                    "1. Công dân có chỗ ở hợp pháp.",
                ),
                corpus_line(
                    "Luật Cư trú",
                    "68/2020/QH14",
                    21,
                    "Hồ sơ đăng ký thường trú",
                    "1. Tờ khai thay đổi thông tin cư trú.",
                ),
                corpus_line(
                    "Luật Cư trú",
                    "68/2020/QH14",
                    22,
                    "Thủ tục đăng ký thường trú",
                    "1. Người đăng ký nộp hồ sơ.",
                ),
            ]
        ),
        encoding="utf-8",
    )
    make_docx(
        root / "ke-hoach.docx",
        header=("ỦY BAN NHÂN DÂN\nXÃ PHÚ BÌNH\nSố: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        paragraphs=["KẾ HOẠCH", "Số hóa hồ sơ tại Bộ phận một cửa", "1. Số hóa 100% hồ sơ tiếp nhận."],
        table=[],
    )
    (root / "README.md").write_text("# Thư mục tài liệu\n", encoding="utf-8")  # not guidance
    (root / "luat.jsonl.meta.json").write_text(json.dumps({"field": "Cư trú"}), encoding="utf-8")
    return root


def stored(engine: Engine) -> tuple[dict[str, Document], dict[str, Chunk]]:
    with Session(engine) as session:
        documents = {d.source: d for d in session.exec(select(Document))}
        chunks = {c.id: c for c in session.exec(select(Chunk))}
    return documents, chunks


def test_folder_ingest_stores_documents_chunks_and_index(engine: Engine, fake_index, folder: Path) -> None:
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert report.errors == []
    assert (report.added, report.updated, report.unchanged, report.removed) == (3, 0, 0, 0)
    documents, chunks = stored(engine)
    assert fake_index.ids == set(chunks) and report.chunks_added == len(chunks) > 0
    # The three lines of Luật Cư trú are one document (a law is one row), its articles its chunks.
    law = documents[f"{(folder / 'luat.jsonl').resolve().as_posix()}#Luật Cư trú"]
    assert (law.title, law.number, law.field) == ("Luật Cư trú", "68/2020/QH14", "Cư trú")
    assert law.origin == DocumentOrigin.file and (law.chunk_count, law.article_count) == (3, 3)
    [chunk] = [c for c in chunks.values() if c.document_id == law.id and c.record_id == "Luật Cư trú::21"]
    assert (chunk.article, chunk.article_title) == ("21", "Hồ sơ đăng ký thường trú")
    plan = next(d for d in documents.values() if d.source.endswith("ke-hoach.docx"))
    assert (plan.doc_type, plan.number, plan.issuer) == (
        "Kế hoạch",
        "12/KH-UBND",
        "Ủy ban nhân dân xã Phú Bình",
    )
    assert all(
        d.chunk_count == sum(c.document_id == d.id for c in chunks.values()) for d in documents.values()
    )


def test_unchanged_files_are_not_even_parsed(
    engine: Engine, fake_index, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(engine=engine, index=fake_index, paths=[folder])
    fake_index.reset_log()
    before = stored(engine)

    def no_parsing(*args: object, **kwargs: object) -> list[LoadedDocument]:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(ingest_module, "load_path", no_parsing)
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 3, 0)
    assert (report.chunks_added, report.chunks_removed) == (0, 0)
    assert fake_index.added == [] and fake_index.removed == []
    assert set(stored(engine)[1]) == set(before[1])


def test_changed_file_replaces_its_chunks_only(engine: Engine, fake_index, folder: Path) -> None:
    ingest_paths(engine=engine, index=fake_index, paths=[folder])
    _, chunks_before = stored(engine)
    fake_index.reset_log()
    txt = folder / "so-tu-phap" / "chung-thuc.txt"
    txt.write_text(HUONG_DAN.replace("2.000 đồng/trang", "3.000 đồng/trang"), encoding="utf-8")
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    documents, chunks = stored(engine)
    doc = documents[txt.resolve().as_posix()]
    new_ids = {c.id for c in chunks.values() if c.document_id == doc.id}
    old_ids = {c.id for c in chunks_before.values() if c.document_id == doc.id}
    assert "3.000 đồng/trang" in " ".join(chunks[i].text for i in new_ids)
    assert set(fake_index.removed) == old_ids and set(fake_index.added) == new_ids
    assert fake_index.ids == set(chunks)


def test_changed_jsonl_touches_only_changed_records(engine: Engine, fake_index, folder: Path) -> None:
    ingest_paths(engine=engine, index=fake_index, paths=[folder])
    fake_index.reset_log()
    path = folder / "luat.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("chỗ ở hợp pháp", "chỗ ở hợp pháp thuộc quyền sở hữu")
    path.write_text("\n".join(lines[:2]), encoding="utf-8")  # article 22 leaves the file
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 1, 2, 0)
    _, chunks = stored(engine)
    assert not any(c.record_id.endswith("::22") for c in chunks.values())
    # The law is re-chunked, but the index sees only what changed: the edited article's chunk
    # replaced, article 22's removed, article 21's untouched.
    assert len(fake_index.added) == 1 and len(fake_index.removed) == 2
    assert fake_index.ids == set(chunks)
    again = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert (again.unchanged, again.updated) == (3, 0)


def test_prune_removes_documents_of_deleted_files(engine: Engine, fake_index, folder: Path) -> None:
    ingest_paths(engine=engine, index=fake_index, paths=[folder])
    shutil.rmtree(folder / "so-tu-phap")
    kept = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert kept.removed == 0 and len(stored(engine)[0]) == 3
    pruned = ingest_paths(engine=engine, index=fake_index, paths=[folder], prune=True)
    assert pruned.removed == 1 and pruned.chunks_removed > 0
    documents, chunks = stored(engine)
    assert len(documents) == 2 and fake_index.ids == set(chunks)


def test_bad_files_are_reported_and_the_rest_ingested(
    engine: Engine, fake_index, folder: Path, make_scanned_pdf: Callable[..., Path], monkeypatch
) -> None:
    monkeypatch.setattr("knowledge.loaders.ocr_available", lambda: False)
    (folder / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    (folder / "rong.txt").write_bytes(b"")
    (folder / "bang-tinh.xlsx").write_bytes(b"PK")
    make_scanned_pdf(folder / "scan.pdf")
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder, folder / "khong-co.pdf"])
    failed = {Path(source).name: reason for source, reason in report.errors}
    assert set(failed) == {"hong.docx", "rong.txt", "bang-tinh.xlsx", "scan.pdf", "khong-co.pdf"}
    assert "bị hỏng" in failed["hong.docx"] and "rỗng" in failed["rong.txt"]
    assert "tesseract" in failed["scan.pdf"]
    assert report.added == 3 and len(stored(engine)[0]) == 3


def test_index_failure_rolls_back_that_file_only(engine: Engine, fake_index, folder: Path) -> None:
    fake_index.fail_on = "Số hóa 100%"
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert [Path(s).name for s, _ in report.errors] == ["ke-hoach.docx"]
    assert report.added == 2 and report.chunks_added == len(fake_index.ids)
    documents, chunks = stored(engine)
    assert not any(s.endswith("ke-hoach.docx") for s in documents) and len(documents) == 2
    assert fake_index.ids == set(chunks)
    fake_index.fail_on = ""
    retry = ingest_paths(engine=engine, index=fake_index, paths=[folder])
    assert (retry.added, retry.unchanged, retry.errors) == (1, 2, [])


def test_run_wide_metadata_and_sidecar_changes_are_picked_up(
    engine: Engine, fake_index, folder: Path
) -> None:
    txt = folder / "so-tu-phap" / "chung-thuc.txt"
    ingest_paths(engine=engine, index=fake_index, paths=[txt])
    ingest_paths(engine=engine, index=fake_index, paths=[txt], defaults=DocumentMeta(department_code="TP"))
    assert stored(engine)[0][txt.resolve().as_posix()].department_code == "TP"
    (folder / "so-tu-phap" / "chung-thuc.txt.meta.json").write_text(
        '{"status": "hết hiệu lực"}', encoding="utf-8"
    )
    report = ingest_paths(
        engine=engine, index=fake_index, paths=[txt], defaults=DocumentMeta(department_code="TP")
    )
    assert report.updated == 1
    assert stored(engine)[0][txt.resolve().as_posix()].status == DocumentStatus.expired


def test_chunk_ids_are_stable_across_databases(
    engine: Engine, fake_index, folder: Path, tmp_path: Path
) -> None:
    from core.db import create_schema, make_engine

    ingest_paths(engine=engine, index=fake_index, paths=[folder])
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    create_schema(other)
    ingest_paths(engine=other, index=type(fake_index)(), paths=[folder])
    assert set(stored(engine)[1]) == set(stored(other)[1])
    other.dispose()


def test_ingest_document_then_delete_and_status(engine: Engine, fake_index) -> None:
    answer = LoadedDocument(
        source="blocker:VM-2025-000123",
        text="Trả lời của Sở Tư pháp\n1. Xã được chứng thực chữ ký trên giấy ủy quyền.",
        meta=DocumentMeta(
            title="Trả lời vướng mắc VM-2025-000123", doc_type="Công văn", department_code="TP"
        ),
        kind="plain",
    )
    document_id = ingest_document(
        engine=engine, index=fake_index, doc=answer, origin=DocumentOrigin.blocker_answer
    )
    documents, chunks = stored(engine)
    doc = documents["blocker:VM-2025-000123"]
    assert (
        doc.id == document_id and doc.origin == DocumentOrigin.blocker_answer and doc.department_code == "TP"
    )
    assert fake_index.ids == set(chunks) and chunks
    # Publishing again replaces, never duplicates.
    assert (
        ingest_document(engine=engine, index=fake_index, doc=answer, origin=DocumentOrigin.blocker_answer)
        == document_id
    )
    assert len(stored(engine)[0]) == 1
    fake_index.reset_log()
    assert set_document_status(
        engine=engine, document_id=document_id, status="hết hiệu lực", index=fake_index
    )
    assert stored(engine)[0]["blocker:VM-2025-000123"].status == DocumentStatus.expired
    assert fake_index.documents[fake_index.added[0]].status == DocumentStatus.expired
    assert delete_document(engine=engine, index=fake_index, document_id=document_id)
    assert stored(engine) == ({}, {}) and fake_index.ids == set()
    assert not delete_document(engine=engine, index=fake_index, document_id=document_id)
    assert not set_document_status(engine=engine, document_id=document_id, status="expired")


@pytest.mark.slow
def test_demo_corpus_reingest_is_fast(engine: Engine, fake_index) -> None:
    first = ingest_paths(engine=engine, index=fake_index, paths=[DEMO])
    assert first.errors == []
    # Counted from the raw files, not by the loaders: one document per header line of a native
    # document file, per procedure record, per Markdown file; the `{id, title, text}` article
    # files give one per law (lines grouped by the law name before "::").
    fixed, lines, laws = 0, 0, 0
    for path in DEMO.rglob("*"):
        if path.suffix == ".jsonl":
            rows = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
            if any("format" in row for row in rows):
                fixed += sum("format" in row for row in rows)
            elif all("text" in row and "::" in row["id"] for row in rows):
                lines += len(rows)
                laws += len({row["id"].split("::", 1)[0] for row in rows})
            else:
                fixed += len(rows)
        elif path.suffix == ".md" and path.name != "README.md":
            fixed += 1
    assert lines > laws > 0
    assert first.added == fixed + laws
    started = time.perf_counter()
    again = ingest_paths(engine=engine, index=fake_index, paths=[DEMO])
    elapsed = time.perf_counter() - started
    assert (again.unchanged, again.added, again.updated, again.chunks_added) == (first.added, 0, 0, 0)
    assert elapsed < 2.0, f"unchanged re-ingest took {elapsed:.2f} s"


def test_admin_settings_survive_a_changed_file(engine: Engine, fake_index, folder: Path) -> None:
    """An upload (ingest_document) later re-read from its file keeps what the admin set."""
    from knowledge.loaders import load_path

    txt = folder / "so-tu-phap" / "chung-thuc.txt"
    [doc] = load_path(txt, defaults=DocumentMeta(field="Chứng thực"))
    document_id = ingest_document(engine=engine, index=fake_index, doc=doc, origin=DocumentOrigin.upload)
    with Session(engine) as session:
        row = session.get(Document, document_id)
        assert row is not None
        row.status, row.department_code = DocumentStatus.expired, "TP"
        session.add(row)
        session.commit()
    txt.write_text(HUONG_DAN + "3. Bổ sung.\n", encoding="utf-8")
    report = ingest_paths(engine=engine, index=fake_index, paths=[txt])
    assert (report.added, report.updated, report.errors) == (0, 1, [])
    row = stored(engine)[0][txt.resolve().as_posix()]
    assert row.id == document_id
    assert (row.status, row.department_code, row.field) == (DocumentStatus.expired, "TP", "Chứng thực")
    assert row.origin == DocumentOrigin.upload
