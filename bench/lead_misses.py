"""The ALQAC questions whose cited article is right but whose gold answer is not in the lead:
the lead, and where the gold answer sits in the article (half A only: the half that may be
looked at; half B's misses stay unseen).

    python bench/lead_misses.py [--eval-dir ../shared/eval] [--strip] [--oracle] [--hashed]
                                [--half A] [--out bench/results/lead_misses.json]

Default: every question through KnowledgeBase.ask (the bot's path, the ALQAC embedding cache
needed); the misses listed are those whose first cited article is gold. `--oracle`: the reply
is built from the gold article itself (retrieval left out, the answer forced), so the lead is
measured on every question; `--hashed` uses the stand-in encoder of bench/hashed_eval.py (no
model, for `--oracle` runs while the cache is not there). Each miss is put in one mechanism:

- `no_answer_in_article`: the gold answer is not in the article's text at all (folded);
- `other_clause`: the lead comes from another clause than the one holding the answer;
- `same_clause_cut`: the answer's clause is the lead's, but the answer falls outside the lead
  (another sentence or point of it, or the shortening dropped it);
- `long_gold`: the gold answer is longer than the lead window (cannot fit);
- `related`: the reply is not an answer (type missing: only «có thể liên quan»).
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
from core.settings import Settings, get_settings  # noqa: E402
from knowledge.answer import extractive_answer  # noqa: E402
from knowledge.answering import Kind  # noqa: E402
from knowledge.chunking import split_clauses  # noqa: E402
from knowledge.eval import (  # noqa: E402
    LEAD_WINDOW,
    _words,
    answer_in_lead,
    open_eval_base,
    read_qrels,
    strip_diacritics,
)
from knowledge.intent import detect_intent  # noqa: E402
from knowledge.retrieve import Hit, Retrieval  # noqa: E402
from knowledge.service import KnowledgeBase  # noqa: E402

EVAL = next(
    (p for p in (ROOT.parent / "shared/eval", ROOT.parent.parent / "shared/eval") if p.is_dir()), ROOT
)
HASHED_DIR = ROOT / "data/lead-hashed"  # the stand-in base, kept between runs (data/ is not committed)


def _hashed_base(tmp: Path, corpus: Path) -> KnowledgeBase:
    from bench.hashed_eval import HashedSyllables
    from core.db import make_engine, migrate
    from knowledge.embeddings import CachedEmbeddings, EmbeddingCache

    settings = Settings(_env_file=None, data_dir=tmp, demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
    tmp.mkdir(parents=True, exist_ok=True)
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    embeddings = CachedEmbeddings(HashedSyllables(), EmbeddingCache(tmp / "vectors.sqlite3"))  # type: ignore[arg-type]
    kb = KnowledgeBase.open(settings, engine, embeddings=embeddings)
    kb.ingest([corpus])
    kb.warm_up()
    return kb


def _oracle_answer(kb: KnowledgeBase, question: str, gold_id: str) -> Any:
    """The reply built from the gold article (its first chunk as the hit), answer forced."""
    from sqlmodel import Session, col, select

    from core.models import Chunk, Document

    with Session(kb.engine) as session:
        row = session.exec(
            select(Chunk, Document)
            .where(Chunk.document_id == Document.id, Chunk.record_id == gold_id)
            .order_by(col(Chunk.ordinal))
        ).first()
    if row is None:
        return None
    chunk = row[0]
    searched = kb.search(question, k=1)
    hit = Hit(chunk.id, 1.0, 10.0, 0.9, chunk.document_id, gold_id, "")
    retrieval = Retrieval(question, searched.searched, searched.accented, [hit], expansion=searched.expansion)
    passages = kb.passages(retrieval, whole=True)
    return extractive_answer(
        question,
        passages,
        max_chars=kb.settings.answer_max_chars,
        threshold=0.0,
        intent=detect_intent(question),
        expansion=retrieval.expansion,
        lookup=kb.other_article,
    )


def _where(gold: str, article: str) -> tuple[str, int]:
    """(clause number, folded character position in the clause) of the gold answer, or ("", -1)."""
    wanted = f" {_words(gold)} "
    for number, text in split_clauses(article):
        at = f" {_words(text)} ".find(wanted)
        if at >= 0:
            return number or "0", at
    return "", -1


def mechanism(gold: str, article: str, kind: str, lead_clause: str, reply: str) -> str:
    if kind != Kind.answer.value:
        return "related"
    clause, _ = _where(gold, article)
    if not clause:
        return "no_answer_in_article"
    if len(_words(gold)) > LEAD_WINDOW - 40:
        return "long_gold"
    if clause != (lead_clause or "0"):
        return "other_clause"
    return "same_clause_cut"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=EVAL)
    parser.add_argument("--strip", action="store_true")
    parser.add_argument("--oracle", action="store_true")
    parser.add_argument("--hashed", action="store_true")
    # Half B: its counts only (the misses are neither printed nor written: they stay unseen).
    parser.add_argument("--half", default="A", choices=["A", "B"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/lead_misses.json")
    parser.add_argument("--quiet", action="store_true", help="only the counts")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    corpus = args.eval_dir / "corpus.jsonl"
    articles = {
        line["id"]: line["text"]
        for line in map(json.loads, filter(str.strip, corpus.read_text(encoding="utf-8").splitlines()))
    }
    if True:
        kb = _hashed_base(HASHED_DIR, corpus) if args.hashed else open_eval_base(get_settings(), corpus)
        queries = [q for q in read_qrels(args.eval_dir / "answers_dev.jsonl") if half_of(q.qid) == args.half]
        misses: list[dict[str, Any]] = []
        counted = hits = 0
        for q in queries:
            question = strip_diacritics(q.query) if args.strip else q.query
            gold_id = sorted(q.relevant)[0]
            answer = _oracle_answer(kb, question, gold_id) if args.oracle else kb.ask(question)
            if answer is None or not answer.sources:
                continue
            if not args.oracle and answer.sources[0].record_id not in q.relevant:
                continue  # a wrong article: retrieval's, not the lead's
            counted += 1
            if answer_in_lead(q.answer, answer.text):
                hits += 1
                continue
            cited = answer.sources[0].record_id or gold_id
            article = articles.get(cited, articles.get(gold_id, ""))
            source = answer.sources[0]
            clause, at = _where(q.answer, article)
            misses.append(
                {
                    "qid": q.qid,
                    "query": question,
                    "intent": detect_intent(question).intent.value,
                    "gold": q.answer,
                    "mechanism": mechanism(q.answer, article, answer.kind, source.clause, answer.text),
                    "lead_clause": f"{source.clause}{source.point}",
                    "gold_clause": clause,
                    "gold_at": at,
                    "lead": answer.text[:LEAD_WINDOW],
                }
            )
        kb.close()
    counts = Counter(m["mechanism"] for m in misses)
    summary = {"counted": counted, "in_lead": hits, "rate": round(hits / counted, 3) if counted else 0.0}
    summary |= {"misses": dict(counts.most_common())}
    if args.half == "B":
        counts_b = {"half": "B", "counted": counted, "in_lead": hits, "misses": dict(counts.most_common())}
        print(json.dumps(counts_b, ensure_ascii=False))
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"summary": summary, "misses": misses}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    if not args.quiet:
        for m in misses:
            where = f"lead {m['lead_clause']} gold in {m['gold_clause']}@{m['gold_at']}"
            print(f"--- {m['mechanism']} [{m['intent']}] {where}")
            print(f"Q: {m['query']}\nGOLD: {m['gold']}\nLEAD: {m['lead']!r}\n")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
