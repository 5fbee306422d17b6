"""The start-up lock serialises processes (threads stand in for them here)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy.engine import Engine

from core.locks import exclusive


def test_exclusive_lets_one_holder_in_at_a_time(engine: Engine, tmp_path: Path) -> None:
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        with exclusive(engine, name="demo-guidance", data_dir=tmp_path):
            with guard:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with guard:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert most == 1
