"""Department inbox, leadership dashboard and administration pages (server-rendered).

`router` carries the pages; `install(app)` adds what a router cannot: the session and upload
guard middleware, /static, the admins' OpenAPI document, and the handlers that turn auth
errors into pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.web import (
    actions,
    auth,
    authority,
    broadcasts,
    dashboard,
    departments,
    documents,
    exports,
    inbox,
    roster,
    texts,
    thread,
    users,
)
from api.web.deps import Forbidden, LoginRequired, NotVisible, PasswordChangeRequired, admin_only
from api.web.render import render
from api.web.security import CsrfError, LazySessionMiddleware, UploadGuardMiddleware
from core.models import User

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# Routes that take a file (multipart): their body may be UPLOAD_MAX_BYTES plus the form fields.
UPLOAD_ROUTES = ("/admin/documents", "/admin/roster")

router = APIRouter()
for module in (
    auth,
    inbox,
    thread,
    actions,
    broadcasts,
    exports,
    dashboard,
    documents,
    users,
    departments,
    roster,
    authority,
):
    router.include_router(module.router)


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/inbox", status_code=303)


def _error_page(request: Request, status_code: int, title: str, text: str) -> Response:
    return render(request, "error.html", {"title": title, "text": text}, status_code=status_code)


async def _login_required(request: Request, _: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def _password_required(request: Request, _: Exception) -> Response:
    return RedirectResponse("/account/password", status_code=303)


async def _forbidden(request: Request, _: Exception) -> Response:
    return _error_page(request, 403, *texts.FORBIDDEN)


async def _not_visible(request: Request, _: Exception) -> Response:
    return _error_page(request, 404, *texts.NOT_FOUND)


async def _csrf(request: Request, _: Exception) -> Response:
    return _error_page(request, 403, *texts.CSRF_FAILED)


def openapi_document(request: Request, _: User = Depends(admin_only)) -> Response:
    """The API description, for logged-in admins only: it maps every route for an attacker."""
    return JSONResponse(request.app.openapi())


def install(app: FastAPI, *, unguarded_prefixes: tuple[str, ...]) -> None:
    """Wire the web pages into the app (called once by api.app.create_app). Multipart bodies
    to `unguarded_prefixes` (webhooks, the chat's JSON) are not the upload guard's business."""
    app.include_router(router)
    settings = app.state.settings
    if settings.openapi_for_admins:
        app.add_api_route("/api/openapi.json", openapi_document, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PasswordChangeRequired, _password_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(NotVisible, _not_visible)
    app.add_exception_handler(CsrfError, _csrf)
    # Added later = further out: the upload guard reads the session the middleware decoded.
    app.add_middleware(UploadGuardMiddleware, exempt_prefixes=unguarded_prefixes)
    app.add_middleware(
        LazySessionMiddleware,
        https_only=settings.session_cookie_secure,
        max_age=settings.session_max_hours * 3600,
    )
