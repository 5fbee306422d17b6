"""Storing documents: their rows, their chunks and the index entries, kept in step.

`DocumentWriter` does the database work of one transaction and queues the matching index
calls; `flush_index()` runs them before the transaction commits, so an index failure rolls
the database back. Chunk ids are stable (hash of source, ordinal and text) and
`Chunk.content_hash` is the hash of the text that gets embedded (the embedding cache key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from sqlmodel import Session, col, delete, select

from core.clock import utcnow
from core.models import Chunk, Document, DocumentOrigin, DocumentStatus
from knowledge.authority.store import clear_document_authority, sync_document_authority
from knowledge.chunking import CHUNKING_KEY
from knowledge.sidecar import meta_values, sidecar_path
from knowledge.types import ChunkDraft, DocumentMeta, LoadedDocument

# Bump the first part when loaders or the chunker's logic change what they produce: every
# file is then re-read (the chunk sizes are part of it already).
INGEST_VERSION = f"2:{CHUNKING_KEY}"  # 2: documents as documents (issue 10)
INDEX_BATCH = 512

Splitter = Callable[[LoadedDocument], list[ChunkDraft]]


class ChunkIndex(Protocol):
    """What ingestion needs from the search index (knowledge.index.SearchIndex)."""

    def add(self, chunks: list[tuple[Chunk, Document]]) -> None: ...

    def remove(self, chunk_ids: list[str]) -> None: ...


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, Vietnamese reason)
    # Records a loader left out on purpose (customs or tax records, duplicates): (id, reason).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def default_splitter() -> Splitter:
    from knowledge.chunking import split_document

    return split_document


def content_hash(doc: LoadedDocument) -> str:
    """Hash of what a document's chunks and citations are made from."""
    values = meta_values(doc.meta)
    values["issued_date"] = values["issued_date"].isoformat() if values["issued_date"] else ""
    payload: list[object] = [INGEST_VERSION, doc.text, doc.kind, doc.parts, doc.record_id, doc.extra, values]
    if doc.articles:  # breadcrumbs and origins are not in the text (appended only when present:
        # documents without articles keep their hash, so nothing is re-indexed for it)
        payload.append([asdict(article) for article in doc.articles])
    return sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))


def file_key(path: Path, defaults: DocumentMeta | None) -> str:
    """Fingerprint deciding whether a file must be read again at all."""
    digest = hashlib.sha256(INGEST_VERSION.encode())
    digest.update(path.read_bytes())
    side = sidecar_path(path)
    if side.is_file():
        digest.update(side.read_bytes())
    if defaults is not None:
        digest.update(json.dumps(meta_values(defaults), sort_keys=True, default=str).encode())
    return digest.hexdigest()


def chunk_id(source: str, ordinal: int, text: str) -> str:
    return sha256(f"{source}\n{ordinal}\n{text}")[:32]


def build_chunks(doc: LoadedDocument, document_id: int, drafts: list[ChunkDraft]) -> list[Chunk]:
    from knowledge.chunking import embedding_text

    return [
        Chunk(
            id=chunk_id(doc.source, ordinal, draft.text),
            document_id=document_id,
            ordinal=ordinal,
            text=draft.text,
            breadcrumb=draft.breadcrumb,
            article=draft.article[:20],
            article_title=draft.article_title,
            clause=draft.clause[:20],
            point=draft.point[:20],
            part=draft.part[:50],
            content_hash=sha256(embedding_text(draft)),
            record_id=(draft.record_id or doc.record_id)[:300],
            origin_number=draft.origin_number[:100],
            origin_type=draft.origin_type[:50],
            origin_article=draft.origin_article[:20],
            origin_title=_origin(doc, draft)[1],
            origin_effective_from=_origin(doc, draft)[0],
        )
        for ordinal, draft in enumerate(drafts)
    ]


ORIGIN_TITLE_CHARS = 60  # "Hộ tịch" names the law; a decree's long title stays out of a citation


def _origin(doc: LoadedDocument, draft: ChunkDraft) -> tuple[date | None, str]:
    """(when it took effect, its short title) of the source text of a compilation's article,
    from the loader's ArticleDraft."""
    if not draft.origin_number:
        return None, ""
    for candidate in doc.articles:
        if (candidate.origin_number, candidate.origin_article) == (draft.origin_number, draft.origin_article):
            title = candidate.origin_title.strip()
            return candidate.origin_effective_from, title if len(title) <= ORIGIN_TITLE_CHARS else ""
    return None, ""


def article_count(drafts: list[ChunkDraft]) -> int:
    """Distinct articles (or procedure parts) among a document's chunks."""
    keys = {draft.article or draft.part for draft in drafts}
    return len(keys) if drafts else 0


def _fill(
    row: Document, doc: LoadedDocument, origin: DocumentOrigin, extra: dict[str, Any], *, existing: bool
) -> None:
    meta = doc.meta
    row.content_hash = content_hash(doc)
    row.title = meta.title
    row.number = meta.number[:100]
    row.doc_type = meta.doc_type[:50]
    row.issuer = meta.issuer[:300]
    row.issued_date = meta.issued_date
    # What an admin set by hand (status, field, department, an upload's origin) survives
    # re-reading a changed file, unless the file's sidecar or the run itself sets a value.
    if not existing or meta.status != DocumentStatus.in_force:
        row.status = DocumentStatus(meta.status)
    if not existing or meta.field:
        row.field = meta.field[:200]
    if not existing or meta.department_code:
        row.department_code = meta.department_code[:20]
    if not existing or origin != DocumentOrigin.file:
        row.origin = origin
    # Validity over time: from the file or its sidecar; dates set on the admin page survive a
    # re-read of a file that does not carry them.
    if not existing or meta.effective_from:
        row.effective_from = meta.effective_from
    if not existing or meta.effective_to:
        row.effective_to = meta.effective_to
    if not existing or meta.replaced_by:
        row.replaced_by = meta.replaced_by[:300]
    if not existing or meta.source_url:
        row.source_url = meta.source_url[:1000]
    row.extra = {**doc.extra, "kind": doc.kind, "record_id": doc.record_id, **extra}
    row.updated_at = utcnow()


class DocumentWriter:
    """The database and index work of one transaction, counted into a report."""

    def __init__(self, session: Session, index: ChunkIndex, splitter: Splitter, report: IngestReport):
        self.session, self.index, self.splitter, self.report = session, index, splitter, report
        self._pending: list[tuple[LoadedDocument, Document, list[ChunkDraft]]] = []
        self._previous: dict[int, dict[str, str]] = {}  # replaced documents: old chunk id → hash
        self.to_remove: list[str] = []
        self.to_add: list[tuple[Chunk, Document]] = []

    def _drop_chunks(self, document_id: int, *, replacing: bool = False) -> None:
        """Delete a document's chunk rows. When `replacing` them, the index work waits for the
        new chunks: only those that differ are re-added and only those gone are removed (a
        law re-read for one changed article does not re-index its hundreds of others)."""
        query = select(Chunk.id, Chunk.content_hash).where(Chunk.document_id == document_id)
        rows = dict(self.session.exec(query).all())
        if rows:
            self.session.exec(delete(Chunk).where(col(Chunk.document_id) == document_id))  # type: ignore[call-overload]
        if replacing:
            self._previous[document_id] = rows
            return
        self.to_remove.extend(rows)
        self.report.chunks_removed += len(rows)

    def put(
        self,
        doc: LoadedDocument,
        origin: DocumentOrigin,
        extra: dict[str, Any],
        existing_id: int | None = None,
        lookup: bool = True,
    ) -> Document:
        """Add or replace a document; its chunks are written at the next `flush_index()`.
        `existing_id` names the row to replace; without it the row is looked up by source
        unless the caller already knows there is none (`lookup=False`)."""
        row: Document | None = None
        if existing_id is not None:
            row = self.session.get(Document, existing_id)
        elif lookup:
            row = self.session.exec(select(Document).where(Document.source == doc.source)).first()
        existing = row is not None and row.id is not None
        if row is not None and row.id is not None:
            self._drop_chunks(row.id, replacing=True)
            self.report.updated += 1
        else:
            row = Document(source=doc.source, content_hash="")
            self.report.added += 1
        drafts = self.splitter(doc)
        _fill(row, doc, origin, extra, existing=existing)
        row.chunk_count = len(drafts)
        row.article_count = article_count(drafts)
        self.session.add(row)
        self._pending.append((doc, row, drafts))
        return row

    def _write_chunks(self) -> None:
        self.session.flush()  # one flush gives every new document its id
        for doc, row, drafts in self._pending:
            assert row.id is not None
            chunks = build_chunks(doc, row.id, drafts)
            self.session.add_all(chunks)
            previous = self._previous.pop(row.id, {})
            changed = [chunk for chunk in chunks if previous.get(chunk.id) != chunk.content_hash]
            gone = sorted(set(previous) - {chunk.id for chunk in chunks})
            self.to_add.extend((chunk, row) for chunk in changed)
            self.to_remove.extend(gone)
            self.report.chunks_added += len(changed)
            self.report.chunks_removed += len(gone)
            # issue 14 hook: the authority map follows the decree (rows replaced on every write)
            sync_document_authority(self.session, document_id=row.id, text=doc.text, number=row.number)
        self._pending = []

    def remove(self, document_id: int) -> None:
        self._drop_chunks(document_id)
        clear_document_authority(self.session, document_id=document_id)  # issue 14 hook
        self.session.exec(delete(Document).where(col(Document.id) == document_id))  # type: ignore[call-overload]
        self.report.removed += 1

    def flush_index(self) -> None:
        """Write pending chunks, then make the index match (before the caller commits)."""
        self._write_chunks()
        self.session.flush()
        if self.to_remove:
            self.index.remove(self.to_remove)
        for start in range(0, len(self.to_add), INDEX_BATCH):
            self.index.add(self.to_add[start : start + INDEX_BATCH])
        self.to_remove, self.to_add = [], []
