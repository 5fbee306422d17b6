"""Authority questions benchmark (issue 14): "whose task is it now?" asked as officials type it.

    python bench/authority_questions.py            # the five decrees in ../shared/guidance-sources
    python bench/authority_questions.py --tune     # also pick MIN_MATCH on half A (reported on half B)

The questions are ours, written from the decrees (land allocation and change of land use for
individuals, land-use certificates, specific land prices; individual house permits, temporary
works, demolition enforcement, housing records, construction order; retail licences for alcohol,
tobacco, LPG …), each with the holder, decree and article the reply must name in its first line;
plus control questions the map must leave to the ordinary search. Every question is asked as
typed and without diacritics. The decrees are ingested into a scratch SQLite database (no
vectors: the authority answer reads the map only). Halves by a hash of the question id: half A
may tune MIN_MATCH, half B is reported as never tuned on. Writes bench/results/authority_questions.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.authority import DECREES
from core.db import create_schema, make_engine
from knowledge.authority import answers
from knowledge.ingest import ingest_paths
from knowledge.normalize import fold, fold_key

RESULTS = Path(__file__).parent / "results" / "authority_questions.json"
QUESTIONS_FILE = Path(__file__).parent / "data" / "authority_questions.jsonl"
# One question a line: id, question, and the holder, decree and article the first line must name
# (holder null = a control the map must leave to the ordinary search).
QUESTIONS: list[tuple[str, str, str | None, str, str]] = [
    (q["id"], q["question"], q["holder"], q["decree"], q["article"])
    for q in map(json.loads, QUESTIONS_FILE.read_text(encoding="utf-8").splitlines())
]
_HOLDER = re.compile(r"do (.+?) thực hiện")


class _NoIndex:
    def add(self, chunks: list[Any]) -> None:
        pass

    def remove(self, chunk_ids: list[str]) -> None:
        pass


def half(qid: str) -> str:
    return "A" if int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 2 == 0 else "B"


def judge(text: str | None, holder: str | None, decree: str, article: str) -> bool:
    if holder is None:
        return text is None
    if text is None:
        return False
    first = text.splitlines()[0]
    named = _HOLDER.search(first)
    return (
        named is not None
        and fold_key(named.group(1)) == fold_key(holder)
        and f"Nghị định số {decree}" in first
        and re.search(rf"\bĐiều {article}\b", first) is not None
    )


def run(engine: Any, min_match: float) -> list[dict[str, Any]]:
    answers.MIN_MATCH = min_match
    results = []
    for qid, question, holder, decree, article in QUESTIONS:
        for typed, text in (("typed", question), ("stripped", fold(question))):
            started = time.perf_counter()
            answer = answers.authority_answer(engine, text)
            elapsed = time.perf_counter() - started
            reply = answer.text if answer else None
            results.append(
                {
                    "id": qid,
                    "half": half(qid),
                    "form": typed,
                    "question": text,
                    "right": judge(reply, holder, decree, article),
                    "control": holder is None,
                    "first_line": reply.splitlines()[0] if reply else "",
                    "ms": round(elapsed * 1000, 1),
                }
            )
    return results


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rows in (
        ("all", results),
        ("half_A", [r for r in results if r["half"] == "A"]),
        ("half_B", [r for r in results if r["half"] == "B"]),
    ):
        entry = {}
        for form in ("typed", "stripped"):
            asked = [r for r in rows if r["form"] == form and not r["control"]]
            controls = [r for r in rows if r["form"] == form and r["control"]]
            entry[form] = {
                "authority_right": f"{sum(r['right'] for r in asked)}/{len(asked)}",
                "controls_left_to_search": f"{sum(r['right'] for r in controls)}/{len(controls)}",
            }
        out[name] = entry
    out["p50_ms"] = statistics.median(r["ms"] for r in results)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decrees", type=Path, default=DECREES)
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/authority.sqlite3")
        create_schema(engine)
        report = ingest_paths(engine=engine, index=_NoIndex(), paths=[args.decrees])
        assert not report.errors, report.errors
        min_match = answers.MIN_MATCH
        grid: dict[str, int] = {}
        if args.tune:
            for candidate in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
                rows = [r for r in run(engine, candidate) if r["half"] == "A"]
                grid[str(candidate)] = sum(r["right"] for r in rows)
            best = max(grid.values())
            plateau = [float(c) for c, n in grid.items() if n == best]
            min_match = round((min(plateau) + max(plateau)) / 2, 3)  # the middle of the best range
        results = run(engine, min_match)
        engine.dispose()
    result = {
        "min_match": min_match,
        "tune_grid_half_A": grid,
        "summary": summary(results),
        "results": results,
    }
    for name in ("all", "half_A", "half_B"):
        print(name, json.dumps(result["summary"][name], ensure_ascii=False))
    for r in results:
        if not r["right"]:
            print("MISS", r["form"], r["question"], "->", r["first_line"][:160])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"min_match {min_match}; p50 {result['summary']['p50_ms']} ms; wrote {RESULTS.name}")


if __name__ == "__main__":
    main()
