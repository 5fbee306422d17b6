"""How well marks are put back on questions typed without them (knowledge/normalize.py,
DiacriticRestorer), on the dev questions of every set, as the bot restores them: the 19-law
corpus's vocabulary and how people ask (knowledge/data/question_language.txt).

    python bench/restoration.py [--eval-dir ../shared/eval] [--prior 2 20 100 500] [--errors]

Each question as typed is the truth; stripped of its marks, restored, it is compared syllable
by syllable. Printed per half (A: the one PRIOR was chosen on; B: reported only): the share of
syllables restored right and of questions restored whole. `--prior` tries other values of
DiacriticRestorer.PRIOR; `--errors` lists half A's commonest wrong syllables (half B's stay
unseen). Results: bench/results/restoration.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.retrieval import half_of  # noqa: E402
from core.settings import get_settings  # noqa: E402
from knowledge.eval import Query, open_eval_base, read_qrels, strip_diacritics  # noqa: E402
from knowledge.normalize import DiacriticRestorer, syllables  # noqa: E402

FILES = ("qrels_dev.jsonl", "lay_dev.jsonl", "unanswerable_dev.jsonl")


def accuracy(restorer: DiacriticRestorer, queries: list[Query]) -> dict[str, Any]:
    right = total = whole = counted = 0
    for q in queries:
        truth = syllables(q.query)
        restored = restorer.decode(syllables(strip_diacritics(q.query)))
        if len(restored) != len(truth):  # the stripped text splits differently: not comparable
            continue
        same = sum(a == b for a, b in zip(restored, truth, strict=True))
        right, total, counted = right + same, total + len(truth), counted + 1
        whole += same == len(truth)
    return {
        "questions": counted,
        "syllables_right": round(right / total, 4) if total else 0.0,
        "questions_whole": round(whole / counted, 3) if counted else 0.0,
    }


def errors(restorer: DiacriticRestorer, queries: list[Query]) -> list[tuple[str, int]]:
    found: Counter[str] = Counter()
    for q in queries:
        truth = syllables(q.query)
        restored = restorer.decode(syllables(strip_diacritics(q.query)))
        if len(restored) == len(truth):
            found.update(f"{t} → {r}" for t, r in zip(truth, restored, strict=True) if t != r)
    return found.most_common(30)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval")
    parser.add_argument("--prior", type=float, nargs="*", default=[])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/restoration.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    kb = open_eval_base(get_settings(), args.eval_dir / "corpus.jsonl")
    lexical, _ = kb.retriever.index.snapshot()
    restorer = lexical.restorer
    queries = [q for name in FILES for q in read_qrels(args.eval_dir / name)]
    halves = {h: [q for q in queries if half_of(q.qid) == h] for h in ("A", "B")}
    shipped = DiacriticRestorer.PRIOR
    results: dict[str, Any] = {}
    for prior in sorted({shipped, *args.prior}):
        restorer.PRIOR = prior
        results[f"prior={prior:g}"] = row = {h: accuracy(restorer, qs) for h, qs in halves.items()}
        mark = " (shipped)" if prior == shipped else ""
        print(f"PRIOR {prior:g}{mark}: " + "; ".join(f"{h} {r}" for h, r in row.items()))
    restorer.PRIOR = shipped
    if args.errors:
        for pair, n in errors(restorer, halves["A"]):
            print(f"  {n:3} {pair}")
    kb.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
