"""Folded (diacritic-free, lower-case) search text for blockers.

Officials and staff type "dat dai" as often as "đất đai"; the inbox matches a folded query
against `Blocker.search_text`, which an ORM hook keeps filled on every insert and update, so
whichever module writes a blocker (lifecycle, imports, tests) gets it without remembering to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from core.models import Blocker
from knowledge.normalize import fold_key


def search_text_for(blocker: Blocker) -> str:
    parts = (blocker.code, blocker.title, blocker.description, blocker.commune, blocker.field)
    return fold_key(" ".join(part for part in parts if part))


@event.listens_for(Blocker, "before_insert")
@event.listens_for(Blocker, "before_update")
def _fill_search_text(_mapper: Any, _connection: Any, target: Blocker) -> None:
    target.search_text = search_text_for(target)
