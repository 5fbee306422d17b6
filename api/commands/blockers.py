"""Subcommands for the blockers area: `troly route`, `troly departments load|export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.commands import texts as t


def register(subparsers: Any) -> None:
    route = subparsers.add_parser("route", help=t.HELP["route"])
    route.add_argument("text", help=t.HELP["route.text"])
    route.add_argument("--json", action="store_true", help=t.HELP["route.json"])
    route.add_argument("--lexical", action="store_true", help=t.HELP["route.lexical"])
    route.add_argument("--top", type=int, default=0, help=t.HELP["route.top"])
    route.set_defaults(func=run_route)

    departments = subparsers.add_parser("departments", help=t.HELP["departments"])
    actions = departments.add_subparsers(dest="action", required=True)
    load = actions.add_parser("load", help=t.HELP["departments.load"])
    load.add_argument("file", nargs="?", help=t.HELP["departments.load.file"])
    load.set_defaults(func=run_departments_load)
    export = actions.add_parser("export", help=t.HELP["departments.export"])
    export.add_argument("file", nargs="?", help=t.HELP["departments.export.file"])
    export.set_defaults(func=run_departments_export)


def _session_scope() -> Any:
    from core.db import get_engine, migrate, session_scope
    from core.settings import get_settings

    settings = get_settings()
    engine = get_engine(settings)
    migrate(engine)
    return settings, session_scope(engine)


def run_route(args: argparse.Namespace) -> int:
    from blockers.catalogue import ensure_departments, get_department
    from blockers.routing import route

    settings, scope = _session_scope()
    with scope as session:
        ensure_departments(session, settings=settings)
        use_embeddings = settings.routing_embeddings and not args.lexical
        ranked = route(
            session, text=args.text, use_embeddings=use_embeddings, limit=args.top or None, settings=settings
        )
        if args.json:
            print(
                json.dumps(
                    [{"department": r.department, "score": r.score} for r in ranked], ensure_ascii=False
                )
            )
            return 0
        for r in ranked:
            department = get_department(session, r.department)
            print(f"{r.score:.3f}  {r.department:<7} {department.name if department else ''}")
    return 0


def run_departments_load(args: argparse.Namespace) -> int:
    from blockers.catalogue import load_departments

    settings, scope = _session_scope()
    with scope as session:
        count = load_departments(session, settings=settings, path=Path(args.file) if args.file else None)
    print(t.DEPARTMENTS_LOADED.format(count=count))
    return 0


def run_departments_export(args: argparse.Namespace) -> int:
    from blockers.catalogue import ensure_departments, export_departments

    settings, scope = _session_scope()
    with scope as session:
        ensure_departments(session, settings=settings)
        text = json.dumps(export_departments(session), ensure_ascii=False, indent=2) + "\n"
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
