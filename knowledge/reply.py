"""The reply an official reads, put together from its parts: the lead sentence(s) that answer
the question with their citation, the supporting clause shortened for a phone, notes (an
amended text, a correction) and "Xem thêm". One function builds every grounded reply, so other
answer kinds (an authority answer, a correction line) plug in by passing their own parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge import texts
from knowledge.intent import AnswerType, QuestionIntent, answer_position, has_answer_type
from knowledge.normalize import fold
from knowledge.records import DossierGroup, DossierItem, dossier_groups
from knowledge.select import Selection, echo_end, echo_start, overlap, strip_numbering

MAX_SUPPORT = 700  # characters of the supporting clause: about one phone screen
CONSEQUENCE = " thì "  # "Người nào … thì bị phạt tù từ …": where a long sentence's answer starts
ECHO_KEEP = 200  # characters kept after the question's echo: the answer, when it is a phrase
ECHO_HEAD = 70  # at most this much of the sentence's start before "…" and the answer
MIN_HEAD = 20  # less of the sentence's start than this says nothing: the answer alone after "…"
CASES_SHOWN = 2  # a dossier's lead keeps the copies only if this many special cases still fit


@dataclass
class ReplyParts:
    lead: str  # one or two extracted sentences that answer the question
    citation: str  # "Điều 8 khoản 1 điểm a Luật Hôn nhân và gia đình số 52/2014/QH13"
    support: str = ""  # the clause the lead comes from (shortened here)
    support_citation: str = ""  # when the support is cited differently from the lead
    notes: list[str] = field(default_factory=list)  # amended text, corrections…
    see_also: list[str] = field(default_factory=list)  # citations of other articles


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(",;: ") + "…"


def says_all_of(lead: str, clause: str) -> bool:
    """Whether the lead already holds the whole clause (numbering aside, whitespace and marks
    folded): the support would only repeat it."""
    body = " ".join(fold(strip_numbering(clause).lower()).split())
    return bool(body) and body in " ".join(fold(lead.lower()).split())


def lead_sentences(selection: Selection, intent: QuestionIntent, budget: int) -> str:
    """The lead of a selected unit: the sentence; a point with its clause's lead-in ("Phạt tiền
    từ … đối với hành vi sau đây: …"), or every point when the question asks for the list; a
    lead-in ending in ":" with the list it introduces; a sentence with the next ones of its
    clause while they fit; a short article whole when the question asks for all of it
    ("quy định thế nào về …", "liệt kê"); shortened to `budget`."""
    unit = selection.referenced or selection.unit
    text = strip_numbering(unit.text)
    own = unit is selection.unit
    in_intro = bool(unit.intro) and not has_answer_type(unit.text, intent.wants)
    if own and intent.listing and selection.whole and len(selection.whole) <= budget:
        text = selection.whole  # "quy định thế nào về …", "liệt kê": a short article whole
    elif own and intent.listing and selection.siblings:  # "trong những trường hợp nào": the whole list
        text = f"{strip_numbering(unit.intro)} " + " ".join(selection.siblings)
    elif unit.intro and (len(text) < 160 or in_intro):  # "Phạt tiền từ … đối với hành vi sau đây:"
        text = f"{strip_numbering(unit.intro)} {text}"
    elif text.endswith(":") and selection.items and own:
        # A lead-in ("Hồ sơ đăng ký tạm trú bao gồm:") answers with the list that follows it;
        # a list too long for the lead keeps the items speaking of the question ("một giờ được
        # tính là?" → "… như sau: … Một giờ là sáu mươi phút"), when only some do.
        items = selection.items
        if len(text) + 1 + len(" ".join(items)) > budget:
            asked = [item for item in items if overlap(selection.weights, item) > 0]
            items = [f"… {item}" for item in asked] if 0 < len(asked) < len(items) else items
        text = f"{text} " + " ".join(items)
    elif own:
        for nxt in selection.following:  # "Cá nhân có quyền đối với hình ảnh của mình. Việc sử dụng …"
            if len(text) + 1 + len(nxt) > budget:
                break
            text = f"{text} {nxt}"
    return as_sentence(lead_text(text, intent.wants, budget, selection.weights, selection.denied))


def as_sentence(lead: str) -> str:
    """A lead starts a sentence: a point read alone ("b) đề nghị …"), a record's part starting
    lower case."""
    return lead[:1].upper() + lead[1:]


def lead_text(
    text: str,
    wanted: AnswerType,
    budget: int,
    weights: dict[str, float] | None = None,
    denied: frozenset[str] = frozenset(),
) -> str:
    """The sentence, shortened to `budget` keeping the part that answers: where the answer type
    asked for is (a duration, an amount), else where the sentence stops repeating the question
    (`weights`: the question's words), after at most ECHO_HEAD characters of its start."""
    text = " ".join(text.split())
    if len(text) <= budget:
        return text
    pos = answer_position(text, wanted)
    if pos is not None:
        if pos < budget - 80:
            return clip(text, budget)
        start = max(text.rfind(", ", 0, pos), text.rfind(CONSEQUENCE, 0, pos), pos - 120, 0)
        return _head_and_tail(text, start, max(budget // 2, budget - 100), budget)
    at = echo_end(text, weights, denied) if weights else None
    if at is None or at + ECHO_KEEP <= budget:
        return clip(text, budget)
    return _head_and_tail(text, echo_start(text, at), budget - ECHO_HEAD - 2, budget)


def _head_and_tail(text: str, start: int, room: int, budget: int) -> str:
    """The sentence's start, "…", and the part from `start` (at most `room` characters); the
    sentence read straight on when its start would reach that part (a short rest leaves the
    start more room): nothing is said twice ("… địa… bỏ quên mà biết được địa chỉ …")."""
    rest = text[start:].lstrip(" ,;:")
    if room < len(rest) <= budget - 2:
        room = len(rest)  # the answer read to its end rather than its context: less start
    tail = clip(rest, room)
    head = budget - len(tail) - 2
    if start <= head:
        return clip(text, budget)
    if head < MIN_HEAD:
        return f"… {tail}"
    return f"{clip(text, head).rstrip('…')}… {tail}"


def dossier_lead(part: str, budget: int) -> str:
    """The lead of a procedure's "Thành phần hồ sơ" part: a digest of its papers, extracted —
    each paper's head with its copies, the papers every applicant brings first (by the record's
    own groups: "Giấy tờ phải nộp: …", "Giấy tờ phải xuất trình: …"; an unlabelled group first),
    then, marked, those needed only in some cases ("Trường hợp trẻ em bị bỏ rơi thì phải có
    biên bản …"); «Lưu ý» notes left to the supporting text. The copies are dropped (the most
    common first) when the digest would not fit `budget`, then the last papers, with "…".
    "" when the part lists no papers (the caller keeps the part's start)."""
    groups = [g for g in dossier_groups(part) if not g.notes and g.items]
    groups.sort(key=lambda g: bool(g.label))  # an unlabelled group: the papers of every case
    if not any(item for g in groups for item in g.items if not item.lead_in):
        return ""
    counts = [i.copies for g in groups for i in g.items if i.copies and not i.conditional]
    common = max(sorted(set(counts)), key=counts.count) if counts else ""  # sorted: the same on ties
    # The first way that shows every paper; else the first that shows the papers of every case
    # and a few of the special cases; else the most papers.
    tried = [_fit_dossier(*_dossier_sections(groups, hidden), budget) for hidden in (set(), {common}, None)]
    for good in (
        lambda fit: fit.complete,
        lambda fit: fit.always and fit.cases >= min(CASES_SHOWN, fit.wanted),
    ):
        for fit in tried:
            if good(fit):
                return fit.text
    return tried[-1].text


@dataclass
class _Fit:
    text: str
    complete: bool  # every paper shown
    always: bool  # every paper of every case shown
    cases: int  # how many of the special cases shown
    wanted: int  # how many special cases there are


def _dossier_sections(
    groups: list[DossierGroup], hidden: set[str] | None
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(label, papers) of the papers always needed, with their copies unless `hidden` (None:
    all hidden), and the papers needed in some cases, without."""
    seen: set[str] = set()
    sections: list[tuple[str, list[str]]] = []
    cases: list[str] = []

    def named(item: DossierItem, copies: bool) -> str:
        if copies and item.copies and hidden is not None and item.copies not in hidden:
            return texts.DOSSIER_COPIES.format(paper=item.head, copies=item.copies)
        return item.head

    for group in groups:
        papers = []
        for item in group.items:
            key = fold(item.head)
            if item.lead_in or not item.head or key in seen:
                continue
            seen.add(key)
            if item.conditional:
                cases.append(named(item, False))
            else:
                papers.append(named(item, True))
        if papers:
            sections.append((group.heading, papers))
    return sections, cases


def _fit_dossier(sections: list[tuple[str, list[str]]], cases: list[str], budget: int) -> _Fit:
    """The sections, then the cases, paper by paper while they fit; "…" when some are left."""
    text = ""
    shown = 0
    blocks = [(label, papers, False) for label, papers in sections]
    if cases:
        blocks.append(("", cases, True))
    for label, papers, is_cases in blocks:
        start = f"{text} " if text else ""
        for n, paper in enumerate(papers):
            if n == 0:
                body = paper
                piece = (
                    texts.DOSSIER_CASES.format(papers=body)
                    if is_cases
                    else texts.DOSSIER_GROUP.format(label=label, papers=body)
                    if label
                    else body
                )
                candidate = start + piece
            else:
                candidate = f"{text}; {paper}"
            if len(candidate) + 2 > budget:  # room for ". " or "…"
                if not text:
                    return _Fit(clip(candidate, budget), False, False, 0, len(cases))
                text = text.rstrip(".;")
                return _Fit(text if text.endswith("…") else f"{text} …", False, is_cases, shown, len(cases))
            text = candidate
            shown += is_cases
        text += "."
    return _Fit(text, True, True, shown, len(cases))


def compose_reply(parts: ReplyParts, max_chars: int) -> str:
    head = f"{parts.lead}\n{texts.CITED.format(citation=parts.citation)}"
    tail = ""
    if parts.see_also:
        tail += texts.SEE_ALSO.format(citations="; ".join(parts.see_also))
    for note in parts.notes:
        tail += "\n\n" + note
    body = ""
    support = parts.support.strip()
    if support and " ".join(support.split()) != " ".join(parts.lead.split()):
        label = texts.SUPPORT_HEADING.format(citation=parts.support_citation or parts.citation)
        room = min(MAX_SUPPORT, max_chars - len(head) - len(tail) - len(label) - 4)
        if room > 80:
            body = f"\n\n{label}:\n{clip(support, room)}"
    text = head + body + tail
    return text if len(text) <= max_chars else clip(text, max_chars)


def compose_related(citations: list[str], max_chars: int, *, note: str = "") -> str:
    """The «có thể liên quan» list; `note` says why these are not the answer, when known."""
    lines = "\n".join(f"- {c}" for c in citations)
    why = f"\n\n{note}" if note else ""
    return clip(f"{texts.RELATED}\n{lines}{why}\n\n{texts.RELATED_HINT}", max_chars)
