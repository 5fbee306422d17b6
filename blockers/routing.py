"""Which department should clear a blocker: a ranked list of RouteScore.

Views of the text, each scaled to [0, 1] per query and added with weights tuned on the
"tune" split of the labelled set only (bench/routing.py --tune):
- profile: TF-IDF cosine (syllables, their diacritic-folded copies, folded bigrams, so
  "so do" meets "sổ đỏ") to each department's name + mandate + keywords;
- centroid: the same against the mean of the profile and the department's examples;
- keywords: catalogue keywords found in the folded text, rarer and longer ones weigh more;
- embedding (optional): multilingual-e5-small cosine to the profiles and nearest examples;
- precedent: a past blocker that is nearly the same text pulls towards the department that
  finally handled it (after transfers), which is how the router learns from transfers.

Examples are the shipped "tune" split plus every blocker in the database under its current
lead department. The labelled "test" split is never used here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from blockers.lexical import Tfidf, cosine, features, folded_phrase
from blockers.vectors import route_vectors
from core.models import Blocker, Department
from core.settings import Settings
from knowledge.query_vectors import QueryVectors

LABELLED_FILE = Path(__file__).parent / "data" / "labelled_blockers.jsonl"
MAX_DB_EXAMPLES = 3000
EMBED_NEW_PER_CALL = 16  # past blockers newly embedded per routing call
PRECEDENT_MIN = 0.5  # lexical cosine above which a past blocker counts as the same problem

# name: weight. Tuned on the tune split (leave-one-out); see bench/results/routing.json.
WEIGHTS: dict[str, float] = {
    "profile": 1.0,
    "centroid": 0.25,
    "keywords": 1.0,
    "e_profile": 0.5,
    "e_neighbours": 0.25,
    "precedent": 1.0,
}
LEXICAL_WEIGHTS: dict[str, float] = {"profile": 1.0, "centroid": 0.25, "keywords": 0.5, "precedent": 1.0}


@dataclass(frozen=True)
class RouteScore:
    department: str
    score: float


@dataclass(frozen=True)
class Example:
    text: str
    department: str
    split: str = "tune"
    source: str = ""


def load_labelled(path: Path = LABELLED_FILE) -> list[Example]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(
                Example(raw["text"], raw["department"], raw.get("split", "tune"), raw.get("source", ""))
            )
    return rows


def profile_text(entry: Mapping[str, Any] | Department) -> str:
    data = entry if isinstance(entry, Mapping) else entry.model_dump()
    return f"{data.get('name', '')}. {data.get('mandate', '')} {'; '.join(data.get('keywords') or [])}"


def _scaled(scores: Mapping[str, float]) -> dict[str, float]:
    """Divide by the best, so views on different scales can be added."""
    best = max(scores.values(), default=0.0)
    return {k: (v / best if best > 0 else 0.0) for k, v in scores.items()}


def _above_median(scores: Mapping[str, float]) -> dict[str, float]:
    # E5 cosines crowd into 0.7–0.9: only the contrast with the typical department counts.
    floor = sorted(scores.values())[len(scores) // 2]
    return {k: max(v - floor, 0.0) for k, v in scores.items()}


class Router:
    def __init__(
        self,
        departments: Sequence[tuple[str, str, Sequence[str]]],  # (code, profile text, keywords)
        examples: Sequence[Example],
        *,
        use_embeddings: bool = True,
        weights: Mapping[str, float] | None = None,
        vectors: QueryVectors | None = None,  # None = the bundled model's (blockers.vectors)
    ) -> None:
        self.vectors = vectors
        self.codes = [code for code, _, _ in departments]
        known = set(self.codes)
        self.examples = [e for e in examples if e.department in known]
        self.use_embeddings = use_embeddings
        self.weights = dict(weights or (WEIGHTS if use_embeddings else LEXICAL_WEIGHTS))
        self.profile_texts = [text for _, text, _ in departments]
        profile_bags = [features(text) for text in self.profile_texts]
        example_bags = [features(e.text) for e in self.examples]
        self.tfidf = Tfidf(profile_bags + example_bags)
        self.profile_vecs = [self.tfidf.vector(b) for b in profile_bags]
        self.example_vecs = [self.tfidf.vector(b) for b in example_bags]
        self.centroids = self._centroids()
        self.keywords = self._keyword_index(departments)

    def _centroids(self) -> dict[str, dict[str, float]]:
        sums: dict[str, dict[str, float]] = {c: defaultdict(float) for c in self.codes}
        for code, vec in zip(self.codes, self.profile_vecs, strict=True):
            for term, x in vec.items():
                sums[code][term] += 2.0 * x  # the mandate counts as two examples
        for example, vec in zip(self.examples, self.example_vecs, strict=True):
            for term, x in vec.items():
                sums[example.department][term] += x
        return sums

    @staticmethod
    def _keyword_index(departments: Sequence[tuple[str, str, Sequence[str]]]) -> list[tuple[str, str, float]]:
        phrases = [(code, folded_phrase(k)) for code, _, keywords in departments for k in keywords]
        shared = Counter(phrase for _, phrase in set(phrases))
        # Sorted: set order follows the hash seed, and sums in another order differ in the last bit.
        return [(code, p, len(p.split()) / shared[p]) for code, p in sorted(set(phrases)) if p]

    def _lexical(self, text: str, skip: int | None) -> dict[str, dict[str, float]]:
        q = self.tfidf.vector(features(text))
        profile = {c: cosine(q, v) for c, v in zip(self.codes, self.profile_vecs, strict=True)}
        skipped = self.example_vecs[skip] if skip is not None else {}
        skipped_code = self.examples[skip].department if skip is not None else ""
        centroid = {}
        for code, total in self.centroids.items():
            vec = {t: x - skipped.get(t, 0.0) for t, x in total.items()} if code == skipped_code else total
            norm = sum(x * x for x in vec.values()) ** 0.5 or 1.0
            centroid[code] = cosine(q, vec) / norm
        precedent = dict.fromkeys(self.codes, 0.0)
        for i, (example, vec) in enumerate(zip(self.examples, self.example_vecs, strict=True)):
            if example.source == "database" and i != skip:
                sim = cosine(q, vec)
                if sim >= PRECEDENT_MIN:
                    precedent[example.department] = max(precedent[example.department], sim)
        padded = f" {folded_phrase(text)} "
        keywords = dict.fromkeys(self.codes, 0.0)
        for code, phrase, weight in self.keywords:
            if f" {phrase} " in padded:
                keywords[code] += weight
        return {"profile": profile, "centroid": centroid, "keywords": keywords, "precedent": precedent}

    def _embedding(self, text: str, skip: int | None) -> dict[str, dict[str, float]]:
        vectors = self.vectors or route_vectors()
        embed, is_embedded = vectors.embed, vectors.is_embedded
        q = embed([text])[0]
        profile = dict(zip(self.codes, (embed(self.profile_texts) @ q).tolist(), strict=True))
        # Past blockers join the embedding view a few at a time (their vectors are memoised),
        # so the first message after a restart never waits for thousands of encodings.
        budget = EMBED_NEW_PER_CALL
        chosen: list[tuple[int, Example]] = []
        for i, example in enumerate(self.examples):
            if i == skip:
                continue
            if example.source == "database" and not is_embedded(example.text):
                if budget <= 0:
                    continue
                budget -= 1
            chosen.append((i, example))
        per: dict[str, list[float]] = defaultdict(list)
        if chosen:
            sims = (embed([e.text for _, e in chosen]) @ q).tolist()
            for (_, example), sim in zip(chosen, sims, strict=True):
                per[example.department].append(sim)
        neighbours = {}
        for code in self.codes:
            top = [*sorted(per.get(code, []), reverse=True)[:2], 0.0, 0.0]
            neighbours[code] = top[0] + 0.5 * top[1]
        return {"e_profile": _above_median(profile), "e_neighbours": _above_median(neighbours)}

    def views(self, text: str, *, skip_example: int | None = None) -> dict[str, dict[str, float]]:
        views = self._lexical(text, skip_example)
        if self.use_embeddings and any(self.weights.get(k, 0) for k in ("e_profile", "e_neighbours")):
            views.update(self._embedding(text, skip_example))
        return views

    def rank(self, text: str, *, skip_example: int | None = None) -> list[RouteScore]:
        """Departments best first; `skip_example` leaves one example out (scoring on itself)."""
        if not self.codes:
            return []
        return fuse(self.views(text, skip_example=skip_example), self.weights, self.codes)


def fuse(
    views: Mapping[str, Mapping[str, float]], weights: Mapping[str, float], codes: Sequence[str]
) -> list[RouteScore]:
    fused = dict.fromkeys(codes, 0.0)
    total = 0.0
    for name, weight in weights.items():
        if weight and name in views:
            total += weight
            for code, value in _scaled(views[name]).items():
                fused[code] += weight * value
    ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
    return [RouteScore(code, round(score / (total or 1.0), 4)) for code, score in ranked]


def database_examples(session: Session, *, limit: int = MAX_DB_EXAMPLES) -> list[Example]:
    """Past blockers under their current (post-transfer) lead department, newest first."""
    rows = session.exec(
        select(Blocker.description, Blocker.department_code).order_by(col(Blocker.id).desc()).limit(limit)
    )
    return [Example(text=d, department=code, source="database") for d, code in rows]


def build_router(
    session: Session, *, use_embeddings: bool = True, settings: Settings | None = None
) -> Router:
    from blockers.catalogue import get_departments

    departments = [(d.code, profile_text(d), list(d.keywords)) for d in get_departments(session)]
    shipped = [e for e in load_labelled() if e.split == "tune"]
    examples = database_examples(session) + shipped
    vectors = route_vectors(settings) if use_embeddings else None
    return Router(departments, examples, use_embeddings=use_embeddings, vectors=vectors)


def route(
    session: Session,
    *,
    text: str,
    use_embeddings: bool = True,
    limit: int | None = None,
    settings: Settings | None = None,
) -> list[RouteScore]:
    """Departments best first. The one place routing suggestions are made (blockers/intake.py
    turns them into the choices an official sees)."""
    ranked = build_router(session, use_embeddings=use_embeddings, settings=settings).rank(text)
    return ranked[:limit] if limit else ranked
