"""Registration codes: guesses limited per source and in all, not per chat; codes expire.

Before, the only limit was the per-chat flood limit, so every new web-chat cookie was a fresh
set of guesses, and a code issued a year ago still worked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session

from bot.channel import ChannelName
from core.models import InviteCode, Person
from handlers.dispatch import Dispatcher
from handlers.registration import issue_invite

WRONG = "ABCD-2345"  # a well-formed code nobody was given


def _visitor(make_chat: Callable[..., object], number: int, address: str, via: Dispatcher | None = None):  # type: ignore[no-untyped-def]
    """A web-chat visitor with a fresh cookie (a new chat) from `address`."""
    chat = make_chat("web", f"w{number}", via=via)
    original = chat.send

    def send(text: str = "", **fields: object):  # type: ignore[no-untyped-def]
        return original(text, source_address=address, **fields)

    chat.send = send
    return chat


def _code(session: Session, official: Person) -> str:
    assert official.id is not None
    code = issue_invite(session, person_id=official.id).code
    session.commit()
    return code


def test_new_web_chat_cookies_do_not_reset_the_guesses(make_chat, session, official, settings) -> None:  # type: ignore[no-untyped-def]
    limit = settings.invite_guesses_per_hour_per_source
    for number in range(limit):
        chat = _visitor(make_chat, number, "203.0.113.7")
        chat.send(f"/dangky {WRONG}")
        assert "không đúng" in chat.text, number
    code = _code(session, official)
    next_cookie = _visitor(make_chat, limit, "203.0.113.7")
    next_cookie.send(f"/dangky {code}")  # even the right code: the address used its tries
    assert "nhập sai quá nhiều lần" in next_cookie.text and "Đăng ký thành công" not in next_cookie.text
    elsewhere = _visitor(make_chat, limit + 1, "198.51.100.9")
    elsewhere.send(f"/dangky {code}")
    assert "Đăng ký thành công" in elsewhere.text


def test_guesses_spread_over_many_addresses_meet_the_global_limit(
    make_chat, make_dispatcher, session, official
) -> None:  # type: ignore[no-untyped-def]
    dispatcher = make_dispatcher(invite_guesses_per_hour=5)
    for number in range(5):
        chat = _visitor(make_chat, number, f"192.0.2.{number}", via=dispatcher)
        chat.send(f"/dangky {WRONG}")
        assert "không đúng" in chat.text
    late = _visitor(make_chat, 9, "192.0.2.99", via=dispatcher)
    late.send(f"/dangky {_code(session, official)}")
    assert "nhập sai quá nhiều lần" in late.text


def test_a_platform_account_is_its_own_source(make_chat, session, official, settings) -> None:  # type: ignore[no-untyped-def]
    chat = make_chat(ChannelName.telegram.value, "tg-1")
    for _ in range(settings.invite_guesses_per_hour_per_source):
        chat.send(f"/dangky {WRONG}")
    chat.send(f"/dangky {_code(session, official)}")
    assert "nhập sai quá nhiều lần" in chat.text
    other = make_chat(ChannelName.telegram.value, "tg-2")
    other.send(f"/dangky {_code(session, official)}")
    assert "Đăng ký thành công" in other.text


def test_right_codes_do_not_use_up_the_limit(make_chat, make_dispatcher, session) -> None:  # type: ignore[no-untyped-def]
    dispatcher = make_dispatcher(invite_guesses_per_hour_per_source=1)
    for number in range(3):
        person = Person(name=f"Cán bộ {number}", commune="Xã Phú Bình")
        session.add(person)
        session.commit()
        chat = _visitor(make_chat, number, "203.0.113.50", via=dispatcher)
        chat.send(f"/dangky {_code(session, person)}")
        assert "Đăng ký thành công" in chat.text, number


def test_an_expired_code_is_refused_clearly(make_chat, make_dispatcher, session, official, settings) -> None:  # type: ignore[no-untyped-def]
    code = _code(session, official)
    invite = session.get(InviteCode, code)
    assert invite is not None
    invite.created_at -= timedelta(days=settings.invite_code_ttl_days + 1)
    session.add(invite)
    session.commit()
    chat = make_chat("zalo", "z-1")
    chat.send(f"dang ky {code}")
    assert "đã hết hạn" in chat.text and f"{settings.invite_code_ttl_days} ngày" in chat.text
    longer = make_chat(
        "zalo", "z-2", via=make_dispatcher(invite_code_ttl_days=settings.invite_code_ttl_days + 7)
    )
    longer.send(f"dang ky {code}")
    assert "Đăng ký thành công" in longer.text
