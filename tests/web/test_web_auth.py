"""Login, sessions, rate limiting, password change, first admin, CLI accounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from web_support import PASSWORD, Browser, World

from api.web.accounts import ensure_first_admin, verify_password
from core.models import AuditLog, RateCounter, Role, User


def test_login_sets_a_secure_session_cookie_and_lands_in_the_inbox(web_app: FastAPI, world: World) -> None:
    browser = Browser(TestClient(web_app))
    assert browser.get("/inbox", follow_redirects=False).status_code == 303
    browser.get("/login")
    response = browser.post("/login", {"username": "cv_tc", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "Hộp thư vướng mắc" in browser.get("/inbox").text


def test_secure_flag_when_configured(engine: Engine, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app
    from api.context import AppContext

    secure = settings.model_copy(update={"session_cookie_secure": True})
    app = create_app(secure, start_workers=False)
    app.state.ctx = AppContext(settings=secure, engine=engine)
    browser = Browser(TestClient(app, base_url="https://testserver"))
    browser.get("/login")
    response = browser.post("/login", {"username": "cv_tc", "password": PASSWORD})
    assert "secure" in response.headers["set-cookie"].lower()


def test_wrong_password_is_refused_in_vietnamese(web_app: FastAPI, world: World) -> None:
    browser = Browser(TestClient(web_app))
    browser.get("/login")
    response = browser.post("/login", {"username": "cv_tc", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert browser.get("/inbox", follow_redirects=False).status_code == 303


def test_failed_logins_are_rate_limited(web_app: FastAPI, world: World, engine: Engine) -> None:
    browser = Browser(TestClient(web_app))
    browser.get("/login")
    for _ in range(world.settings.login_attempts_per_minute):
        assert browser.post("/login", {"username": "cv_tc", "password": "sai"}).status_code == 401
    # Even the right password is refused while the limit holds.
    response = browser.post("/login", {"username": "cv_tc", "password": PASSWORD})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.text
    with Session(engine) as session:
        counters = {c.key: c.count for c in session.exec(select(RateCounter)).all()}
    limit = world.settings.login_attempts_per_minute
    assert counters == {"login:user:cv_tc": limit, "login:ip:testclient": limit}


def test_logout_ends_the_session(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    assert browser.post("/logout").status_code == 303
    assert browser.get("/inbox", follow_redirects=False).headers["location"] == "/login"


def test_changing_the_password_ends_other_sessions(login, world: World, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    first, second = login("cv_tc"), login("cv_tc")
    response = first.post(
        "/account/password", {"current": PASSWORD, "new": "mat-khau-moi-2", "confirm": "mat-khau-moi-2"}
    )
    assert response.status_code == 303
    assert first.get("/inbox").status_code == 200  # this session was renewed
    assert second.get("/inbox", follow_redirects=False).status_code == 303  # the other one ended
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "cv_tc")).one()
        assert verify_password(user.password_hash, "mat-khau-moi-2")


def test_password_change_checks_current_and_confirmation(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    wrong = browser.post("/account/password", {"current": "x", "new": "abcdefgh1", "confirm": "abcdefgh1"})
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.text
    short = browser.post("/account/password", {"current": PASSWORD, "new": "ngan", "confirm": "ngan"})
    assert short.status_code == 400 and "ít nhất 8 ký tự" in short.text


def test_first_admin_password_goes_to_a_private_file_not_stdout(
    engine: Engine, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password = ensure_first_admin(engine, data_dir=data_dir)
    out = capsys.readouterr().out
    secret_file = data_dir / "first-admin.txt"
    assert password and password not in out  # stdout ends in the journal under systemd
    assert "admin" in out and str(secret_file.resolve()) in out  # where to find it
    assert password in secret_file.read_text(encoding="utf-8")
    assert secret_file.stat().st_mode & 0o777 == 0o600  # the service's account only
    assert ensure_first_admin(engine, data_dir=data_dir) is None
    assert capsys.readouterr().out == ""
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.role == Role.admin)).one()
        assert admin.must_change_password and verify_password(admin.password_hash, password)


def test_first_admin_must_change_the_password_before_anything_else(
    web_app: FastAPI, engine: Engine, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password = ensure_first_admin(engine, data_dir=data_dir)
    assert password is not None
    browser = Browser(TestClient(web_app))
    browser.get("/login")
    response = browser.post("/login", {"username": "admin", "password": password})
    assert response.headers["location"] == "/account/password"
    assert browser.get("/admin/users", follow_redirects=False).headers["location"] == "/account/password"
    browser.get("/account/password")
    done = browser.post(
        "/account/password", {"current": password, "new": "quan-tri-123", "confirm": "quan-tri-123"}
    )
    assert done.status_code == 303
    assert browser.get("/admin/users").status_code == 200
    assert not (data_dir / "first-admin.txt").exists()  # the temporary password is not kept


def test_cli_user_add_and_passwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from api.cli import main
    from core.db import dispose_engines, get_engine
    from core.settings import get_settings

    monkeypatch.setenv("DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("DATABASE_URL", "")
    get_settings.cache_clear()
    try:
        assert main(["user", "add", "leader1", "--role", "leader", "--password", "mat-khau-lanh-dao"]) == 0
        assert main(["user", "add", "cv1", "--role", "staff", "--password", "mat-khau-cv-1"]) == 1  # no Sở
        assert main(["user", "passwd", "leader1", "--password", "mat-khau-moi-9"]) == 0
        with Session(get_engine()) as session:
            user = session.exec(select(User).where(User.username == "leader1")).one()
            assert user.role == Role.leader and verify_password(user.password_hash, "mat-khau-moi-9")
            actions = [a.action for a in session.exec(select(AuditLog)).all()]
            assert actions == ["user.create", "user.passwd"]
        assert "Đã tạo tài khoản leader1" in capsys.readouterr().out
    finally:
        dispose_engines()
        get_settings.cache_clear()


def test_secret_key_is_generated_once_and_kept(engine: Engine, settings) -> None:  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    from api.web.accounts import SECRET_KEY_NAME, resolve_secret_key
    from core.models import KeyValue

    first = resolve_secret_key(settings, engine)
    assert len(first) >= 40 and resolve_secret_key(settings, engine) == first
    with Session(engine) as session:
        assert session.get(KeyValue, SECRET_KEY_NAME).value == first  # type: ignore[union-attr]
    configured = settings.model_copy(update={"secret_key": SecretStr("configured-key")})
    assert resolve_secret_key(configured, engine) == "configured-key"
