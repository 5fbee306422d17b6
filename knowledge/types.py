"""Data passed between the stages of the knowledge engine, and the seam handlers use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


@dataclass
class DocumentMeta:
    title: str = ""
    number: str = ""  # 68/2020/QH14
    doc_type: str = ""  # Luật, Nghị định, Thông tư, Quyết định, Công văn, Hướng dẫn, Thủ tục hành chính
    issuer: str = ""
    issued_date: date | None = None
    status: str = "in_force"  # core.models.DocumentStatus value
    field: str = ""
    department_code: str = ""
    # Validity over time (issue 10): a text past `effective_to` is never cited as current; one
    # not yet in force is cited with a warning naming `effective_from`; `replaced_by` names the
    # text that takes over (from `effective_to`).
    effective_from: date | None = None
    effective_to: date | None = None
    replaced_by: str = ""
    source_url: str = ""  # where an official can read the original (vbpl.vn, dichvucong.gov.vn)


@dataclass
class ArticleDraft:
    """One article of a document as a loader found it, when the loader knows the structure.

    A compilation (a Pháp điển đề mục) gathers articles of several source texts: `origin_*`
    name the text an official can look up ("Điều 9 Nghị định số 123/2015/NĐ-CP"), and the
    citation uses them instead of the compilation's own number.
    """

    number: str  # "9" (Điều 9), or "15.3.LQ.9" for a compilation's own article numbering
    title: str  # the heading after "Điều 9."
    text: str  # the body: clauses and points, split by the chunker as any law's
    record_id: str = ""  # the corpus id of a `{id, title, text}` line (eval maps chunks back)
    breadcrumb: str = ""  # "Chương II › Mục 1"
    origin_number: str = ""  # 123/2015/NĐ-CP
    origin_type: str = ""  # Nghị định
    origin_title: str = ""  # Nghị định quy định chi tiết một số điều … Luật Hộ tịch
    origin_article: str = ""  # "9"
    origin_effective_from: date | None = None
    origin_url: str = ""
    references: list[str] = field(default_factory=list)  # cross-references (Pháp điển pChiDan)


@dataclass
class LoadedDocument:
    """What a loader produces from one file or one JSONL record."""

    source: str  # unique: file path, or "file.jsonl#record-id"
    text: str  # full text, NFC-normalised
    meta: DocumentMeta
    kind: str = "legal"  # "legal" (split on Phần/Chương/Mục/Điều/Khoản/Điểm) | "procedure" | "plain"
    parts: list[tuple[str, str]] = field(default_factory=list)  # procedure: (part name, text)
    record_id: str = ""  # the JSONL record id (maps chunks back to corpus ids in eval)
    extra: dict[str, Any] = field(default_factory=dict)  # stored in Document.extra (law, level…)
    articles: list[ArticleDraft] = field(default_factory=list)  # when the loader knows them


@dataclass
class ChunkDraft:
    """A piece of a document before it is stored and indexed."""

    text: str
    breadcrumb: str = ""  # "Luật Cư trú 68/2020/QH14 › Chương III › Điều 20 › Khoản 1"
    article: str = ""
    article_title: str = ""
    clause: str = ""
    point: str = ""
    part: str = ""  # procedure part
    # Where the article comes from when the document compiles several texts (a Pháp điển
    # đề mục): the citation names "Điều 9 Nghị định số 123/2015/NĐ-CP", not the đề mục.
    origin_number: str = ""  # 123/2015/NĐ-CP
    origin_type: str = ""  # Nghị định
    origin_article: str = ""  # "9"
    record_id: str = ""  # the article's corpus id, when the loader knew it


@dataclass
class Source:
    document: str  # document title
    number: str  # document number
    article: str
    clause: str
    score: float
    chunk_id: str = ""
    document_id: int = 0
    point: str = ""
    part: str = ""
    citation: str = ""  # "Điều 20 khoản 1 Luật Cư trú số 68/2020/QH14"
    record_id: str = ""
    status: str = "in_force"  # the document's core.models.DocumentStatus value (on the day asked)
    status_label: str = ""  # in words, that day: "còn hiệu lực", "chưa có hiệu lực, có hiệu lực từ …"

    def to_json(self) -> dict[str, object]:
        return {
            "document": self.document,
            "number": self.number,
            "article": self.article,
            "clause": self.clause,
            "point": self.point,
            "part": self.part,
            "status": self.status,
            "status_label": self.status_label,
            "citation": self.citation,
            "score": round(self.score, 4),
        }


@dataclass
class Answer:
    question: str
    text: str  # ready for one chat message (≤ 2,000 characters)
    grounded: bool  # False = no guidance found: the text says so, nothing is guessed
    confidence: float
    sources: list[Source] = field(default_factory=list)
    # "answer" (grounded, cites sources[0]); "related" (not an answer: the sources are articles
    # that may be related); "not_found" (a refusal, no sources). knowledge.answering.Kind values.
    kind: str = "not_found"
    lead: str = ""  # the extracted sentence(s) that answer the question, when kind is "answer"

    def __post_init__(self) -> None:
        if self.grounded and self.kind == "not_found":
            self.kind = "answer"

    def to_json(self) -> dict[str, object]:
        """What clients read (web chat messages, `troly ask --json`)."""
        return {
            "answer": self.text,
            "grounded": self.grounded,
            "kind": self.kind,
            "sources": [s.to_json() for s in self.sources],
        }


class Guidance(Protocol):
    """What conversations need from the knowledge engine (fakes implement this in tests)."""

    def ask(self, question: str) -> Answer: ...

    def full_text(self, chunk_id: str) -> str:
        """The whole article (or procedure part) a chunk comes from, with its citation."""
        ...
