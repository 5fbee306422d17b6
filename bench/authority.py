"""Authority-map extraction benchmark (issue 14).

    python bench/authority.py                 # the five decrees of ../shared/guidance-sources
    python bench/authority.py --decrees DIR   # any folder of decree texts
    python bench/authority.py --draw-sample   # print 30 rows drawn by a hash, to be checked by hand

Per decree: the clauses and points of its articles (before "Nơi nhận") that contain "thực hiện"
and name a level or body (cấp xã, cấp tỉnh, cấp huyện, Ủy ban nhân dân, Sở, Bộ, Thủ tướng…), how
many of them gave at least one row, and the rows. Then the hand-checked sample
(bench/data/authority_sample.jsonl: 30 rows drawn by a hash of their key, each with the reviewer's
verdict on task, provisions, holder and condition): precision = rows judged right / rows, and
whether today's extraction still gives each sampled row as it was checked.
Writes bench/results/authority.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.authority.extract import TransferDraft, _units, decree_facts, extract_transfers
from knowledge.normalize import fold_key

ROOT = Path(__file__).resolve().parent.parent
DECREES = ROOT.parent / "shared" / "guidance-sources" / "phan_dinh_tham_quyen_2025"
if not DECREES.is_dir():
    DECREES = Path("/work/shared/guidance-sources/phan_dinh_tham_quyen_2025")
SAMPLE = Path(__file__).parent / "data" / "authority_sample.jsonl"
RESULTS = Path(__file__).parent / "results" / "authority.json"
LEVEL_NAMED = re.compile(
    r"(?<![a-z])(?:cap xa|cap tinh|cap huyen|uy ban nhan dan|so [a-z]|bo truong|bo [a-z]|thu tuong|chinh phu"
    r"|hoi dong nhan dan)(?![a-z])"
)
SAMPLE_SIZE = 30


def row_key(decree: str, row: TransferDraft) -> str:
    return f"{decree}|{row.article}|{row.clause}|{row.point}|{row.task}"


def as_record(decree: str, row: TransferDraft) -> dict[str, Any]:
    return {
        "key": row_key(decree, row),
        "decree": decree,
        "article": row.article,
        "clause": row.clause,
        "point": row.point,
        "task": row.task,
        "provisions": [p.label() for p in row.provisions],
        "holder": row.holder,
        "level": row.level.value,
        "condition": row.condition,
    }


def measure(folder: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    decrees, records = [], {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        number = decree_facts(text).number
        rows = extract_transfers(text)
        found = {(r.article, r.clause, r.point) for r in rows}
        candidates = [
            u
            for u in _units(text)
            if "thuc hien" in fold_key(u.text) and LEVEL_NAMED.search(fold_key(u.text))
        ]
        covered = sum((u.article, u.clause, u.point) in found for u in candidates)
        decrees.append(
            {
                "decree": number,
                "file": path.name,
                "candidate_clauses": len(candidates),
                "candidates_with_rows": covered,
                "rows": len(rows),
                "rows_with_provisions": sum(bool(r.provisions) for r in rows),
            }
        )
        records.update({row_key(number, r): as_record(number, r) for r in rows})
    return decrees, records


def draw(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    ranked = sorted(records, key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    return [records[k] for k in ranked[:SAMPLE_SIZE]]


def check_sample(records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = sum(item["verdict"] == "correct" for item in sample)
    fields = ("provisions", "holder", "level", "condition")
    unchanged = [
        item["key"]
        for item in sample
        if item["key"] in records and all(records[item["key"]][f] == item[f] for f in fields)
    ]
    return {
        "rows": len(sample),
        "judged_correct": right,
        "precision": round(right / len(sample), 3) if sample else 0.0,
        "still_extracted_as_checked": len(unchanged),
        "wrong": [{"key": i["key"], "note": i.get("note", "")} for i in sample if i["verdict"] != "correct"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decrees", type=Path, default=DECREES)
    parser.add_argument("--draw-sample", action="store_true")
    args = parser.parse_args()
    decrees, records = measure(args.decrees)
    if args.draw_sample:
        for record in draw(records):
            print(json.dumps(record, ensure_ascii=False))
        return
    for d in decrees:
        print(
            f"{d['decree']:>16}  clauses with 'thực hiện' and a level: {d['candidate_clauses']:>4}  "
            f"of them giving rows: {d['candidates_with_rows']:>4}  rows: {d['rows']:>4}"
        )
    result: dict[str, Any] = {"decrees": decrees, "rows": len(records)}
    if SAMPLE.exists():
        result["sample"] = check_sample(records)
        s = result["sample"]
        print(
            f"hand-checked sample: {s['judged_correct']}/{s['rows']} correct "
            f"(precision {s['precision']:.3f}); "
            f"{s['still_extracted_as_checked']}/{s['rows']} still extracted as checked"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
