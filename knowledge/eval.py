"""Evaluation: index a `{id, title, text}` corpus in its own data directory and run every query
of a qrels file through the same retrieval as `KnowledgeBase.ask` (ranks: recall, MRR) and
through `KnowledgeBase.ask` itself (answers: answered right / wrong / refused, whether a gold
short answer is in the reply's first 300 characters, refusals of unanswerable questions).

The evaluation index lives in DATA_DIR/eval/<corpus fingerprint> (database, Chroma, BM25
cache) and is reused while the corpus file is unchanged; embeddings come from the shared
cache in DATA_DIR/cache, so a second run costs only the queries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.db import make_engine, migrate
from core.settings import Settings
from knowledge.answering import Kind
from knowledge.embeddings import make_embeddings
from knowledge.normalize import fold, normalize_text, syllables
from knowledge.retrieve import FusionParams, strip_diacritics
from knowledge.service import KnowledgeBase

log = logging.getLogger(__name__)


LEAD_WINDOW = 300  # "near the top": the characters of a reply a phone shows first


@dataclass
class Query:
    qid: str
    query: str
    relevant: set[str]
    answer: str = ""  # the gold short answer ("07 năm"), when the line carries one


@dataclass
class EvalResult:
    metrics: dict[str, float | int]
    ranks: dict[str, int | None] = field(default_factory=dict)  # qid → rank of first relevant


def read_qrels(path: Path) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            queries.append(
                Query(
                    str(row["qid"]), str(row["query"]), set(row["relevant_ids"]), str(row.get("answer") or "")
                )
            )
    return queries


def corpus_fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def open_eval_base(settings: Settings, corpus: Path, progress: bool = False) -> KnowledgeBase:
    """A KnowledgeBase over CORPUS alone, built once per corpus content."""
    directory = settings.data_dir / "eval" / corpus_fingerprint(corpus)
    eval_settings = settings.model_copy(update={"data_dir": directory, "database_url": "", "chroma_url": ""})
    eval_settings.ensure_dirs()
    engine = make_engine(eval_settings.effective_database_url)
    migrate(engine)
    shared = make_embeddings(settings)  # the embedding cache is shared across data dirs
    kb = KnowledgeBase.open(eval_settings, engine, embeddings=shared)
    report = kb.ingest([corpus], progress=progress)
    for source, reason in report.errors:
        log.warning("%s: %s", source, reason)
    kb.warm_up()
    return kb


def metrics_of(ranks: Iterable[int | None], times_ms: list[float]) -> dict[str, float | int]:
    ranks = list(ranks)
    n = len(ranks)

    def recall(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n if n else 0.0

    mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n if n else 0.0
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0
    return {
        "n": n,
        "recall@1": round(recall(1), 4),
        "recall@5": round(recall(5), 4),
        "recall@10": round(recall(10), 4),
        "mrr@10": round(mrr, 4),
        "p50_ms": round(statistics.median(times_ms), 1) if times_ms else 0.0,
        "p95_ms": round(p95, 1),
    }


def evaluate(
    kb: KnowledgeBase,
    queries: list[Query],
    *,
    strip: bool = False,
    params: FusionParams | None = None,
    reuse_vectors: bool = False,
) -> EvalResult:
    """Rank of the first relevant corpus id per query. Query vectors are recomputed (timings
    include embedding) unless `reuse_vectors`, which tuning runs use."""
    if params is not None:
        kb.retriever.params = params
    if not reuse_vectors:
        kb.retriever.clear_cache()
    ranks: dict[str, int | None] = {}
    times: list[float] = []
    for q in queries:
        text = strip_diacritics(q.query) if strip else q.query
        retrieval = kb.search(text, k=30)
        times.append(retrieval.ms)
        seen: list[str] = []
        for hit in retrieval.hits:  # several chunks of one article count once
            if hit.record_id not in seen:
                seen.append(hit.record_id)
        ranks[q.qid] = next((i + 1 for i, rid in enumerate(seen[:10]) if rid in q.relevant), None)
    return EvalResult(metrics_of(ranks.values(), times), ranks)


class Outcome:
    right = "right"  # an answer whose first cited article is gold
    wrong = "wrong"  # an answer citing another article first
    refused = "refused"  # not found, or only "có thể liên quan" (not an answer)


@dataclass
class AnswerResult:
    metrics: dict[str, float | int]
    outcomes: dict[str, str] = field(default_factory=dict)  # qid → Outcome
    in_lead: dict[str, bool] = field(default_factory=dict)  # qid → gold answer near the top


_NUMBERING = re.compile(r"(?m)^\s*(?:\d{1,3}\s*[.)]|[a-zđ]\))\s+")


def _words(text: str) -> str:
    """Folded words only: layout (clause numbers "1.", points "a)", punctuation) is not the answer."""
    return " ".join(syllables(fold(_NUMBERING.sub(" ", normalize_text(text)))))


def answer_in_lead(gold: str, reply: str) -> bool:
    """The gold answer, folded, within the first LEAD_WINDOW characters of the reply."""
    wanted = _words(gold)
    return bool(wanted) and f" {wanted} " in f" {_words(reply[:LEAD_WINDOW])} "


def evaluate_answers(kb: KnowledgeBase, queries: list[Query], *, strip: bool = False) -> AnswerResult:
    """Every query through `KnowledgeBase.ask`, as the bot answers it."""
    result = AnswerResult(metrics={})
    for q in queries:
        answer = kb.ask(strip_diacritics(q.query) if strip else q.query)
        if answer.kind != Kind.answer or not answer.sources:
            outcome = Outcome.refused
        elif answer.sources[0].record_id in q.relevant:
            outcome = Outcome.right
        else:
            outcome = Outcome.wrong
        result.outcomes[q.qid] = outcome
        if q.answer:
            result.in_lead[q.qid] = answer_in_lead(q.answer, answer.text)
    outcomes = list(result.outcomes.values())
    metrics: dict[str, float | int] = {
        "answered_right": outcomes.count(Outcome.right),
        "answered_wrong": outcomes.count(Outcome.wrong),
        "refused": outcomes.count(Outcome.refused),
    }
    if result.in_lead:
        metrics["answer_in_lead"] = sum(result.in_lead.values())
        metrics["with_answer"] = len(result.in_lead)
    result.metrics = metrics
    return result


def run_eval(
    settings: Settings,
    corpus: Path,
    qrels: Path,
    *,
    strip: bool = False,
    progress: bool = False,
    unanswerable: Path | None = None,
) -> dict[str, Any]:
    """Retrieval metrics and answer counts of QRELS; with UNANSWERABLE (questions the corpus
    does not answer), how many of those the bot refused."""
    kb = open_eval_base(settings, corpus, progress=progress)
    try:
        queries = read_qrels(qrels)
        metrics: dict[str, Any] = dict(evaluate(kb, queries, strip=strip).metrics)
        metrics.update(evaluate_answers(kb, queries, strip=strip).metrics)
        if unanswerable is not None:
            outside = read_qrels(unanswerable)
            counted = evaluate_answers(kb, outside, strip=strip).metrics
            metrics["unanswerable"] = len(outside)
            metrics["refused_unanswerable"] = counted["refused"]
        return metrics
    finally:
        kb.close()
