"""Fuzzed, malformed and oversized webhook bodies: a 4xx (or an ignored 200), never a 5xx, and
the service keeps answering real users afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import OA_APP_ID, TELEGRAM_SECRET, ZALO_SECRET, Harness, oa_signature

pytestmark = pytest.mark.slow

TG = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
ZALO = {"X-Bot-Api-Secret-Token": ZALO_SECRET, "Content-Type": "application/json"}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
field_names = st.sampled_from(
    [
        "update_id",
        "message",
        "callback_query",
        "text",
        "chat",
        "from",
        "id",
        "date",
        "photo",
        "document",
        "contact",
        "data",
        "message_id",
        "event_name",
        "result",
        "ok",
        "sender",
        "timestamp",
        "app_id",
    ]
)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    h = Harness(tmp_path_factory.mktemp("fuzz"), mode="webhook", dispatch=EchoDispatch()).start()
    yield h
    h.stop()


def _mutate(base: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    """Replace or add the field at `path` (as deep as the structure goes) by `value`."""
    mutated = json.loads(json.dumps(base))
    node = mutated
    for key in path[:-1]:
        nxt = node.get(key)
        if not isinstance(nxt, dict):
            break
        node = nxt
    node[path[-1]] = value
    return mutated


def _check(status: int) -> None:
    assert status < 500, f"server error {status}"


@FUZZ
@given(body=st.binary(max_size=2000))
def test_random_bytes(harness: Harness, body: bytes) -> None:
    for path, headers in (("/webhooks/telegram", TG), ("/webhooks/zalo", ZALO)):
        _check(harness.http.post(path, content=body, headers=headers).status_code)


@FUZZ
@given(value=json_values)
def test_random_json(harness: Harness, value: Any) -> None:
    body = json.dumps(value).encode()
    for path, headers in (("/webhooks/telegram", TG), ("/webhooks/zalo", ZALO)):
        _check(harness.http.post(path, content=body, headers=headers).status_code)


@FUZZ
@given(path=st.lists(field_names, min_size=1, max_size=3), value=json_values)
def test_mutated_platform_updates(harness: Harness, path: list[str], value: Any) -> None:
    fake = harness.fake
    telegram = _mutate(fake.telegram_update(9001, "Thủ tục khai sinh?"), path, value)
    _check(harness.http.post("/webhooks/telegram", json=telegram, headers=TG).status_code)
    zalo = _mutate({"ok": True, "result": fake.zalo_event("z9001", "Xin chào")}, ["result", *path], value)
    _check(harness.http.post("/webhooks/zalo", json=zalo, headers=ZALO).status_code)
    event = _mutate(fake.oa_event(OA_APP_ID, "u9001", "Xin chào"), path, value)
    body = json.dumps(event).encode()
    timestamp = str(event.get("timestamp", ""))
    signed = {"X-ZEvent-Signature": oa_signature(body, timestamp), "Content-Type": "application/json"}
    _check(harness.http.post("/webhooks/zalo-oa", content=body, headers=signed).status_code)


def test_oversized_and_odd_requests(harness: Harness) -> None:
    big = b'{"update_id": 1, "message": {"text": "' + b"a" * (2 * 1024 * 1024) + b'"}}'
    assert harness.http.post("/webhooks/telegram", content=big, headers=TG).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is only known while reading
        for _ in range(40):
            yield b"x" * 65536

    assert harness.http.post("/webhooks/telegram", content=chunks(), headers=TG).status_code == 413
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "sai"}):
        assert (
            harness.http.post("/webhooks/telegram", json={"update_id": 5}, headers=headers).status_code == 403
        )
    odd = {**TG, "Content-Type": "text/plain; charset=latin-1"}
    _check(
        harness.http.post("/webhooks/telegram", content="\xff\xfe".encode("latin-1"), headers=odd).status_code
    )
    _check(harness.http.get("/webhooks/telegram").status_code)
    assert harness.http.post("/webhooks/khong-co", json={}).status_code == 404


def test_still_answers_real_users_after_the_fuzzing(harness: Harness) -> None:
    # Its own garbage first, so it holds run alone too (not only after the fuzzing above).
    junk = [b"\x00\xff", b"[]", b'{"update_id": "x"}', b'{"update_id": 7, "message": 5}', b"{" * 50]
    for body in junk:
        for path, headers in (("/webhooks/telegram", TG), ("/webhooks/zalo", ZALO)):
            _check(harness.http.post(path, content=body, headers=headers).status_code)
    harness.telegram_says(9555, "Sau khi bị dội dữ liệu rác")
    harness.wait_for_text("telegram", "9555", "Sau khi bị dội dữ liệu rác", timeout=60)
