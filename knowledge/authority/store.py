"""The authority map in the database: written at ingest, read by answers, the admin page and
routing. A decree's rows are replaced whenever it is (re-)ingested and go when it goes."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select

from core.models import AuthorityReference, AuthorityTransfer
from knowledge.authority.extract import decree_facts, extract_transfers, is_authority_decree
from knowledge.authority.provisions import document_key
from knowledge.authority.vocabulary import (
    ASKING_WHO,
    LAY_TERMS,
    PROVINCE_LEVELS,
    QUESTION_WORDS,
    HolderLevel,
    department_of,
)
from knowledge.normalize import bigrams, fold_key, syllables

_LAY_LONGEST_FIRST = sorted(
    ((fold_key(k), fold_key(v)) for k, v in LAY_TERMS.items()), key=lambda kv: -len(kv[0])
)
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


# Who does a task is the answer, not the task: "trình Ủy ban nhân dân cấp tỉnh quyết định" names
# the task "quyết định"; holder names are taken out of both sides before comparing.
_HOLDER_NAMES = re.compile(
    r"(?<![a-z])(?:chu tich\s+)?(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)"
    r"(?:\s+cap)?(?:\s+(?:xa|tinh|huyen|phuong))?(?![a-z])"
)
# A row that submits, takes part or reports is a supporting role: the one who decides ranks first.
_SUPPORTING = re.compile(r"^(?:trinh|phoi hop|tham gia|bao cao|cho y kien|gop y|giup)(?![a-z])")
SUPPORTING_FACTOR = 0.75


_PUNCTUATION = re.compile(r"[,.;:()?!/\-]+")


def _terms(text: str) -> set[str]:
    """Folded syllables and the word pairs inside one phrase ("giao đất, cho thuê đất" has no
    pair "đất cho"), without holder names and filler words."""
    terms: set[str] = set()
    for phrase in _PUNCTUATION.split(_HOLDER_NAMES.sub(" , ", fold_key(text))):
        words = [w for w in syllables(phrase) if w not in QUESTION_WORDS]
        terms |= set(words) | set(bigrams(words))
    return terms


def task_terms(question: str) -> set[str]:
    """The question's task words, folded, with the decrees' words for the lay ones it uses."""
    key = f" {ASKING_WHO.sub(' , ', fold_key(question))} "
    for lay, written in _LAY_LONGEST_FIRST:
        key = key.replace(f" {lay} ", f" {written} ")
    return _terms(key)


@dataclass(frozen=True)
class _Entry:
    id: int
    ordinal: int
    supporting: bool
    terms: frozenset[str]
    weight: float  # the sum of its terms' weights (the row's side of the score)


@dataclass(frozen=True)
class _MapIndex:
    """The task words of every row and their rarity, built once per version of the map."""

    entries: tuple[_Entry, ...]
    weights: dict[str, float]


_INDEXES: dict[str, tuple[tuple[int, int, int], _MapIndex]] = {}
_INDEX_LOCK = threading.Lock()


def _weights(rows: int, frequency: Counter[str]) -> dict[str, float]:
    # A shared word pair says more than a word; a rare word more than a frequent one.
    return {t: math.log(1 + rows / (1 + n)) * (2.0 if "_" in t else 1.0) for t, n in frequency.items()}


def _map_index(session: Session) -> _MapIndex:
    # Re-ingesting gives new ids, deleting changes the count; the key lengths tell apart two maps
    # of one size (a scratch database reused by the tests).
    lengths = func.sum(func.length(AuthorityTransfer.search_key))
    count, top, size = session.exec(select(func.count(), func.max(AuthorityTransfer.id), lengths)).one()
    version = (int(count or 0), int(top or 0), int(size or 0))
    bind = session.get_bind()
    key = str(getattr(bind, "url", id(bind)))
    with _INDEX_LOCK:
        cached = _INDEXES.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
    rows = session.exec(
        select(AuthorityTransfer.id, AuthorityTransfer.ordinal, AuthorityTransfer.search_key)
    ).all()
    terms = [frozenset(_terms(search_key)) for _, _, search_key in rows]
    weights = _weights(len(rows), Counter(t for row_terms in terms for t in row_terms))
    entries = tuple(
        _Entry(
            int(id_ or 0),
            ordinal,
            bool(_SUPPORTING.match(key_)),
            row_terms,
            math.fsum(weights[t] for t in sorted(row_terms)),
        )
        for (id_, ordinal, key_), row_terms in zip(rows, terms, strict=True)
    )
    index = _MapIndex(entries, weights)
    with _INDEX_LOCK:
        _INDEXES[key] = (version, index)
    return index


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
    index = _map_index(session) if wanted else None
    if index is None or not index.entries:
        return []
    rarest = max(index.weights.values(), default=1.0)
    weight = {t: index.weights.get(t, rarest) for t in wanted}  # unseen words: as rare as the rarest
    total = math.fsum(weight[t] for t in sorted(wanted))
    scored: list[tuple[float, int, int]] = []
    for entry in index.entries:
        shared = wanted & entry.terms
        if not shared:
            continue
        got = math.fsum(weight[t] for t in sorted(shared))
        asked = got / total if total else 0.0
        if asked < min_asked:
            continue
        score = asked_weight * asked + (1 - asked_weight) * (got / entry.weight if entry.weight else 0.0)
        if entry.supporting:
            score *= SUPPORTING_FACTOR
        scored.append((score, entry.ordinal, entry.id))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    matches = []
    for score, _, row_id in scored[:limit]:
        row = session.get(AuthorityTransfer, row_id)
        if row is not None:
            matches.append(Match(row, score))
    return matches


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
