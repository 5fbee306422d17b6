"""The `troly` command line. Each group of subcommands lives in api/commands/<area>.py and
registers itself through `register(subparsers)`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from api.commands import blockers as blocker_commands
from api.commands import chat as chat_commands
from api.commands import knowledge as knowledge_commands
from api.commands import ops as ops_commands
from api.commands import texts as t
from api.commands import web as web_commands

GROUPS = (ops_commands, knowledge_commands, chat_commands, blocker_commands, web_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="troly", description=t.APP)
    parser.add_argument("-v", "--verbose", action="store_true", help=t.VERBOSE)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(subparsers)
    return parser


# Libraries that narrate their work at INFO ("Running upgrade 0001 -> 0004", index building):
# a subcommand prints what it did itself, so theirs is detail, shown with --verbose.
CHATTY = ("alembic", "bm25s", "httpx", "httpcore", "chromadb", "urllib3")


class _QuietLibraries(logging.Filter):
    """Drops the chatty libraries' records below WARNING. A filter on the handler, because some
    (bm25s) set their own logger to DEBUG when imported."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith(CHATTY)


def log_level(*, verbose: bool, service: bool, configured: str) -> str:
    """The service logs at LOG_LEVEL (its journal); other subcommands only warnings, and with
    --verbose everything down to DEBUG."""
    return "DEBUG" if verbose else configured if service else "WARNING"


def main(argv: Sequence[str] | None = None) -> int:
    from core.logs import configure_logging
    from core.settings import get_settings

    args = build_parser().parse_args(argv)
    settings = get_settings()
    level = log_level(verbose=args.verbose, service=args.command == "serve", configured=settings.log_level)
    configure_logging(settings, level=level)
    if level.upper() != "DEBUG":  # LOG_LEVEL=DEBUG or --verbose: the libraries' detail too
        for handler in logging.getLogger().handlers:
            handler.addFilter(_QuietLibraries())
    result = args.func(args)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
