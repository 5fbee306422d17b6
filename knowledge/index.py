"""SearchIndex: the lexical index (BM25, rebuilt from the database) and the dense index
(Chroma, persistent) over the same chunks.

Chroma never embeds anything itself: the collection is created with
`embedding_function=None` and every vector comes from our `Embeddings` (cached by text hash).
The in-memory catalogue keeps, per chunk, what retrieval needs without a database round trip
(document, status, record id); it is reloaded from the database whenever chunks change.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Chunk, Document
from knowledge.chunking import embedding_text
from knowledge.definitions import defined_terms
from knowledge.embeddings import CachedEmbeddings
from knowledge.intent import Intent, heading_intent
from knowledge.lexical import LexicalIndex, load_or_build
from knowledge.named import ArticleCatalogue, Resolution, named_as
from knowledge.terms import content_bigrams
from knowledge.validity import effective_status

log = logging.getLogger(__name__)

COLLECTION = "guidance_chunks"
# HNSW candidates explored per query (Chroma's default is 100, as many as retrieval asks for):
# with 100 the last of the 100 neighbours is approximate and differs from one process to the
# next, which moves the cosine normalisation, so a question could get another reply after a
# restart. With 500 the top 100 is the exact one (bench/dense_exact.py).
EF_SEARCH = 500
BREADTH_ATTEMPTS = 3  # setting it on an older index is retried (embedded Chroma: a busy store)


@dataclass(frozen=True)
class ChunkInfo:
    chunk_id: str
    document_id: int
    status: str
    record_id: str
    heading: frozenset[str] = frozenset()  # folded topic pairs of the article or procedure name
    # Validity over time, checked at search time (knowledge.validity.citable_on) so that a
    # document switches on its date without a reload.
    effective_from: date | None = None
    effective_to: date | None = None
    # What the heading says it answers and about what ("Thẩm quyền | đăng ký khai tử": a body,
    # for the pairs of "đăng ký khai tử"); general and empty for other headings.
    answers: Intent = Intent.general
    answers_about: frozenset[str] = frozenset()


def heading_pairs(chunk: Chunk, document: Document) -> frozenset[str]:
    """Topic pairs of what the chunk is about by name: the article heading of a law, the
    procedure's name for a procedure part ("Điều kiện kết hôn", "Đăng ký khai sinh")."""
    name = chunk.article_title or (document.title if chunk.part else "")
    return frozenset(content_bigrams(name)) if name else frozenset()


def heading_answers(chunk: Chunk) -> tuple[Intent, frozenset[str]]:
    """What an article's heading says it answers, and the topic pairs of the rest of it."""
    intent, rest = heading_intent(chunk.article_title) if chunk.article_title else (Intent.general, "")
    return intent, frozenset(content_bigrams(rest)) if rest else frozenset()


def lexical_text(chunk: Chunk, document: Document) -> str:
    """What BM25 sees: the document's name and the article heading belong to every chunk."""
    return "\n".join(p for p in (document.title, chunk.article_title, chunk.text) if p)


def record_id_of(document: Document, chunk: Chunk | None = None) -> str:
    """The corpus id evaluation maps a chunk back to: its article's, else its document's."""
    if chunk is not None and chunk.record_id:
        return chunk.record_id
    extra = document.extra or {}
    if extra.get("record_id"):
        return str(extra["record_id"])
    return document.source.rpartition("#")[2] if "#" in document.source else document.source


def make_chroma_client(chroma_url: str, chroma_dir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)


class SearchIndex:
    def __init__(
        self,
        *,
        engine: Engine,
        embeddings: CachedEmbeddings,
        chroma_client: Any,
        cache_dir: Path,
        collection: str = COLLECTION,
    ) -> None:
        self.engine = engine
        self.embeddings = embeddings
        self.cache_dir = cache_dir
        self._client = chroma_client
        self._collection = chroma_client.get_or_create_collection(
            collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
        )
        self._search_breadth()
        self._lock = threading.RLock()
        self._lexical: LexicalIndex | None = None
        self._catalogue: dict[str, ChunkInfo] = {}
        self._definitions: dict[str, frozenset[str]] = {}  # folded term → chunks defining it
        self._articles = ArticleCatalogue()  # chunks by article number, for "Điều 27 Luật Cư trú"
        self._dirty = True

    # --- writes (called by ingest) ---------------------------------------------------------
    def add(self, chunks: list[tuple[Chunk, Document]], progress: bool = False) -> None:
        if not chunks:
            return
        texts = [embedding_text(chunk) for chunk, _ in chunks]
        vectors = self.embeddings.embed_array(texts, progress=progress)
        with self._lock:
            for i in range(0, len(chunks), 1000):
                part = chunks[i : i + 1000]
                self._collection.upsert(
                    ids=[c.id for c, _ in part],
                    embeddings=vectors[i : i + len(part)].tolist(),
                    metadatas=[{"document_id": int(d.id or 0)} for _, d in part],
                )
            self._dirty = True

    def remove(self, chunk_ids: list[str]) -> None:
        if not chunk_ids:
            return
        with self._lock:
            for i in range(0, len(chunk_ids), 1000):
                self._collection.delete(ids=list(chunk_ids[i : i + 1000]))
            self._dirty = True

    def mark_changed(self) -> None:
        """Document metadata (e.g. status) changed: reload the catalogue before the next search."""
        with self._lock:
            self._dirty = True

    # --- reads ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """(Re)load the catalogue and BM25 from the database if anything changed."""
        with self._lock:
            if not self._dirty and self._lexical is not None:
                return
            with Session(self.engine) as session:
                rows = session.exec(
                    select(Chunk, Document).where(Chunk.document_id == Document.id).order_by(Chunk.id)
                ).all()
            ids = [c.id for c, _ in rows]
            texts = [lexical_text(c, d) for c, d in rows]
            self._lexical = load_or_build(self.cache_dir, ids, texts)
            definitions: dict[str, set[str]] = {}
            for c, _ in rows:
                for term in defined_terms(c.text):
                    definitions.setdefault(term, set()).add(c.id)
            self._definitions = {term: frozenset(ids) for term, ids in definitions.items()}
            articles = ArticleCatalogue()
            for c, d in rows:
                articles.add(c.id, *named_as(c, d))
            self._articles = articles
            self._catalogue = {
                c.id: ChunkInfo(
                    c.id,
                    int(d.id or 0),
                    effective_status(str(d.status), d.article_status, c.article or c.part),
                    record_id_of(d, c),
                    heading_pairs(c, d),
                    d.effective_from,
                    d.effective_to,
                    *heading_answers(c),
                )
                for c, d in rows
            }
            self._dirty = False

    def snapshot(self) -> tuple[LexicalIndex, dict[str, ChunkInfo]]:
        self.refresh()
        with self._lock:
            assert self._lexical is not None
            return self._lexical, self._catalogue

    def named(self, question: str) -> Resolution:
        """The article the question names by number in a document it names, and its chunks
        (or the named article the named document lacks)."""
        self.refresh()
        with self._lock:
            articles = self._articles
        return articles.resolve(question)

    def defining(self, term: str) -> frozenset[str]:
        """Chunks with a line defining `term` (folded, see knowledge.definitions)."""
        self.refresh()
        with self._lock:
            return self._definitions.get(term, frozenset()) if term else frozenset()

    def _search_breadth(self) -> None:
        """An index created before EF_SEARCH keeps its own breadth until told: it is set here
        (stored with the collection; Chroma applies it when the index is next loaded)."""
        hnsw = (getattr(self._collection, "configuration", None) or {}).get("hnsw") or {}
        if hnsw.get("ef_search", EF_SEARCH) == EF_SEARCH:
            return
        for attempt in range(1, BREADTH_ATTEMPTS + 1):
            try:
                self._collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
                log.info("vector index search breadth set to %d (from the next start)", EF_SEARCH)
                return
            except Exception as exc:  # an older Chroma server: answers stay, only less stable
                if attempt == BREADTH_ATTEMPTS:
                    log.warning("vector index search breadth not set: %s", type(exc).__name__)
                else:  # embedded Chroma may be busy with its own store for a moment: try again
                    time.sleep(0.2 * attempt)

    def dense(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks."""
        count = self._collection.count()
        if count == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector.tolist()], n_results=min(n, count), include=["distances"]
        )
        return [
            (cid, 1.0 - float(dist))
            for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def vector_count(self) -> int:
        return int(self._collection.count())

    def ensure_vectors(self, progress: bool = False) -> int:
        """Re-add chunks that are in the database but not in Chroma (e.g. a fresh Chroma
        directory or server); returns how many were added."""
        self.refresh()
        with self._lock:
            known = set(self._catalogue)
        present: set[str] = set()
        ids = list(known)
        for i in range(0, len(ids), 2000):
            present.update(self._collection.get(ids=ids[i : i + 2000], include=[])["ids"])
        missing = known - present
        if missing:
            with Session(self.engine) as session:
                rows = session.exec(
                    select(Chunk, Document).where(Chunk.document_id == Document.id, Chunk.id.in_(missing))  # type: ignore[attr-defined]
                ).all()
            self.add([(c, d) for c, d in rows], progress=progress)
        return len(missing)
