"""Document metadata read from the text: number, type, issuing body and date, from a header
or a title. Metadata set by hand (sidecar files, defaults) lives in knowledge.sidecar.

Vietnamese legal documents carry their identity in a fixed header ("QUỐC HỘI … Luật số:
68/2020/QH14 … Hà Nội, ngày 13 tháng 11 năm 2020 … LUẬT CƯ TRÚ"), so only the head of the
text is read: numbers cited further down belong to other documents.
"""

from __future__ import annotations

import re
from datetime import date

from knowledge.types import DocumentMeta

HEADER_CHARS = 1500  # how much of the text the header search looks at

_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-ZĐ0-9]*(?:[-–][A-ZĐ0-9]+)*)(?![\w/])")
_NUMBER_LABELLED = re.compile(r"\b[Ss]ố(?:\s+hiệu)?\s*:?\s*" + _NUMBER.pattern)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?![\d/])")
_ADOPTED = re.compile(r"thông qua\s+ngày", re.IGNORECASE)

# Title/header words naming the type; longer names first ("Bộ luật" before "Luật").
DOC_TYPES = (
    "Bộ luật",
    "Luật",
    "Hiến pháp",
    "Nghị định",
    "Nghị quyết",
    "Thông tư liên tịch",
    "Thông tư",
    "Quyết định",
    "Chỉ thị",
    "Công văn",
    "Hướng dẫn",
    "Kế hoạch",
    "Thông báo",
    "Văn bản hợp nhất",
    "Thủ tục hành chính",
)

# The type implied by the symbol after the number ("150/2025/NĐ-CP" → Nghị định).
_TYPE_BY_SYMBOL = (
    (re.compile(r"^QH\d*$"), "Luật"),
    (re.compile(r"^NĐ-"), "Nghị định"),
    (re.compile(r"^NQ"), "Nghị quyết"),
    (re.compile(r"^TTLT-"), "Thông tư liên tịch"),
    (re.compile(r"^TT-"), "Thông tư"),
    (re.compile(r"^QĐ-"), "Quyết định"),
    (re.compile(r"^CT-"), "Chỉ thị"),
    (re.compile(r"^KH-"), "Kế hoạch"),
    (re.compile(r"^HD-"), "Hướng dẫn"),
    (re.compile(r"^TB-"), "Thông báo"),
    (re.compile(r"^VBHN-"), "Văn bản hợp nhất"),
    # "4567/UBND-KT", "12/STP-HCTP": an official letter carries no type word in its symbol.
    (re.compile(r"^[A-ZĐ]+-[A-ZĐ0-9]+$"), "Công văn"),
)

# The issuing body implied by the last element of the symbol.
_ISSUER_BY_CODE = {
    "QH": "Quốc hội",
    "VPQH": "Văn phòng Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "BTP": "Bộ Tư pháp",
    "BCA": "Bộ Công an",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "BYT": "Bộ Y tế",
    "BQP": "Bộ Quốc phòng",
    "BXD": "Bộ Xây dựng",
    "BCT": "Bộ Công Thương",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BGTVT": "Bộ Giao thông vận tải",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNG": "Bộ Ngoại giao",
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
}

# Header lines naming an issuing body (upper case in the header block).
_ISSUER_LINE = re.compile(
    r"^(QUỐC HỘI|CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|ỦY BAN THƯỜNG VỤ QUỐC HỘI|VĂN PHÒNG QUỐC HỘI|"
    r"BỘ [A-ZĐÀ-Ỹ ,\-]+|SỞ [A-ZĐÀ-Ỹ ,\-]+|(?:ỦY BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND) [A-ZĐÀ-Ỹ ,\-]+|"
    r"ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|BAN [A-ZĐÀ-Ỹ ,\-]+|CÔNG AN [A-ZĐÀ-Ỹ ,\-]+|"
    r"VĂN PHÒNG [A-ZĐÀ-Ỹ ,\-]+|TRUNG TÂM [A-ZĐÀ-Ỹ ,\-]+)$"
)
_NATIONAL_MOTTO = re.compile(r"CỘNG H[OÒ]A XÃ HỘI CHỦ NGHĨA VIỆT NAM.*$|Độc lập\s*-.*$")
_LOCAL_UNITS = ("TỈNH", "THÀNH PHỐ", "XÃ", "PHƯỜNG", "HUYỆN", "QUẬN", "THỊ XÃ", "ĐẶC KHU")


def find_number(text: str) -> str:
    """The document's own number: a labelled "Số: …" first, then the first number-like token."""
    for pattern in (_NUMBER_LABELLED, _NUMBER):
        match = pattern.search(text)
        if match:
            return match.group(1).replace("–", "-")
    return ""


def type_from_number(number: str) -> str:
    symbol = number.split("/")[-1]
    for pattern, doc_type in _TYPE_BY_SYMBOL:
        if pattern.search(symbol):
            return doc_type
    return ""


def issuer_from_number(number: str) -> str:
    if not number:
        return ""
    last = re.split(r"[-/]", number.split("/")[-1])[-1]
    if re.fullmatch(r"QH\d*", last):
        return "Quốc hội"
    return _ISSUER_BY_CODE.get(last, "")


def type_from_title(title: str) -> str:
    lowered = title.strip().lower()
    for doc_type in DOC_TYPES:
        if lowered.startswith(doc_type.lower()):
            return doc_type
    if lowered.startswith("thủ tục"):
        return "Thủ tục hành chính"
    return ""


def _type_from_header(lines: list[str]) -> str:
    for line in lines:
        for doc_type in DOC_TYPES:
            if line == doc_type.upper() or line.startswith(doc_type.upper() + " "):
                return doc_type
    return ""


def _pretty_issuer(line: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" → "Ủy ban nhân dân tỉnh Thái Nguyên"."""
    words = line.split()
    if words[0] == "UBND":
        words = ["ỦY", "BAN", "NHÂN", "DÂN", *words[1:]]
    if words[0] == "HĐND":
        words = ["HỘI", "ĐỒNG", "NHÂN", "DÂN", *words[1:]]
    upper = " ".join(words)
    for head in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "CÔNG AN"):
        if upper.startswith(head):
            rest = upper[len(head) :].strip()
            unit = next((u for u in _LOCAL_UNITS if rest.startswith(u + " ")), "")
            name = rest[len(unit) :].strip().title() if unit else rest.title()
            return " ".join(p for p in (head.capitalize(), unit.lower(), name) if p)
    # "BỘ TƯ PHÁP" → "Bộ Tư pháp", "SỞ NỘI VỤ" → "Sở Nội vụ": the body's own name starts upper.
    lowered = [w.lower() for w in words]
    lowered[0] = lowered[0].capitalize()
    if len(lowered) > 1 and words[0] in ("BỘ", "SỞ", "BAN", "VĂN", "TRUNG"):
        index = 2 if words[0] in ("VĂN", "TRUNG") and len(words) > 2 else 1
        lowered[index] = lowered[index].capitalize()
    return " ".join(lowered)


def _issuer_from_header(lines: list[str]) -> str:
    # The most specific line wins: "UBND TỈNH THÁI NGUYÊN" then "SỞ TƯ PHÁP" → Sở Tư pháp.
    found = ""
    for line in lines[:12]:
        cleaned = _NATIONAL_MOTTO.sub("", line).strip(" |\t-")
        if found in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN") and cleaned.startswith(_LOCAL_UNITS):
            found = f"{found} {cleaned}"  # the name wrapped onto a second header line
        elif cleaned and _ISSUER_LINE.match(cleaned):
            found = cleaned
        elif found and cleaned and not set(cleaned) <= set("-_ "):
            break
    return _pretty_issuer(found) if found else ""


def parse_date(text: str) -> date | None:
    """The first valid date written "ngày 27 tháng 11 năm 2020" or "27/11/2020" in `text`."""
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for match in pattern.finditer(text):
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _issued_date(header: str, text: str) -> date | None:
    # A law states its date at the end: "… thông qua ngày 13 tháng 11 năm 2020".
    adopted = _ADOPTED.search(text)
    if adopted:
        found = parse_date(text[adopted.start() : adopted.start() + 80])
        if found:
            return found
    return parse_date(header)


def _header_lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text[:HEADER_CHARS].split("\n"):
        # A header table read cell by cell or row by row ("QUỐC HỘI | CỘNG HÒA …").
        for cell in re.split(r"\s*\|\s*|\t+|\s{3,}", raw):
            if cell.strip():
                lines.append(cell.strip())
    return lines


def _sentence(line: str) -> str:
    """An upper-case header line in sentence case ("CƯ TRÚ" → "cư trú")."""
    return line.lower() if line.isupper() else line[:1].lower() + line[1:]


def guess_title(text: str) -> str:
    """A title from the header: "LUẬT / CƯ TRÚ" → "Luật Cư trú", else the first real line."""
    lines = _header_lines(text)
    for i, line in enumerate(lines):
        for doc_type in DOC_TYPES:
            upper = doc_type.upper()
            if line == upper and i + 1 < len(lines):
                rest = _sentence(lines[i + 1])
            elif line.startswith(upper + " ") and line.isupper():
                rest = line[len(upper) :].strip().lower()
            else:
                continue
            if doc_type in ("Luật", "Bộ luật"):
                rest = rest[:1].upper() + rest[1:]  # a law's name is a proper noun
            return f"{doc_type} {rest}".strip()[:300]
    for line in lines:
        header_only = any(p.search(line) for p in (_NATIONAL_MOTTO, _ISSUER_LINE, _NUMBER_LABELLED))
        if len(line) >= 8 and not header_only and not set(line) <= set("-_ "):
            return line[:300]
    return ""


def extract_meta(text: str, title: str = "") -> DocumentMeta:
    """Number, type, issuer and date from a document's header (and title); status in_force."""
    header = text[:HEADER_CHARS]
    lines = _header_lines(text)
    number = find_number(title) or find_number(header)
    doc_type = type_from_title(title) or _type_from_header(lines) or type_from_number(number)
    if doc_type == "Luật" and title.strip().lower().startswith("bộ luật"):
        doc_type = "Bộ luật"
    issuer = _issuer_from_header(lines) or issuer_from_number(number)
    return DocumentMeta(
        title=title.strip(),
        number=number,
        doc_type=doc_type,
        issuer=issuer,
        issued_date=_issued_date(header, text),
    )
