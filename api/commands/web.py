"""`troly user add|passwd`: web accounts from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlmodel import Session, select

from api.commands import texts as t
from core.models import Department, Role, User


def register(subparsers: Any) -> None:
    user = subparsers.add_parser("user", help=t.HELP["user"])
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help=t.HELP["user.add"])
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--department", default=None, help=t.HELP["user.add.department"])
    add.add_argument("--password", default=None, help=t.HELP["user.add.password"])
    add.add_argument("--name", default="", help=t.HELP["user.add.name"])
    add.set_defaults(func=run_add)
    passwd = actions.add_parser("passwd", help=t.HELP["user.passwd"])
    passwd.add_argument("username")
    passwd.add_argument("--password", default=None, help=t.HELP["user.passwd.password"])
    passwd.set_defaults(func=run_passwd)


def _engine() -> Any:
    from core.db import get_engine, migrate

    engine = get_engine()
    migrate(engine)
    return engine


def _password(given: str | None) -> str:
    from api.web.accounts import password_problem

    password = given if given is not None else getpass.getpass(t.PASSWORD_PROMPT)
    if problem := password_problem(password):
        raise SystemExit(problem)
    return password


def run_add(args: argparse.Namespace) -> int:
    from api.web.accounts import audit, create_user

    password = _password(args.password)
    with Session(_engine()) as session:
        if session.exec(select(User.id).where(User.username == args.username)).first() is not None:
            print(t.USER_EXISTS.format(username=args.username), file=sys.stderr)
            return 1
        if args.department and session.get(Department, args.department) is None:
            print(t.NO_DEPARTMENT.format(code=args.department), file=sys.stderr)
            return 1
        try:
            create_user(
                session, username=args.username, password=password, role=Role(args.role),
                department_code=args.department, full_name=args.name,
            )  # fmt: skip
        except ValueError as error:
            print(str(error), file=sys.stderr)
            return 1
        audit(session, actor="cli", action="user.create", target=args.username, detail=f"role={args.role}")
        session.commit()
    print(t.USER_CREATED.format(username=args.username, role=args.role))
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    from api.web.accounts import audit, set_password

    password = _password(args.password)
    with Session(_engine()) as session:
        user = session.exec(select(User).where(User.username == args.username)).first()
        if user is None:
            print(t.NO_USER.format(username=args.username), file=sys.stderr)
            return 1
        set_password(session, user=user, password=password)
        audit(session, actor="cli", action="user.passwd", target=args.username)
        session.commit()
    print(t.PASSWORD_CHANGED.format(username=args.username))
    return 0
