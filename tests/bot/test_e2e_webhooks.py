"""Webhook mode for all platforms: authentication, bad bodies, duplicates, answers."""

from __future__ import annotations

import json
import time

from sqlmodel import Session, select

from core.models import InboundUpdate
from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import OA_APP_ID, TELEGRAM_SECRET, ZALO_SECRET, oa_signature


def test_authentication_and_bad_bodies_refused_and_service_keeps_working(make_harness):
    echo = EchoDispatch()
    h = make_harness("webhook", dispatch=echo)
    update = h.fake.telegram_update(2001, "không được xử lý")
    assert h.http.post("/webhooks/telegram", json=update).status_code == 403
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
    assert h.http.post("/webhooks/telegram", json=update, headers=wrong).status_code == 403
    zalo_event = {"ok": True, "result": h.fake.zalo_event("z1", "không")}
    assert (
        h.http.post("/webhooks/zalo", json=zalo_event, headers={"X-Bot-Api-Secret-Token": "x"}).status_code
        == 403
    )
    event = h.fake.oa_event(OA_APP_ID, "u1", "không")
    body = json.dumps(event).encode()
    bad = {
        "X-ZEvent-Signature": oa_signature(body, event["timestamp"], secret="other"),
        "Content-Type": "application/json",
    }
    assert h.http.post("/webhooks/zalo-oa", content=body, headers=bad).status_code == 403
    assert (
        h.http.post(
            "/webhooks/zalo-oa", content=body, headers={"Content-Type": "application/json"}
        ).status_code
        == 403
    )
    tampered = body.replace(b'"u1"', b'"u2"')
    assert tampered != body
    good_sig = {
        "X-ZEvent-Signature": oa_signature(body, event["timestamp"]),
        "Content-Type": "application/json",
    }
    assert h.http.post("/webhooks/zalo-oa", content=tampered, headers=good_sig).status_code == 403

    ok = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    assert h.http.post("/webhooks/telegram", content=b"{not json", headers=ok).status_code == 400
    assert h.http.post("/webhooks/telegram", content=b"[1, 2]", headers=ok).status_code == 400
    assert h.http.post("/webhooks/telegram", content=b"x" * (1024 * 1024 + 1), headers=ok).status_code == 413
    unknown = h.http.post("/webhooks/telegram", json={"poll": {"id": "1"}}, headers=ok)
    assert unknown.status_code == 200 and unknown.json()["detail"] == "ignored"
    now = str(int(time.time() * 1000))
    follow = json.dumps({"app_id": OA_APP_ID, "event_name": "follow", "timestamp": now}).encode()
    signed = {"X-ZEvent-Signature": oa_signature(follow, now), "Content-Type": "application/json"}
    assert h.http.post("/webhooks/zalo-oa", content=follow, headers=signed).status_code == 200
    # Correctly signed but from 1970: a replay, refused (ZALO_OA_EVENT_MAX_AGE_SECONDS).
    stale = json.dumps({"app_id": OA_APP_ID, "event_name": "follow", "timestamp": "1"}).encode()
    signed = {"X-ZEvent-Signature": oa_signature(stale, "1"), "Content-Type": "application/json"}
    assert h.http.post("/webhooks/zalo-oa", content=stale, headers=signed).status_code == 403

    with Session(h.engine) as session:
        assert session.exec(select(InboundUpdate)).all() == []
    h.telegram_says(2002, "vẫn hoạt động")
    h.wait_for_text("telegram", "2002", "Bạn đã gửi: vẫn hoạt động")
    assert [i.text for i in echo.seen] == ["vẫn hoạt động"]


def test_duplicate_delivery_answered_once(make_harness):
    echo = EchoDispatch()
    h = make_harness("webhook", dispatch=echo)
    update = h.fake.telegram_update(2003, "gửi hai lần")
    first, second = h.telegram_send(update), h.telegram_send(update)
    assert first.json()["detail"] == "stored" and second.json()["detail"] == "duplicate"
    h.wait_for_text("telegram", "2003", "gửi hai lần")
    h.wait_settled(1)
    assert len(h.fake.sent_texts("telegram", "2003")) == 1 and len(echo.seen) == 1


def test_zalo_and_oa_webhooks_answered(make_harness):
    h = make_harness("webhook")
    assert h.fake.calls_to("zalo", "setWebhook")[-1].params == {
        "url": f"{h.url}/webhooks/zalo",
        "secret_token": ZALO_SECRET,
    }
    h.zalo_says("z-user-1", "Chứng thực bản sao")
    text = h.wait_for_text("zalo", "z-user-1", "Bạn đã gửi: Chứng thực bản sao")
    assert text.endswith("Trả lời bằng số:\n1. Hữu ích\n2. Chưa đúng")  # Zalo has no buttons
    assert h.oa_says("oa-user-1", "Hồ sơ đất đai").status_code == 200
    text = h.wait_for_text("zalo_oa", "oa-user-1", "Bạn đã gửi: Hồ sơ đất đai")
    assert "1. Hữu ích" in text
    assert h.fake.calls_to("zalo_oa", "message/cs")[-1].params["_access_token"] == "access-0"
