"""Routing benchmark: top-1 / top-3 accuracy on the labelled blockers, per split.

    python bench/routing.py            # lexical + embeddings (as shipped), writes bench/results/routing.json
    python bench/routing.py --lexical  # lexical views only
    python bench/routing.py --tune     # grid over fusion weights, scored on the tune split only

The router's examples are the "tune" split; tune items are scored leave-one-out (their own
example removed), and the "test" split is seen neither by the router nor by --tune.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blockers import routing
from blockers.catalogue import SHIPPED_FILE, read_catalogue
from blockers.routing import Example, Router, fuse, load_labelled, profile_text

RESULTS = Path(__file__).parent / "results" / "routing.json"
# E5 vectors of the test split's *texts* (inputs only, no labels), so re-running the benchmark
# and the slow test does not re-encode them; regenerate with --cache-test-vectors.
TEST_VECTORS = Path(__file__).parent / "data" / "routing_test_vectors.npz"
Views = dict[str, dict[str, float]]


def make_router(use_embeddings: bool) -> tuple[Router, list[Example], list[Example]]:
    departments = [(e["code"], profile_text(e), e.get("keywords", [])) for e in read_catalogue(SHIPPED_FILE)]
    rows = load_labelled()
    tune = [row for row in rows if row.split == "tune"]
    test = [row for row in rows if row.split == "test"]
    return Router(departments, tune, use_embeddings=use_embeddings), tune, test


def score(
    router: Router, rows: list[Example], views: list[Views], weights: Mapping[str, float]
) -> dict[str, object]:
    top1 = top3 = 0
    confusions: Counter[str] = Counter()
    for row, v in zip(rows, views, strict=True):
        ranked = [r.department for r in fuse(v, weights, router.codes)]
        top1 += ranked[0] == row.department
        top3 += row.department in ranked[:3]
        if ranked[0] != row.department:
            confusions[f"{row.department}->{ranked[0]}"] += 1
    n = len(rows) or 1
    return {
        "n": len(rows),
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "confusions": dict(confusions.most_common(8)),
    }


def all_views(router: Router, tune: list[Example], test: list[Example]) -> tuple[list[Views], list[Views]]:
    tune_views = [router.views(row.text, skip_example=i) for i, row in enumerate(tune)]
    test_views = [router.views(row.text) for row in test]
    return tune_views, test_views


def tune_weights(use_embeddings: bool) -> None:
    router, tune, _ = make_router(use_embeddings)
    router.weights = {"e_profile": 1.0, "e_neighbours": 1.0} if use_embeddings else {}
    tune_views = [router.views(row.text, skip_example=i) for i, row in enumerate(tune)]
    grid = [0.0, 0.25, 0.5, 1.0]
    names = ["centroid", "keywords"] + (["e_profile", "e_neighbours"] if use_embeddings else [])
    best: tuple[tuple[object, object], dict[str, float]] | None = None
    for values in itertools.product(grid, repeat=len(names)):
        weights = {"profile": 1.0, **dict(zip(names, values, strict=True))}
        result = score(router, tune, tune_views, weights)
        key = (result["top1"], result["top3"])
        if best is None or key > best[0]:  # type: ignore[operator]
            best = (key, weights)
    print("best on tune (leave-one-out):", best)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexical", action="store_true", help="lexical views only")
    parser.add_argument("--tune", action="store_true", help="grid over weights on the tune split")
    parser.add_argument("--cache-test-vectors", action="store_true", help=f"write {TEST_VECTORS.name}")
    args = parser.parse_args()
    from blockers import vectors

    if args.cache_test_vectors:
        TEST_VECTORS.parent.mkdir(parents=True, exist_ok=True)
        texts = [row.text for row in load_labelled() if row.split == "test"]
        print(vectors.build_vector_file(texts, TEST_VECTORS), "vectors written")
        return 0
    if TEST_VECTORS.exists():
        vectors.preload(TEST_VECTORS)
    if args.tune:
        tune_weights(not args.lexical)
        return 0
    started = time.perf_counter()
    router, tune, test = make_router(not args.lexical)
    tune_views, test_views = all_views(router, tune, test)
    mode = "lexical" if args.lexical else "lexical+embedding"
    weights = routing.LEXICAL_WEIGHTS if args.lexical else routing.WEIGHTS
    result: dict[str, object] = {
        "mode": mode,
        "weights": weights,
        "tune_leave_one_out": score(router, tune, tune_views, weights),
        "test": score(router, test, test_views, weights),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    existing[mode] = result
    RESULTS.write_text(json.dumps(existing, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
