"""GET /healthz: database and index status, for probes and monitoring."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from core.db import database_ok

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    ctx = getattr(request.app.state, "ctx", None)
    db_ok = ctx is not None and database_ok(ctx.engine)
    index = ctx.knowledge.status() if ctx is not None and ctx.knowledge is not None else {"ready": False}
    ok = db_ok and bool(index.get("ready"))
    body = {
        "status": "ok" if ok else "degraded",
        "database": "ok" if db_ok else "unreachable",
        "index": index,
    }
    return JSONResponse(body, status_code=200 if ok else 503)
