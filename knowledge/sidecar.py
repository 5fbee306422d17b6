"""Metadata set by hand: the `<file>.meta.json` sidecar next to a file, run-wide defaults
(`troly ingest --status/--department/--field`, the admin upload form) and status names.

A sidecar is a JSON object with DocumentMeta field names, e.g.
`{"status": "hết hiệu lực", "department_code": "TP", "issued_date": "2025-08-01"}`, and the
validity over time: `{"effective_from": "01/01/2016", "effective_to": "2027-03-01",
"replaced_by": "Luật Hộ tịch số …/2026/QH15", "source_url": "https://vbpl.vn/…"}`.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from knowledge import texts
from knowledge.metadata import parse_date
from knowledge.types import DocumentMeta

SIDECAR_SUFFIX = ".meta.json"

STATUS_NAMES = {
    "in_force": "in_force",
    "còn hiệu lực": "in_force",
    "hiệu lực": "in_force",
    "amended": "amended",
    "đã sửa đổi": "amended",
    "sửa đổi": "amended",
    "đã sửa đổi, bổ sung": "amended",
    "expired": "expired",
    "hết hiệu lực": "expired",
}


class MetadataError(ValueError):
    """A sidecar or a status value that cannot be used (message in Vietnamese)."""


def normalize_status(value: str) -> str:
    status = STATUS_NAMES.get(value.strip().lower())
    if status is None:
        raise MetadataError(texts.BAD_STATUS.format(value=value))
    return status


def overlay(base: DocumentMeta, values: dict[str, Any]) -> DocumentMeta:
    """`base` with every non-empty value of `values` (DocumentMeta field names) set."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        if key == "status":
            value = normalize_status(str(value))
        elif key in DATE_FIELDS and not isinstance(value, date):
            value = parse_meta_date(key, value)
        changes[key] = value
    result = replace(base, **changes)
    check_dates(result)
    return result


DATE_FIELDS = ("issued_date", "effective_from", "effective_to")


def parse_meta_date(key: str, value: object) -> date:
    """A date of a DocumentMeta field from a sidecar or a form; Vietnamese error when bad."""
    parsed = _parse_sidecar_date(str(value))
    if parsed is None:
        if key == "issued_date":
            raise MetadataError(texts.BAD_ISSUED_DATE.format(value=value))
        raise MetadataError(texts.BAD_DATE.format(value=value, field=texts.DATE_FIELDS.get(key, key)))
    return parsed


def check_dates(meta: DocumentMeta) -> None:
    if meta.effective_from and meta.effective_to and meta.effective_to <= meta.effective_from:
        start, end = meta.effective_from.strftime("%d/%m/%Y"), meta.effective_to.strftime("%d/%m/%Y")
        raise MetadataError(texts.BAD_DATE_ORDER.format(start=start, end=end))


def meta_values(meta: DocumentMeta) -> dict[str, Any]:
    return {f.name: getattr(meta, f.name) for f in fields(meta)}


def _parse_sidecar_date(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return parse_date(value)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The fields set by `<file>.meta.json` next to `path` ({} when there is none)."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MetadataError(texts.SIDECAR_UNREADABLE.format(name=side.name, error=exc)) from exc
    if not isinstance(data, dict):
        raise MetadataError(texts.SIDECAR_NOT_OBJECT.format(name=side.name))
    known = {f.name for f in fields(DocumentMeta)}
    unknown = sorted(set(data) - known)
    if unknown:
        shown = {"name": side.name, "unknown": ", ".join(unknown), "known": ", ".join(sorted(known))}
        raise MetadataError(texts.SIDECAR_UNKNOWN_FIELDS.format(**shown))
    return data
