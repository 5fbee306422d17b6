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


@dataclass
class Answer:
    question: str
    text: str  # ready for one chat message (≤ 2,000 characters)
    grounded: bool  # False = no guidance found: the text says so, nothing is guessed
    confidence: float
    sources: list[Source] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "answer": self.text,
            "grounded": self.grounded,
            "sources": [
                {
                    "document": s.document,
                    "number": s.number,
                    "article": s.article,
                    "clause": s.clause,
                    "score": round(s.score, 4),
                }
                for s in self.sources
            ],
        }


class Guidance(Protocol):
    """What conversations need from the knowledge engine (fakes implement this in tests)."""

    def ask(self, question: str) -> Answer: ...

    def full_text(self, chunk_id: str) -> str:
        """The whole article (or procedure part) a chunk comes from, with its citation."""
        ...
