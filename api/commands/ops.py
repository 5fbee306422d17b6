"""serve, migrate (and later backup/restore)."""

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


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1:
        uvicorn.run(
            "api.asgi:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=True,
            log_level="info",
        )
    else:
        from api.app import create_app

        uvicorn.run(create_app(), host=args.host, port=args.port, proxy_headers=True, log_level="info")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    from core.db import get_engine, migrate

    migrate(get_engine())
    print("Đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất.")
    return 0
