"""Fixtures for transport tests: fake platforms and the real app running against them."""

from __future__ import annotations

from tests.fakes.fixtures import make_harness

__all__ = ["make_harness"]
