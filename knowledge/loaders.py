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

from knowledge.formats import load_docx, load_html, markdown_text
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
        raise LoadError(f"Tệp {path.name} không phải tệp văn bản (có dữ liệu nhị phân).")
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
        raise LoadError(f"Tệp {path.name} được đặt mật khẩu, không đọc được nội dung.")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def load_pdf(path: Path) -> str:
    text = _pdf_text(path)
    if len("".join(text.split())) >= 20:
        return text
    # No text layer: a scan. Read it with OCR when the machine has it, else say what to install.
    if not ocr_available():
        raise LoadError(
            f"Tệp {path.name} là bản scan (không có lớp chữ) nên cần nhận dạng ký tự (OCR), "
            "nhưng máy chưa cài tesseract và gói tiếng Việt (apt install tesseract-ocr "
            "tesseract-ocr-vie poppler-utils). Hãy cài rồi nạp lại, hoặc dùng bản PDF có chữ."
        )
    log.info("OCR %s", path.name)
    try:
        return _ocr_pdf(path)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", errors="replace").strip().splitlines()
        reason = detail[-1] if detail else f"mã lỗi {exc.returncode}"
        raise LoadError(f"Nhận dạng ký tự (OCR) tệp {path.name} thất bại: {reason}") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise LoadError(f"Nhận dạng ký tự (OCR) tệp {path.name} thất bại: {exc}") from exc


def load_jsonl(path: Path) -> list[LoadedDocument]:
    docs: list[LoadedDocument] = []
    seen: set[str] = set()
    for number, line in enumerate(_read_text_file(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(f"Tệp {path.name}, dòng {number}: JSON không hợp lệ ({exc.msg}).") from exc
        if not isinstance(record, dict):
            raise LoadError(f"Tệp {path.name}, dòng {number}: mỗi dòng phải là một đối tượng JSON.")
        if is_procedure(record):
            doc = procedure_record(record, "")
        elif is_article(record):
            doc = article_record(record, "")
        else:
            raise LoadError(
                f"Tệp {path.name}, dòng {number}: không nhận ra bản ghi (cần {{id, title, text}} "
                "hoặc bản ghi thủ tục hành chính có metadata/content/tables)."
            )
        if not doc.record_id or doc.record_id in seen:
            raise LoadError(f"Tệp {path.name}, dòng {number}: thiếu mã bản ghi hoặc mã bị trùng.")
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


LOADERS: dict[str, Callable[[Path], list[LoadedDocument]]] = {
    ".pdf": lambda p: _plain(p, load_pdf(p)),
    ".docx": lambda p: _plain(p, load_docx(p)),
    ".html": lambda p: _plain(p, *load_html(p)),
    ".htm": lambda p: _plain(p, *load_html(p)),
    ".txt": lambda p: _plain(p, _read_text_file(p)),
    ".md": lambda p: _plain(p, *markdown_text(_read_text_file(p))),
    ".markdown": lambda p: _plain(p, *markdown_text(_read_text_file(p))),
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


def load_path(path: Path, *, defaults: DocumentMeta | None = None) -> list[LoadedDocument]:
    """The documents in one file. Metadata: extracted < `defaults`' set fields < sidecar."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        hint = " (Word 97-2003: hãy lưu lại thành .docx)" if suffix == ".doc" else ""
        raise LoadError(
            f"Tệp {path.name}: định dạng “{suffix or 'không đuôi'}” chưa được hỗ trợ{hint}; "
            f"dùng {', '.join(SUPPORTED_SUFFIXES)}."
        )
    try:
        if path.stat().st_size == 0:
            raise LoadError(f"Tệp {path.name} rỗng, không có nội dung.")
        docs = LOADERS[suffix](path)
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
        raise LoadError(f"Không mở được tệp {path.name}: {exc.strerror or exc}.") from exc
    except Exception as exc:  # parsers raise many types on a damaged file
        log.debug("cannot parse %s", path, exc_info=True)
        raise LoadError(
            f"Tệp {path.name} bị hỏng hoặc không đúng định dạng {suffix.lstrip('.').upper()}: "
            f"{type(exc).__name__}."
        ) from exc
    docs = [doc for doc in docs if doc.text.strip()]
    if not docs:
        raise LoadError(f"Tệp {path.name} không có nội dung chữ để nạp.")
    return docs
