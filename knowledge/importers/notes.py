"""The source note a Pháp điển article carries (`pGhiChu` in the HTML, `vbqppl` in the CSV):

"(Điều 9 Nghị định số 123/2015/NĐ-CP, có hiệu lực thi hành kể từ ngày 01/01/2016, có nội dung
được sửa đổi … bởi Điều 2 Nghị định số 07/2025/NĐ-CP có hiệu lực thi hành kể từ ngày 09/01/2025)"

names the text an official can look up: its article, type, number, sometimes its title and
date, and when it took effect. Later amending texts are kept as the amendments' numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from knowledge.metadata import DOC_TYPES, parse_date
from knowledge.normalize import normalize_text

# Types a source note names beside the metadata module's DOC_TYPES.
EXTRA_TYPES = ("Pháp lệnh", "Nghị quyết liên tịch")
_NO_TITLE = ("có hiệu lực", ",")  # what follows a number when the note names no title
_TYPES = "|".join(sorted((re.escape(t) for t in (*DOC_TYPES, *EXTRA_TYPES)), key=len, reverse=True))
_HEAD = re.compile(
    r"Điều\s+(?P<article>\d+[a-zđ]?)\s+(?P<type>" + _TYPES + r")"
    r"\s+(?:số\s+)?(?P<number>\d[\w./-]*/[\wĐđ-]+)(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_EFFECTIVE = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+([\d/.]+)", re.IGNORECASE)
_AMENDED_BY = re.compile(
    r"(?:sửa đổi|bổ sung|bãi bỏ|thay thế)[^()]*?bởi\s+Điều\s+\S+\s+(?:" + _TYPES + r")\s+(?:số\s+)?"
    r"(\d[\w./-]*/[\wĐđ-]+)",
    re.IGNORECASE,
)
_TITLE_ENDS = (re.compile(r"\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}"), re.compile(r",\s*có hiệu lực"))


@dataclass
class SourceNote:
    article: str = ""  # "9"
    doc_type: str = ""  # "Nghị định"
    number: str = ""  # "123/2015/NĐ-CP"
    title: str = ""  # "Hộ tịch" when the note names it (usually only for a text's first article)
    effective_from: date | None = None
    amended_by: list[str] = field(default_factory=list)  # numbers of amending texts


def _canonical_type(found: str) -> str:
    lowered = found.lower()
    for doc_type in (*DOC_TYPES, *EXTRA_TYPES):
        if doc_type.lower() == lowered:
            return doc_type
    return found


def parse_source_note(text: str) -> SourceNote:
    """The parts of a source note; empty fields when the note does not say."""
    text = " ".join(normalize_text(text).split()).strip(" ()")
    note = SourceNote()
    head = _HEAD.search(text)
    if head is None:
        return note
    note.article = head["article"]
    note.doc_type = _canonical_type(head["type"])
    note.number = head["number"].rstrip(".,;")
    rest = head["rest"]
    # "Luật số 60/2014/QH13 Hộ tịch ngày 20/11/2014 của Quốc hội, có hiệu lực …": the title
    # sits between the number and the date / the issuer / the first comma.
    if rest.startswith(" ") and not rest.lstrip().startswith(_NO_TITLE):
        cuts = [found.start() for end in _TITLE_ENDS if (found := end.search(rest))]
        note.title = rest[: cuts[0] if cuts else len(rest)].strip(" .;")
    effective = _EFFECTIVE.search(text)
    if effective:
        note.effective_from = parse_date(effective.group(1))
    note.amended_by = list(dict.fromkeys(m.rstrip(".,;") for m in _AMENDED_BY.findall(text)))
    return note
