"""National administrative-procedure records (Cổng Dịch vụ công quốc gia, `capxa_records.jsonl`).

The crawler kept each field's visible text, so table cells arrive glued together ("Hình thức
nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí…", "…Giấy chứng sinh.1 bản
chính- Văn bản ủy quyền…", "…Luật Hộ tịch123/2015/NĐ-CPThông tư…"). Each field is taken
apart along what its table's cells must look like (a channel and a time, a count of copies, a
document number) and written back one item a line. Records that are not a commune's business
(customs, tax, the State Treasury: labelled "Cấp xã" by the portal) and mis-scraped ones (a
publishing decision's title instead of a procedure's, the same page under several codes) are
skipped with their reason.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge import texts
from knowledge.metadata import find_number, issuer_from_number
from knowledge.normalize import normalize_text
from knowledge.types import DocumentMeta, LoadedDocument

NATIONAL_FIELDS = {"ma_thu_tuc", "ten_thu_tuc", "trinh_tu_thuc_hien", "thanh_phan_ho_so"}
# Fields the portal files under "Cấp xã" that a commune does not handle.
NOT_COMMUNE_FIELDS = {
    "Hải quan",
    "Thuế",
    "Kho bạc Nhà nước",
    "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước",
    "Tòa án",
}
# A record whose title is a publishing decision's ("Công bố Danh mục …") was mis-scraped.
MISSCRAPED_TITLE = re.compile(r"^(Công bố|Quyết định công bố)\b|\n")
NO_INFO = re.compile(r"^\s*(không có thông tin|không quy định|không)\s*\.?\s*$", re.I)

_CHANNELS_HEADER = re.compile(r"^\s*Hình thức nộp\s*Thời gian\s*Phí, lệ phí\s*Mô tả\s*")
_CHANNEL = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s*(?:\d|Không có thông tin))")
_TIME = re.compile(
    r"^\s*(?:(?P<value>\d+(?:[.,]\d+)?)\s*(?P<unit>Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Tuần|Phút)?"
    r"|(?P<none>Không có thông tin))",
    re.I,
)
_FEE = re.compile(
    r"^\s*(?P<fee>Miễn phí|Không có thông tin|Phí[^()]*?|Lệ phí[^()]*?"
    r"|[\d.,]+\s*(?:Việt Nam Đồng|VNĐ|Đồng|đồng|USD)"
    r"(?:\s*\([^)]*\))?)(?=\(|[A-ZĐÀ-Ỹ(-]|$)"
)
_DOCS_HEADER = re.compile(r"Tên giấy tờ\s*Mẫu đơn, tờ khai\s*Số lượng")
# A count glued to the year that ends the paper's name ("ngày 31/12/20251 bản chính",
# "Luật Đất đai năm 20240 bản chính"): the year is the paper's, the count what follows it.
# Glued to the form number that ends it ("theo Mẫu số 181 bản chính", "Mẫu số 03-QĐ6131 bản
# chính"): the number is the form's, the count its last digit (a count is 1 or 2, never 18).
_COUNT = re.compile(
    r"(?:(?P<year>(?:(?<=/)|(?<=năm ))(?:19|20)\d{2}(?=\d+\s*bản\s*(?:chính|sao)))"
    r"|(?P<code>(?:(?<=Mẫu số )|(?<=[A-ZĐ]))\d+(?=\d\s*bản\s*(?:chính|sao))))?"
    r"(?P<count>(?P<n1>\d+)\s*bản\s*(?P<k1>chính|sao)(?:\s*,\s*(?P<n2>\d+)\s*bản\s*(?P<k2>chính|sao))?)"
)
_FORM = re.compile(r"([\w-]+\.(?:docx?|xlsx?|pdf|rar|zip))$", re.I)
_BASIS_HEADER = re.compile(r"^\s*Tên văn bản pháp lý\s*Mã văn bản\s*")
_SEG = r"[A-ZĐ]+(?:QH\d{2}|g)?"
_DOC_NUMBER = re.compile(
    r"(?<![\d/])(?:\d{1,5}(?:\.\d+)?/)(?:(?:19|20)\d{2}/)?(?:QH\d{2}|"
    + _SEG
    + r")(?:-"
    + _SEG
    + r")*(?![a-zà-ỹ])"
)
_NUMBER_LABELS = ("số", "Số")  # "Nghị định số07/2025/NĐ-CP": a number inside a title
_GLUED_DATE = re.compile(r"(\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?=\d)")
_RESULT_END = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")
_RESULT_CODE = re.compile(r"\s*Mã:\s*(KQ\.[\w.]+)")
_STEP = re.compile(r"\s*(Bước\s+\d+\s*[:.])")
_AGENCIES = (
    ("co_quan_thuc_hien", texts.AGENCY_DOING),
    ("co_quan_co_tham_quyen", texts.AGENCY_COMPETENT),
    ("co_quan_duoc_uy_quyen", texts.AGENCY_DELEGATED),
    ("co_quan_phoi_hop", texts.AGENCY_COOPERATING),
    ("dia_chi_tiep_nhan", texts.AGENCY_ADDRESS),
)


def is_national_procedure(record: dict[str, Any]) -> bool:
    return set(record) >= NATIONAL_FIELDS


def _useful(value: Any) -> str:
    text = normalize_text(str(value or "")).strip()
    return "" if NO_INFO.match(text) else text


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def channels(raw: str) -> list[tuple[str, str, str, str]]:
    """(channel, time, fee, description) rows of the glued "cách thức thực hiện" table."""
    body = _CHANNELS_HEADER.sub("", normalize_text(raw))
    pieces = _CHANNEL.split(body)
    rows = []
    for how, rest in zip(pieces[1::2], pieces[2::2], strict=True):
        time = ""
        found = _TIME.match(rest)
        if found and found.group(0):
            if found["value"]:
                unit = (found["unit"] or "").lower()
                time = (
                    f"{found['value']} {unit}"
                    if unit
                    else texts.PROCEDURE_TIME_NO_UNIT.format(value=found["value"])
                )
            rest = rest[found.end() :]
        fee = ""
        found_fee = _FEE.match(rest)
        if found_fee:
            fee = "" if NO_INFO.match(found_fee["fee"]) else found_fee["fee"].strip()
            rest = rest[found_fee.end() :]
        description = rest.strip().strip("()").strip()
        rows.append((how, time, fee, "" if NO_INFO.match(description) else description))
    return rows


def _channels_text(rows: list[tuple[str, str, str, str]]) -> str:
    """One line per channel; a time or fee the same for every channel is said once, above."""
    same_time = len({time for _, time, _, _ in rows}) == 1
    same_fee = len({fee for _, _, fee, _ in rows}) == 1
    lines = []
    for how, time, fee, description in rows:
        details = [
            texts.PROCEDURE_TIME.format(time=time) if time and not same_time else "",
            fee if not same_fee else "",
            description,
        ]
        lines.append(f"- {how}: " + "; ".join(d for d in details if d) if any(details) else f"- {how}")
    return "\n".join(lines)


def _same_or_listed(rows: list[tuple[str, str]]) -> str:
    values = [(how, value) for how, value in rows if value]
    if not values:
        return ""
    if len({value for _, value in values}) == 1:
        return values[0][1]
    return "\n".join(f"- {how}: {value}" for how, value in values)


def _count_text(match: re.Match[str]) -> str:
    copies = [(int(match["n1"]), match["k1"])]
    if match["n2"]:
        copies.append((int(match["n2"]), match["k2"]))
    return ", ".join(texts.PROCEDURE_COPIES.format(n=n, kind=kind) for n, kind in copies if n)


def dossier(raw: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Groups of the "thành phần hồ sơ" table: (heading, [(paper, form, copies)])."""
    text = normalize_text(raw).strip()
    sections = _DOCS_HEADER.split(text)
    heading = sections[0]
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    for body in sections[1:]:
        items: list[tuple[str, str, str]] = []
        start = 0
        for count in _COUNT.finditer(body):
            paper = body[start : count.start("count")].strip()  # a glued year or form number: the paper's
            start = count.end()
            form = ""
            found = _FORM.search(paper)
            if found:
                form, paper = found.group(1), paper[: found.start()].strip()
            paper = paper.lstrip("-+•* \t").strip()
            if paper:
                items.append((paper, form, _count_text(count)))
        groups.append((_heading(heading), items))
        heading = body[start:]
    return groups


def _heading(raw: str) -> str:
    return raw.strip().strip("-*+ \t").rstrip(":").strip()


def _dossier_text(groups: list[tuple[str, list[tuple[str, str, str]]]]) -> str:
    """Each group's papers first, numbered with their counts, then its notes: the list an
    official hands over reads first (and stays in the first passage of a long dossier)."""
    blocks = []
    for heading, items in groups:
        papers = [(paper, form, copies) for paper, form, copies in items if copies]
        lines = [f"{heading}:"] if heading else []
        for number, (paper, form, copies) in enumerate(papers, 1):
            line = f"{number}. {paper}" + (texts.PROCEDURE_FORM.format(form=form) if form else "")
            lines.append(line + f" — {copies}")
        # "0 bản": a note about the papers, not a paper to hand in
        lines.extend(texts.PROCEDURE_NOTE.format(text=paper) for paper, _, copies in items if not copies)
        if len(lines) > (1 if heading else 0):
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def legal_basis(raw: str) -> list[tuple[str, str]]:
    """(title, number) rows of the glued "căn cứ pháp lý" table; the number ends each row."""
    body = _GLUED_DATE.sub(r"\1 ", _BASIS_HEADER.sub("", " ".join(normalize_text(raw).split())))
    rows: list[tuple[str, str]] = []
    start = 0
    for found in _DOC_NUMBER.finditer(body):
        glued = (found.start() > 0 and not body[found.start() - 1].isspace()) or (
            found.end() == len(body) or not body[found.end()].isspace()
        )
        if not glued or body[: found.start()].rstrip().endswith(_NUMBER_LABELS):
            continue  # a number inside a title ("Thông tư số 03/2023/TT-BTP ngày …")
        title = body[start : found.start()].strip(" .;,")
        start = found.end()
        rows.append((title, found.group(0)))
    seen: dict[str, str] = {}
    for title, number in rows:
        if number not in seen or (title and not seen[number]):
            seen[number] = title
    return [(title, number) for number, title in seen.items()]


def _basis_text(rows: list[tuple[str, str]]) -> str:
    lines = []
    for title, number in rows:
        if number in title:
            lines.append(f"- {title}")
        elif title:
            lines.append(f"- {title} ({number})")
        else:
            lines.append(f"- {number}")
    return "\n".join(lines)


def results(raw: str) -> str:
    text = normalize_text(raw)
    end = _RESULT_END.search(text)
    text = text[: end.start()] if end else text
    pieces = _RESULT_CODE.split(text)
    lines = []
    for name, code in zip(pieces[0::2], [*pieces[1::2], ""], strict=False):
        name = name.strip().lstrip("-+ ").strip()
        if name:
            lines.append(f"- {name}" + (texts.PROCEDURE_RESULT_CODE.format(code=code) if code else ""))
    return "\n".join(lines)


def _agencies(record: dict[str, Any]) -> str:
    return "\n".join(f"{label}: {v}" for key, label in _AGENCIES if (v := _useful(record.get(key))))


def _labelled(label: str, text: str) -> str:
    if not text:
        return ""
    return f"{label}:\n{text}" if "\n" in text else f"{label}: {text.removeprefix('- ')}"


def national_parts(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Six parts: the short fields (time, fee; who, which office, what result) are read with
    their neighbours, so each part is a passage worth retrieving on its own."""
    rows = channels(str(record.get("cach_thuc_thuc_hien") or ""))
    steps = _STEP.sub(r"\n\1", _useful(record.get("trinh_tu_thuc_hien"))).strip()
    how = [
        _labelled(texts.PART_TIME, _same_or_listed([(how, time) for how, time, _, _ in rows])),
        _labelled(texts.PART_FEE, _same_or_listed([(how, fee) for how, _, fee, _ in rows])),
        _labelled(texts.PART_CHANNELS, _channels_text(rows)),
    ]
    office = [
        _labelled(texts.PART_WHO, _useful(record.get("doi_tuong_thuc_hien"))),
        _agencies(record),
        _labelled(texts.PART_RESULT, results(str(record.get("ket_qua_xu_ly") or ""))),
    ]
    parts = [
        (texts.PART_STEPS, _lines(steps)),
        (texts.PART_HOW, "\n".join(line for line in how if line)),
        (texts.PART_DOSSIER, _dossier_text(dossier(str(record.get("thanh_phan_ho_so") or "")))),
        (texts.PART_CONDITIONS, _lines(_useful(record.get("yeu_cau_dieu_kien")))),
        (texts.PART_OFFICE, "\n".join(line for line in office if line)),
        (texts.PART_BASIS, _basis_text(legal_basis(str(record.get("can_cu_phap_ly") or "")))),
    ]
    return [(name, text) for name, text in parts if text]


def skip_reason(record: dict[str, Any]) -> str:
    """Why a national record is not a commune's guidance ("" when it is)."""
    field = _useful(record.get("linh_vuc"))
    if field in NOT_COMMUNE_FIELDS:
        return texts.SKIP_NOT_COMMUNE.format(field=field)
    title = str(record.get("ten_thu_tuc") or "")
    if not title.strip() or MISSCRAPED_TITLE.search(title.strip()):
        return texts.SKIP_MISSCRAPED
    if not _useful(record.get("trinh_tu_thuc_hien")) and not _useful(record.get("thanh_phan_ho_so")):
        return texts.SKIP_EMPTY
    return ""


def national_record(record: dict[str, Any], source: str) -> LoadedDocument:
    code = str(record.get("ma_thu_tuc") or "").strip()
    name = " ".join(normalize_text(str(record.get("ten_thu_tuc") or "")).split()).rstrip(".")
    decision = str(record.get("so_quyet_dinh") or "").strip()
    parts = national_parts(record)
    text = "\n\n".join([name, *(f"{part}:\n{body}" for part, body in parts)])
    meta = DocumentMeta(
        title=name,
        number=code,
        doc_type=texts.PROCEDURE_TYPE,
        issuer=issuer_from_number(find_number(decision)),
        field=_useful(record.get("linh_vuc")),
        source_url=str(record.get("detail_url") or "").strip(),
    )
    extra = {
        "procedure_code": code,
        "decision": decision,
        "level": _useful(record.get("cap_thuc_hien")),
        "procedure_type": _useful(record.get("loai_thu_tuc")),
    }
    return LoadedDocument(
        source=source, text=text, meta=meta, kind="procedure", parts=parts, record_id=code, extra=extra
    )


def duplicate_key(record: dict[str, Any]) -> str:
    """The same page crawled under several codes has the same title and steps."""
    return f"{record.get('ten_thu_tuc')}\n{record.get('trinh_tu_thuc_hien')}"
