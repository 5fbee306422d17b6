"""Fixtures for the production-path tests: the fake platforms in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.servers import FakePlatforms


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    platforms = FakePlatforms().start()
    yield platforms
    platforms.stop()
