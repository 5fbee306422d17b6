"""Transfer clauses of a decree dividing authority, read into rows of the authority map.

The decrees of 12 June 2025 (and those provinces add later) write one shape, clause by clause:
"Thẩm quyền <task> quy định tại <provision> do <holder> thực hiện [<condition>]", with variants:
"… chuyển giao cho <holder> thực hiện"; a lead-in naming the holder ("Thẩm quyền của Ủy ban
nhân dân cấp huyện … chuyển giao cho Chủ tịch Ủy ban nhân dân cấp xã thực hiện, bao gồm:")
followed by points that each name a task and its provision; and the holder first ("Ủy ban
nhân dân cấp xã thực hiện nhiệm vụ … quy định tại …", "… có trách nhiệm thực hiện … như sau:").
Matching runs on the folded line (same length as the NFC original), text is cut from the
original. A row needs a holder and at least one provision of another text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from knowledge.authority.provisions import Provision, parse_provisions
from knowledge.authority.vocabulary import HolderLevel, holder_level
from knowledge.normalize import fold, normalize_text

_END = re.compile(r"^(noi nhan|tm\. chinh phu)\b")
_ARTICLE = re.compile(r"^dieu\s+(\d+[a-z]?)\.\s*(.*)$")
_CLAUSE = re.compile(r"^(\d+)\.\s+")
_POINT = re.compile(r"^([a-z])\)\s+")
_NUMBER = re.compile(r"so:\s*(\d+/\d{4}/[a-z0-9\-]+)")
_DATE = r"(\d{1,2}) thang (\d{1,2}) nam (\d{4})"
_IN_FORCE = re.compile(r"co hieu luc(?: thi hanh)? (?:tu|ke tu) ngay " + _DATE)
_UNTIL = re.compile(r"(?:het hieu luc(?: thi hanh)? (?:tu|ke tu)|duoc thuc hien den truoc) ngay " + _DATE)
_MINISTRY = re.compile(r"^theo de nghi cua bo truong (bo [a-z ,]+?)\s*;")
# The clause that hands a task over: "… do <holder> thực hiện", "… chuyển giao cho <holder> thực hiện".
# A lookahead, so that every "do" is tried ("phá dỡ" folds to "pha do" too).
_HANDED = re.compile(
    r"(?=(?<!chuyen)\s(?:do|chuyen giao cho|phan cap cho|phan quyen cho|giao cho|uy quyen cho)"
    r"\s+(.{3,260}?)\s+thuc hien(?![a-z]))"
)
# The holder first: "Ủy ban nhân dân cấp xã [có trách nhiệm] thực hiện …".
_HOLDER_FIRST = re.compile(
    r"^((?:chu tich )?uy ban nhan dan (?:cap )?(?:xa|tinh)|hoi dong nhan dan cap (?:xa|tinh)"
    r"|co quan co chuc nang quan ly [a-z ]+? cap (?:xa|tinh)|so [a-z ]+?)"
    r"\s+(?:co trach nhiem\s+)?(?:to chuc\s+)?thuc hien\s+"
)
_PROVISION = re.compile(
    r"(?:theo\s+)?quy dinh(?:\s+tai)?\s+(?=(?:cac\s+)?(?:diem|khoan|dieu|luat|bo luat|nghi dinh)\s)"
    r"|\stai\s+(?=(?:cac\s+)?(?:diem|khoan|dieu)\s)"
)
_FORMER = re.compile(
    r"\bcua\s+((?:chu tich\s+)?uy ban nhan dan (?:cap )?(?:huyen|tinh)|co quan [a-z ,]+? cap huyen"
    r"|hoi dong nhan dan cap (?:huyen|tinh)|bo truong bo [a-z ]+?|bo [a-z ]+?|thu tuong chinh phu|chinh phu)"
    r"(?=\s|,|$)"
)
_LEAD_END = re.compile(r"(?:,?\s*(?:bao gom|cu the nhu sau|nhu sau)\s*)?:\s*$|,?\s*bao gom\s*$")
_NOT_DONE = re.compile(r"^khong thuc hien\b")
_TRAILING = " .;:,"


@dataclass
class TransferDraft:
    """One row of the authority map before it is stored."""

    article: str
    article_title: str
    clause: str
    point: str
    task: str  # as written: "Thẩm quyền cấp giấy phép xây dựng"
    provision: str  # as written: "khoản 2, khoản 3 Điều 103 Luật Xây dựng năm 2014 …"
    holder: str  # as written: "Ủy ban nhân dân cấp xã"
    level: HolderLevel
    condition: str = ""  # "khi được Ủy ban nhân dân cấp tỉnh phân cấp"
    former_holder: str = ""  # "Ủy ban nhân dân cấp huyện", when the clause says whose it was
    text: str = ""  # the whole clause (or the lead-in and the point)
    provisions: list[Provision] = field(default_factory=list)


@dataclass
class DecreeFacts:
    number: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    ministry: str = ""  # "Bộ Xây dựng": the proposing ministry names the provincial department's field


@dataclass
class _Unit:
    article: str
    article_title: str
    clause: str
    point: str
    text: str


@dataclass
class _Lead:
    holder: str
    condition: str
    text: str
    former: str
    scope: tuple[str, str]  # (article, clause) whose points — or whole article — it covers


def _fold(text: str) -> str:
    return fold(text).lower()  # NFC input keeps the lengths equal: spans index the original


def _date(match: re.Match[str] | None) -> date | None:
    if match is None:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def decree_facts(text: str) -> DecreeFacts:
    facts = DecreeFacts()
    for line in text.splitlines():
        line = normalize_text(line).strip()
        folded = _fold(line)
        if not facts.number and (found := _NUMBER.search(folded)):
            facts.number = line[found.start(1) : found.end(1)].upper()
        if not facts.ministry and (found := _MINISTRY.search(folded)):
            facts.ministry = line[found.start(1) : found.end(1)]
        facts.effective_from = facts.effective_from or _date(_IN_FORCE.search(folded))
        facts.effective_to = facts.effective_to or _date(_UNTIL.search(folded))
    return facts


def _units(text: str) -> Iterator[_Unit]:
    article = title = clause = point = ""
    for raw in text.splitlines():
        line = normalize_text(raw).strip()
        if not line:
            continue
        folded = _fold(line)
        if _END.match(folded):
            return
        if match := _ARTICLE.match(folded):
            article, title, clause, point = match.group(1), line[match.start(2) :], "", ""
            continue
        if not article:
            continue
        if match := _CLAUSE.match(folded):
            clause, point = match.group(1), ""
            line = line[match.end() :]
        elif match := _POINT.match(folded):
            point = line[match.start(1) : match.end(1)]
            line = line[match.end() :]
        yield _Unit(article, title, clause, point, line)


def _split_task(text: str, end: int) -> tuple[str, str] | None:
    """(task, provision) of `text[:end]`, split at the first "quy định tại": what follows is the
    provision (several, when the clause names several: the parser keeps only real references)."""
    found = _PROVISION.search(_fold(text[:end]))
    if found is None:
        return None
    return text[: found.start()].strip(_TRAILING), text[found.end() : end].strip(_TRAILING)


_REFERENCE_START = re.compile(r"^(?:cac\s+)?(?:diem|khoan|dieu)\s")


def _segments(text: str) -> list[str]:
    """A point naming several tasks ("A quy định tại …; B quy định tại …") as one text per task.
    A piece that goes on listing provisions ("…; Điều 45 Nghị định …") stays with the one before;
    tasks without a provision of their own ("A; B; C quy định tại …") go with the next one's."""
    pieces: list[str] = []
    waiting = ""
    for piece in text.split("; "):
        folded = _fold(piece)
        if pieces and not waiting and _REFERENCE_START.match(folded):
            pieces[-1] += "; " + piece
        elif _PROVISION.search(folded):
            pieces.append(f"{waiting}; {piece}" if waiting else piece)
            waiting = ""
        else:
            waiting = f"{waiting}; {piece}" if waiting else piece
    return pieces


def _former(task: str) -> str:
    found = _FORMER.search(_fold(task))
    return task[found.start(1) : found.end(1)] if found else ""


def _handed(unit: _Unit) -> tuple[str, str, str, int] | None:
    """(holder, condition, tail, where the holder phrase starts) of a "… do <holder> thực hiện" clause."""
    folded = _fold(unit.text)
    for match in reversed(list(_HANDED.finditer(folded))):
        holder = unit.text[match.start(1) : match.end(1)]
        if holder_level(holder) is HolderLevel.none or _PROVISION.search(_fold(holder)):
            continue
        tail = unit.text[match.end(1) + len(" thuc hien") :]
        # The condition is the rest of the sentence; a next sentence is not part of it.
        sentence = re.split(r"\.\s+(?=[^\W\d_])", tail, maxsplit=1)[0]
        lead_end = _LEAD_END.search(_fold(sentence))  # ", bao gồm:" opens the points, it is no condition
        condition = sentence[: lead_end.start()] if lead_end else sentence
        condition = condition.strip(_TRAILING)
        return holder.strip(_TRAILING), condition, tail, match.start()
    return None


def _row(
    unit: _Unit, task: str, provision: str, holder: str, *, document: str = "", **extra: str
) -> TransferDraft | None:
    """A row, when the provision names one; `document` is the text a provision list that names
    none belongs to ("… điểm a khoản 3 Điều 236; … khoản 4 Điều 236 Luật Đất đai")."""
    provisions = parse_provisions(provision)
    if not provisions and document:
        provisions = parse_provisions(f"{provision} {document}")
    if not provisions or not task:
        return None
    return TransferDraft(
        article=unit.article,
        article_title=unit.article_title,
        clause=unit.clause,
        point=unit.point,
        task=task,
        provision=provision,
        holder=holder,
        level=holder_level(holder),
        provisions=provisions,
        **extra,
    )


def _from_unit(unit: _Unit, lead: _Lead | None) -> tuple[list[TransferDraft], _Lead | None]:
    """The rows a clause or point makes, and the lead-in it opens (for its points or clauses)."""
    folded = _fold(unit.text)
    if _NOT_DONE.match(folded):
        return [], None
    scope = (unit.article, unit.clause)
    is_lead = bool(_LEAD_END.search(folded)) and not unit.point
    if handed := _handed(unit):
        holder, condition, _, start = handed
        split = _split_task(unit.text, start)
        row = None
        if split is not None:
            task, provision = split
            extra = {"condition": condition, "former_holder": _former(task), "text": unit.text}
            row = _row(unit, task, provision, holder, **extra)
        if row is None and is_lead:  # "… do <holder> thực hiện, bao gồm:" without a provision
            return [], _Lead(holder, condition, unit.text, _former(unit.text), scope)
        return [row] if row else [], None
    if first := _HOLDER_FIRST.match(folded):
        holder = unit.text[first.start(1) : first.end(1)]
        rest = unit.text[first.end() :]
        row = None
        if split := _split_task(rest, len(rest)):
            row = _row(unit, *split, holder, text=unit.text)
        if row is None and is_lead:
            return [], _Lead(holder, "", unit.text, "", scope)
        return [row] if row else [], None
    if lead is None:
        return [], None
    rows = []
    named = parse_provisions(unit.text)
    document = named[-1].document if named else ""
    for piece in _segments(unit.text):
        if split := _split_task(piece, len(piece)):
            text = f"{lead.text}\n{unit.text}"
            extra = {"condition": lead.condition, "former_holder": lead.former, "text": text}
            if row := _row(unit, *split, lead.holder, document=document, **extra):
                rows.append(row)
    return rows, None


def extract_transfers(text: str) -> list[TransferDraft]:
    """Every transfer row of a decree's articles (the appendices after the signature are not read)."""
    rows: list[TransferDraft] = []
    lead: _Lead | None = None
    for unit in _units(text):
        if lead is not None:
            article, clause = lead.scope
            if unit.article != article or (clause and unit.clause != clause):
                lead = None
        found, opened = _from_unit(unit, lead)
        if opened is not None:
            lead = opened
        rows += found
    return rows


def is_authority_decree(text: str) -> bool:
    """A decree dividing authority between levels: its title says so, within the first lines."""
    head = _fold(normalize_text(text[:3000]))
    return "nghi dinh" in head and (
        "phan dinh tham quyen" in head or "phan quyen, phan cap" in head or "phan cap, phan quyen" in head
    )
