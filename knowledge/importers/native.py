"""The product's own document format: JSON Lines, written and read by our code.

A file holds one or more documents. A document starts with its header line

    {"format": "troly-document/1", "id": "123/2015/NĐ-CP", "kind": "legal",
     "meta": {"title": …, "number": …, "doc_type": …, "issuer": …, "issued_date": "2015-11-15",
              "effective_from": "2016-01-01", "effective_to": null, "replaced_by": "",
              "source_url": "https://vbpl.vn/…", "status": "in_force", "field": …}, "extra": {…}}

followed by one line per article, {"article": {number, title, text, breadcrumb, record_id,
origin_number, origin_type, origin_title, origin_article, origin_effective_from, origin_url,
references}}, or per procedure part, {"part": {"name": …, "text": …}}. Dates are ISO
(YYYY-MM-DD). A document known only by its text (a law the chunker splits on Điều/Khoản/Điểm)
carries it in the header's "text" instead. The demo guidance (knowledge/demo/) ships in this
format; importers of the national sources produce what it holds, so ingesting it re-parses
nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.importers.phapdien import document_text
from knowledge.types import ArticleDraft, DocumentMeta, LoadedDocument

FORMAT = "troly-document/1"
_DATE_FIELDS = {"issued_date", "effective_from", "effective_to", "origin_effective_from"}


class NativeFormatError(ValueError):
    """A line that does not fit the format; the loader turns it into a LoadError."""


def is_native(record: dict[str, Any]) -> bool:
    return str(record.get("format", "")).startswith("troly-document/")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def document_lines(doc: LoadedDocument, doc_id: str) -> list[dict[str, Any]]:
    header = {
        "format": FORMAT,
        "id": doc_id,
        "kind": doc.kind,
        "meta": {k: _plain(v) for k, v in asdict(doc.meta).items()},
        "extra": doc.extra,
    }
    if not doc.articles and not doc.parts:
        header["text"] = doc.text  # a text the chunker splits itself (a law read from a file)
    lines: list[dict[str, Any]] = [header]
    for article in doc.articles:
        lines.append(
            {"article": {k: _plain(v) for k, v in asdict(article).items() if v not in ("", None, [])}}
        )
    for name, text in doc.parts:
        lines.append({"part": {"name": name, "text": text}})
    return lines


def write_documents(path: Path, docs: list[tuple[str, LoadedDocument]]) -> None:
    """Write (id, document) pairs to one file, in order."""
    with path.open("w", encoding="utf-8") as out:
        for doc_id, doc in docs:
            for line in document_lines(doc, doc_id):
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")


def _dates(values: dict[str, Any], where: str) -> dict[str, Any]:
    out = dict(values)
    for key in _DATE_FIELDS & set(out):
        if out[key] in (None, ""):
            out[key] = None
            continue
        try:
            out[key] = date.fromisoformat(str(out[key]))
        except ValueError as exc:
            raise NativeFormatError(f"{where}: {key}") from exc
    return out


def _known(values: dict[str, Any], cls: type, where: str) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise NativeFormatError(f"{where}: {', '.join(unknown)}")
    return values


def read_documents(records: list[tuple[int, dict[str, Any]]], source: str) -> list[LoadedDocument]:
    """Documents from the parsed (line number, object) records of one file."""
    docs: list[LoadedDocument] = []
    for number, record in records:
        where = f"{number}"
        if is_native(record):
            meta = DocumentMeta(**_dates(_known(dict(record.get("meta") or {}), DocumentMeta, where), where))
            doc_id = str(record.get("id") or "").strip()
            if not doc_id:
                raise NativeFormatError(f"{where}: id")
            docs.append(
                LoadedDocument(
                    source=f"{source}#{doc_id}",
                    text=str(record.get("text") or ""),
                    meta=meta,
                    kind=str(record.get("kind") or "legal"),
                    record_id=doc_id,
                    extra=dict(record.get("extra") or {}),
                )
            )
        elif not docs:
            raise NativeFormatError(f"{where}: format")
        elif isinstance(record.get("article"), dict):
            values = _dates(_known(dict(record["article"]), ArticleDraft, where), where)
            values.setdefault("title", "")
            values.setdefault("text", "")
            docs[-1].articles.append(ArticleDraft(**values))
        elif isinstance(record.get("part"), dict):
            part = record["part"]
            docs[-1].parts.append((str(part.get("name", "")), str(part.get("text", ""))))
        else:
            raise NativeFormatError(f"{where}: article/part")
    for doc in docs:
        if doc.articles or doc.parts:
            doc.text = document_text(doc)
    return docs
