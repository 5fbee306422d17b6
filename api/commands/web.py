"""`troly user add|passwd`: web accounts from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlmodel import Session, select

from core.models import Department, Role, User


def register(subparsers: Any) -> None:
    user = subparsers.add_parser("user", help="quản lý tài khoản trang quản trị")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="tạo tài khoản")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--department", default=None, help="mã Sở (bắt buộc với staff, head)")
    add.add_argument("--password", default=None, help="mật khẩu (bỏ trống để nhập)")
    add.add_argument("--name", default="", help="họ và tên")
    add.set_defaults(func=run_add)
    passwd = actions.add_parser("passwd", help="đổi mật khẩu")
    passwd.add_argument("username")
    passwd.add_argument("--password", default=None, help="mật khẩu mới (bỏ trống để nhập)")
    passwd.set_defaults(func=run_passwd)


def _engine() -> Any:
    from core.db import get_engine, migrate

    engine = get_engine()
    migrate(engine)
    return engine


def _password(given: str | None) -> str:
    from api.web.accounts import password_problem

    password = given if given is not None else getpass.getpass("Mật khẩu: ")
    if problem := password_problem(password):
        raise SystemExit(problem)
    return password


def run_add(args: argparse.Namespace) -> int:
    from api.web.accounts import audit, create_user

    password = _password(args.password)
    with Session(_engine()) as session:
        if session.exec(select(User.id).where(User.username == args.username)).first() is not None:
            print(f"Tài khoản {args.username} đã có.", file=sys.stderr)
            return 1
        if args.department and session.get(Department, args.department) is None:
            print(f"Không có Sở mã {args.department}.", file=sys.stderr)
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
    print(f"Đã tạo tài khoản {args.username} ({args.role}).")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    from api.web.accounts import audit, set_password

    password = _password(args.password)
    with Session(_engine()) as session:
        user = session.exec(select(User).where(User.username == args.username)).first()
        if user is None:
            print(f"Không có tài khoản {args.username}.", file=sys.stderr)
            return 1
        set_password(session, user=user, password=password)
        audit(session, actor="cli", action="user.passwd", target=args.username)
        session.commit()
    print(f"Đã đổi mật khẩu của {args.username}.")
    return 0
