"""Adapters against the fake servers directly: error mapping and keyboards."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.channel import Button, Reply
from bot.telegram import REQUEST_CONTACT, TelegramChannel, _markup
from bot.zalo import ZaloChannel
from tests.fakes.servers import FakePlatforms


@pytest.fixture
def fake():
    platforms = FakePlatforms().start()
    yield platforms
    platforms.stop()


def test_contact_button_becomes_reply_keyboard_and_others_keep_their_numbers():
    reply = Reply(
        "Chia sẻ số điện thoại để đăng ký.",
        [Button("Dùng mã mời", "rg:code"), Button("Chia sẻ số", REQUEST_CONTACT)],
    )
    text, markup = _markup(reply)
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert markup.keyboard[0][0].request_contact is True and markup.one_time_keyboard
    assert text.endswith("Trả lời bằng số:\n1. Dùng mã mời")
    text, markup = _markup(
        Reply("Câu trả lời", [Button("Hữu ích", "fb:1:helpful"), Button("x" * 70, "y" * 65)])
    )
    assert (
        isinstance(markup, InlineKeyboardMarkup) and len(markup.inline_keyboard) == 1
    )  # >64-byte payload dropped


async def test_telegram_errors_mapped(fake, tmp_path):
    channel = TelegramChannel(
        token="1:t",
        base_url=f"{fake.url}/bot",
        base_file_url=f"{fake.url}/file/bot",
        webhook_secret="s",
        uploads_dir=tmp_path,
    )
    await channel.start("")
    fake.fail("telegram", "sendMessage", "500")
    fake.fail("telegram", "sendMessage", "bad_request")
    fake.fail("telegram", "sendMessage", "429", retry_after=7)
    server_error = await channel.send("5", Reply("a"))
    bad = await channel.send("5", Reply("b"))
    limited = await channel.send("5", Reply("c"))
    fine = await channel.send("5", Reply("d"))
    await channel.stop()
    assert not server_error.ok and not server_error.permanent and server_error.retry_after is None
    assert bad.permanent and not bad.blocked
    assert limited.retry_after == 7
    assert fine.ok and fine.platform_message_id
    assert "1:t" not in server_error.error + bad.error


async def test_zalo_errors_mapped_and_polling_returns_nothing_on_408(fake):
    channel = ZaloChannel(token="9:z", base_url=f"{fake.url}/zalo", webhook_secret="s", poll_timeout=0)
    assert await channel.fetch_updates(0) == ([], 0)  # 408: no event
    fake.push_zalo(fake.zalo_event("u1", "xin chào"))
    items, _ = await channel.fetch_updates(0)
    assert len(items) == 1 and items[0][0].startswith("zm")
    fake.fail("zalo", "sendMessage", "429")
    fake.fail("zalo", "sendMessage", "500")
    fake.fail("zalo", "sendMessage", "blocked")
    limited = await channel.send("u1", Reply("a"))
    server_error = await channel.send("u1", Reply("b"))
    blocked = await channel.send("u1", Reply("c"))
    fine = await channel.send("u1", Reply("d" * 2500))
    await channel.stop()
    assert limited.retry_after and not limited.permanent
    assert not server_error.ok and not server_error.permanent
    assert blocked.blocked and blocked.permanent
    assert fine.ok and len(fake.calls_to("zalo", "sendMessage")[-1].params["text"]) == 2000
