"""Re-ingesting unchanged guidance: how long `make start` / `troly ingest` spend on guidance
that is already indexed (issue 10 target: ≤ 10 s for the demo guidance).

    OMP_NUM_THREADS=1 python bench/reingest.py [--guidance knowledge/demo] [--repeat 3]

In a fresh DATA_DIR: the first `ensure_demo_guidance`-style run (seeding the shipped vectors,
indexing everything), then `--repeat` runs over the unchanged files in a new process-like
KnowledgeBase (database, Chroma and BM25 cache on disk), and `troly ingest PATH` (the command
line, which opens the model only when something changed). Results: bench/results/guidance.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.db import make_engine, migrate  # noqa: E402
from core.settings import Settings  # noqa: E402
from knowledge.service import DEMO_VECTORS, KnowledgeBase  # noqa: E402


def _open(data_dir: Path) -> KnowledgeBase:
    settings = Settings(_env_file=None, data_dir=data_dir, demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return KnowledgeBase.open(settings, engine)


def _ingest(kb: KnowledgeBase, guidance: Path) -> tuple[float, object]:
    started = time.perf_counter()
    if guidance.resolve() == DEMO_VECTORS.parent.resolve():
        kb.embeddings.cache.seed_from_npz(DEMO_VECTORS)
    report = kb.ingest([guidance], prune=True)
    kb.warm_up()
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guidance", type=Path, default=ROOT / "knowledge" / "demo")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reingest-") as tmp:
        data_dir = Path(tmp) / "data"
        kb = _open(data_dir)
        first, _ = _ingest(kb, args.guidance)
        status = kb.status()
        kb.close()
        print(f"first run: {first:.1f} s, {status['documents']} documents", flush=True)
        again: list[float] = []
        for _ in range(args.repeat):
            kb = _open(data_dir)
            seconds, rerun = _ingest(kb, args.guidance)
            kb.close()
            assert rerun.added == rerun.updated == rerun.chunks_added == 0, rerun  # type: ignore[attr-defined]
            again.append(seconds)
        cli: list[float] = []
        env = {**os.environ, "DATA_DIR": str(data_dir), "DEMO_GUIDANCE": "false"}
        troly = Path(sys.executable).with_name("troly")
        for _ in range(args.repeat):
            started = time.perf_counter()
            command = [str(troly), "ingest", str(args.guidance)]
            subprocess.run(command, env=env, check=True, capture_output=True)
            cli.append(time.perf_counter() - started)
    result = {
        "guidance": str(args.guidance),
        "documents": status["documents"],
        "chunks": status["chunks"],
        "first_run_s": round(first, 1),
        "unchanged_reingest_s_median": round(statistics.median(again), 2),
        "unchanged_reingest_s_runs": [round(s, 2) for s in again],
        "troly_ingest_unchanged_s_median": round(statistics.median(cli), 2),
        "troly_ingest_unchanged_s_runs": [round(s, 2) for s in cli],
        "load_average": [round(v, 1) for v in os.getloadavg()],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "guidance.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
