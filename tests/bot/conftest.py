"""Fixtures for transport tests: fake platforms and the real app running against them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import Harness


@pytest.fixture
def echo() -> EchoDispatch:
    return EchoDispatch()


@pytest.fixture
def make_harness(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    started: list[Harness] = []

    def make(mode: str = "polling", dispatch: Any = None, **overrides: Any) -> Harness:
        harness = Harness(
            tmp_path / f"h{len(started)}", mode=mode, dispatch=dispatch or EchoDispatch(), **overrides
        )  # type: ignore[arg-type]
        started.append(harness.start())
        return harness

    yield make
    for harness in started:
        harness.stop()
