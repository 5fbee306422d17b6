"""`troly` subcommands print what they did; the libraries' own narration (Alembic's "Running
upgrade", bm25s' "Building index") only with --verbose."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import configure_logging, main
from core.db import dispose_engines
from core.settings import get_settings


@pytest.fixture
def root_output(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The root logger as a fresh process has it (no handler yet), writing to a buffer."""
    buffer = io.StringIO()
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)

    def basic_config(**options: object) -> None:
        root.addHandler(logging.StreamHandler(buffer))
        root.setLevel(options["level"])  # type: ignore[arg-type]

    monkeypatch.setattr(logging, "basicConfig", basic_config)
    yield buffer


def _narrate() -> None:
    logging.getLogger("alembic.runtime.migration").info("Running upgrade 0001 -> 0004")
    bm25s = logging.getLogger("bm25s")
    bm25s.setLevel(logging.DEBUG)  # as bm25s does to itself when imported
    bm25s.debug("Building index from tokens")
    logging.getLogger("knowledge.ingest").warning("a file could not be read")


def test_library_narration_is_hidden_unless_verbose(root_output: io.StringIO) -> None:
    configure_logging(verbose=False, service=False)
    _narrate()
    assert root_output.getvalue().splitlines() == ["a file could not be read"]


def test_verbose_shows_the_libraries_too(root_output: io.StringIO) -> None:
    configure_logging(verbose=True, service=False)
    _narrate()
    assert "Running upgrade 0001 -> 0004" in root_output.getvalue()
    assert "Building index from tokens" in root_output.getvalue()


def test_migrate_prints_what_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert main(["migrate"]) == 0
    finally:
        dispose_engines()
        get_settings.cache_clear()
    captured = capsys.readouterr()
    assert captured.out.strip() == "Đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất."
    assert "Running upgrade" not in captured.err
