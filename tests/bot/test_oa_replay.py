"""Zalo OA events are signed with their timestamp: an old (replayed) or far-future event is
refused even when its signature is right. Before, any timestamp was accepted."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.zalo_oa import ZaloOaChannel
from tests.fakes.harness import OA_APP_ID, OA_SECRET, oa_signature


def _channel(engine: Engine) -> ZaloOaChannel:
    return ZaloOaChannel(
        engine=engine, app_id=OA_APP_ID, secret_key=OA_SECRET, app_secret="s", access_token="a",
        refresh_token="r", api_base_url="http://127.0.0.1:9", oauth_base_url="http://127.0.0.1:9",
        max_event_age=timedelta(minutes=15), max_skew=timedelta(minutes=1),
    )  # fmt: skip


def _signed(seconds_ago: float) -> tuple[dict[str, str], bytes]:
    timestamp = str(int((time.time() - seconds_ago) * 1000))
    body = json.dumps({"app_id": OA_APP_ID, "event_name": "user_send_text", "timestamp": timestamp}).encode()
    return {"X-ZEvent-Signature": oa_signature(body, timestamp)}, body


def test_the_replay_window(engine: Engine) -> None:
    channel = _channel(engine)
    for seconds_ago, accepted in ((0, True), (14 * 60, True), (16 * 60, False), (-30, True), (-120, False)):
        headers, body = _signed(seconds_ago)
        assert channel.verify(headers, body) is accepted, seconds_ago
    for odd in ("", "abc", "9" * 30):  # no timestamp, not a number, beyond any date
        body = json.dumps({"app_id": OA_APP_ID, "timestamp": odd}).encode()
        assert channel.verify({"X-ZEvent-Signature": oa_signature(body, odd)}, body) is False
