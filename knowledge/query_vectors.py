"""Unit "query: " vectors of short texts, memoised in one object per model.

Routing compares a new blocker with department profiles and past blockers (symmetric
similarity, so both sides are embedded as queries). The same texts come back on every call,
so their vectors are kept; precomputed files (sha1 of the text → float16 vector) seed the memo
so a fresh process embeds only what is new. The model itself is knowledge.embeddings'.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

DIM = 384


class QueryEncoder(Protocol):
    def query_arrays(self, texts: Sequence[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def read_vector_file(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {
            str(key): vector.astype(np.float32)
            for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True)
        }


def write_vector_file(path: Path, texts: Sequence[str], encoder: QueryEncoder) -> int:
    unique = sorted(set(texts))
    vectors = encoder.query_arrays(unique) if unique else np.zeros((0, DIM), dtype=np.float32)
    keys = np.array([text_key(t) for t in unique])
    np.savez_compressed(path, keys=keys, vectors=np.asarray(vectors).astype(np.float16))
    return len(unique)


class QueryVectors:
    """Thread-safe memo in front of an encoder; `seeds` are files read on first use."""

    def __init__(self, encoder: QueryEncoder, *, seeds: Sequence[Path] = (), limit: int = 20_000) -> None:
        self.encoder = encoder
        self.seeds = list(seeds)
        self.limit = limit
        self._memo: dict[str, np.ndarray] = {}
        self._seeded = False
        self._lock = threading.Lock()  # also serialises the encoder, which is not re-entrant

    def _seed(self) -> None:
        if not self._seeded:
            self._seeded = True
            for path in self.seeds:
                self._memo.update(read_vector_file(path))

    def preload(self, path: Path) -> int:
        """Add a vector file's entries (e.g. the benchmark's cached inputs); returns how many."""
        vectors = read_vector_file(path)
        with self._lock:
            self._seed()
            self._memo.update(vectors)
        return len(vectors)

    def is_embedded(self, text: str) -> bool:
        with self._lock:
            self._seed()
            return text_key(text) in self._memo

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts) × DIM), encoding only texts not seen before."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            self._seed()
            keys = [text_key(t) for t in texts]
            if len(self._memo) > self.limit:  # start again from the seeds: bounded memory
                self._memo.clear()
                self._seeded = False
                self._seed()
            missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._memo}.items())
            if missing:
                encoded = self.encoder.query_arrays([t for _, t in missing])
                self._memo.update({key: vector for (key, _), vector in zip(missing, encoded, strict=True)})
            return np.stack([self._memo[k] for k in keys])
