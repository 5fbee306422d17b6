"""JSONL records → documents: law articles (`{id, title, text}`) and administrative procedures.

A procedure record is one document. The `{id, title, text}` lines of one law (the id before
"::", "Luật Cư trú::20") are one document with one article per line (`group_by_law`); each
article keeps its corpus id as `record_id` (evaluation maps chunks back to it). The
document title is the law's name without its number ("Luật Cư trú"), the number goes to
`meta.number`, so a citation reads "Điều 20 khoản 1 Luật Cư trú số 68/2020/QH14".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge import texts
from knowledge.metadata import extract_meta, find_number, issuer_from_number
from knowledge.types import ArticleDraft, DocumentMeta, LoadedDocument

# How the source records say a field is empty (matched, folded to lowercase).
NO_INFO = {"", "không có thông tin", "không quy định", "không"}
# The source records' own field names (keys of their JSON, not shown to anyone).
FIELDS = {
    "steps": "trình_tự_thực_hiện",
    "channels": "cách_thức_thực_hiện",
    "who": "đối_tượng_thực_hiện",
    "conditions": "yêu_cầu_điều_kiện_thực_hiện",
    "result": "kết_quả_thực_hiện",
    "code": "mã_thủ_tục",
    "name": "tên_thủ_tục",
    "decision": "số_quyết_định",
    "field": "lĩnh_vực",
    "level": "cấp_thực_hiện",
    "kind": "loại_thủ_tục",
    "doing": "cơ_quan_thực_hiện",
    "competent": "cơ_quan_có_thẩm_quyền",
    "delegated": "cơ_quan_được_ủy_quyền",
    "cooperating": "cơ_quan_phối_hợp",
    "address": "địa_chỉ_tiếp_nhận_hs",
}
# "Bản sao" glued to the note before it in the source's table cells.
GLUED_COPY = (" Bản sao", ", Bản sao")

# "Luật Cư trú (68/2020/QH14) - Điều 20. Đăng ký thường trú"
_ARTICLE_TITLE = re.compile(
    r"^(?P<law>.+?)\s+[-–]\s+Điều\s+(?P<number>\d+[a-zđ]?)\s*[.:]?\s*(?P<heading>.*)$"
)
_LAW_NUMBER = re.compile(r"\s*\(([^()]*\d[^()]*)\)\s*$")
_CLAUSE_START = re.compile(r"^\d{1,3}\s*[.)]\s")
_STEP = re.compile(r"\s*(Bước\s+\d+\s*[:.])")


def _useful(value: Any) -> str:
    text = str(value or "").strip().replace(" : ", ": ")
    return "" if text.lower().rstrip(".") in NO_INFO else text


def article_record(record: dict[str, Any], source: str) -> LoadedDocument:
    record_id = str(record.get("id", "")).strip()
    title = str(record.get("title", "")).strip()
    text = str(record["text"]).strip()
    law, number, heading = title, "", ""
    match = _ARTICLE_TITLE.match(title)
    if match:
        law, number, heading = match["law"].strip(), match["number"], match["heading"].strip()
        if _CLAUSE_START.match(heading):
            heading = ""  # an article without a heading: the title quotes its clause 1
    elif "::" in record_id:
        law, number = record_id.rsplit("::", 1)
    law_number = ""
    paren = _LAW_NUMBER.search(law)
    if paren:
        law_number = find_number(paren.group(1)) or paren.group(1).strip()
        law = law[: paren.start()].strip()
    if number:
        # Make the article self-describing: "Điều 20. <heading>" as its first line. Titles
        # sometimes cut the heading short, so the text's own first line is preferred.
        first, _, rest = text.partition("\n")
        if heading and first.strip().startswith(heading.rstrip(". …")[:40]):
            text = f"{texts.RECORD_ARTICLE_HEAD.format(number=number, heading=first.strip())}\n{rest}".strip()
        elif not first.lstrip().startswith(texts.ARTICLE.format(number="")):
            head = texts.RECORD_ARTICLE_HEAD.format(number=number, heading=heading)
            text = (
                f"{head}\n\n{text}".strip()
                if heading
                else f"{texts.RECORD_ARTICLE_BARE.format(number=number)}\n\n{text}"
            )
    meta = extract_meta("", law)
    meta.number = law_number or meta.number
    meta.issuer = meta.issuer or issuer_from_number(meta.number)
    return LoadedDocument(
        source=source,
        text=text,
        meta=meta,
        kind="legal",
        record_id=record_id,
        extra={"law": law, "article": number, "article_title": heading},
    )


def _fee_or_deadline(rows: list[dict[str, Any]], key: str) -> str:
    values = [(str(r.get("hinh_thuc", "")).strip(), _useful(r.get(key))) for r in rows]
    values = [(how, v) for how, v in values if v]
    if not values:
        return ""
    if len({v for _, v in values}) == 1:
        return values[0][1]
    return "\n".join(f"- {how}: {v}" if how else f"- {v}" for how, v in values)


def _documents_list(rows: list[dict[str, Any]]) -> str:
    lines = []
    for i, row in enumerate(rows, 1):
        name = str(row.get("ten_giay_to", "")).strip()
        if not name:
            continue
        notes = " ".join(str(row.get("ghi_chu", "")).split())
        quantity = str(row.get("so_luong", "")).strip()
        line = f"{i}. {name}"
        if notes:
            line += f" ({notes.replace(*GLUED_COPY)})"
        if re.search(r"\.(docx?|xlsx?|pdf)$", quantity, re.IGNORECASE):
            line += texts.RECORD_FORM.format(form=quantity)
        elif quantity:
            line += texts.RECORD_QUANTITY.format(quantity=quantity)
        lines.append(line)
    return "\n".join(lines)


def _legal_basis(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        summary = str(row.get("trich_yeu", "")).strip().rstrip(".")
        symbol = str(row.get("so_ky_hieu", "")).strip()
        if symbol and symbol not in summary and len(symbol) > 4:
            summary = f"{summary} ({symbol})" if summary else symbol
        issued = str(row.get("ngay_ban_hanh", "")).strip()
        if issued and issued not in summary:
            summary += texts.RECORD_ISSUED.format(date=issued.replace("-", "/"))
        body = str(row.get("co_quan_ban_hanh", "")).strip()
        if body and body not in summary:
            summary += f", {body}"
        if summary:
            lines.append(f"- {summary}")
    return "\n".join(lines)


def _agencies(content: dict[str, Any]) -> str:
    labels = (
        (FIELDS["doing"], texts.AGENCY_DOING),
        (FIELDS["competent"], texts.AGENCY_COMPETENT),
        (FIELDS["delegated"], texts.AGENCY_DELEGATED),
        (FIELDS["cooperating"], texts.AGENCY_COOPERATING),
        (FIELDS["address"], texts.AGENCY_ADDRESS),
    )
    return "\n".join(f"{label}: {v}" for key, label in labels if (v := _useful(content.get(key))))


def _channels(content: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    lines = [text] if (text := _useful(content.get(FIELDS["channels"]))) else []
    for row in rows:
        how = str(row.get("hinh_thuc", "")).strip()
        details = [
            texts.PROCEDURE_TIME.format(time=v) if (v := _useful(row.get("thoi_han_giai_quyet"))) else "",
            _useful(row.get("phi_le_phi")),
            _useful(row.get("mo_ta")).replace("\n", " "),
        ]
        if how:
            lines.append(f"- {how}: " + "; ".join(d for d in details if d))
    return "\n".join(lines)


def procedure_parts(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The parts of a procedure record, in the order an official reads them."""
    content = record.get("content") or {}
    tables = record.get("tables") or {}
    channels = tables.get("hinh_thuc_nop") or []
    steps = _STEP.sub(r"\n\1", _useful(content.get(FIELDS["steps"]))).strip()
    parts = [
        (texts.PART_STEPS, steps),
        (texts.PART_CHANNELS, _channels(content, channels)),
        (texts.PART_DOSSIER, _documents_list(tables.get("thanh_phan_ho_so") or [])),
        (texts.PART_TIME, _fee_or_deadline(channels, "thoi_han_giai_quyet")),
        (texts.PART_FEE, _fee_or_deadline(channels, "phi_le_phi")),
        (texts.PART_WHO, _useful(content.get(FIELDS["who"]))),
        (texts.PART_AGENCY, _agencies(content)),
        (texts.PART_CONDITIONS, _useful(content.get(FIELDS["conditions"]))),
        (texts.PART_BASIS, _legal_basis(tables.get("can_cu_phap_ly") or [])),
        (texts.PART_RESULT, _useful(content.get(FIELDS["result"]))),
    ]
    return [(name, text) for name, text in parts if text]


def procedure_record(record: dict[str, Any], source: str) -> LoadedDocument:
    info = record.get("metadata") or {}
    code = str(info.get(FIELDS["code"]) or record.get("thu_tuc_id") or "").strip()
    name = str(info.get(FIELDS["name"], "")).strip().rstrip(".")
    decision = str(info.get(FIELDS["decision"], "")).strip()
    parts = procedure_parts(record)
    text = "\n\n".join([name, *(f"{part}:\n{body}" for part, body in parts)])
    meta = DocumentMeta(
        title=name,
        number=code,
        doc_type=texts.PROCEDURE_TYPE,
        issuer=issuer_from_number(find_number(decision)),
        field=str(info.get(FIELDS["field"], "")).strip(),
    )
    extra = {
        "procedure_code": code,
        "decision": decision,
        "level": str(info.get(FIELDS["level"], "")).strip(),
        "procedure_type": str(info.get(FIELDS["kind"], "")).strip(),
    }
    return LoadedDocument(
        source=source, text=text, meta=meta, kind="procedure", parts=parts, record_id=code, extra=extra
    )


def is_procedure(record: dict[str, Any]) -> bool:
    return isinstance(record.get("metadata"), dict) and (
        "content" in record or "thu_tuc_id" in record or "tables" in record
    )


def is_article(record: dict[str, Any]) -> bool:
    return isinstance(record.get("text"), str) and bool(str(record.get("id", "")).strip())


def law_of(record_id: str) -> str:
    """The law a corpus id belongs to ("Luật Cư trú::20" → "Luật Cư trú"), "" without "::"."""
    return record_id.rsplit("::", 1)[0].strip() if "::" in record_id else ""


def group_by_law(docs: list[LoadedDocument], file_source: str) -> list[LoadedDocument]:
    """One document per law for the article lines (in the order their laws first appear);
    procedure records and lines without a law in their id stay as they are."""
    from knowledge.chunking import record_article_draft
    from knowledge.normalize import normalize_text

    out: list[LoadedDocument] = []
    laws: dict[str, LoadedDocument] = {}
    for doc in docs:
        law = law_of(doc.record_id) if doc.kind == "legal" else ""
        if not law:
            out.append(doc)
            continue
        line = LoadedDocument(source=doc.source, text=normalize_text(doc.text).strip(), meta=doc.meta,
                              record_id=doc.record_id)  # fmt: skip
        article: ArticleDraft = record_article_draft(line)
        grouped = laws.get(law)
        if grouped is None:
            grouped = LoadedDocument(
                source=f"{file_source}#{law}",
                text=line.text,
                meta=doc.meta,
                kind="legal",
                record_id=law,
                extra={"law": doc.extra.get("law", law)},
            )
            laws[law] = grouped
            out.append(grouped)
        else:
            grouped.text += "\n\n" + line.text
        grouped.articles.append(article)
    return out


# --- a dossier part read back (the lead's digest, knowledge/reply.py dossier_lead) -------------
# The "Thành phần hồ sơ" part as both importers write it: blocks separated by a blank line, each
# an optional group label ("Giấy tờ phải nộp:", "Trường hợp cấp mới …:"), numbered papers
# ("4. Giấy chứng sinh; trường hợp … — 1 bản chính") and «Lưu ý» notes.
_ITEM = re.compile(r"^(?P<n>\d{1,3})\s*[.)]\s+(?P<text>.+)$")
_ORDER = re.compile(r"^\((?P<n>\d{1,2})\)\s*")  # "(3) Nghị quyết …": the source's own order
# "1 bản chính, 1 bản sao"; not "20251 bản chính" (a year glued to the count by the source).
_COPIES = re.compile(r"^\d{1,2}\s*bản\s*(chính|sao)(\s*,\s*\d{1,2}\s*bản\s*(chính|sao))?$", re.I)
_GLUED_COUNT = re.compile(r"^\d{3}")
_ALIAS = re.compile(r"\(sau đây gọi (?:tắt )?là (?P<alias>[^()]{3,40})\)")
# Where an item's head ends: the first clause, before its details, conditions and remarks.
_HEAD_END = re.compile(
    r";|\.(?=\s|$)|\s\(|:\s|,\s*(?:trường hợp|nếu|trừ|trong đó)\s|\s(?:trong|đối với) trường hợp\s"
    r"|\snếu\s|\sđối với\s|\stheo\s(?:mẫu|quy định)",
    re.I,
)
# A paper needed only in some cases: "Trường hợp …", "Nếu …", "Đối với …" at its start, or
# "… trong trường hợp …", "(nếu có)" in its first clause.
_CONDITIONAL_START = re.compile(r"^(?:trường hợp|nếu|đối với|trong trường hợp|riêng)\b", re.I)
_CONDITIONAL_IN = re.compile(r"\btrường hợp\b|\bnếu\b|\sđối với\s", re.I)
# A condition naming how the dossier is sent is an alternative form, not a special case.
_CHANNEL_CONDITION = re.compile(
    r"hình thức (?:trực tiếp|trực tuyến)|qua hệ thống bưu chính|môi trường điện tử", re.I
)
# "Trường hợp … thì phải có <paper>": the paper asked for, after the case.
_CASE_PAPER = re.compile(
    r"(?<!không)\s(?:thì\s+)?phải\s+(?:(?:có|nộp|xuất trình|bổ sung|kèm theo|gửi)(?:\s+lại)?\s+)?"
    r"|\sthì\s+(?:(?:có|nộp|xuất trình|bổ sung|kèm theo|gửi)(?:\s+lại)?\s+)?"
    r"|:\s+",  # "Đối với Quân đội nhân dân: Giấy giới thiệu …"
    re.I,
)
HEAD_CHARS = 70  # an item's head beyond this is cut at a word with "…"
# A head longer than SOFT_CHARS ends at its first "do / đã / được" after SOFT_MIN characters:
# "Báo cáo tình hình thực hiện giấy phép [được cấp của tổ chức, cá nhân]", "biên bản về việc trẻ
# bị bỏ rơi [do cơ quan có thẩm quyền lập]" (not at "," : "văn bản thỏa thuận của cha, mẹ …").
SOFT_CHARS = 45
SOFT_MIN = 20
_SOFT_END = re.compile(r"\s(?:do|đã|được (?:cấp|lập|ban hành|công chứng|chứng thực|ký|khai thác))\s", re.I)
LABEL_CHARS = 60  # a group label beyond this is cut at a word with "…"
LEAD_IN_CHARS = 40  # room beyond HEAD_CHARS for a choice's lead-in ("Một trong các giấy tờ sau:")
_CHOICE_LEAD_IN = re.compile(r"\bmột trong\b", re.I)
_OR = re.compile(r"\bhoặc\b", re.I)  # a choice of copies, not "Bản sao Giấy khai sinh"
# "Bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử được chứng thực từ bản chính của
# <the paper>": the choice of copies (said by the count) before the paper's name.
_COPY_CHOICE = re.compile(
    r"^(?:(?:bản chính|bản sao|bản chụp|điện tử|có chứng thực|được chứng thực|từ bản chính|từ sổ gốc"
    r"|kèm bản chính|để đối chiếu|hoặc)(?:\s+|,\s*))+(?:của\s+)?",
    re.I,
)


@dataclass
class DossierItem:
    text: str  # the paper as listed, without its number and count
    copies: str = ""  # "1 bản chính", "1 bản chính, 1 bản sao", a quantity; "" when not said

    @property
    def lead_in(self) -> bool:
        """ "Đối với các dự án …, hồ sơ … phải bổ sung:": introduces the next papers, is none."""
        return self.text.rstrip().endswith(":")

    @property
    def conditional(self) -> bool:
        """Needed only in some cases ("Trường hợp trẻ em bị bỏ rơi thì …", "Văn bản ủy quyền …
        trong trường hợp ủy quyền …", "(nếu có)"); a condition on the channel does not count
        ("Tờ khai … (nếu … nộp hồ sơ theo hình thức trực tiếp)")."""
        if _CONDITIONAL_START.match(self.text):
            return True
        clause = _first_clause(self.text)
        return bool(_CONDITIONAL_IN.search(clause)) and not _CHANNEL_CONDITION.search(clause)

    @property
    def head(self) -> str:
        """The paper's name without its details: "Giấy chứng sinh", "Văn bản ủy quyền"; the
        record's own short name when it gives one ("… (sau đây gọi tắt là giấy tờ tùy thân)");
        for a case ("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản …"), the paper it names."""
        text = self.text
        if _CONDITIONAL_START.match(text):
            clause = _first_clause(text)
            paper = _CASE_PAPER.search(clause)
            if paper and paper.end() < len(clause):
                text = clause[paper.end() :]
        choice = _COPY_CHOICE.match(text)
        if choice and _OR.search(choice.group(0)) and len(text) - choice.end() > 10:
            text = text[choice.end() :]  # "Bản chính hoặc bản sao … của <the paper>"
        end = _HEAD_END.search(text, 3)
        head = (text[: end.start()] if end else text).strip(" ,;:.-")
        if end and text[end.start()] == ":" and _CHOICE_LEAD_IN.search(head) and end.end() < len(text):
            # "Một trong các giấy tờ sau: Căn cước điện tử; …": the choice with its first paper.
            rest = text[end.end() :]
            after = _HEAD_END.search(rest, 3)
            first = (rest[: after.start()] if after else rest).strip(" ,;:.-+•*")
            more = "…" if after and rest[after.end() :].strip(" .") else ""
            return _clip_head(f"{head}: {first}{more}", HEAD_CHARS + LEAD_IN_CHARS)
        alias = _ALIAS.search(self.text)
        if alias and len(head) > HEAD_CHARS:  # a name too long to show: the record's own short one
            name = alias["alias"].strip()
            return name[:1].upper() + name[1:]
        soft = _SOFT_END.search(head, SOFT_MIN) if len(head) > SOFT_CHARS else None
        if soft:
            head = head[: soft.start()].rstrip(" ,;:")
        return _clip_head(head, HEAD_CHARS)


def _clip_head(head: str, limit: int) -> str:
    if len(head) <= limit:
        return head
    cut = head[: limit - 1]
    return cut[: cut.rfind(" ")].rstrip(",;: ") + "…"


@dataclass
class DossierGroup:
    label: str  # "Giấy tờ phải nộp", "Trường hợp cấp mới Giấy chứng nhận đăng ký", "" when none
    items: list[DossierItem] = field(default_factory=list)
    notes: bool = False  # a «Lưu ý» group: remarks, not papers

    @property
    def heading(self) -> str:
        """The label as the lead shows it: cut to LABEL_CHARS; none for the part's own name."""
        label = self.label
        if label == texts.PART_DOSSIER:
            return ""
        if len(label) > LABEL_CHARS:
            cut = label[: LABEL_CHARS - 1]
            label = cut[: cut.rfind(" ")].rstrip(",;: ") + "…"
        return label


def _first_clause(text: str) -> str:
    """The item up to its first ";" or sentence end: what its conditions qualify."""
    end = re.search(r";|\.(?=\s|$)", text)
    return text[: end.start()] if end else text


def dossier_groups(part: str) -> list[DossierGroup]:
    """The groups of a "Thành phần hồ sơ" part as the importers write it (knowledge/importers/
    procedures.py `_dossier_text`, `_documents_list` above): labels, numbered papers with their
    copies; «Lưu ý» lines and groups are notes. A group ends at a blank line, a label, where the
    numbering starts again or papers follow notes (a group's notes come after its papers), so
    the part as stored (its chunks joined without blank lines) reads the same."""
    note = texts.PROCEDURE_NOTE.format(text="")
    note_label = note.rstrip(": ")
    quantity = texts.RECORD_QUANTITY.format(quantity="").strip()
    form = texts.RECORD_FORM.format(form="").strip()
    groups: list[DossierGroup] = []
    group, last, noted = DossierGroup(label=""), 0, False

    def close() -> None:
        if group.items or group.label:
            groups.append(_in_source_order(group))

    for line in (raw.strip() for raw in part.strip().split("\n")):
        if line.startswith(note):
            noted = True
            continue
        found = _ITEM.match(line)
        if found is None:
            # a blank line or a label: a new group
            if (not line and (group.items or group.label)) or line.endswith(":"):
                close()
                group, last, noted = DossierGroup(label=line.rstrip(": ")), 0, False
                group.notes = group.label == note_label
            continue
        number = int(found["n"])
        if number <= last or noted:  # "1." again, or papers after notes: the next group, unlabelled
            close()
            group, noted = DossierGroup(label=""), False
        last = number
        text, _, tail = found["text"].rpartition(" — ")
        if not text:
            text, tail = found["text"], ""
        tail = tail.strip()
        if tail.startswith(form):  # " — mẫu: x.docx": a form, not a count
            tail = ""
        tail = tail.removeprefix(quantity).strip()
        short = bool(tail) and len(tail) <= 20 and not _GLUED_COUNT.match(tail)  # "01 bộ" (older records)
        copies = tail if _COPIES.match(tail) or short else ""
        group.items.append(DossierItem(text=text.strip().lstrip("-+•* ").strip(), copies=copies))
    close()
    return groups


def _in_source_order(group: DossierGroup) -> DossierGroup:
    """ "(2) …, (1) …": the papers in the source's own numbering, without it."""
    orders = [int(found["n"]) for item in group.items if (found := _ORDER.match(item.text))]
    if group.items and len(orders) == len(group.items):
        ranked = sorted(zip(orders, group.items, strict=True), key=lambda p: p[0])
        group.items = [item for _, item in ranked]
    for item in group.items:
        item.text = _ORDER.sub("", item.text)
    return group
