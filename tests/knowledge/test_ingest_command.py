from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.cli import main
from core.db import dispose_engines, get_engine
from core.models import Document
from core.settings import get_settings


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path
    dispose_engines()
    get_settings.cache_clear()


@pytest.mark.slow
def test_troly_ingest_reports_counts_and_skipped_files(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cli_env / "tai-lieu"
    folder.mkdir()
    (folder / "chung-thuc.txt").write_text(
        "Hướng dẫn chứng thực\n1. Ủy ban nhân dân xã chứng thực bản sao từ bản chính.", encoding="utf-8"
    )
    (folder / "rong.txt").write_bytes(b"")
    code = main(
        ["ingest", str(folder), "--status", "đã sửa đổi", "--department", "TP", "--field", "Chứng thực"]
    )
    out = capsys.readouterr().out
    assert code == 1  # something was skipped
    assert "1 tài liệu mới" in out and "thêm 1 đoạn" in out
    assert "rong.txt" in out and "rỗng" in out
    with Session(get_engine(get_settings())) as session:
        [doc] = session.exec(select(Document)).all()
    assert (doc.status, doc.department_code, doc.field) == ("amended", "TP", "Chứng thực")

    # Nothing changed: the embedding model and Chroma are not even opened.
    import api.commands.knowledge as commands

    def must_not_open(*args: object) -> None:
        raise AssertionError("the knowledge base was opened for unchanged files")

    monkeypatch.setattr(commands, "_open_knowledge", must_not_open)
    (folder / "rong.txt").unlink()
    assert (
        main(["ingest", str(folder), "--status", "amended", "--department", "TP", "--field", "Chứng thực"])
        == 0
    )
    assert "1 không đổi" in capsys.readouterr().out


def test_troly_ingest_rejects_an_unknown_status(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(cli_env), "--status", "tạm dừng"]) == 2
    assert "không hợp lệ" in capsys.readouterr().out
