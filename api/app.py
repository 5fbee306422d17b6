"""App factory and lifespan: the only place where the product's parts are started and wired."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from api import health, metrics
from api.context import AppContext
from api.errors import JSON_PREFIXES, ErrorShield, install_error_handlers
from api.limits import BodyRule, RequestGuard, bound_int_params, rule
from api.web.security import SecurityHeadersMiddleware
from api.web.texts import APP_TITLE
from core.db import get_engine, migrate
from core.logs import install_redaction, register_settings
from core.settings import Settings, get_settings

MULTIPART_FIELDS_BYTES = 64 * 1024  # the text fields and part headers beside an uploaded file

log = logging.getLogger(__name__)


def load_departments_once(engine: Engine, settings: Settings) -> None:
    """The shipped (or configured) department catalogue, so the inbox has it from the start."""
    from blockers.catalogue import ensure_departments
    from core.db import session_scope

    try:
        with session_scope(engine) as session:
            ensure_departments(session, settings=settings)
    except IntegrityError:
        log.info("another process loaded the department catalogue first")


def index_demo_guidance(ctx: AppContext) -> None:
    """One process at a time: several starting together would race on the same documents."""
    from core.locks import exclusive

    with exclusive(ctx.engine, name="demo-guidance", data_dir=ctx.settings.data_dir):
        ctx.kb.ensure_demo_guidance()


def body_rules(settings: Settings) -> list[BodyRule]:
    """The body limit of each route (everything else: FORM_MAX_BYTES)."""
    from api.web import UPLOAD_ROUTES

    uploads = "|".join(re.escape(path) for path in UPLOAD_ROUTES)
    return [
        rule(r"/webhooks/.*", settings.webhook_max_bytes, json=True),
        rule(r"/chat/messages", settings.form_max_bytes, json=True),
        rule(uploads, settings.upload_max_bytes + MULTIPART_FIELDS_BYTES),
        # The web chat's files: the route checks the chat before it reads a byte (api/webchat.py).
        rule(r"/chat/files", settings.upload_max_bytes + MULTIPART_FIELDS_BYTES),
    ]


def install_edge(app: FastAPI, settings: Settings) -> None:
    """What every request passes before a route: the limits, the error answers, the headers."""
    install_error_handlers(app)
    app.add_middleware(
        RequestGuard,
        rules=body_rules(settings),
        default_limit=settings.form_max_bytes,
        max_depth=settings.json_max_depth,
    )
    app.add_middleware(ErrorShield)
    # Added last = outermost: headers land on every response, errors included.
    app.add_middleware(SecurityHeadersMiddleware)
    bound_int_params(app)


def create_app(settings: Settings | None = None, *, start_workers: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    run_workers = settings.run_workers if start_workers is None else start_workers
    install_redaction()  # before anything logs: every record of the process is masked
    register_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        engine = get_engine(settings)
        await asyncio.to_thread(migrate, engine)
        ctx = AppContext(settings=settings, engine=engine, dispatch=getattr(app.state, "dispatch", None))
        app.state.ctx = ctx
        await asyncio.to_thread(load_departments_once, engine, settings)
        from knowledge.service import KnowledgeBase

        ctx.knowledge = await asyncio.to_thread(KnowledgeBase.open, settings, engine)
        if settings.demo_guidance:
            await asyncio.to_thread(index_demo_guidance, ctx)
        from api.web.accounts import ensure_first_admin

        ensure_first_admin(engine, data_dir=settings.data_dir)
        from bot.runtime import start_channels, stop_channels

        ctx.channels = await start_channels(settings, engine)
        if run_workers:
            from api.workers import start_workers as start_background
            from knowledge.media.engines import make_engines

            ctx.media = make_engines(settings)  # the speech worker starts at the first note
            ctx.tasks = start_background(ctx)
        try:
            yield
        finally:
            for task in ctx.tasks:
                task.cancel()
            await asyncio.gather(*ctx.tasks, return_exceptions=True)
            await stop_channels(ctx.channels)
            if ctx.media is not None:
                ctx.media.close()
            if ctx.knowledge is not None:
                ctx.knowledge.close()

    app = FastAPI(
        title=APP_TITLE,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads assets from a CDN; closed networks have none
        redoc_url=None,
        openapi_url=None,  # served to logged-in admins only (api/web, OPENAPI_FOR_ADMINS)
    )
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(metrics.router)
    from api import webchat, webhooks
    from api.web import install as install_web

    app.include_router(webhooks.router)
    app.include_router(webchat.router)
    install_web(app, unguarded_prefixes=JSON_PREFIXES)  # pages, session and upload guard, /static
    install_edge(app, settings)
    return app
