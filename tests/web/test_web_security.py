"""Escaping, CSRF, department isolation (URL, export, attachment, action) and headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from web_support import World

from core.models import BlockerAttachment, BlockerMessage, BlockerSupport, MessageKind, OutboxMessage


def test_an_officials_script_shows_as_text(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = world.blocker(title="<b>Đất</b>", description='<script>alert("x")</script> hồ sơ')
    with Session(world.engine) as session:
        session.add(
            BlockerMessage(
                blocker_id=blocker.id or 0, kind=MessageKind.official, text="<img src=x onerror=alert(1)>"
            )
        )
        session.commit()
    page = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;alert(" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>Đất</b>" not in page
    listing = login("cv_tc").get("/inbox").text
    assert "&lt;b&gt;Đất&lt;/b&gt;" in listing


def test_forms_without_a_valid_csrf_token_are_refused(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = world.blocker()
    browser = login("cv_tc")
    for token in ("", "forged-token"):
        response = browser.client.post(
            f"/inbox/blockers/{blocker.id}/note", data={"text": "ghi chú", "csrf_token": token}
        )
        assert response.status_code == 403
        assert "mã bảo vệ CSRF" in response.text
    response = browser.client.post("/logout", data={})
    assert response.status_code == 403
    with Session(world.engine) as session:
        assert session.exec(select(BlockerMessage)).all() == []


def test_login_form_needs_csrf_too(web_app: FastAPI, world: World) -> None:
    client = TestClient(web_app)
    response = client.post("/login", data={"username": "cv_tc", "password": "x"})
    assert response.status_code == 403


def test_staff_cannot_reach_another_departments_blocker(login, world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    theirs = world.blocker(department_code="NV", title="Biên chế công chức xã")
    uploads = world.settings.uploads_dir
    (uploads / "blockers").mkdir(parents=True, exist_ok=True)
    (uploads / "blockers" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    with Session(world.engine) as session:
        attachment = BlockerAttachment(
            blocker_id=theirs.id or 0,
            filename="a.png",
            content_type="image/png",
            size=12,
            path="blockers/a.png",
        )
        session.add(attachment)
        session.commit()
        attachment_id = attachment.id
    staff = login("cv_tc")
    base = f"/inbox/blockers/{theirs.id}"
    assert staff.get(base).status_code == 404
    assert staff.get(f"{base}/files/{attachment_id}").status_code == 404
    assert staff.get(f"{base}/export.csv").status_code == 404
    for action, data in (
        ("reply", {"text": "x"}),
        ("note", {"text": "x"}),
        ("close", {}),
        ("transfer", {"department_code": "TC", "reason": "x"}),
        ("status", {"status": "closed"}),
    ):
        assert staff.post(f"{base}/{action}", data).status_code == 404, action
    assert "Biên chế" not in staff.get("/inbox").text
    assert "Biên chế" not in staff.get("/export/blockers.csv").text
    with Session(world.engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []
        assert session.exec(select(BlockerMessage)).all() == []
    # The owning department sees all of it.
    owner = login("cv_nv")
    assert owner.get(base).status_code == 200
    image = owner.get(f"{base}/files/{attachment_id}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert "sandbox" in image.headers["content-security-policy"]


def test_a_supporting_department_sees_the_blocker(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = world.blocker(department_code="NV", title="Phối hợp về ngân sách")
    staff = login("cv_tc")
    assert staff.get(f"/inbox/blockers/{blocker.id}").status_code == 404
    with Session(world.engine) as session:
        session.add(BlockerSupport(blocker_id=blocker.id or 0, department_code="TC"))
        session.commit()
    assert staff.get(f"/inbox/blockers/{blocker.id}").status_code == 200
    assert "Phối hợp về ngân sách" in staff.get("/inbox").text


def test_roles_limit_pages(login, world: World) -> None:  # type: ignore[no-untyped-def]
    staff = login("cv_tc")
    assert staff.get("/dashboard").status_code == 403
    assert staff.get("/admin/users").status_code == 403
    assert staff.get("/admin/documents").status_code == 403
    blocker = world.blocker()
    leader = login("lanhdao")
    assert leader.get(f"/inbox/blockers/{blocker.id}").status_code == 200  # reads everything
    assert (
        leader.post(f"/inbox/blockers/{blocker.id}/note", {"text": "x"}).status_code == 403
    )  # acts on nothing
    assert leader.get("/admin/users").status_code == 403
    head = login("ld_tc")
    assert head.get("/dashboard").status_code == 200
    assert head.get("/admin/canned").status_code == 200
    assert head.get("/admin/users").status_code == 403


def test_security_headers_on_every_response(web_app: FastAPI, login, world: World) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(web_app)
    browser = login("cv_tc")
    for response in (
        client.get("/login"),
        client.get("/static/app.css"),
        client.get("/no-such-page"),
        browser.get("/inbox"),
        browser.client.post("/logout", data={}),  # the 403 CSRF page
    ):
        headers = response.headers
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


def test_pages_have_no_inline_script_or_external_asset(login, world: World) -> None:  # type: ignore[no-untyped-def]
    world.blocker()
    browser = login("quantri")
    for url in ("/inbox", "/dashboard", "/admin/users", "/admin/documents", "/login"):
        html = browser.get(url).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
        assert (
            "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
        )


def test_unknown_blocker_is_404(login, world: World) -> None:  # type: ignore[no-untyped-def]
    assert login("quantri").get("/inbox/blockers/999999").status_code == 404


def test_web_chat_page_keeps_working_under_the_policy(web_app: FastAPI) -> None:
    csp = TestClient(web_app).get("/chat").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'unsafe-inline'" in csp
