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


def configure_logging(*, verbose: bool, service: bool) -> None:
    """The service logs at LOG_LEVEL (its journal); other subcommands only warnings, and with
    --verbose (or LOG_LEVEL=DEBUG for the service) everything, the libraries' detail included.
    Redaction of secrets is installed either way (core.logs)."""
    from core.logs import configure_logging as configure_root
    from core.settings import get_settings

    settings = get_settings()
    level = "DEBUG" if verbose else settings.log_level.upper() if service else "WARNING"
    configure_root(settings, level=level)
    if level != "DEBUG":
        for handler in logging.getLogger().handlers:
            handler.addFilter(_QuietLibraries())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(verbose=args.verbose, service=args.command == "serve")
    result = args.func(args)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
