"""Ingestion: files → documents and chunks in the database and the search index, incrementally.

A file whose bytes (and sidecar, and the metadata given on the command line) are unchanged
is skipped before parsing: its documents carry that fingerprint in `Document.extra["file_key"]`.
A changed file is parsed; each of its documents whose content hash is unchanged keeps its
chunks, a changed one has them replaced, and documents that left the file are removed. Bad
files are reported by name and skipped: one file never stops the batch.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from core.clock import utcnow
from core.db import session_scope
from core.models import Chunk, Document, DocumentOrigin, DocumentStatus
from knowledge import texts
from knowledge.chunking import embedding_text
from knowledge.docstore import (
    ChunkIndex,
    DocumentWriter,
    IngestReport,
    Splitter,
    content_hash,
    default_splitter,
    file_key,
)
from knowledge.loaders import LOADERS, LoadError, load_path, source_of
from knowledge.sidecar import SIDECAR_SUFFIX, normalize_status
from knowledge.types import ChunkDraft, DocumentMeta, LoadedDocument

log = logging.getLogger(__name__)

__all__ = [
    "ChunkIndex",
    "IngestReport",
    "delete_document",
    "ingest_document",
    "ingest_paths",
    "set_article_status",
    "set_document_status",
]


@dataclass
class _Stored:
    id: int
    source: str
    content_hash: str
    extra: dict[str, Any]


# Shipped next to guidance but not guidance: precomputed vectors of the demo corpus.
WALK_IGNORED_SUFFIXES = (".npz",)


def _skipped_in_walk(path: Path, root: Path) -> bool:
    # Hidden files, metadata sidecars and a folder's README are not guidance either.
    relative = path.relative_to(root).parts
    return (
        any(part.startswith(".") for part in relative)
        or path.name.endswith(SIDECAR_SUFFIX)
        or path.suffix.lower() in WALK_IGNORED_SUFFIXES
        or path.stem.lower() == "readme"
    )


def collect_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(files to read, folders walked, given paths that do not exist)."""
    files: dict[str, Path] = {}
    folders: list[Path] = []
    missing: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            folders.append(path.resolve())
            for found in sorted(path.rglob("*")):
                if found.is_file() and not _skipped_in_walk(found, path):
                    files.setdefault(source_of(found), found)
        elif path.is_file():
            files.setdefault(source_of(path), path)
        else:
            missing.append(path)
    return list(files.values()), folders, missing


def _stored_by_file(engine: Engine) -> dict[str, list[_Stored]]:
    with session_scope(engine) as session:
        rows = session.exec(select(Document.id, Document.source, Document.content_hash, Document.extra))
        grouped: dict[str, list[_Stored]] = defaultdict(list)
        for id_, source, hash_, extra in rows:
            values = dict(extra or {})
            if values.get("file") and id_ is not None:
                grouped[values["file"]].append(_Stored(id_, source, hash_, values))
    return grouped


def _sync_file(
    writer: DocumentWriter,
    file: str,
    key: str,
    docs: list[LoadedDocument],
    stored: list[_Stored],
    origin: DocumentOrigin,
) -> None:
    by_source = {row.source: row for row in stored}
    extra = {"file": file, "file_key": key}
    # Documents with these sources stored by other means (e.g. ingest_document), found in bulk.
    unknown = [doc.source for doc in docs if doc.source not in by_source]
    other_ids: dict[str, int] = {}
    for start in range(0, len(unknown), 500):
        batch = unknown[start : start + 500]
        query = select(Document.id, Document.source).where(col(Document.source).in_(batch))
        other_ids.update((source, id_) for id_, source in writer.session.exec(query) if id_ is not None)
    for doc in docs:
        old = by_source.pop(doc.source, None)
        if old is not None and old.content_hash == content_hash(doc):
            row = writer.session.get(Document, old.id)
            if row is not None:  # same content: only remember the new file fingerprint
                row.extra = {**row.extra, "file_key": key}
                writer.session.add(row)
            writer.report.unchanged += 1
        else:
            existing = old.id if old else other_ids.get(doc.source)
            writer.put(doc, origin, extra, existing_id=existing, lookup=False)
    for gone in by_source.values():  # records no longer in the file
        writer.remove(gone.id)


class PassageEmbedder(Protocol):
    """Computes (and caches) passage vectors: knowledge.embeddings.CachedEmbeddings."""

    def embed_array(self, texts: Sequence[str], progress: bool = False) -> Any: ...


@dataclass
class _Read:
    file: Path
    source: str
    key: str
    docs: list[LoadedDocument]


def _read_changed(
    files: list[Path], stored: dict[str, list[_Stored]], defaults: DocumentMeta | None, report: IngestReport
) -> list[_Read]:
    """The files whose fingerprint changed, parsed; the others counted as unchanged."""
    read: list[_Read] = []
    for file in files:
        source = source_of(file)
        if file.suffix.lower() not in LOADERS:  # say so without reading a possibly huge file
            try:
                load_path(file)
            except LoadError as exc:
                report.errors.append((str(file), str(exc)))
            continue
        try:
            key = file_key(file, defaults)
        except OSError as exc:
            report.errors.append(
                (str(file), texts.INGEST_UNREADABLE.format(name=file.name, error=exc.strerror or exc))
            )
            continue
        previous = stored.get(source, [])
        if previous and all(row.extra.get("file_key") == key for row in previous):
            report.unchanged += len(previous)
            continue
        try:
            docs = load_path(file, defaults=defaults, skipped=report.skipped)
        except LoadError as exc:
            report.errors.append((str(file), str(exc)))
            continue
        read.append(_Read(file, source, key, docs))
    return read


def _embed_ahead(
    embedder: PassageEmbedder,
    read: list[_Read],
    stored: dict[str, list[_Stored]],
    split: Splitter,
    progress: bool,
) -> dict[str, list[ChunkDraft]]:
    """Split every changed document and embed its passages before anything is written: the
    progress bar counts passages (with the time left), and the embedding cache keeps each
    batch, so an interrupted run resumes where it stopped. Returns the drafts by source."""
    drafts: dict[str, list[ChunkDraft]] = {}
    passages: list[str] = []
    for item in read:
        known = {row.source: row.content_hash for row in stored.get(item.source, [])}
        for doc in item.docs:
            if known.get(doc.source) == content_hash(doc):
                continue  # same content: its chunks stay
            drafts[doc.source] = split(doc)
            passages.extend(embedding_text(draft) for draft in drafts[doc.source])
    if passages:
        try:
            embedder.embed_array(passages, progress=progress)
        except Exception:  # each file retries while it is written, and reports its error
            log.exception("embedding ahead of writing failed")
    return drafts


def ingest_paths(
    *,
    engine: Engine,
    index: ChunkIndex,
    paths: Sequence[Path],
    progress: bool = False,
    prune: bool = False,
    defaults: DocumentMeta | None = None,
    origin: DocumentOrigin = DocumentOrigin.file,
    splitter: Splitter | None = None,
    embedder: PassageEmbedder | None = None,
) -> IngestReport:
    """Ingest files and folders (walked recursively); see the module docstring. With an
    `embedder`, passages are embedded ahead of writing (progress in passages, resumable)."""
    started = time.perf_counter()
    report = IngestReport()
    split = splitter or default_splitter()
    files, folders, missing = collect_files(paths)
    stored = _stored_by_file(engine)
    read = _read_changed(files, stored, defaults, report)
    if embedder is not None:
        ahead = _embed_ahead(embedder, read, stored, split, progress)

        def split_once(doc: LoadedDocument, _split: Splitter = split) -> list[ChunkDraft]:
            found = ahead.pop(doc.source, None)
            return found if found is not None else _split(doc)

        split = split_once
    for item in read:
        counts = replace(report, errors=[])
        try:
            with session_scope(engine) as session:
                writer = DocumentWriter(session, index, split, report)
                _sync_file(writer, item.source, item.key, item.docs, stored.get(item.source, []), origin)
                writer.flush_index()
        except Exception as exc:  # the batch edge: one failing file must not stop the others
            log.exception("ingesting %s failed", item.file)
            report = replace(counts, errors=report.errors)  # the rolled-back work does not count
            name = item.file.name
            report.errors.append((str(item.file), texts.INGEST_STORE_FAILED.format(name=name, error=exc)))
    if prune:
        _prune(engine, index, stored, folders, missing, report)
    else:
        report.errors.extend((str(p), texts.INGEST_NOT_FOUND.format(path=p)) for p in missing)
    report.seconds = time.perf_counter() - started
    return report


def _prune(
    engine: Engine,
    index: ChunkIndex,
    stored: dict[str, list[_Stored]],
    folders: Iterable[Path],
    missing: Iterable[Path],
    report: IngestReport,
) -> None:
    """Remove documents whose file, under a walked folder or named itself, is gone."""
    roots = [folder.as_posix().rstrip("/") + "/" for folder in folders]
    named = {source_of(path) for path in missing}
    gone = [
        row.id
        for file, rows in stored.items()
        if (file in named or file.startswith(tuple(roots))) and not Path(file).exists()
        for row in rows
    ]
    for path in missing:
        if source_of(path) not in stored:
            report.errors.append((str(path), texts.INGEST_NOT_FOUND.format(path=path)))
    if not gone:
        return
    with session_scope(engine) as session:
        writer = DocumentWriter(session, index, default_splitter(), report)
        for document_id in gone:
            writer.remove(document_id)
        writer.flush_index()


def ingest_document(
    *,
    engine: Engine,
    index: ChunkIndex,
    doc: LoadedDocument,
    origin: DocumentOrigin,
    splitter: Splitter | None = None,
) -> int:
    """Store (or replace) one document that does not come from a file, e.g. a department's
    answer published as guidance. Returns the document id."""
    report = IngestReport()
    with session_scope(engine) as session:
        writer = DocumentWriter(session, index, splitter or default_splitter(), report)
        row = writer.put(doc, origin, {})
        writer.flush_index()
    assert row.id is not None
    return row.id


def delete_document(*, engine: Engine, index: ChunkIndex, document_id: int) -> bool:
    """Remove a document and its chunks; False when there is no such document."""
    with session_scope(engine) as session:
        if session.get(Document, document_id) is None:
            return False
        writer = DocumentWriter(session, index, default_splitter(), IngestReport())
        writer.remove(document_id)
        writer.flush_index()
    return True


def set_document_status(
    *,
    engine: Engine,
    document_id: int,
    status: DocumentStatus | str,
    index: ChunkIndex | None = None,
) -> bool:
    """Mark a document còn hiệu lực / đã sửa đổi / hết hiệu lực. With `index`, its chunks are
    re-added so whatever the index keeps about the document follows. False if not found."""
    value = DocumentStatus(normalize_status(str(status)))
    with session_scope(engine) as session:
        row = session.get(Document, document_id)
        if row is None:
            return False
        row.status = value
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
        if index is not None:
            chunks = list(session.exec(select(Chunk).where(col(Chunk.document_id) == document_id)))
            index.remove([chunk.id for chunk in chunks])
            index.add([(chunk, row) for chunk in chunks])
    return True


def set_article_status(*, engine: Engine, document_id: int, article: str, status: str) -> bool:
    """Override one article's status (`article` = Chunk.article, or Chunk.part of a procedure);
    an empty `status` removes the override, so the article follows its document again.
    False if there is no such document or article."""
    value = normalize_status(status) if status.strip() else ""
    with session_scope(engine) as session:
        row = session.get(Document, document_id)
        if row is None:
            return False
        keys = select(Chunk.id).where(col(Chunk.document_id) == document_id)
        keys = keys.where((col(Chunk.article) == article) | (col(Chunk.part) == article))
        if not article or session.exec(keys.limit(1)).first() is None:
            return False
        overrides = {k: v for k, v in (row.article_status or {}).items() if k != article}
        if value and value != str(row.status):
            overrides[article] = value
        row.article_status = overrides  # a new dict: the JSON column sees the change
        row.updated_at = utcnow()
        session.add(row)
    return True
