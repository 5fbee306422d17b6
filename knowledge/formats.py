"""Readers for the structured formats: DOCX (paragraphs and tables in document order), HTML
(visible text only) and Markdown (markup removed). Each returns raw text for the loader to
tidy, normalise and read metadata from; damaged files raise the parser's own exception.

A DOCX is capped before and while it is parsed (DocxLimits): the XML's size and its number of
paragraphs and table cells are checked by a streaming pass before python-docx builds its
tree (a few kilobytes of ZIP can hold millions of empty paragraphs), then the characters and
the time spent while reading. Over a cap, the loader's LoadError says so in Vietnamese.
"""

from __future__ import annotations

import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from knowledge import texts

DOCX_BODY = "word/document.xml"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_COUNTED = {f"{_WORD}p", f"{_WORD}tc"}  # paragraphs and table cells


@dataclass(frozen=True)
class DocxLimits:
    """Far above real guidance (the largest code of law has some 20,000 paragraphs)."""

    max_xml_bytes: int = 100 * 1024 * 1024
    max_elements: int = 200_000
    max_chars: int = 5_000_000
    max_seconds: float = 60.0


class _Counted:
    """A file object that refuses to give more than `limit` bytes."""

    def __init__(self, raw: object, limit: int) -> None:
        self.raw, self.limit, self.read_bytes = raw, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.raw.read(size)  # type: ignore[attr-defined]
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise OverflowError("xml")
        return chunk


def _too_large(path: Path, what: str) -> Exception:
    # Imported here: knowledge.loaders imports this module; its LoadError carries the message.
    from knowledge.loaders import LoadError

    return LoadError(texts.DOCX_TOO_LARGE.format(name=path.name, what=what))


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # 200.000, as Vietnamese writes it


def check_docx_size(path: Path, limits: DocxLimits) -> None:
    """Stream the body XML once, counting paragraphs and cells, before anything builds a tree."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        if archive.getinfo(DOCX_BODY).file_size > limits.max_xml_bytes:
            raise _too_large(path, texts.DOCX_OVER_BYTES.format(mb=limits.max_xml_bytes // (1024 * 1024)))
        with archive.open(DOCX_BODY) as raw:
            stream = _Counted(raw, limits.max_xml_bytes)
            elements = 0
            try:
                for _, element in etree.iterparse(
                    stream, events=("end",), tag=list(_COUNTED), huge_tree=False
                ):
                    elements += 1
                    if elements > limits.max_elements:
                        raise _too_large(
                            path, texts.DOCX_OVER_ELEMENTS.format(count=_vn(limits.max_elements))
                        )
                    element.clear(keep_tail=False)
            except OverflowError:
                raise _too_large(
                    path, texts.DOCX_OVER_BYTES.format(mb=limits.max_xml_bytes // (1024 * 1024))
                ) from None


def _docx_table(table: object) -> list[str]:
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        if any("\n" in c for c in cells):
            # Header tables ("QUỐC HỘI / Số: …" | "CỘNG HÒA …") read best cell by cell.
            lines.extend(c for c in cells if c)
        elif any(cells):
            lines.append(" | ".join(cells))
    return lines


def load_docx(path: Path, *, limits: DocxLimits = DocxLimits()) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_docx_size(path, limits)
    started = time.monotonic()
    document = docx.Document(str(path))
    lines: list[str] = []
    chars = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            new = [Paragraph(child, document).text]
        elif tag == "tbl":
            new = _docx_table(Table(child, document))
        else:
            continue
        lines.extend(new)
        chars += sum(len(line) for line in new)
        if chars > limits.max_chars:
            raise _too_large(path, texts.DOCX_OVER_CHARS.format(count=_vn(limits.max_chars)))
        if time.monotonic() - started > limits.max_seconds:
            raise _too_large(path, texts.DOCX_OVER_SECONDS.format(seconds=f"{limits.max_seconds:.0f}"))
    return "\n".join(lines)


_HTML_DROP = ("script", "style", "nav", "noscript", "template", "iframe", "svg")
_HTML_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "pre", "blockquote", "dd", "dt", "header", "footer", "main", "ul", "ol",
)  # fmt: skip


def load_html(path: Path) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    for tag in soup(_HTML_DROP):
        tag.decompose()
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")
    text = soup.get_text("")
    return "\n".join(line.strip(" |\t") for line in text.split("\n")), title


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def markdown_text(raw: str) -> tuple[str, str]:
    """(plain text, title from the first "# " heading) of Markdown source."""
    heading = re.search(r"^[ \t]{0,3}#[ \t]+(.+)$", raw, re.MULTILINE)
    text = _MD_LINK.sub(r"\1", _MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", raw)))
    return text, heading.group(1).strip() if heading else ""
