"""Retrieval on the ALQAC dev split with a deterministic stand-in encoder (hashed syllables,
no model, ~3 minutes): identical embedding texts get identical vectors, so two checkouts that
index the corpus the same way rank every query the same. Used to show that grouping the
corpus lines into one document per law (issue 10) changes nothing of retrieval while the real
embedding cache is still being built.

    OMP_NUM_THREADS=1 python bench/hashed_eval.py OUT.json      # in each checkout
    python bench/hashed_eval.py --compare A.json B.json          # queries ranked differently
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# ../shared/eval beside the checkout (as bench/retrieval.py), or beside a worktree's parent.
EVAL = next(
    (p for p in (ROOT.parent / "shared/eval", ROOT.parent.parent / "shared/eval") if p.is_dir()), ROOT
)


class HashedSyllables:
    """A bag of syllables hashed into 384 signed dimensions, unit length."""

    model_name = "hashed-syllables"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(384, dtype=np.float32)
        for token in text.lower().split():
            value = int(hashlib.md5(token.encode()).hexdigest(), 16)
            vector[value % 384] += 1.0 if (value >> 9) & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def query_array(self, text: str) -> np.ndarray:
        return self._vector(text)


def run(out: Path, corpus: Path, qrels: Path) -> None:
    from core.db import make_engine, migrate
    from core.settings import Settings
    from knowledge.embeddings import CachedEmbeddings, EmbeddingCache
    from knowledge.eval import evaluate, read_qrels
    from knowledge.service import KnowledgeBase

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
        settings.ensure_dirs()
        engine = make_engine(settings.effective_database_url)
        migrate(engine)
        embeddings = CachedEmbeddings(HashedSyllables(), EmbeddingCache(Path(tmp) / "vectors.sqlite3"))  # type: ignore[arg-type]
        kb = KnowledgeBase.open(settings, engine, embeddings=embeddings)
        kb.ingest([corpus])
        kb.warm_up()
        status = kb.status()
        queries = read_qrels(qrels)
        result: dict[str, object] = {"documents": status["documents"], "chunks": status["chunks"]}
        for strip in (False, True):
            evaluated = evaluate(kb, queries, strip=strip)
            result["stripped" if strip else "typed"] = {
                "metrics": evaluated.metrics,
                "ranks": evaluated.ranks,
            }
        kb.close()
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print({k: v["metrics"]["mrr@10"] for k, v in result.items() if isinstance(v, dict)})


def compare(a: Path, b: Path) -> None:
    first, second = json.loads(a.read_text()), json.loads(b.read_text())
    for key in ("typed", "stripped"):
        ranks_a, ranks_b = first[key]["ranks"], second[key]["ranks"]
        differ = {q: (ranks_a[q], ranks_b.get(q)) for q in ranks_a if ranks_a[q] != ranks_b.get(q)}
        print(key, f"{len(differ)}/{len(ranks_a)} queries ranked differently", differ)
        print("  ", first[key]["metrics"]["mrr@10"], "→", second[key]["metrics"]["mrr@10"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--compare", type=Path, nargs=2)
    parser.add_argument("--corpus", type=Path, default=EVAL / "corpus.jsonl")
    parser.add_argument("--qrels", type=Path, default=EVAL / "qrels_dev.jsonl")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        run(args.out, args.corpus, args.qrels)


if __name__ == "__main__":
    main()
