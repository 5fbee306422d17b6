"""The authority map in the database: written at ingest, read by answers, the admin page and
routing. A decree's rows are replaced whenever it is (re-)ingested and go when it goes."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from core.models import AuthorityReference, AuthorityTransfer
from knowledge.authority.extract import decree_facts, extract_transfers, is_authority_decree
from knowledge.authority.provisions import document_key
from knowledge.authority.vocabulary import (
    LAY_TERMS,
    PROVINCE_LEVELS,
    QUESTION_WORDS,
    HolderLevel,
    department_of,
)
from knowledge.normalize import bigrams, fold, fold_key, syllables

_LAY = {fold_key(k): fold_key(v) for k, v in LAY_TERMS.items()}
# "Nhiệm vụ, quyền hạn của Bộ Công Thương về cấp … Giấy phép phân phối rượu": the words before
# the task itself say whose it was, not what it is; the search key starts at the task.
_TASK_LEAD = re.compile(
    r"^(?:tham quyen|nhiem vu, quyen han|nhiem vu|trach nhiem|viec)"
    r"(?:\s+cua\s+.{3,120}?\s+(?:ve viec|ve|trong viec|trong|doi voi)(?=\s))?\s+"
)
_FORMER_LEAD = re.compile(
    r"^cua\s+(?:(?:chu tich\s+)?(?:uy ban nhan dan|hoi dong nhan dan)(?:\s+cap)?\s+(?:huyen|tinh|xa)"
    r"|co quan [a-z ,]{3,80}? cap (?:huyen|tinh)|thu tuong chinh phu|chinh phu)\s+"
)
# "cấp, cấp sửa đổi, bổ sung, cấp lại, thu hồi Giấy phép …": a licence's whole life, one task.
_LICENCE_VERBS = re.compile(
    r"^(?:(?:cap|cap lai|cap sua doi|sua doi|bo sung|thu hoi|dieu chinh|cap dieu chinh)[, ]+)+(?=giay )"
)
# A blocker is long prose: it names a province's task when it holds most of that task's words.
ROUTING_ASKED_WEIGHT = 0.2
ROUTING_MIN = 0.6


def task_key(task: str) -> str:
    """The folded task without who held it before and without a licence's list of verbs."""
    key = fold_key(task)
    short = _FORMER_LEAD.sub("", _TASK_LEAD.sub("", key, count=1), count=1)
    return _LICENCE_VERBS.sub("cap ", short, count=1) or key


def clear_document_authority(session: Session, *, document_id: int) -> None:
    session.exec(delete(AuthorityReference).where(col(AuthorityReference.document_id) == document_id))  # type: ignore[call-overload]
    session.exec(delete(AuthorityTransfer).where(col(AuthorityTransfer.document_id) == document_id))  # type: ignore[call-overload]


def sync_document_authority(session: Session, *, document_id: int, text: str, number: str) -> int:
    """Replace the document's rows of the authority map with those its text holds now (none
    when it is not a decree dividing authority). Returns the number of rows written."""
    clear_document_authority(session, document_id=document_id)
    if not is_authority_decree(text):
        return 0
    facts = decree_facts(text)
    decree = number or facts.number
    written = 0
    for ordinal, draft in enumerate(extract_transfers(text)):
        row = AuthorityTransfer(
            document_id=document_id,
            decree_number=decree[:100],
            article=draft.article[:20],
            clause=draft.clause[:20],
            point=draft.point[:20],
            article_title=draft.article_title,
            task=draft.task,
            provision=draft.provision,
            holder=draft.holder,
            level=draft.level.value,
            condition=draft.condition,
            former_holder=draft.former_holder,
            department=department_of(draft.holder, facts.ministry)[:200],
            text=draft.text,
            search_key=task_key(draft.task),
            effective_from=facts.effective_from,
            effective_to=facts.effective_to,
            ordinal=ordinal,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        session.add_all(
            AuthorityReference(
                transfer_id=row.id,
                document_id=document_id,
                law=p.document[:300],
                law_key=p.key[:300],
                article=p.article[:20],
                clause=p.clause[:20],
                point=p.point[:20],
            )
            for p in draft.provisions
        )
        written += 1
    return written


def transfers_for(
    session: Session, *, number: str = "", title: str = "", article: str, clause: str = ""
) -> list[AuthorityTransfer]:
    """Rows naming this provision of an older text (by its number, or its law name); a row
    naming the whole article or another of its clauses counts only when it names no clause."""
    keys = document_key(number, title)
    if not keys or not article:
        return []
    query = (
        select(AuthorityTransfer, AuthorityReference)
        .where(AuthorityReference.transfer_id == AuthorityTransfer.id)
        .where(col(AuthorityReference.law_key).in_(keys))
        .where(AuthorityReference.article == article)
        .order_by(col(AuthorityTransfer.ordinal))
    )
    rows: dict[int, AuthorityTransfer] = {}
    for transfer, reference in session.exec(query):
        if not clause or not reference.clause or reference.clause == clause:
            rows.setdefault(int(transfer.id or 0), transfer)
    return list(rows.values())


@dataclass(frozen=True)
class Match:
    transfer: AuthorityTransfer
    score: float  # how well the row's task and the question's task words cover each other


# A question names more than the decree's task ("… nhà ở riêng lẻ" of "cấp giấy phép xây dựng"),
# a row more than the question; both shares count, the question's more. Below MIN_ASKED of the
# question's words a row is not a match at all, however short its own task.
ASKED_WEIGHT = 0.6
MIN_ASKED = 0.3


def _terms(text: str) -> set[str]:
    words = [w for w in syllables(fold(text)) if w not in QUESTION_WORDS]
    return set(words) | set(bigrams(words))


def task_terms(question: str) -> set[str]:
    """The question's task words, folded, with the decrees' words for the lay ones it uses."""
    key = fold_key(question)
    extra = " ".join(v for k, v in _LAY.items() if f" {k} " in f" {key} ")
    return _terms(f"{key} {extra}")


def holder_for(
    session: Session,
    *,
    words: str,
    limit: int = 3,
    asked_weight: float = ASKED_WEIGHT,
    min_asked: float = MIN_ASKED,
) -> list[Match]:
    """The rows whose task is nearest to `words`, best first (rare shared words weigh most)."""
    wanted = task_terms(words)
    if not wanted:
        return []
    rows: Sequence[AuthorityTransfer] = session.exec(select(AuthorityTransfer)).all()
    if not rows:
        return []
    terms = [_terms(row.search_key) for row in rows]
    frequency = Counter(t for row_terms in terms for t in row_terms)

    def weight(term: str) -> float:
        rarity = math.log(1 + len(rows) / (1 + frequency[term]))
        return rarity * (2.0 if "_" in term else 1.0)  # a shared word pair says more than a word

    def share(part: set[str], whole: set[str]) -> float:
        total = math.fsum(weight(t) for t in sorted(whole))
        return math.fsum(weight(t) for t in sorted(part)) / total if total else 0.0

    scored = []
    for row, row_terms in zip(rows, terms, strict=True):
        shared = wanted & row_terms
        asked = share(shared, wanted)
        if asked >= min_asked and shared:
            score = asked_weight * asked + (1 - asked_weight) * share(shared, row_terms)
            scored.append(Match(row, score))
    scored.sort(key=lambda m: (-m.score, m.transfer.ordinal, m.transfer.id or 0))
    return scored[:limit]


def provincial_department_for(session: Session, *, text: str) -> str:
    """The provincial department ("Sở Xây dựng") answering for the task a blocker is about, when
    the map gives that task to the province or a provincial body; "" otherwise."""
    matches = holder_for(session, words=text, limit=1, asked_weight=ROUTING_ASKED_WEIGHT, min_asked=0.0)
    if not matches or matches[0].score < ROUTING_MIN:
        return ""
    best = matches[0].transfer
    return best.department if HolderLevel(best.level) in PROVINCE_LEVELS else ""


def search_transfers(
    session: Session, *, q: str = "", level: str = "", offset: int = 0, limit: int = 100
) -> tuple[int, list[AuthorityTransfer]]:
    """The admin table: rows whose folded task, holder, provision or decree contain `q`."""
    rows = session.exec(
        select(AuthorityTransfer).order_by(
            col(AuthorityTransfer.decree_number), col(AuthorityTransfer.ordinal)
        )
    ).all()
    key = fold_key(q)
    picked = [
        row
        for row in rows
        if (not level or row.level == level)
        and (
            not key
            or key in fold_key(f"{row.task} {row.holder} {row.provision} {row.decree_number} {row.condition}")
        )
    ]
    return len(picked), picked[offset : offset + limit]
