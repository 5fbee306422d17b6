"""Retrieval benchmark: the dev queries as given and with diacritics stripped.

    python bench/retrieval.py [--corpus ../shared/eval/corpus.jsonl] [--qrels ../shared/eval/qrels_dev.jsonl]
                              [--repeat 3] [--tune] [--calibrate]

Runs the same pipeline as `troly eval` (index in DATA_DIR/eval/<fingerprint>, shared
embedding cache), reports quality once (it is deterministic) and latency as the median over
`--repeat` timing runs, per half of the data too (halves split by a hash of the query id:
`--tune` picks the fusion weight and the bonuses on half A and reports them on half B).
`--calibrate` prints the confidence of dev answers against out-of-scope questions.
Results: bench/results/retrieval.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import get_settings  # noqa: E402
from knowledge.answer import confidence  # noqa: E402
from knowledge.eval import Query, evaluate, open_eval_base, read_qrels  # noqa: E402
from knowledge.retrieve import DEFAULT_PARAMS, FusionParams, strip_diacritics  # noqa: E402
from knowledge.service import KnowledgeBase  # noqa: E402

OUT_OF_SCOPE = [
    "Thời tiết Hà Nội ngày mai có mưa không?",
    "Dự báo thời tiết Thái Nguyên cuối tuần này",
    "Hôm nay trời có nắng không?",
    "Đội tuyển Việt Nam đá với Thái Lan lúc mấy giờ?",
    "Kết quả trận Manchester United tối qua",
    "Ai là vua phá lưới Ngoại hạng Anh mùa này?",
    "Cách nấu phở bò ngon tại nhà",
    "Công thức làm bánh chưng ngày Tết",
    "Món gà kho gừng nấu thế nào cho ngon?",
    "Chào bạn, hôm nay bạn thế nào?",
    "Bạn tên là gì?",
    "Kể cho tôi một câu chuyện cười",
    "Giá vàng hôm nay bao nhiêu một chỉ?",
    "Tỷ giá đô la Mỹ hôm nay",
    "Bài hát nào đang thịnh hành nhất?",
    "Phim nào hay đang chiếu ở rạp?",
    "Làm sao để giảm cân nhanh?",
    "Mẹo trồng hoa hồng ban công",
    "Điện thoại iPhone mới nhất giá bao nhiêu?",
    "Đi du lịch Đà Lạt nên ở khách sạn nào?",
]


def half_of(qid: str) -> str:
    return "A" if int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 2 == 0 else "B"


def run(kb: KnowledgeBase, queries: list[Query], strip: bool, repeat: int) -> dict[str, object]:
    first = evaluate(kb, queries, strip=strip)
    p50s, p95s = [first.metrics["p50_ms"]], [first.metrics["p95_ms"]]
    for _ in range(repeat - 1):
        again = evaluate(kb, queries, strip=strip).metrics
        p50s.append(again["p50_ms"])
        p95s.append(again["p95_ms"])
    metrics = dict(first.metrics)
    metrics["p50_ms"] = round(statistics.median(p50s), 1)
    metrics["p95_ms"] = round(statistics.median(p95s), 1)
    halves = {}
    for half in ("A", "B"):
        part = [q for q in queries if half_of(q.qid) == half]
        ranks = [first.ranks[q.qid] for q in part]
        halves[half] = {
            "n": len(part),
            "mrr@10": round(sum(1 / r for r in ranks if r) / len(part), 4),
            "recall@5": round(sum(1 for r in ranks if r and r <= 5) / len(part), 4),
        }
    metrics["halves"] = halves
    return metrics


def with_weights(lexical: float, heading: float, definition: float) -> FusionParams:
    return replace(
        DEFAULT_PARAMS, lexical_weight=lexical, heading_weight=heading, definition_weight=definition
    )


def tune(kb: KnowledgeBase, queries: list[Query]) -> dict[str, object]:
    """Grid over the fusion weight and the heading bonus on half A; the best pair on half B."""
    train = [q for q in queries if half_of(q.qid) == "A"]
    test = [q for q in queries if half_of(q.qid) == "B"]
    index = kb.retriever.index
    nearest = index.dense
    memo: dict[tuple[bytes, int], list[tuple[str, float]]] = {}

    def dense(vector: np.ndarray, n: int) -> list[tuple[str, float]]:  # same query, same neighbours
        key = (vector.tobytes(), n)
        if key not in memo:
            memo[key] = nearest(vector, n)
        return memo[key]

    index.dense = dense  # type: ignore[method-assign]
    grid: dict[tuple[float, float, float], tuple[float, float]] = {}
    for weight in (0.7, 0.8, 0.9):
        for heading in (0.0, 0.05, 0.1, 0.2):
            for definition in (0.0, 0.2, 0.5, 1.0):
                key = (weight, heading, definition)
                params = with_weights(*key)
                a = evaluate(kb, train, params=params, reuse_vectors=True).metrics
                a_strip = evaluate(kb, train, strip=True, params=params, reuse_vectors=True).metrics
                grid[key] = (a["mrr@10"], a_strip["mrr@10"])
                logging.info("w=%.2f h=%.2f d=%.2f  A: %.4f  stripped: %.4f", *key, *grid[key])
    best = max(grid, key=lambda key: grid[key][0] + grid[key][1])
    params = with_weights(*best)
    b = evaluate(kb, test, params=params, reuse_vectors=True).metrics
    b_strip = evaluate(kb, test, strip=True, params=params, reuse_vectors=True).metrics
    kb.retriever.params = DEFAULT_PARAMS
    index.dense = nearest  # type: ignore[method-assign]
    return {
        "grid_on_A": {f"w={w} h={h} d={d}": v for (w, h, d), v in grid.items()},
        "best": {"lexical_weight": best[0], "heading_weight": best[1], "definition_weight": best[2]},
        "B": b,
        "B_stripped": b_strip,
    }


def calibrate(kb: KnowledgeBase, queries: list[Query]) -> dict[str, object]:
    def conf(question: str) -> float:
        passages = kb.passages(kb.search(question, k=5), n=1)
        return round(confidence(question, passages[0]), 4) if passages else 0.0

    oos = [conf(q) for q in OUT_OF_SCOPE] + [conf(strip_diacritics(q)) for q in OUT_OF_SCOPE]
    dev = sorted(conf(q.query) for q in queries[:200]) + sorted(
        conf(strip_diacritics(q.query)) for q in queries[:200]
    )
    dev.sort()
    return {
        "out_of_scope_max": max(oos),
        "out_of_scope": sorted(oos),
        "dev_percentiles": {p: dev[int(p / 100 * (len(dev) - 1))] for p in (1, 2, 5, 10, 25, 50)},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/corpus.jsonl")
    parser.add_argument("--qrels", type=Path, default=ROOT.parent / "shared/eval/qrels_dev.jsonl")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/retrieval.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for noisy in ("bm25s", "alembic", "httpx", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    started = time.perf_counter()
    kb = open_eval_base(get_settings(), args.corpus, progress=True)
    queries = read_qrels(args.qrels)
    results: dict[str, object] = {
        "corpus": args.corpus.name,
        "qrels": args.qrels.name,
        "params": DEFAULT_PARAMS.__dict__,
        "as_given": run(kb, queries, strip=False, repeat=args.repeat),
        "diacritics_stripped": run(kb, queries, strip=True, repeat=args.repeat),
    }
    if args.tune:
        results["tuning"] = tune(kb, queries)
    if args.calibrate:
        results["calibration"] = calibrate(kb, queries)
    results["seconds"] = round(time.perf_counter() - started, 1)
    kb.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: results[k] for k in ("as_given", "diacritics_stripped")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
