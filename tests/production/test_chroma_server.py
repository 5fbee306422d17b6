"""The knowledge index against a real Chroma server (`CHROMA_URL`), started by `chroma run`."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from core.models import Chunk, Document
from knowledge.index import SearchIndex, make_chroma_client

pytestmark = pytest.mark.slow  # starts a server process (a few seconds)

WORDS = ["cư", "trú", "đăng", "ký", "hộ", "tịch", "khai", "sinh", "đất", "đai", "thuế", "xây", "dựng"]


class BagOfWordsEmbeddings:
    """Deterministic stand-in for the e5 model: the index's contract, not the model, is tested."""

    def embed_array(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        rows = []
        for text in texts:
            vector = np.zeros(len(WORDS) + 1, dtype=np.float32)
            for word in text.lower().split():
                vector[WORDS.index(word) if word in WORDS else len(WORDS)] += 1.0
            rows.append(vector / (np.linalg.norm(vector) or 1.0))
        return np.vstack(rows)

    def query_array(self, text: str) -> np.ndarray:
        return self.embed_array([text])[0]


def _chunk(document: Document, ordinal: int, text: str) -> Chunk:
    return Chunk(
        id=hashlib.sha256(f"{document.source}{ordinal}{text}".encode()).hexdigest()[:32],
        document_id=int(document.id or 0),
        ordinal=ordinal,
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def _index(url: str, engine: Engine, tmp_path: Path, collection: str) -> SearchIndex:
    return SearchIndex(
        engine=engine,
        embeddings=BagOfWordsEmbeddings(),  # type: ignore[arg-type]
        chroma_client=make_chroma_client(url, tmp_path / "unused-embedded"),
        cache_dir=tmp_path,
        collection=collection,
    )


def test_index_add_query_remove_on_a_chroma_server(
    chroma_server: str, engine: Engine, tmp_path: Path
) -> None:
    index = _index(chroma_server, engine, tmp_path, f"test-{uuid.uuid4().hex[:8]}")
    document = Document(id=1, source="luat-cu-tru.txt", content_hash="x", title="Luật Cư trú")
    chunks = [
        _chunk(document, 0, "đăng ký cư trú"),
        _chunk(document, 1, "khai sinh hộ tịch"),
        _chunk(document, 2, "thuế đất đai"),
    ]
    index.add([(c, document) for c in chunks])
    assert index.vector_count() == 3
    assert not (tmp_path / "unused-embedded").exists()  # nothing embedded locally: it is the server

    best, score = index.dense(BagOfWordsEmbeddings().query_array("đăng ký cư trú"), 3)[0]
    assert best == chunks[0].id and score > 0.99
    index.remove([chunks[0].id])
    assert index.vector_count() == 2
    remaining = index.dense(BagOfWordsEmbeddings().query_array("cư trú"), 3)
    assert chunks[0].id not in [cid for cid, _ in remaining]


def test_vectors_survive_a_chroma_server_restart(
    engine: Engine, tmp_path: Path, start_chroma_server: Any
) -> None:
    path = tmp_path / "chroma-data"
    document = Document(id=1, source="nd.txt", content_hash="x")
    chunk = _chunk(document, 0, "xây dựng")
    with start_chroma_server(path) as url:
        _index(url, engine, tmp_path, "restart-test").add([(chunk, document)])
    with start_chroma_server(path) as url:
        index = _index(url, engine, tmp_path, "restart-test")
        assert index.vector_count() == 1
        assert index.dense(BagOfWordsEmbeddings().query_array("xây dựng"), 1)[0][0] == chunk.id
