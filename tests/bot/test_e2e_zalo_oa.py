"""Zalo OA: access token refresh (persisted, rotating) and the closed interaction window."""

from __future__ import annotations

import json

from sqlmodel import Session

from core.models import DeliveryStatus, KeyValue
from tests.fakes.harness import Harness


def _tokens(h: Harness) -> dict:
    with Session(h.engine) as session:
        row = session.get(KeyValue, "zalo_oa.tokens")
        return json.loads(row.value) if row else {}


def test_invalid_token_refreshed_persisted_and_reused_after_restart(make_harness):
    h = make_harness("webhook")
    h.fake.oa_access = "revoked-elsewhere"  # the configured access-0 is no longer valid
    h.oa_says("oa-user-2", "câu hỏi một")
    h.wait_for_text("zalo_oa", "oa-user-2", "câu hỏi một")
    (refresh,) = h.fake.calls_to("oauth", "access_token")
    assert refresh.params["refresh_token"] == "refresh-0" and refresh.params["app_id"] == "oa-app-1"
    assert refresh.params["_secret_key"] == "oa-app-secret"
    saved = _tokens(h)
    assert (
        saved["access_token"] == "access-1" and saved["refresh_token"] == "refresh-1" and saved["expires_at"]
    )
    assert h.fake.calls_to("zalo_oa", "message/cs")[-1].params["_access_token"] == "access-1"

    # After a restart the rotated refresh token from the database is used, not the configured one.
    h.restart()
    h.fake.oa_access = "revoked-again"
    h.oa_says("oa-user-2", "câu hỏi hai")
    h.wait_for_text("zalo_oa", "oa-user-2", "câu hỏi hai")
    assert h.fake.calls_to("oauth", "access_token")[-1].params["refresh_token"] == "refresh-1"
    assert _tokens(h)["refresh_token"] == "refresh-2"


def test_window_closed_marked_visible(make_harness):
    h = make_harness("webhook")
    h.fake.fail("zalo_oa", "message/cs", "window_closed")
    h.oa_says("oa-user-3", "tin cũ")
    (row,) = h.wait_settled(1)
    assert row.status == DeliveryStatus.window_closed and "-213" in row.error
    h.oa_says("oa-user-3", "tin mới")
    h.wait_for_text("zalo_oa", "oa-user-3", "tin mới")


async def test_token_refreshed_before_expiry(engine):
    from datetime import timedelta

    from bot.channel import Reply
    from bot.zalo_oa import TOKENS_KEY, ZaloOaChannel
    from core.clock import utcnow
    from tests.fakes.servers import FakePlatforms

    fake = FakePlatforms().start()
    try:
        soon = (utcnow() + timedelta(minutes=3)).isoformat()
        with Session(engine) as session:
            value = {"access_token": "access-0", "refresh_token": "refresh-0", "expires_at": soon}
            session.add(KeyValue(key=TOKENS_KEY, value=json.dumps(value)))
            session.commit()
        channel = ZaloOaChannel(
            engine=engine,
            app_id="oa-app-1",
            secret_key="k",
            app_secret="s",
            access_token="ignored",
            refresh_token="ignored",
            api_base_url=f"{fake.url}/oa",
            oauth_base_url=f"{fake.url}/oauth",
        )
        result = await channel.send("u9", Reply(text="xin chào"))
        await channel.stop()
        assert result.ok and result.platform_message_id
        assert len(fake.calls_to("oauth", "access_token")) == 1  # refreshed before sending, not after a -216
        (call,) = fake.calls_to("zalo_oa", "message/cs")
        assert call.params["_access_token"] == "access-1" and call.ok
    finally:
        fake.stop()
