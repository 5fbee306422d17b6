"""`troly roster import` and `troly invite`, run through the real command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.cli import main
from core.db import dispose_engines
from core.models import ChatAccount, InviteCode, Person
from core.settings import Settings, get_settings

ROSTER = (
    "Họ và tên,Xã/Phường,Chức vụ,Số điện thoại\n"
    "Nguyễn Văn An,Xã Phú Bình,Chủ tịch UBND,+84912345678\n"
    "Trần Thị Bình,Phường Phan Đình Phùng,Công chức Văn phòng,0987000111\n"
    "Lê Văn Cường,Xã Đại Từ,Công an xã,abc\n"
)
CODE = re.compile(r"^([A-Z2-9]{4}-[A-Z2-9]{4})  (.+)$")


@pytest.fixture
def cli_env(settings: Settings, engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI reads settings from the environment: point it at this test's database."""
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    dispose_engines()


def test_roster_import_then_invites(cli_env, tmp_path: Path, session: Session, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    assert main(["roster", "import", str(path)]) == 1  # one bad row
    out = capsys.readouterr().out
    assert "Đã thêm 2 cán bộ, cập nhật 0 cán bộ." in out
    assert "Dòng 4: số điện thoại không hợp lệ: abc" in out

    assert main(["invite", "--phone", "0912 345 678"]) == 0
    line = capsys.readouterr().out.strip()
    match = CODE.match(line)
    assert match, line
    assert "Nguyễn Văn An" in match.group(2) and "Xã Phú Bình" in match.group(2)
    stored = session.get(InviteCode, match.group(1).replace("-", ""))
    assert stored is not None and stored.used_at is None

    an = session.exec(select(Person).where(Person.name == "Nguyễn Văn An")).one()
    session.add(ChatAccount(channel="telegram", user_id="1", chat_id="1", person_id=an.id))
    session.commit()
    assert main(["invite", "--all"]) == 0  # only who has no chat account yet
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "Trần Thị Bình" in lines[0]

    bình = session.exec(select(Person).where(Person.name == "Trần Thị Bình")).one()
    assert main(["invite", "--person", str(bình.id)]) == 0
    assert CODE.match(capsys.readouterr().out.strip())


def test_invite_unknown_phone_fails_in_vietnamese(cli_env, capsys):
    assert main(["invite", "--phone", "0900000000"]) == 1
    assert "Không tìm thấy cán bộ" in capsys.readouterr().err
