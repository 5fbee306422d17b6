"""Fixtures for the cross-area end-to-end tests: the real app against the fake platforms."""

from __future__ import annotations

from tests.fakes.fixtures import make_harness

__all__ = ["make_harness"]
