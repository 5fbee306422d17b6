"""The answers an official reads, on the dev files: the table of issue 9.

    python bench/answers.py [--eval-dir ../shared/eval]

Every question goes through KnowledgeBase.ask (the bot's path) over the 19-law corpus, as
typed and with diacritics stripped: answered right (the first cited article is gold), answered
wrong, refused (not found or only «có thể liên quan»); for the ALQAC 2022 questions with a short
gold answer, whether it is within the first 300 characters of the reply; for the unanswerable
set, how many were refused. Each figure on the whole file and on halves A (fitted by
bench/fit_answering.py) and B (never fitted). Retrieval MRR@10 and p95 of qrels_dev as well.
Results: bench/results/answers.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.retrieval import half_of  # noqa: E402
from core.settings import get_settings  # noqa: E402
from knowledge.eval import (  # noqa: E402
    AnswerResult,
    Outcome,
    Query,
    evaluate,
    evaluate_answers,
    open_eval_base,
    read_qrels,
)

FILES = {"annotator": "qrels_dev.jsonl", "lay": "lay_dev.jsonl", "unanswerable": "unanswerable_dev.jsonl"}


def rates(result: AnswerResult, queries: list[Query]) -> dict[str, float | int]:
    n = len(queries)
    outcomes = [result.outcomes[q.qid] for q in queries]
    out: dict[str, float | int] = {
        "n": n,
        "right": round(outcomes.count(Outcome.right) / n, 3) if n else 0.0,
        "wrong": round(outcomes.count(Outcome.wrong) / n, 3) if n else 0.0,
        "refused": round(outcomes.count(Outcome.refused) / n, 3) if n else 0.0,
    }
    leads = [result.in_lead[q.qid] for q in queries if q.qid in result.in_lead]
    if leads:
        out["with_answer"] = len(leads)
        out["answer_in_lead"] = round(sum(leads) / len(leads), 3)
        right_article = [q for q in queries if q.qid in result.in_lead]
        out["answer_set_right"] = round(
            sum(result.outcomes[q.qid] == Outcome.right for q in right_article) / len(right_article), 3
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/answers.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for noisy in ("bm25s", "alembic", "httpx", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    started = time.perf_counter()
    kb = open_eval_base(get_settings(), args.eval_dir / "corpus.jsonl", progress=True)
    gold = {q.qid: q.answer for q in read_qrels(args.eval_dir / "answers_dev.jsonl")}
    table: dict[str, dict[str, Any]] = {}
    for name, filename in FILES.items():
        queries = read_qrels(args.eval_dir / filename)
        for q in queries:
            q.answer = q.answer or gold.get(q.qid, "")
        for strip in (False, True):
            variant = "stripped" if strip else "typed"
            row: dict[str, Any] = {}
            if name == "annotator":
                retrieval = evaluate(kb, queries, strip=strip)
                row["retrieval"] = retrieval.metrics
                for half in ("A", "B"):
                    ranks = [retrieval.ranks[q.qid] for q in queries if half_of(q.qid) == half]
                    row[f"mrr@10_{half}"] = round(sum(1 / r for r in ranks if r) / len(ranks), 4)
            result = evaluate_answers(kb, queries, strip=strip)
            row["all"] = rates(result, queries)
            for half in ("A", "B"):
                row[half] = rates(result, [q for q in queries if half_of(q.qid) == half])
            table[f"{name}/{variant}"] = row
            logging.info("%s/%s: %s", name, variant, row["all"])
    kb.close()
    results = {"table": table, "seconds": round(time.perf_counter() - started, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{'set':28} {'half':4} {'n':>4} {'right':>6} {'wrong':>6} {'refused':>8} {'in lead':>8}")
    for key, row in table.items():
        for half in ("all", "A", "B"):
            r = row[half]
            lead = f"{r['answer_in_lead']:.3f}" if "answer_in_lead" in r else ""
            print(
                f"{key:28} {half:4} {r['n']:>4} {r['right']:>6} {r['wrong']:>6} {r['refused']:>8} {lead:>8}"
            )
    for variant in ("typed", "stripped"):
        row = table[f"annotator/{variant}"]
        metrics = row["retrieval"]
        print(
            f"retrieval {variant}: MRR@10 {metrics['mrr@10']} (A {row['mrr@10_A']}, B {row['mrr@10_B']}),"
            f" p95 {metrics['p95_ms']} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
