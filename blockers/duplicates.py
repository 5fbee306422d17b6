"""Open blockers of other communes that look like the one being described, so an official
can follow an existing one instead of filing a duplicate (its answer then reaches them too).
Lexical similarity is enough here: duplicates share their key words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from blockers.lexical import Tfidf, cosine, features
from core.models import Blocker, BlockerStatus

MIN_SIMILARITY = 0.3
CANDIDATES = 500


@dataclass(frozen=True)
class SimilarBlocker:
    blocker: Blocker
    score: float


def find_similar(
    session: Session, *, text: str, exclude_commune: str, limit: int = 3, min_score: float = MIN_SIMILARITY
) -> list[SimilarBlocker]:
    query = (
        select(Blocker)
        .where(col(Blocker.status) != BlockerStatus.closed)
        .order_by(col(Blocker.id).desc())
        .limit(CANDIDATES)
    )
    if exclude_commune:
        query = query.where(col(Blocker.commune) != exclude_commune)
    candidates = list(session.exec(query))
    if not candidates or not text.strip():
        return []
    bags = [features(b.description) for b in candidates]
    q_bag = features(text)
    tfidf = Tfidf([*bags, q_bag])
    q = tfidf.vector(q_bag)
    scored = [
        SimilarBlocker(b, round(cosine(q, tfidf.vector(bag)), 4))
        for b, bag in zip(candidates, bags, strict=True)
    ]
    scored = [s for s in scored if s.score >= min_score]
    scored.sort(key=lambda s: -s.score)
    return scored[:limit]
