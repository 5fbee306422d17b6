"""Subcommands for the knowledge area."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.commands import texts as t

if TYPE_CHECKING:
    from knowledge.docstore import IngestReport
    from knowledge.service import KnowledgeBase


def register(subparsers: Any) -> None:
    register_ingest(subparsers)
    register_ask(subparsers)
    register_eval(subparsers)


def register_ingest(subparsers: Any) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help=t.HELP["ingest"],
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=t.HELP["ingest.paths"])
    ingest.add_argument("--prune", action="store_true", help=t.HELP["ingest.prune"])
    ingest.add_argument("--status", help=t.HELP["ingest.status"])
    ingest.add_argument("--department", default="", help=t.HELP["ingest.department"])
    ingest.add_argument("--field", default="", help=t.HELP["ingest.field"])
    ingest.set_defaults(func=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    from core.db import get_engine, migrate
    from core.settings import get_settings
    from knowledge.ingest import ingest_paths
    from knowledge.sidecar import MetadataError, normalize_status
    from knowledge.types import DocumentMeta

    defaults = None
    if args.status or args.department or args.field:
        try:
            status = normalize_status(args.status) if args.status else "in_force"
        except MetadataError as exc:
            print(exc)
            return 2
        defaults = DocumentMeta(status=status, department_code=args.department, field=args.field)
    settings = get_settings()
    engine = get_engine(settings)
    migrate(engine)
    index = _LazyIndex(lambda: _open_knowledge(settings, engine))
    try:
        report = ingest_paths(
            engine=engine,
            index=index,
            paths=args.paths,
            progress=True,
            prune=args.prune,
            defaults=defaults,
            embedder=index,
        )
        if index.kb is not None:
            index.kb.index.mark_changed()
            index.kb.warm_up()  # rebuild the lexical index now, not at the first question
    finally:
        if index.kb is not None:
            index.kb.close()
    print(format_ingest_report(report))
    return 1 if report.errors else 0


def _open_knowledge(settings: Any, engine: Any) -> KnowledgeBase:
    from knowledge.service import KnowledgeBase  # heavy (embedding model, Chroma): only when needed

    return KnowledgeBase.open(settings, engine)


class _LazyIndex:
    """Opens the knowledge base (embedding model, Chroma) only when something must be
    indexed: re-ingesting unchanged files then costs only hashing them."""

    def __init__(self, opener: Callable[[], KnowledgeBase]) -> None:
        self.opener = opener
        self.kb: KnowledgeBase | None = None

    def _index(self) -> Any:
        if self.kb is None:
            self.kb = self.opener()
        return self.kb.index

    def add(self, chunks: list[Any]) -> None:
        self._index().add(chunks)

    def remove(self, chunk_ids: list[str]) -> None:
        self._index().remove(chunk_ids)

    def embed_array(self, texts: Any, progress: bool = False) -> Any:
        """Passages embedded ahead of writing (knowledge.ingest.PassageEmbedder)."""
        return self._index().embeddings.embed_array(texts, progress=progress)


def format_ingest_report(report: IngestReport) -> str:
    """The ingestion summary in Vietnamese: counts, then each skipped file with its reason."""
    seconds = f"{report.seconds:.1f}".replace(".", ",")  # Vietnamese decimal comma
    lines = [
        t.INGESTED.format(
            seconds=seconds,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            removed=report.removed,
            chunks_added=report.chunks_added,
            chunks_removed=report.chunks_removed,
        )
    ]
    if report.skipped:
        reasons = Counter(reason for _, reason in report.skipped)
        lines.append(t.SKIPPED_RECORDS.format(count=len(report.skipped)))
        lines.extend(f"  - {count} × {reason}" for reason, count in reasons.most_common())
    if report.errors:
        lines.append(t.SKIPPED_FILES.format(count=len(report.errors)))
        lines.extend(f"  - {source}: {reason}" for source, reason in report.errors)
    return "\n".join(lines)


def register_ask(subparsers: Any) -> None:
    ask = subparsers.add_parser("ask", help=t.HELP["ask"])
    ask.add_argument("question", help=t.HELP["ask.question"])
    ask.add_argument("--json", action="store_true", help="in JSON {answer, grounded, kind, sources}")
    ask.set_defaults(func=run_ask)


def register_eval(subparsers: Any) -> None:
    ev = subparsers.add_parser("eval", help=t.HELP["eval"])
    ev.add_argument("--corpus", type=Path, required=True, help="JSONL {id, title, text}")
    ev.add_argument("--qrels", type=Path, required=True, help="JSONL {qid, query, relevant_ids}")
    ev.add_argument("--json", action="store_true", help=t.HELP["eval.json"])
    ev.add_argument("--strip-diacritics", action="store_true", help=t.HELP["eval.strip-diacritics"])
    ev.add_argument("--unanswerable", type=Path, help=t.HELP["eval.unanswerable"])
    ev.set_defaults(func=run_eval)


def run_ask(args: argparse.Namespace) -> int:
    from core.db import get_engine, migrate
    from core.settings import get_settings
    from knowledge.service import KnowledgeBase

    settings = get_settings()
    engine = get_engine(settings)
    migrate(engine)
    kb = KnowledgeBase.open(settings, engine)
    try:
        if settings.demo_guidance:
            kb.ensure_demo_guidance()
        answer = kb.ask(args.question)
    finally:
        kb.close()
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(answer.text)
    return 0 if answer.grounded else 3


def run_eval(args: argparse.Namespace) -> int:
    from core.settings import get_settings
    from knowledge.eval import run_eval as evaluate

    for path in (args.corpus, args.qrels, *([args.unanswerable] if args.unanswerable else [])):
        if not path.is_file():
            print(t.FILE_MISSING.format(path=path))
            return 2
    metrics = evaluate(
        get_settings(),
        args.corpus,
        args.qrels,
        strip=args.strip_diacritics,
        progress=True,
        unanswerable=args.unanswerable,
    )
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        print(
            t.EVALUATED.format(
                n=metrics["n"],
                r1=metrics["recall@1"],
                r5=metrics["recall@5"],
                r10=metrics["recall@10"],
                mrr=metrics["mrr@10"],
                p50=metrics["p50_ms"],
                p95=metrics["p95_ms"],
            )
        )
        print(
            t.EVALUATED_ANSWERS.format(
                right=metrics["answered_right"], wrong=metrics["answered_wrong"], refused=metrics["refused"]
            )
        )
        if "answer_in_lead" in metrics:
            print(t.EVALUATED_LEAD.format(found=metrics["answer_in_lead"], total=metrics["with_answer"]))
        if "refused_unanswerable" in metrics:
            print(
                t.EVALUATED_UNANSWERABLE.format(
                    refused=metrics["refused_unanswerable"], total=metrics["unanswerable"]
                )
            )
    return 0
