"""Pytest fixtures for end-to-end chat tests. Use them from any area's conftest.py:

    from tests.fakes.fixtures import make_harness  # noqa: F401  (a fixture)

then `h = make_harness("webhook", real=True)` starts the real app with the real dispatcher
against the fake platforms; every harness started is stopped after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import Harness


@pytest.fixture
def make_harness(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    started: list[Harness] = []

    def make(mode: str = "polling", dispatch: Any = None, *, real: bool = False, **overrides: Any) -> Harness:
        """real=True runs handlers.dispatch.Dispatcher; otherwise `dispatch` or an EchoDispatch."""
        chosen = None if real else dispatch or EchoDispatch()
        harness = Harness(tmp_path / f"h{len(started)}", mode=mode, dispatch=chosen, **overrides)  # type: ignore[arg-type]
        started.append(harness.start())
        return harness

    yield make
    for harness in started:
        harness.stop()
