"""Ingestion of long work: passages are embedded ahead of writing with a progress bar that counts
passages (not files) and shows the time left, and an interrupted run resumes from the
embedding cache: nothing already embedded is embedded again."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from support_kb import GUIDANCE

from knowledge.chunking import embedding_text, split_document
from knowledge.embeddings import CachedEmbeddings, EmbeddingCache
from knowledge.ingest import ingest_paths
from knowledge.loaders import load_path


class CountingEncoder:
    """Stands for the e5 model: records every text it embeds, and can be stopped (Ctrl-C)
    after a number of passages."""

    model_name = "fake"

    def __init__(self, stop_after: int | None = None) -> None:
        self.seen: list[str] = []
        self.stop_after = stop_after

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if self.stop_after is not None and len(self.seen) + len(texts) > self.stop_after:
            raise KeyboardInterrupt  # the official presses Ctrl-C in the middle of a long run
        self.seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    def query_array(self, text: str) -> np.ndarray:
        return np.ones(4, dtype=np.float32)


def _passages(paths: list[Path]) -> set[str]:
    return {embedding_text(d) for p in paths for doc in load_path(p) for d in split_document(doc)}


def test_an_interrupted_run_resumes_from_the_embedding_cache(
    engine: Engine, fake_index, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "guidance"
    folder.mkdir()
    for path in GUIDANCE:
        shutil.copy(path, folder / path.name)
    passages = _passages(sorted(folder.iterdir()))
    assert len(passages) > 20
    cache = EmbeddingCache(tmp_path / "cache" / "vectors.sqlite3")

    stopped = CountingEncoder(stop_after=20)  # 16 a batch: one batch kept, then interrupted
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(
            engine=engine, index=fake_index, paths=[folder], progress=True,
            embedder=CachedEmbeddings(stopped, cache),  # type: ignore[arg-type]
        )  # fmt: skip
    assert len(stopped.seen) == 16 and cache.count() == 16
    bar = capsys.readouterr().err
    assert f"0/{len(passages)}" in bar and "đoạn" in bar  # counted in passages, not files

    resumed = CountingEncoder()
    embedder = CachedEmbeddings(resumed, cache)  # type: ignore[arg-type]
    report = ingest_paths(engine=engine, index=fake_index, paths=[folder], progress=True, embedder=embedder)
    assert report.errors == [] and report.added == 3
    assert not set(resumed.seen) & set(stopped.seen)  # nothing embedded twice
    assert set(resumed.seen) | set(stopped.seen) == passages
    assert embedder.embedded == len(passages) - 16
    bar = capsys.readouterr().err
    assert f"{len(passages) - 16}/{len(passages) - 16}" in bar and "<00:00" in bar  # time left shown
    # Everything was embedded ahead: writing the index read the cache only.
    again = ingest_paths(engine=engine, index=fake_index, paths=[folder], embedder=embedder)
    assert (again.unchanged, embedder.embedded) == (3, len(passages) - 16)
