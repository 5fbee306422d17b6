"""Is the vector index's top 100 the exact one? Chroma's HNSW against brute-force cosine.

    python bench/dense_exact.py [--corpus ../shared/eval/corpus.jsonl] [--qrels …/qrels_dev.jsonl]

For every dev question (as typed): the share of the exact 100 nearest chunks that the index
returns (`overlap`), and whether its 100th cosine (the floor retrieval normalises by) is the
exact one to 1e-6. Run it twice: the figures must not move between processes.
Results: bench/results/dense_exact.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import get_settings  # noqa: E402
from knowledge.eval import open_eval_base, read_qrels  # noqa: E402
from knowledge.index import EF_SEARCH  # noqa: E402

DEPTH = 100


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/corpus.jsonl")
    parser.add_argument("--qrels", type=Path, default=ROOT.parent / "shared/eval/qrels_dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/dense_exact.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    kb = open_eval_base(get_settings(), args.corpus)
    index, retriever = kb.retriever.index, kb.retriever
    stored = index._collection.get(include=["embeddings"])
    ids = list(stored["ids"])
    matrix = np.asarray(stored["embeddings"], dtype=np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    overlaps, floors = [], []
    for q in read_qrels(args.qrels):
        searched, _, _ = retriever.prepare(q.query)
        vector = retriever._query_vector(searched)
        got = index.dense(vector, DEPTH)
        unit = vector.astype(np.float64) / np.linalg.norm(vector)
        sims = matrix @ unit
        exact = np.argsort(-sims)[:DEPTH]
        overlaps.append(len({ids[i] for i in exact} & {c for c, _ in got}) / DEPTH)
        floors.append(abs(got[-1][1] - float(sims[exact[-1]])) < 1e-6)
    kb.close()
    result = {
        "ef_search": index._collection.configuration["hnsw"]["ef_search"],
        "ef_search_wanted": EF_SEARCH,
        "questions": len(overlaps),
        "overlap_mean": round(statistics.fmean(sorted(overlaps)), 4),
        "overlap_min": min(overlaps),
        "exact_top100": round(sum(o == 1.0 for o in overlaps) / len(overlaps), 4),
        "exact_floor": round(sum(floors) / len(floors), 4),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
