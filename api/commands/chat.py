"""Subcommands for the chat area: `troly roster import FILE.csv`, `troly invite ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.commands import texts as t
from core.models import Person
from handlers.registration import (
    format_code,
    import_roster,
    issue_invite,
    normalize_phone,
    read_roster_csv,
    unlinked_people,
)


def register(subparsers: Any) -> None:
    roster = subparsers.add_parser("roster", help=t.HELP["roster"])
    roster_sub = roster.add_subparsers(dest="roster_command", required=True)
    roster_import = roster_sub.add_parser("import", help=t.HELP["roster.import"])
    roster_import.add_argument("file", type=Path)
    roster_import.set_defaults(func=run_roster_import)

    invite = subparsers.add_parser("invite", help=t.HELP["invite"])
    who = invite.add_mutually_exclusive_group(required=True)
    who.add_argument("--phone", help=t.HELP["invite.phone"])
    who.add_argument("--person", type=int, help=t.HELP["invite.person"])
    who.add_argument("--all", action="store_true", help=t.HELP["invite.all"])
    invite.set_defaults(func=run_invite)


def _engine() -> Engine:
    from core.db import get_engine, migrate

    engine = get_engine()
    migrate(engine)  # idempotent: the roster may be imported before the first `troly serve`
    return engine


def run_roster_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(t.FILE_MISSING.format(path=args.file), file=sys.stderr)
        return 1
    rows = read_roster_csv(args.file)
    with Session(_engine()) as session:
        report = import_roster(session, rows=rows)
        session.commit()
    print(t.ROSTER_IMPORTED.format(created=report.created, updated=report.updated))
    for line, message in report.errors:
        print(t.LINE_ERROR.format(line=line, message=message))
    return 1 if report.errors else 0


def run_invite(args: argparse.Namespace) -> int:
    with Session(_engine()) as session:
        people = _select_people(session, args)
        if not people:
            print(t.NOBODY_FOUND, file=sys.stderr)
            return 1
        for person in people:
            assert person.id is not None
            invite = issue_invite(session, person_id=person.id)
            print(f"{format_code(invite.code)}  {describe(person)}")
        session.commit()
    from core.settings import get_settings

    # On stderr: stdout stays one code per line, for mail merge.
    print(t.INVITE_VALID_DAYS.format(days=get_settings().invite_code_ttl_days), file=sys.stderr)
    return 0


def _select_people(session: Session, args: argparse.Namespace) -> list[Person]:
    if args.all:
        return unlinked_people(session)
    if args.person is not None:
        person = session.get(Person, args.person)
        return [person] if person is not None else []
    phone = normalize_phone(args.phone)
    return list(session.exec(select(Person).where(Person.phone == phone))) if phone else []


def describe(person: Person) -> str:
    details = ", ".join(part for part in (person.position, person.commune, person.phone) if part)
    return f"{person.name} ({details})" if details else person.name
