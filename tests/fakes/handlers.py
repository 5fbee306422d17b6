"""Route handlers of the fake platforms (see servers.py for the layout)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.servers import error, long_wait, ok, read_params

if TYPE_CHECKING:
    from tests.fakes.servers import FakePlatforms

BOT_USER = {"id": 777, "is_bot": True, "first_name": "Trợ lý", "username": "troly_test_bot"}


def _telegram_failure(fake: FakePlatforms, method: str) -> Response | None:
    failure = fake._next_failure("telegram", method)
    if failure is None:
        return None
    kind = failure["kind"]
    if kind == "429":
        retry = failure["retry_after"]
        return error(429, f"Too Many Requests: retry after {retry}", parameters={"retry_after": retry})
    if kind == "blocked":
        return error(403, "Forbidden: bot was blocked by the user")
    if kind == "bad_request":
        return error(400, "Bad Request: chat not found")
    return error(500, "Internal Server Error")


def _message(fake: FakePlatforms, chat_id: Any, **extra: Any) -> dict[str, Any]:
    chat = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
    body = {"message_id": fake.next_id(), "date": int(time.time()), "chat": {"id": chat, "type": "private"}}
    body["from"] = BOT_USER
    body.update(extra)
    return body


def routes(fake: FakePlatforms) -> list[Route]:
    async def telegram(request: Request) -> Response:
        method = request.path_params["method"]
        params = await read_params(request)
        call = fake.record("telegram", method, params)
        failure = _telegram_failure(fake, method)
        if failure is not None:
            call.ok = False
            return failure
        if method == "getMe":
            return ok(BOT_USER)
        if method in ("setWebhook", "deleteWebhook", "answerCallbackQuery", "sendChatAction"):
            return ok(True)
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)

            def pending() -> list[dict[str, Any]]:
                with fake.lock:
                    return [u for u in fake.telegram_updates if u["update_id"] >= offset]

            return ok(await long_wait(pending, float(params.get("timeout") or 0)) or [])
        if method == "sendMessage":
            return ok(_message(fake, params["chat_id"], text=params.get("text", "")))
        if method in ("sendPhoto", "sendDocument"):
            return ok(_message(fake, params["chat_id"], caption=""))
        if method == "getFile":
            file_id = str(params["file_id"])
            if file_id not in fake.files:
                return error(400, "Bad Request: invalid file_id")
            size = len(fake.files[file_id])
            return ok(
                {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_size": size,
                    "file_path": f"f/{file_id}",
                }
            )
        return error(404, "Not Found: method not found")

    async def telegram_file(request: Request) -> Response:
        file_id = request.path_params["path"].rsplit("/", 1)[-1]
        fake.record("telegram", "file", {"file_id": file_id})
        data = fake.files.get(file_id)
        return Response(data) if data is not None else Response(status_code=404)

    async def media(request: Request) -> Response:
        """Files behind the URLs Zalo and Zalo OA events carry (`{url}/media/<name>`)."""
        name = request.path_params["name"]
        fake.record("media", "get", {"name": name})
        data = fake.files.get(name)
        return Response(data) if data is not None else Response(status_code=404)

    async def zalo(request: Request) -> Response:
        method = request.path_params["method"]
        params = await read_params(request)
        call = fake.record("zalo", method, params)
        failure = fake._next_failure("zalo", method)
        if failure is not None:
            call.ok = False
            if failure["kind"] == "429":
                return error(429, "Too many requests")
            if failure["kind"] == "blocked":
                return JSONResponse({"ok": False, "error_code": 403, "description": "Forbidden"})
            return error(500, "Internal error")
        if method == "getMe":
            return ok({"id": "zb1", "account_name": "bot.troly", "account_type": "BASIC"})
        if method in ("setWebhook", "deleteWebhook", "sendChatAction"):
            return ok({"url": params.get("url", "")})
        if method == "getUpdates":

            def one() -> dict[str, Any] | None:
                with fake.lock:
                    return fake.zalo_events.popleft() if fake.zalo_events else None

            event = await long_wait(one, float(params.get("timeout") or 0))
            return ok(event) if event else error(408, "Request timeout")
        if method in ("sendMessage", "sendPhoto"):
            return ok({"message_id": f"zs{fake.next_id()}", "date": int(time.time() * 1000)})
        return error(404, "Not found")

    async def oa_send(request: Request) -> Response:
        params = await read_params(request)
        params["_access_token"] = request.headers.get("access_token", "")
        call = fake.record("zalo_oa", "message/cs", params)
        if params["_access_token"] != fake.oa_access:
            call.ok = False
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        failure = fake._next_failure("zalo_oa", "message/cs")
        if failure is not None:
            call.ok = False
            if failure["kind"] == "window_closed":
                return JSONResponse(
                    {"error": -213, "message": "User has not interacted with the OA in 7 days"}
                )
            if failure["kind"] == "invalid_token":
                return JSONResponse({"error": -216, "message": "Access token is invalid"})
            return Response(status_code=500)
        user = params["recipient"]["user_id"]
        return JSONResponse(
            {"error": 0, "message": "Success", "data": {"message_id": f"oa{fake.next_id()}", "user_id": user}}
        )

    async def oa_token(request: Request) -> Response:
        form = dict((await request.form()).items())
        fake.record("oauth", "access_token", {**form, "_secret_key": request.headers.get("secret_key", "")})
        if form.get("refresh_token") != fake.oa_refresh or form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
        with fake.lock:
            fake.oa_generation += 1
            fake.oa_access = f"access-{fake.oa_generation}"
            fake.oa_refresh = f"refresh-{fake.oa_generation}"
        return JSONResponse(
            {"access_token": fake.oa_access, "refresh_token": fake.oa_refresh, "expires_in": "90000"}
        )

    return [
        Route("/bot{token}/{method}", telegram, methods=["GET", "POST"]),
        Route("/file/bot{token}/{path:path}", telegram_file, methods=["GET"]),
        Route("/media/{name}", media, methods=["GET"]),
        Route("/zalo/bot{token}/{method}", zalo, methods=["GET", "POST"]),
        Route("/oa/v3.0/oa/message/cs", oa_send, methods=["POST"]),
        Route("/oauth/v4/oa/access_token", oa_token, methods=["POST"]),
    ]
