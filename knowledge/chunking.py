"""Split documents along legal structure: Phần/Chương/Mục › Điều › Khoản › Điểm.

The indexing unit is the article when it fits the embedding window (≈ 512 e5 tokens, about
1,800 characters of Vietnamese); longer articles become windows of whole clauses (a clause
longer than a window is cut between its points). Every chunk knows its breadcrumb and its
article/clause/point numbers; answers later pick the best clause inside the chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.normalize import normalize_text
from knowledge.types import ArticleDraft, ChunkDraft, LoadedDocument

MAX_CHARS = 1800  # a whole article up to this size stays one chunk
WINDOW_CHARS = 1500  # target size of the windows a longer article is cut into
PREAMBLE_CHARS = 300
# e5 sees the heading and the first ~200 tokens of a chunk. Measured on the dev split: embedding
# whole chunks (1,800 characters) costs ~2x the embedding time and ranks slightly worse
# (MRR@10 0.918 against 0.920 before the heading/definition bonuses): BM25 reads the full text.
EMBED_MAX_CHARS = 800
# Part of every ingested file's fingerprint: changing a size re-reads and re-chunks everything.
CHUNKING_KEY = f"{MAX_CHARS}/{WINDOW_CHARS}/{PREAMBLE_CHARS}/{EMBED_MAX_CHARS}"

_DIVISION = re.compile(r"^(phần|chương|mục)\s+([0-9]+|[ivxlcdm]+|thứ\s+\S+)\b[.:]?", re.IGNORECASE)
_ARTICLE = re.compile(r"^điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$", re.IGNORECASE)
_CLAUSE = re.compile(r"^(\d{1,3})\s*[.)]\s+\S")
_POINT = re.compile(r"^([a-zđ])\)\s+\S")
_RECORD_ARTICLE = re.compile(r"::\s*(\d+[a-zđ]?)\s*$")


@dataclass
class _Article:
    number: str
    title: str
    divisions: list[str]
    paragraphs: list[str] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in normalize_text(text).split("\n") if line.strip()]


class Embeddable(Protocol):
    text: str
    article_title: str
    part: str


def embedding_text(draft: Embeddable, max_chars: int | None = None) -> str:
    """The text that is embedded (and hashed for the embedding cache) for a chunk.

    Deliberately independent of the document's title, so the same article embeds the same
    way whatever metadata the loader extracted.
    """
    head = draft.article_title or draft.part
    text = f"{head}\n\n{draft.text}" if head else draft.text
    limit = max_chars or EMBED_MAX_CHARS
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def split_clauses(text: str) -> list[tuple[str, str]]:
    """(clause number or "", text) blocks of an article body; points stay with their clause."""
    blocks: list[tuple[str, list[str]]] = []
    for para in _paragraphs(text):
        match = _CLAUSE.match(para)
        if match or not blocks:
            blocks.append((match.group(1) if match else "", [para]))
        else:
            blocks[-1][1].append(para)
    return [(number, "\n".join(lines)) for number, lines in blocks]


def split_points(clause: str) -> list[tuple[str, str]]:
    blocks: list[tuple[str, list[str]]] = []
    for para in clause.split("\n"):
        match = _POINT.match(para)
        if match or not blocks:
            blocks.append((match.group(1) if match else "", [para]))
        else:
            blocks[-1][1].append(para)
    return [(letter, "\n".join(lines)) for letter, lines in blocks]


def _span(first: str, last: str) -> str:
    first = first or "a"  # a clause's lead-in sits before its point a)
    return first if first == last else f"{first}-{last}"


def _windows(units: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Pack consecutive (number, text) units into windows: (first, last, text)."""
    out: list[tuple[str, str, str]] = []
    current: list[tuple[str, str]] = []
    size = 0
    for number, text in units:
        if current and size + len(text) > WINDOW_CHARS:
            out.append((current[0][0], current[-1][0], "\n".join(t for _, t in current)))
            current, size = [], 0
        current.append((number, text))
        size += len(text) + 1
    if current:
        out.append((current[0][0], current[-1][0], "\n".join(t for _, t in current)))
    return out


def _article_chunks(doc_title: str, art: _Article) -> list[ChunkDraft]:
    base = " › ".join([doc_title, *art.divisions, f"Điều {art.number}" if art.number else ""]).strip(" ›")
    body = "\n".join(art.paragraphs)

    def draft(text: str, clause: str = "", point: str = "") -> ChunkDraft:
        crumb = base + (f" › Khoản {clause}" if clause else "") + (f" › Điểm {point}" if point else "")
        return ChunkDraft(
            text=text,
            breadcrumb=crumb,
            article=art.number,
            article_title=art.title,
            clause=clause,
            point=point,
        )

    if len(body) <= MAX_CHARS:
        return [draft(body)]
    chunks: list[ChunkDraft] = []
    for number, clause_text in split_clauses(body):
        if len(clause_text) <= WINDOW_CHARS:
            chunks.append(draft(clause_text, number))
            continue
        for first, last, text in _windows(split_points(clause_text)):
            chunks.append(draft(text, number, _span(first, last) if first or last else ""))
    # Merge neighbouring small clauses back into windows (fewer, richer chunks).
    merged: list[ChunkDraft] = []
    for chunk in chunks:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and not prev.point
            and not chunk.point
            and len(prev.text) + len(chunk.text) < WINDOW_CHARS
        ):
            first = prev.clause.split("-")[0]
            merged[-1] = draft(prev.text + "\n" + chunk.text, _span(first, chunk.clause) if first else "")
        else:
            merged.append(chunk)
    return merged


def _parse_articles(doc: LoadedDocument) -> list[_Article]:
    paragraphs = _paragraphs(doc.text)
    articles: list[_Article] = []
    divisions: dict[str, str] = {}
    order = ("phần", "chương", "mục")
    pending_heading = ""
    for para in paragraphs:
        if division := _DIVISION.match(para):
            level = division.group(1).lower()
            divisions[level] = para if len(para) < 120 else para[:120]
            for deeper in order[order.index(level) + 1 :]:
                divisions.pop(deeper, None)
            pending_heading = level
            continue
        if article := _ARTICLE.match(para):
            crumbs = [divisions[k] for k in order if k in divisions]
            articles.append(_Article(article.group(1), article.group(2).strip(), crumbs))
            pending_heading = ""
            continue
        if (pending_heading and not articles) or (pending_heading and para.isupper()):
            # The name line under "Chương II" ("QUYỀN, NGHĨA VỤ …") belongs to the heading.
            divisions[pending_heading] += f". {para}"
            pending_heading = ""
            continue
        if not articles:
            articles.append(_Article("", "", []))
        articles[-1].paragraphs.append(para)
    # A short preamble (the header "QUỐC HỘI … Luật số …") answers nothing.
    if (
        len(articles) > 1
        and not articles[0].number
        and len("\n".join(articles[0].paragraphs)) < PREAMBLE_CHARS
    ):
        articles = articles[1:]
    return [a for a in articles if a.paragraphs or a.title]


def _record_article(doc: LoadedDocument) -> list[_Article]:
    """A corpus record is one article: "heading\\n\\nbody", number in the record id."""
    paragraphs = _paragraphs(doc.text)
    match = _RECORD_ARTICLE.search(doc.record_id)
    number = match.group(1) if match else ""
    title = ""
    if paragraphs and not _CLAUSE.match(paragraphs[0]):
        head = _ARTICLE.match(paragraphs[0])
        title = head.group(2).strip() if head else paragraphs[0]
        if head:
            number = number or head.group(1)
        paragraphs = paragraphs[1:]
    return [_Article(number, title, [], paragraphs or [title])]


def _procedure_chunks(doc: LoadedDocument) -> list[ChunkDraft]:
    name = doc.meta.title
    chunks: list[ChunkDraft] = []
    for part, text in doc.parts:
        units = [("", p) for p in _paragraphs(text)]
        for _, _, window in (
            _windows(units) if len(text) > MAX_CHARS else [("", "", "\n".join(u for _, u in units))]
        ):
            if window.strip():
                chunks.append(
                    ChunkDraft(text=window, breadcrumb=f"{name} › {part}", article_title=name, part=part)
                )
    return chunks


def _draft_chunks(title: str, draft: ArticleDraft) -> list[ChunkDraft]:
    """The chunks of one article a loader already found, carrying its origin and record id."""
    divisions = [crumb.strip() for crumb in draft.breadcrumb.split("›") if crumb.strip()]
    paragraphs = _paragraphs(draft.text)
    art = _Article(draft.number, draft.title.strip(), divisions, paragraphs or [draft.title.strip()])
    chunks = _article_chunks(title, art)
    for chunk in chunks:
        chunk.origin_number = draft.origin_number
        chunk.origin_type = draft.origin_type
        chunk.origin_article = draft.origin_article
        chunk.record_id = draft.record_id
    return chunks


def split_document(doc: LoadedDocument) -> list[ChunkDraft]:
    if doc.kind == "procedure" and doc.parts:
        return _procedure_chunks(doc)
    if doc.articles:
        found = [c for draft in doc.articles for c in _draft_chunks(doc.meta.title, draft)]
        return [c for c in found if c.text.strip()]
    title = doc.meta.title
    if doc.record_id and _RECORD_ARTICLE.search(doc.record_id):
        articles = _record_article(doc)
    else:
        articles = _parse_articles(doc)
    chunks: list[ChunkDraft] = []
    for art in articles:
        chunks.extend(_article_chunks(title, art))
    return [c for c in chunks if c.text.strip()]


def record_article_draft(doc: LoadedDocument) -> ArticleDraft:
    """A `{id, title, text}` corpus line as the article it is, split exactly as a lone record
    is (heading, body), so that grouping lines into their law embeds the same texts."""
    art = _record_article(doc)[0]
    return ArticleDraft(
        number=art.number, title=art.title, text="\n".join(art.paragraphs), record_id=doc.record_id
    )
