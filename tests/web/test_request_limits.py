"""Per-route body limits and the upload guard, in process (tests/production/test_body_limits.py
checks the streaming and the memory against a real server)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from web_support import Browser, World

from api.limits import json_too_deep
from core.models import Document

PDF = b"%PDF-1.4 tiny"


def _multipart(boundary: str, parts: list[tuple[str, bytes, str]]) -> bytes:
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


def _upload(client: TestClient, parts: list[tuple[str, bytes, str]]) -> object:
    boundary = "b0undary"
    return client.post(
        "/admin/documents",
        content=_multipart(boundary, parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        follow_redirects=False,
    )


def _documents(world: World) -> list[Document]:
    with Session(world.engine) as session:
        return list(session.exec(select(Document)).all())


def test_an_anonymous_upload_is_refused_before_parsing(web_app: FastAPI, world: World) -> None:
    anonymous = Browser(TestClient(web_app))
    anonymous.get("/login")  # has a CSRF token, no login
    response = _upload(
        anonymous.client, [("csrf_token", anonymous.csrf.encode(), ""), ("file", PDF, "a.pdf")]
    )
    assert response.status_code == 403 and "đăng nhập trước khi tải tệp" in response.text  # type: ignore[attr-defined]
    assert response.headers["connection"] == "close"  # type: ignore[attr-defined]
    assert _documents(world) == []


def test_an_upload_must_open_with_its_csrf_token(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    admin.get("/admin/documents")
    for parts in (
        [("file", PDF, "a.pdf"), ("csrf_token", admin.csrf.encode(), "")],  # token after the file
        [("csrf_token", b"forged", ""), ("file", PDF, "a.pdf")],
        [("file", PDF, "a.pdf")],
    ):
        response = _upload(admin.client, parts)
        assert response.status_code == 403 and "mã bảo vệ CSRF" in response.text  # type: ignore[attr-defined]
    assert _documents(world) == []
    good = _upload(
        admin.client,
        [("csrf_token", admin.csrf.encode(), ""), ("file", "Điều 1. Nội dung.".encode(), "a.txt")],
    )
    assert good.status_code == 303  # type: ignore[attr-defined]
    assert len(_documents(world)) == 1


def test_a_form_over_its_limit_is_a_413(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = world.blocker()
    staff = login("cv_tc")
    limit = world.settings.form_max_bytes
    response = staff.post(f"/inbox/blockers/{blocker.id}/note", {"text": "x" * (limit + 1)})
    assert response.status_code == 413 and "vượt quá giới hạn cho phép (64 KB)" in response.text


def test_a_declared_upload_over_the_limit_is_a_413(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    too_big = str(world.settings.upload_max_bytes + 1024 * 1024)
    response = admin.client.post(
        "/admin/documents",
        content=b"",
        headers={"Content-Type": "multipart/form-data; boundary=x", "Content-Length": too_big},
    )
    assert response.status_code == 413 and "20 MB" in response.text


def test_json_depth_guard() -> None:
    assert not json_too_deep(b'{"update_id": 1, "message": {"chat": {"id": 5}, "text": "[[[[["}}', 32)
    assert json_too_deep(b"[" * 33 + b"]" * 33, 32)
    assert not json_too_deep(b"[" * 32 + b"]" * 32, 32)
    assert json_too_deep(b"[" * 100_000, 32)  # unbalanced: a parser would recurse before failing
    assert not json_too_deep(b'["a\\"]]]]]]", {"b": []}]', 2)  # brackets inside strings do not count
