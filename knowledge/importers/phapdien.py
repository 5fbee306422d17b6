"""The Ministry of Justice's Bộ Pháp điển: a đề mục's HTML export and the article CSV.

HTML (phapdien.moj.gov.vn, one fragment per đề mục): `pChuong` chapter and section lines,
`pDieu` the article heading "Điều 15.3.NĐ.1.9. <title>", `pGhiChu` its source note (the text,
article, effective date, vbpl.vn link), `pNoiDung` the body, `pChiDan` cross-references. The
body's `<p>` is sometimes never closed, so the fragment is cut at each class marker instead of
being read as a tree: whatever follows a marker up to the next one belongs to it.

CSV (the 2023 export: `ten`, `noidung`, `vbqppl`, `vbqppl_link`): one row per article; its
rows are grouped by the source text they codify, one document per text, each article numbered
as in that text ("Điều 9" of Nghị định 123/2015/NĐ-CP).
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from knowledge import texts
from knowledge.importers.notes import SourceNote, parse_source_note
from knowledge.metadata import issuer_from_number
from knowledge.normalize import normalize_text
from knowledge.types import ArticleDraft, DocumentMeta, LoadedDocument

_MARKER = re.compile(r"""<p\s+class=['"](pChuong|pDieu|pGhiChu|pNoiDung|pChiDan)['"][^>]*>""", re.I)
_HEADING = re.compile(r"<h3[^>]*>(.*?)</h3>", re.I | re.S)
_BREAK = re.compile(r"<\s*(?:br|/p|p|/tr|/div|div|/li)\b[^>]*>", re.I)
_CELL = re.compile(r"<\s*/t[dh]\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r"""href=['"]([^'"]+)['"]""", re.I)
_ARTICLE_HEAD = re.compile(r"^Điều\s+(\d+(?:\.[\wĐđ]+)+)\.?\s*(.*)$", re.S)
_DIVISION = re.compile(r"^(Chương|Mục|Phần)\s+([\dIVXLCDM]+)\b\.?\s*(.*)$", re.I)
_CODE = re.compile(r"Đề mục\s+(\d+(?:\.\d+)*)", re.I)
_LEVELS = ("phần", "chương", "mục")  # the divisions a chapter line names, outermost first
CSV_COLUMNS = {"ten", "noidung", "vbqppl", "vbqppl_link"}
HTML_MARKERS = ("class='pDieu'", 'class="pDieu"')


def is_phapdien_html(head: str) -> bool:
    return any(marker in head for marker in HTML_MARKERS)


def is_phapdien_csv(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    return {c.strip() for c in first.split(",")} >= CSV_COLUMNS


def _text(fragment: str) -> str:
    fragment = _CELL.sub(" | ", _BREAK.sub("\n", fragment))
    lines = (" ".join(line.split()) for line in html.unescape(_TAG.sub("", fragment)).split("\n"))
    return normalize_text("\n".join(line.strip(" |") for line in lines if line.strip(" |")))


@dataclass
class _Chapters:
    """The breadcrumb of `pChuong` lines: "Chương II. ĐĂNG KÝ KHAI SINH › Mục 1. …"."""

    levels: list[tuple[str, str]] = field(default_factory=list)  # (kind, label)

    def see(self, line: str) -> None:
        found = _DIVISION.match(line)
        if found:
            kind = found.group(1).lower()
            rank = _LEVELS.index(kind)
            self.levels = [lv for lv in self.levels if _LEVELS.index(lv[0]) < rank]
            name = f"{found.group(1).capitalize()} {found.group(2)}"
            self.levels.append((kind, f"{name}. {found.group(3)}" if found.group(3) else name))
        elif self.levels:
            kind, label = self.levels[-1]
            self.levels[-1] = (kind, f"{label}. {line}" if label.count(".") == 0 else f"{label} {line}")

    def crumb(self) -> str:
        return " › ".join(label for _, label in self.levels)


def _origin(draft: ArticleDraft, note: SourceNote, url: str) -> None:
    draft.origin_number = note.number
    draft.origin_type = note.doc_type
    draft.origin_title = note.title
    draft.origin_article = note.article
    draft.origin_effective_from = note.effective_from
    draft.origin_url = url


def _fill_origin_titles(articles: list[ArticleDraft]) -> None:
    """A note names its text's title usually on the text's first article only: share it."""
    titles = {a.origin_number: a.origin_title for a in articles if a.origin_title}
    for article in articles:
        article.origin_title = article.origin_title or titles.get(article.origin_number, "")


def load_phapdien_html(raw: str, source: str) -> LoadedDocument:
    heading = _HEADING.search(raw)
    title = " ".join(_text(heading.group(1)).split()) if heading else ""
    pieces = _MARKER.split(raw)
    chapters = _Chapters()
    articles: list[ArticleDraft] = []
    for kind, fragment in zip(pieces[1::2], pieces[2::2], strict=True):
        value = _text(fragment)
        kind = kind.lower()
        if kind == "pchuong" and value:
            chapters.see(value)
        elif kind == "pdieu":
            head = _ARTICLE_HEAD.match(value)
            number, name = (head.group(1), head.group(2).strip()) if head else ("", value)
            articles.append(ArticleDraft(number=number, title=name, text="", breadcrumb=chapters.crumb()))
            articles[-1].record_id = number
        elif not articles:
            continue
        elif kind == "pghichu":
            urls = _HREF.findall(fragment)
            _origin(articles[-1], parse_source_note(value), html.unescape(urls[0]) if urls else "")
        elif kind == "pnoidung":
            articles[-1].text = "\n".join(p for p in (articles[-1].text, value) if p)
        elif kind == "pchidan" and value:
            articles[-1].references.append(value.strip("() "))
    _fill_origin_titles(articles)
    code = _CODE.search(title)
    meta = DocumentMeta(title=title, doc_type=texts.PHAPDIEN_TYPE, issuer=texts.PHAPDIEN_ISSUER)
    extra = {"demuc": code.group(1) if code else "", "compilation": True}
    return _document(source, meta, articles, extra)


def document_text(doc: LoadedDocument) -> str:
    """The full text of a document known by its articles or parts (what BM25 and hashes see)."""
    if doc.parts:
        return "\n\n".join([doc.meta.title, *(f"{name}:\n{body}" for name, body in doc.parts)])
    return "\n\n".join(
        f"{texts.ARTICLE.format(number=a.number)}. {a.title}\n{a.text}".strip() for a in doc.articles
    )


def _document(
    source: str, meta: DocumentMeta, articles: list[ArticleDraft], extra: dict[str, object]
) -> LoadedDocument:
    doc = LoadedDocument(
        source=source, text="", meta=meta, kind="legal", articles=articles, extra=dict(extra)
    )
    doc.text = document_text(doc)
    return doc


def load_phapdien_csv(raw: str, source: str) -> list[LoadedDocument]:
    """One document per source text, its articles numbered as in that text."""
    reader = csv.DictReader(io.StringIO(raw.lstrip("\ufeff")))
    by_text: dict[str, list[ArticleDraft]] = {}
    for row in reader:
        heading = normalize_text(" ".join((row.get("ten") or "").split()))
        body = normalize_text((row.get("noidung") or "").strip())
        note = parse_source_note(row.get("vbqppl") or "")
        head = _ARTICLE_HEAD.match(heading)
        code, name = (head.group(1), head.group(2).strip()) if head else ("", heading)
        if not note.number or not body:
            continue
        draft = ArticleDraft(
            number=note.article or code, title=name, text=body, record_id=code, breadcrumb=""
        )
        _origin(draft, note, (row.get("vbqppl_link") or "").strip())
        by_text.setdefault(note.number, []).append(draft)
    docs = []
    for number, articles in by_text.items():
        _fill_origin_titles(articles)
        first = articles[0]
        name = f"{first.origin_type} {first.origin_title}".strip()
        meta = DocumentMeta(
            title=name,
            number=number,
            doc_type=first.origin_type,
            issuer=issuer_from_number(number),
            effective_from=first.origin_effective_from,
            source_url=first.origin_url.split("#", 1)[0],
        )
        articles.sort(key=lambda a: _article_order(a.number))
        docs.append(_document(f"{source}#{number}", meta, articles, {"phapdien_codes": True}))
    return docs


def _article_order(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group(0)) if digits else 0, number)
