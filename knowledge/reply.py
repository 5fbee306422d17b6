"""The reply an official reads, put together from its parts: the lead sentence(s) that answer
the question with their citation, the supporting clause shortened for a phone, notes (an
amended text, a correction) and "Xem thêm". One function builds every grounded reply, so other
answer kinds (an authority answer, a correction line) plug in by passing their own parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge import texts

MAX_SUPPORT = 700  # characters of the supporting clause: about one phone screen


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
