"""serve, migrate, backup, restore."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="chạy dịch vụ web, webhook và các tiến trình nền")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="số tiến trình uvicorn")
    serve.set_defaults(func=run_serve)

    migrate = subparsers.add_parser("migrate", help="áp dụng các migration của cơ sở dữ liệu")
    migrate.set_defaults(func=run_migrate)

    backup = subparsers.add_parser("backup", help="sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp")
    backup.add_argument("file", help="tệp .tar.gz, hoặc một thư mục (tên tệp tự đặt theo thời gian)")
    backup.add_argument("--with-index", action="store_true", help="kèm chỉ mục Chroma nhúng")
    backup.add_argument("--keep", type=int, default=0, help="chỉ giữ N bản mới nhất trong thư mục")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser("restore", help="khôi phục từ tệp sao lưu (dừng dịch vụ trước)")
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="ghi đè dữ liệu đang có")
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
    print("Đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất.")
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
        print(f"Lỗi: {exc}")
        return 1
    print(f"Đã sao lưu ({manifest.database}, {manifest.uploads} tệp tải lên) vào {target}")
    if args.keep > 0 and requested.is_dir():
        for path in prune_backups(requested, keep=args.keep):
            print(f"Đã xoá bản cũ {path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.backup import BackupError, restore_backup
    from core.settings import get_settings

    try:
        manifest = restore_backup(get_settings(), source=Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"Lỗi: {exc}")
        return 1
    print(f"Đã khôi phục bản sao lưu lúc {manifest.created_at} (UTC), {manifest.uploads} tệp tải lên.")
    return 0
