"""The routing's sentence vectors: one memo per configured model (knowledge.query_vectors) in
front of the configured encoder (knowledge.embeddings: the bundled e5, or EMBEDDINGS_BASE_URL).

Vectors of the shipped catalogue and labelled examples are precomputed into
blockers/data/route_vectors.npz (rebuild with `scripts/build-route-vectors`), so the service
and the tests only embed the incoming text and blockers filed since. They are e5 vectors, so
they seed the memo only when the model is the bundled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from core.settings import Settings
from knowledge.embeddings import E5_MODEL, E5Embeddings, OpenAICompatibleEmbeddings
from knowledge.query_vectors import QueryVectors, write_vector_file

VECTOR_FILE = Path(__file__).parent / "data" / "route_vectors.npz"


@cache
def _vectors_for(base_url: str, model: str, api_key: str) -> QueryVectors:
    if not base_url:
        return QueryVectors(E5Embeddings(), seeds=[VECTOR_FILE])
    encoder = OpenAICompatibleEmbeddings(base_url, model, api_key)
    return QueryVectors(encoder, seeds=[VECTOR_FILE] if model == E5_MODEL else [])


def route_vectors(settings: Settings | None = None) -> QueryVectors:
    """The process's memo for the configured model (one per model: a process keeps its vectors)."""
    if settings is None or not settings.embeddings_base_url:
        return _vectors_for("", E5_MODEL, "")
    key = settings.embeddings_api_key.get_secret_value()
    return _vectors_for(settings.embeddings_base_url, settings.embeddings_model, key)


def preload(path: Path) -> int:
    """Add a vector file to the bundled model's memo (the benchmark's cached test inputs)."""
    return route_vectors().preload(path)


def build_vector_file(texts: Sequence[str], path: Path = VECTOR_FILE) -> int:
    return write_vector_file(path, texts, E5Embeddings())
