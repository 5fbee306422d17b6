"""Validity over time, decided here only: may a document be cited as current on a given day?

- status "hết hiệu lực" (set by hand, per document or per article) or a day on or after
  `effective_to`: never cited as current; when `replaced_by` is known the answer says so;
- a day before `effective_from`: cited, with a warning naming the start date;
- otherwise current (còn hiệu lực, or đã sửa đổi, bổ sung).

`effective_to` is the day the replacement takes over, so a replacement recorded as "replaced
by X from D" switches by itself on D: the old text stops being cited and X (whose
`effective_from` is D) loses its warning. Days are Vietnam's (UTC+7); the clock is injectable.

A text issued before 1 July 2025 that names "cấp huyện" gets a note: district-level powers
passed to the commune with two-level local government (Luật 72/2025/QH15).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from core.clock import VN_TZ, utcnow
from knowledge import texts
from knowledge.normalize import fold

TWO_LEVEL_GOVERNMENT = date(2025, 7, 1)  # Luật 72/2025/QH15: no more district level
_DISTRICT = "cap huyen"  # folded "cấp huyện"

Today = Callable[[], date]


def today_vn(now: datetime | None = None) -> date:
    """The calendar day in Vietnam (a text takes effect at 00:00 Vietnam time)."""
    moment = now or utcnow()
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # naive means UTC
    return aware.astimezone(VN_TZ).date()


class Citable(StrEnum):
    current = "current"
    warned = "warned"  # not yet in force: cited with a warning naming its start date
    never = "never"  # expired: never cited as current


class Dated(Protocol):
    """What validity reads of a document (core.models.Document has it)."""

    @property
    def status(self) -> str: ...
    @property
    def effective_from(self) -> date | None: ...
    @property
    def effective_to(self) -> date | None: ...
    @property
    def replaced_by(self) -> str: ...


@dataclass(frozen=True)
class Validity:
    citable: Citable
    status: str  # the status in force that day: in_force / amended / expired
    label: str  # Vietnamese, for an answer or the admin list: "chưa có hiệu lực, có hiệu lực từ …"


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def effective_status(status: str, article_status: Mapping[str, str] | None, key: str = "") -> str:
    """A document's status, or its article's override (`Document.article_status[key]`)."""
    if key and article_status and article_status.get(key):
        return str(article_status[key])
    return str(status)


def citable_on(status: str, effective_from: date | None, effective_to: date | None, today: date) -> Citable:
    """The fast check retrieval runs for every candidate chunk."""
    if str(status) == "expired" or (effective_to is not None and today >= effective_to):
        return Citable.never
    if effective_from is not None and today < effective_from:
        return Citable.warned
    return Citable.current


def validity(document: Dated, *, today: date, status: str | None = None) -> Validity:
    """`status` overrides the document's (an article's own status)."""
    value = str(status or document.status)
    state = citable_on(value, document.effective_from, document.effective_to, today)
    if state == Citable.warned:
        assert document.effective_from is not None
        return Validity(state, value, texts.NOT_YET_LABEL.format(date=vn_date(document.effective_from)))
    if state == Citable.current:
        label = texts.STATUS_LABELS.get(value, value)
        if document.effective_to is not None and document.replaced_by:
            label += ", " + texts.REPLACED_FROM_LABEL.format(
                replacement=document.replaced_by, date=vn_date(document.effective_to)
            )
        return Validity(state, value, label)
    ended = document.effective_to if document.effective_to and today >= document.effective_to else None
    label = texts.ENDED_LABEL.format(date=vn_date(ended)) if ended else texts.STATUS_LABELS["expired"]
    if document.replaced_by:
        label += ", " + texts.REPLACED_LABEL.format(replacement=document.replaced_by)
    return Validity(state, "expired", label)


def names_district_level(text: str) -> bool:
    return _DISTRICT in fold(text.lower())


def district_note(text_date: date | None, text: str) -> str:
    """The two-level government note for an older text naming "cấp huyện" ("" otherwise)."""
    if text_date is None or text_date >= TWO_LEVEL_GOVERNMENT or not names_district_level(text):
        return ""
    return texts.DISTRICT_NOTE


def superseded_note(name: str, document: Dated) -> str:
    if not document.replaced_by:
        return ""
    if document.effective_to is not None:
        return texts.SUPERSEDED_NOTE.format(
            name=name, date=vn_date(document.effective_to), replacement=document.replaced_by
        )
    return texts.SUPERSEDED_NOTE_UNDATED.format(name=name, replacement=document.replaced_by)
