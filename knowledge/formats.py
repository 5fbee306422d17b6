"""Readers for the structured formats: DOCX (paragraphs and tables in document order), HTML
(visible text only) and Markdown (markup removed). Each returns raw text for the loader to
tidy, normalise and read metadata from; damaged files raise the parser's own exception.
"""

from __future__ import annotations

import re
from pathlib import Path


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


def load_docx(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_docx_table(Table(child, document)))
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
