"""Smoke test of the real conversation core behind the real transport (Telegram and Zalo)."""

from __future__ import annotations

from core.models import DeliveryStatus


def test_start_command_answered_by_the_real_dispatcher(make_harness):
    h = make_harness("polling", real=True)
    h.telegram_says(4001, "/start")
    h.zalo_says("z-4001", "trogiup")
    rows = h.wait_settled(2, timeout=30)
    assert {r.channel for r in rows} >= {"telegram", "zalo"}
    assert all(r.status == DeliveryStatus.sent and r.text.strip() for r in rows)
    assert h.fake.sent_texts("telegram", "4001", delivered=True)
    assert h.fake.sent_texts("zalo", "z-4001", delivered=True)
