"""A crash between storing an update and answering it: the update is answered after restart."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import InboundStatus, InboundUpdate
from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import Harness
from tests.fakes.servers import FakePlatforms


def test_stored_update_answered_after_restart(tmp_path):
    fake = FakePlatforms().start()
    try:
        # First process: acknowledges the webhook (stored) but dies before any worker runs.
        with Harness(tmp_path, mode="webhook", fake=fake, run_workers=False) as first:
            response = first.telegram_send(fake.telegram_update(3001, "trước khi sập"))
            assert response is not None and response.json()["detail"] == "stored"
            with Session(first.engine) as session:
                assert session.exec(select(InboundUpdate)).one().status == InboundStatus.pending
        assert fake.sent_texts("telegram", "3001") == []
        # After the restart the pending update is processed and answered exactly once.
        echo = EchoDispatch()
        with Harness(tmp_path, mode="webhook", fake=fake, dispatch=echo) as second:
            second.wait_for_text("telegram", "3001", "Bạn đã gửi: trước khi sập")
            second.wait_settled(1)
            assert len(fake.sent_texts("telegram", "3001")) == 1 and len(echo.seen) == 1
    finally:
        fake.stop()
