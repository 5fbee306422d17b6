"""serve, migrate, backup, restore."""

from __future__ import annotations

import argparse
from typing import Any

from api.commands import texts as t


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help=t.HELP["serve"])
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help=t.HELP["serve.workers"])
    serve.set_defaults(func=run_serve)

    migrate = subparsers.add_parser("migrate", help=t.HELP["migrate"])
    migrate.set_defaults(func=run_migrate)

    backup = subparsers.add_parser("backup", help=t.HELP["backup"])
    backup.add_argument("file", help=t.HELP["backup.file"])
    backup.add_argument("--with-index", action="store_true", help=t.HELP["backup.with-index"])
    backup.add_argument("--keep", type=int, default=0, help=t.HELP["backup.keep"])
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser("restore", help=t.HELP["restore"])
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help=t.HELP["restore.force"])
    restore.set_defaults(func=run_restore)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from core.logs import uvicorn_log_config
    from core.settings import get_settings

    level = get_settings().log_level
    # Every worker process configures its logging from this (the root logger included).
    log_config, log_level = uvicorn_log_config(level), level.lower()
    if args.workers > 1:
        uvicorn.run(
            "api.asgi:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=True,
            log_config=log_config,
            log_level=log_level,
        )
    else:
        from api.app import create_app

        uvicorn.run(
            create_app(),
            host=args.host,
            port=args.port,
            proxy_headers=True,
            log_config=log_config,
            log_level=log_level,
        )
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    from core.db import get_engine, migrate

    migrate(get_engine())
    print(t.MIGRATED)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.backup import BackupError, create_backup, prune_backups, resolve_target
    from core.settings import get_settings

    requested = Path(args.file)
    target = resolve_target(requested)
    try:
        manifest = create_backup(get_settings(), target=target, include_chroma=args.with_index)
    except BackupError as exc:
        print(t.ERROR.format(error=exc))
        return 1
    print(t.BACKED_UP.format(database=manifest.database, uploads=manifest.uploads, target=target))
    if args.keep > 0 and requested.is_dir():
        for path in prune_backups(requested, keep=args.keep):
            print(t.PRUNED.format(path=path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.backup import BackupError, restore_backup
    from core.settings import get_settings

    try:
        manifest = restore_backup(get_settings(), source=Path(args.file), force=args.force)
    except BackupError as exc:
        print(t.ERROR.format(error=exc))
        return 1
    print(t.RESTORED.format(created_at=manifest.created_at, uploads=manifest.uploads))
    return 0
