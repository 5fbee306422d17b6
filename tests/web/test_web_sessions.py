"""Server-side sessions: a cookie stops working when its session ends, whatever the browser keeps.

Each test replays the cookie a browser (or a thief) still holds after the event that must end
the session; on the old scheme (a signed cookie checked only against the password hash) each of
these cookies went on working.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import itsdangerous
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from web_support import PASSWORD, Browser, World

from api.web.accounts import resolve_secret_key
from api.web.security import SESSION_COOKIE
from core.clock import utcnow
from core.models import AuditLog, SessionEnd, User, WebSession


def cookie_of(browser: Browser) -> str:
    value = browser.client.cookies.get(SESSION_COOKIE)
    assert value
    return str(value)


def replay(app: FastAPI, cookie: str, url: str = "/inbox") -> int:
    """What a stolen copy of the cookie gets: 200, or 303 to /login."""
    thief = TestClient(app, cookies={SESSION_COOKIE: cookie})
    response = thief.get(url, follow_redirects=False)
    assert response.status_code in (200, 303), response.status_code
    if response.status_code == 303:
        assert response.headers["location"] == "/login"
    return response.status_code


def session_rows(world: World, username: str) -> list[WebSession]:
    with Session(world.engine) as session:
        user_id = world.users[username].id
        return list(session.exec(select(WebSession).where(WebSession.user_id == user_id)).all())


def test_logout_ends_the_session_on_the_server(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    stolen = cookie_of(browser)
    assert replay(web_app, stolen) == 200
    assert browser.post("/logout").status_code == 303
    assert replay(web_app, stolen) == 303  # the copy kept elsewhere is dead too
    (row,) = session_rows(world, "cv_tc")
    assert row.ended_at is not None and row.end_reason == SessionEnd.logout


def test_the_cookie_carries_a_token_the_database_keeps_only_hashed(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    payload = cookie_of(browser).split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    (row,) = session_rows(world, "cv_tc")
    assert data["sid"] and row.id != data["sid"] and len(row.id) == 64
    assert "uid" not in data and PASSWORD not in json.dumps(data)


def test_deactivating_an_account_ends_its_sessions(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    staff = cookie_of(login("cv_tc"))
    admin = login("quantri")
    admin.get("/admin/users")
    user_id = world.users["cv_tc"].id
    admin.post(f"/admin/users/{user_id}", {"role": "staff", "department_code": "TC", "full_name": "x"})
    assert replay(web_app, staff) == 303
    assert {row.end_reason for row in session_rows(world, "cv_tc")} == {SessionEnd.deactivated}


def test_admin_signs_a_user_out_everywhere(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    office, phone = cookie_of(login("cv_tc")), cookie_of(login("cv_tc"))
    bystander = cookie_of(login("cv_nv"))
    admin = login("quantri")
    page = admin.get("/admin/users").text
    assert "Đăng xuất mọi nơi" in page and "2 đang mở" in page
    response = admin.post(f"/admin/users/{world.users['cv_tc'].id}/sessions/end")
    assert response.status_code == 303
    assert "Đã đăng xuất cv_tc khỏi mọi nơi (2 phiên đang mở)" in admin.get("/admin/users").text
    assert replay(web_app, office) == 303 and replay(web_app, phone) == 303
    assert replay(web_app, bystander) == 200  # nobody else is touched
    with Session(world.engine) as session:
        actions = [a.action for a in session.exec(select(AuditLog)).all()]
    assert actions == ["user.sign_out_everywhere"]


def test_a_user_signs_themself_out_everywhere(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    here, there = login("cv_tc"), login("cv_tc")
    elsewhere = cookie_of(there)
    assert "Đăng xuất mọi nơi" in here.get("/account/password").text
    response = here.post("/account/sessions/end")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "Đã đăng xuất tài khoản khỏi mọi thiết bị" in here.get("/login").text
    assert replay(web_app, elsewhere) == 303
    assert here.get("/inbox", follow_redirects=False).status_code == 303


def test_an_admin_password_reset_ends_the_users_sessions(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    staff = cookie_of(login("cv_tc"))
    admin = login("quantri")
    admin.get("/admin/users")
    admin.post(f"/admin/users/{world.users['cv_tc'].id}/password")
    assert replay(web_app, staff) == 303
    assert {row.end_reason for row in session_rows(world, "cv_tc")} == {SessionEnd.password}


def test_idle_and_absolute_lifetimes(login, web_app: FastAPI, world: World) -> None:  # type: ignore[no-untyped-def]
    settings = world.settings
    idle = cookie_of(login("cv_tc"))
    with Session(world.engine) as session:
        row = session.exec(select(WebSession)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
        session.add(row)
        session.commit()
    assert replay(web_app, idle) == 303
    busy = cookie_of(login("cv_nv"))
    with Session(world.engine) as session:
        row = session.exec(select(WebSession).where(WebSession.ended_at == None)).all()[-1]  # noqa: E711
        row.created_at = utcnow() - timedelta(hours=settings.session_max_hours, minutes=1)
        row.last_seen_at = utcnow()  # used a second ago, yet older than a session may get
        session.add(row)
        session.commit()
    assert replay(web_app, busy) == 303


def test_use_is_recorded_so_an_active_session_stays_open(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    with Session(world.engine) as session:
        row = session.exec(select(WebSession)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=world.settings.session_idle_minutes - 5)
        session.add(row)
        session.commit()
    assert browser.get("/inbox").status_code == 200
    (row,) = session_rows(world, "cv_tc")
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_a_cookie_of_the_old_scheme_goes_to_the_login_page(web_app: FastAPI, world: World) -> None:
    """Signed with the right key, shaped as before this change: {"uid": …, "fp": …}."""
    user = world.users["cv_tc"]
    secret = resolve_secret_key(world.settings, world.engine)
    data = base64.b64encode(json.dumps({"uid": user.id, "fp": user.password_hash[-16:]}).encode())
    old = itsdangerous.TimestampSigner(secret).sign(data).decode()
    assert replay(web_app, old) == 303
    assert replay(web_app, "not-even-signed") == 303


def test_csrf_still_guards_every_form_after_login(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    response = browser.client.post("/account/sessions/end", data={"csrf_token": "forged"})
    assert response.status_code == 403 and "CSRF" in response.text
    assert browser.get("/inbox").status_code == 200  # nothing ended


def test_temporary_passwords_never_travel_in_the_cookie(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    admin.get("/admin/users")
    made = admin.post("/admin/users", {"username": "moi", "role": "leader", "password": ""})
    reset = admin.post(f"/admin/users/{world.users['cv_tc'].id}/password")
    for response in (made, reset):
        assert response.status_code == 200 and "chỉ hiện một lần" in response.text
        cookie = response.headers.get("set-cookie", "")
        payload = cookie.split("=", 1)[1].split(".")[0] if cookie else ""
        decoded = base64.b64decode(payload + "=" * (-len(payload) % 4)).decode() if payload else ""
        assert "Mật khẩu" not in decoded and "flash" not in decoded


def test_flash_notices_are_capped(login, world: World) -> None:  # type: ignore[no-untyped-def]
    from api.web.render import MAX_FLASH_CHARS, MAX_FLASHES

    admin = login("quantri")
    admin.get("/admin/roster")
    rows = "Họ và tên;Xã/phường;Chức vụ;Số điện thoại\n" + "".join(f";Xã {i};x;\n" for i in range(40))
    admin.post("/admin/roster", files={"file": ("ds.csv", rows.encode(), "text/csv")})
    cookie = cookie_of(admin)
    assert len(cookie) < 4096  # browsers drop larger cookies
    page = admin.get("/admin/roster").text
    assert page.count('class="flash') == MAX_FLASHES and "và 34 dòng lỗi khác" in page
    assert MAX_FLASH_CHARS <= 300


def test_login_page_and_wrong_password_still_work_without_a_session(web_app: FastAPI, world: World) -> None:
    browser = Browser(TestClient(web_app))
    browser.get("/login")
    assert browser.post("/login", {"username": "cv_tc", "password": "sai"}).status_code == 401
    assert browser.post("/login", {"username": "cv_tc", "password": PASSWORD}).status_code == 303
    with Session(world.engine) as session:
        user = session.exec(select(User).where(User.username == "cv_tc")).one()
        assert len(session.exec(select(WebSession).where(WebSession.user_id == user.id)).all()) == 1
