"""Files → `LoadedDocument`s: PDF (text layer, OCR for scans), DOCX, HTML, TXT, Markdown, JSONL.

Every failure a person can fix (corrupt, empty, unsupported, scanned without OCR) raises
`LoadError` with a Vietnamese message naming the file, so a batch can report it and go on.
All text leaves here NFC-normalised with one tone-mark style.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from knowledge import texts
from knowledge.formats import load_docx, load_html, markdown_text
from knowledge.importers import native, procedures
from knowledge.importers.law_text import clean_law_text, is_law_text, law_meta
from knowledge.importers.phapdien import (
    is_phapdien_csv,
    is_phapdien_html,
    load_phapdien_csv,
    load_phapdien_html,
)
from knowledge.media.tesseract import ocr_available
from knowledge.media.tesseract import ocr_pdf as _ocr_pdf
from knowledge.metadata import extract_meta, guess_title
from knowledge.normalize import normalize_text
from knowledge.records import article_record, group_by_law, is_article, is_procedure, procedure_record
from knowledge.sidecar import MetadataError, meta_values, overlay, read_sidecar
from knowledge.types import DocumentMeta, LoadedDocument

log = logging.getLogger(__name__)

_LEGAL_ARTICLE = re.compile(r"^\s*Điều\s+\d+", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


class LoadError(Exception):
    """A file that cannot be read as guidance; the message (Vietnamese) names the file."""


def _tidy(text: str) -> str:
    lines = [line.strip() for line in normalize_text(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    wide = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 with a byte-order mark
    if b"\x00" in data[:4096] and not wide:
        raise LoadError(texts.FILE_BINARY.format(name=path.name))
    for encoding in ("utf-16",) if wide else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Older Vietnamese Windows files are often in code page 1258.
    return data.decode("cp1258", errors="replace")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise LoadError(texts.FILE_PASSWORD.format(name=path.name))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def load_pdf(path: Path) -> str:
    text = _pdf_text(path)
    if len("".join(text.split())) >= 20:
        return text
    # No text layer: a scan. Read it with OCR when the machine has it, else say what to install.
    if not ocr_available():
        raise LoadError(texts.FILE_SCAN_NO_OCR.format(name=path.name))
    log.info("OCR %s", path.name)
    try:
        return _ocr_pdf(path)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", errors="replace").strip().splitlines()
        reason = detail[-1] if detail else texts.OCR_EXIT_CODE.format(code=exc.returncode)
        raise LoadError(texts.OCR_FAILED.format(name=path.name, reason=reason)) from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise LoadError(texts.OCR_FAILED.format(name=path.name, reason=exc)) from exc


Skipped = list[tuple[str, str]]  # (record id, Vietnamese reason) of records not loaded


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    records = []
    for number, line in enumerate(_read_text_file(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(texts.JSONL_BAD_JSON.format(name=path.name, line=number, error=exc.msg)) from exc
        if not isinstance(record, dict):
            raise LoadError(texts.JSONL_NOT_OBJECT.format(name=path.name, line=number))
        records.append((number, record))
    return records


def _one_record(
    record: dict[str, Any], seen_content: dict[str, str], skipped: Skipped
) -> LoadedDocument | None:
    if procedures.is_national_procedure(record):
        code = str(record.get("ma_thu_tuc") or "").strip()
        reason = procedures.skip_reason(record)
        key = procedures.duplicate_key(record)
        if not reason and key in seen_content:
            reason = texts.SKIP_DUPLICATE.format(code=seen_content[key])
        if reason:
            skipped.append((code, reason))
            return None
        seen_content[key] = code
        return procedures.national_record(record, "")
    if is_procedure(record):
        return procedure_record(record, "")
    if is_article(record):
        return article_record(record, "")
    return None


def load_jsonl(path: Path, skipped: Skipped | None = None) -> list[LoadedDocument]:
    records = _records(path)
    if records and native.is_native(records[0][1]):
        try:
            return native.read_documents(records, source_of(path))
        except (native.NativeFormatError, TypeError) as exc:
            raise LoadError(texts.NATIVE_BAD_LINE.format(name=path.name, where=exc)) from exc
    skipped = skipped if skipped is not None else []
    docs: list[LoadedDocument] = []
    seen: set[str] = set()
    seen_content: dict[str, str] = {}
    for number, record in records:
        before = len(skipped)
        doc = _one_record(record, seen_content, skipped)
        if doc is None:
            if len(skipped) > before:
                continue
            raise LoadError(texts.JSONL_UNKNOWN_RECORD.format(name=path.name, line=number))
        if not doc.record_id or doc.record_id in seen:
            raise LoadError(texts.JSONL_BAD_ID.format(name=path.name, line=number))
        seen.add(doc.record_id)
        doc.source = f"{source_of(path)}#{doc.record_id}"
        docs.append(doc)
    return group_by_law(docs, source_of(path))


def source_of(path: Path) -> str:
    """The stable name of a file in Document.source (absolute, so prune can match folders)."""
    return path.resolve().as_posix()


def _plain(path: Path, text: str, title: str = "") -> list[LoadedDocument]:
    text = _tidy(text)
    meta = extract_meta(text, title or guess_title(text) or path.stem)
    kind = "legal" if _LEGAL_ARTICLE.search(text) else "plain"
    return [LoadedDocument(source=source_of(path), text=text, meta=meta, kind=kind)]


def _law(path: Path, raw: str, title: str = "") -> list[LoadedDocument]:
    text = clean_law_text(raw)
    return [LoadedDocument(source=source_of(path), text=text, meta=law_meta(text, title), kind="legal")]


def load_html_file(path: Path) -> list[LoadedDocument]:
    raw = _read_text_file(path)
    if is_phapdien_html(raw[:200_000]):
        return [load_phapdien_html(raw, source_of(path))]
    return _plain(path, *load_html(path))


def load_text_file(path: Path) -> list[LoadedDocument]:
    raw = _read_text_file(path)
    markdown = path.suffix.lower() in (".md", ".markdown")
    if is_law_text(raw):
        heading = _MD_TITLE.search(raw) if markdown else None
        return _law(path, raw, heading.group(1).strip() if heading else "")
    return _plain(path, *markdown_text(raw)) if markdown else _plain(path, raw)


def load_csv(path: Path) -> list[LoadedDocument]:
    raw = _read_text_file(path)
    if not is_phapdien_csv(raw[:4096]):
        raise LoadError(texts.CSV_UNKNOWN.format(name=path.name))
    return load_phapdien_csv(raw, source_of(path))


_MD_TITLE = re.compile(r"^[ \t]{0,3}#[ \t]+(.+)$", re.MULTILINE)

LOADERS: dict[str, Callable[[Path], list[LoadedDocument]]] = {
    ".pdf": lambda p: _plain(p, load_pdf(p)),
    ".docx": lambda p: _plain(p, load_docx(p)),
    ".html": load_html_file,
    ".htm": load_html_file,
    ".txt": load_text_file,
    ".md": load_text_file,
    ".markdown": load_text_file,
    ".csv": load_csv,
    ".jsonl": load_jsonl,
}
SUPPORTED_SUFFIXES = tuple(sorted(LOADERS))


def _finish(doc: LoadedDocument, overrides: list[dict[str, object]]) -> LoadedDocument:
    meta = doc.meta
    for values in overrides:
        meta = overlay(meta, values)
    return replace(
        doc,
        text=normalize_text(doc.text).strip(),
        parts=[(normalize_text(name), normalize_text(body).strip()) for name, body in doc.parts],
        meta=replace(
            meta,
            title=normalize_text(meta.title).strip(),
            issuer=normalize_text(meta.issuer).strip(),
            field=normalize_text(meta.field).strip(),
        ),
    )


def load_path(
    path: Path, *, defaults: DocumentMeta | None = None, skipped: Skipped | None = None
) -> list[LoadedDocument]:
    """The documents in one file. Metadata: extracted < `defaults`' set fields < sidecar.
    Records a loader leaves out on purpose (not a commune's business, duplicates) are added to
    `skipped` with their reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        hint = texts.FILE_DOC_HINT if suffix == ".doc" else ""
        raise LoadError(
            texts.FILE_UNSUPPORTED.format(
                name=path.name,
                suffix=suffix or texts.FILE_NO_SUFFIX,
                hint=hint,
                supported=", ".join(SUPPORTED_SUFFIXES),
            )
        )
    try:
        if path.stat().st_size == 0:
            raise LoadError(texts.FILE_EMPTY.format(name=path.name))
        docs = load_jsonl(path, skipped) if suffix == ".jsonl" else LOADERS[suffix](path)
        overrides: list[dict[str, object]] = []
        if defaults is not None:
            overrides.append({k: v for k, v in meta_values(defaults).items() if k != "title"})
        overrides.append(read_sidecar(path))
        docs = [_finish(doc, overrides) for doc in docs]
    except LoadError:
        raise
    except MetadataError as exc:
        raise LoadError(str(exc)) from exc
    except OSError as exc:
        raise LoadError(texts.FILE_CANNOT_OPEN.format(name=path.name, error=exc.strerror or exc)) from exc
    except Exception as exc:  # parsers raise many types on a damaged file
        log.debug("cannot parse %s", path, exc_info=True)
        kind = suffix.lstrip(".").upper()
        raise LoadError(
            texts.FILE_DAMAGED.format(name=path.name, kind=kind, error=type(exc).__name__)
        ) from exc
    docs = [doc for doc in docs if doc.text.strip()]
    if not docs:
        raise LoadError(texts.FILE_NO_TEXT.format(name=path.name))
    return docs
