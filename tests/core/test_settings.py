"""One settings class; `.env.example` lists every field with its default."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings

ROOT = Path(__file__).parents[2]


def test_env_example_lists_every_setting() -> None:
    listed = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - listed == set(), "add these to .env.example"
    assert listed - fields == set(), "these are not settings any more"


def test_database_and_chroma_default_inside_data_dir(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'troly.sqlite3'}"
    assert settings.chroma_dir == tmp_path / "chroma"
    assert settings.chroma_url == "" and settings.llm_base_url == "" and settings.embeddings_base_url == ""


def test_environment_is_read(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATA_DIR", "/srv/troly")
    monkeypatch.setenv("ALLOW_UNREGISTERED_QUESTIONS", "false")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.data_dir == Path("/srv/troly") and settings.allow_unregistered_questions is False
