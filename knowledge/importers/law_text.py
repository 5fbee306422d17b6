"""A law, decree or circular as Markdown or plain text (e.g. Luật 72/2025/QH15 from the
government portal): NFC, the bold markers Markdown exporters scatter inside words removed
("Điều ****3****." → "Điều 3."), the exporter's own notes (block quotes, "- Tham khảo thêm")
dropped, and the text cut before "Nơi nhận" when appendices (forms) follow the signature, so
their "Điều 1." headings are not taken for the decree's. The chunker then splits it on
Chương/Mục/Điều/Khoản/Điểm as any law. The dates in force come from the text's own article
("Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025", "… hết hiệu lực kể từ
ngày 01 tháng 3 năm 2027").
"""

from __future__ import annotations

import re

from knowledge.metadata import extract_meta, find_number, guess_title, parse_date
from knowledge.normalize import normalize_text
from knowledge.types import DocumentMeta

_ARTICLE = re.compile(r"^\s*(?:#+\s*)?[*_\s]*Điều\s+[*_]*\d", re.MULTILINE)
_BOLD = re.compile(r"\*{2,}|(?<=\w)\*(?=\w)|__")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*", re.MULTILINE)
_QUOTE = re.compile(r"^\s*>.*$", re.MULTILINE)
_FOOTER = re.compile(r"^\s*-\s*Tham khảo thêm\s*$", re.MULTILINE | re.IGNORECASE)
_RECIPIENTS = re.compile(r"^\s*Nơi nhận\s*:", re.MULTILINE)
_TITLE_NUMBER = re.compile(r"^(?P<type>.+?)\s+số\s+(?P<number>\S+)\s*[-–:]\s*(?P<title>.+)$")
_SELF = r"(?:Luật|Bộ luật|Nghị định|Thông tư|Nghị quyết|Quyết định|Pháp lệnh)\s+này"
_DATE = r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}/\d{1,2}/\d{4}"
_FROM_ADOPTION = ("ngày được thông qua", "ngày ký")  # "có hiệu lực từ ngày được thông qua"
_IN_FORCE = re.compile(
    _SELF + r"\s+có hiệu lực(?:\s+thi hành)?\s+(?:kể\s+)?từ\s+(" + "|".join((_DATE, *_FROM_ADOPTION)) + r")",
    re.I,
)
_EXPIRES = re.compile(
    _SELF + r"\s+(?:hết hiệu lực(?:\s+thi hành)?\s+(?:kể\s+)?từ|được thực hiện đến trước)\s+(" + _DATE + r")",
    re.I,
)


def is_law_text(text: str) -> bool:
    """Markdown or text holding a legal text: several "Điều N" headings."""
    return len(_ARTICLE.findall(text[:200_000])) >= 3


def clean_law_text(raw: str) -> str:
    text = normalize_text(raw)
    text = _QUOTE.sub("", _FOOTER.sub("", text))
    text = _MD_HEADING.sub("", _BOLD.sub("", text))
    recipients = _RECIPIENTS.search(text)
    if recipients and _ARTICLE.search(text[: recipients.start()]):
        text = text[: recipients.start()]
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def law_meta(text: str, title: str = "") -> DocumentMeta:
    """Metadata from the header (and a Markdown title "Luật số 72/2025/QH15 - Luật …")."""
    number = ""
    named = _TITLE_NUMBER.match(" ".join(_BOLD.sub("", title).split()))
    if named:
        number, title = named["number"], named["title"]
    meta = extract_meta(text, title or guess_title(text))
    meta.number = number or meta.number or find_number(text[:1500])
    in_force = _IN_FORCE.search(text)
    if in_force:
        found = in_force.group(1)
        meta.effective_from = meta.issued_date if found in _FROM_ADOPTION else parse_date(found)
    expires = _EXPIRES.search(text)
    if expires:
        meta.effective_to = parse_date(expires.group(1))
    return meta
