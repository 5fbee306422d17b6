"""The `troly` command line. Each group of subcommands lives in api/commands/<area>.py and
registers itself through `register(subparsers)`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from api.commands import blockers as blocker_commands
from api.commands import chat as chat_commands
from api.commands import knowledge as knowledge_commands
from api.commands import ops as ops_commands
from api.commands import web as web_commands

GROUPS = (ops_commands, knowledge_commands, chat_commands, blocker_commands, web_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troly", description="Trợ lý thủ tục và vướng mắc cho cán bộ xã, phường"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from core.logs import configure_logging
    from core.settings import get_settings

    args = build_parser().parse_args(argv)
    configure_logging(get_settings())
    result = args.func(args)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
