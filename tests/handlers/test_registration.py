"""The roster, invite codes and phone linking (handlers/registration.py), and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from core.models import ChatAccount, InviteCode, Person
from handlers.registration import (
    CODE_ALPHABET,
    import_roster,
    issue_invite,
    link_by_phone,
    normalize_phone,
    read_roster_csv,
    redeem_invite,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912.345.678", "0912345678"),  # Excel dropped the leading zero
        ("(0208) 3855 123", "02083855123"),  # landline, 11 digits
        ("12345", ""),
        ("không có", ""),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    return path


def test_import_vietnamese_headers_reports_bad_lines(session: Session, tmp_path: Path):
    path = write(
        tmp_path,
        "Họ và tên;Xã/Phường;Chức vụ;Số điện thoại\n"
        "Nguyễn Văn An;Xã Phú Bình;Chủ tịch UBND;+84 912 345 678\n"
        ";Xã Đồng Hỷ;Phó Chủ tịch;0987000111\n"
        "Trần Thị Bình;Phường Phan Đình Phùng;Công chức Văn phòng;12345\n"
        "Lê Văn Cường;;Công an xã;0987000222\n"
        "Hoàng Thị Dung;Xã Đại Từ;Công chức Tư pháp;\n",
    )
    report = import_roster(session, rows=read_roster_csv(path))
    assert (report.created, report.updated) == (2, 0)
    assert report.errors == [
        (3, "thiếu họ và tên"),
        (4, "số điện thoại không hợp lệ: 12345"),
        (5, "thiếu xã/phường"),
    ]
    an = session.exec(select(Person).where(Person.name == "Nguyễn Văn An")).one()
    assert (an.commune, an.position, an.phone) == ("Xã Phú Bình", "Chủ tịch UBND", "0912345678")


def test_import_english_headers_updates_duplicates(session: Session, tmp_path: Path):
    first = write(tmp_path, "name,commune,position,phone\nNguyễn Văn An,Xã Phú Bình,Phó Chủ tịch,0912345678")
    assert import_roster(session, rows=read_roster_csv(first)).created == 1
    again = write(
        tmp_path,
        "Name,Commune,Position,Phone\n"
        "Nguyễn Văn An,Xã Phú Bình,Chủ tịch UBND,84912345678\n"  # same phone, other spelling
        "Hoàng Thị Dung,Xã Đại Từ,,\n"
        "Hoang Thi Dung,Xa Dai Tu,Công chức Tư pháp,\n",  # same person typed without marks
        name="again.csv",
    )
    report = import_roster(session, rows=read_roster_csv(again))
    assert (report.created, report.updated, report.errors) == (1, 2, [])
    people = session.exec(select(Person).order_by(Person.id)).all()
    assert [(p.name, p.position) for p in people] == [
        ("Nguyễn Văn An", "Chủ tịch UBND"),
        ("Hoang Thi Dung", "Công chức Tư pháp"),
    ]


def account(session: Session, user_id: str = "42") -> ChatAccount:
    row = ChatAccount(channel="zalo", user_id=user_id, chat_id=user_id)
    session.add(row)
    session.flush()
    return row


def person(session: Session, phone: str = "0912345678", active: bool = True) -> Person:
    row = Person(name="Nguyễn Văn An", commune="Xã Phú Bình", phone=phone, active=active)
    session.add(row)
    session.flush()
    return row


def test_invite_codes_are_short_unambiguous_and_one_time(session: Session, settings):
    official = person(session)
    assert official.id is not None
    old = issue_invite(session, person_id=official.id).code
    code = issue_invite(session, person_id=official.id).code
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert (
        redeem_invite(session, code=old, account=account(session, "1"), settings=settings) is None
    )  # replaced
    first = account(session, "2")
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert redeem_invite(session, code=typed, account=first, settings=settings) == official
    assert first.person_id == official.id
    assert session.get(InviteCode, code).used_by_account_id == first.id
    assert redeem_invite(session, code=code, account=account(session, "3"), settings=settings) is None


def test_invite_for_inactive_official_does_not_link(session: Session, settings):
    official = person(session, active=False)
    assert official.id is not None
    code = issue_invite(session, person_id=official.id).code
    assert redeem_invite(session, code=code, account=account(session), settings=settings) is None


def test_link_by_phone(session: Session):
    official = person(session)
    person(session, phone="0987654321", active=False)
    chat = account(session)
    assert link_by_phone(session, account=chat, phone="0987654321") is None  # inactive
    assert link_by_phone(session, account=chat, phone="+84912345678") == official
    assert chat.person_id == official.id
