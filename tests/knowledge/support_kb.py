"""Helpers for the retrieval/answer tests: a small real knowledge base and a fake
OpenAI-compatible server on 127.0.0.1 (chat completions and embeddings)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from core.db import create_schema, make_engine
from core.settings import Settings
from knowledge.embeddings import make_embeddings
from knowledge.service import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
# Precomputed e5 vectors of the fixture chunks (scripts in the report); anything missing
# is embedded on the fly, so the tests stay correct if a fixture changes.
FIXTURE_VECTORS = FIXTURES / "vectors.npz"
GUIDANCE = [
    FIXTURES / "luat-cu-tru-trich.jsonl",
    FIXTURES / "luat-hon-nhan-trich.jsonl",
    FIXTURES / "thu-tuc-nghia-vu-quan-su.jsonl",
]


def build_kb(data_dir: Path, guidance: list[Path] | None = None, **overrides: Any) -> KnowledgeBase:
    settings = Settings(
        _env_file=None, data_dir=data_dir, demo_guidance=False, run_workers=False, **overrides
    )  # type: ignore[call-arg]
    settings.ensure_dirs()
    engine = make_engine(settings.effective_database_url)
    create_schema(engine)
    embeddings = make_embeddings(settings)
    embeddings.cache.seed_from_npz(FIXTURE_VECTORS)
    kb = KnowledgeBase.open(settings, engine, embeddings=embeddings)
    report = kb.ingest(GUIDANCE if guidance is None else guidance)
    assert not report.errors, report.errors
    return kb


Handler = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]


@contextmanager
def fake_openai(handler: Handler) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve `handler(path, body) -> (status, json)` on 127.0.0.1; yields (base URL, requests)."""
    requests: list[dict[str, Any]] = []

    class _Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
            status, payload = handler(self.path, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()


def chat_completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def write_fixture_vectors() -> int:
    """Regenerate fixtures/vectors.npz from the fixture chunks (run by hand after changing the
    fixtures or the chunker: `python -c "import sys; sys.path[:0]=['tests/knowledge']; import
    support_kb; support_kb.write_fixture_vectors()"`)."""
    import tempfile

    import numpy as np
    from sqlmodel import Session, select

    from core.models import Chunk

    with tempfile.TemporaryDirectory() as tmp:
        kb = build_kb(Path(tmp) / "data")
        with Session(kb.engine) as session:
            keys = sorted({c.content_hash for c in session.exec(select(Chunk))})
        vectors = kb.embeddings.cache.get_many(keys)
        kb.close()
    np.savez_compressed(
        FIXTURE_VECTORS, keys=np.array(keys), vectors=np.stack([vectors[k] for k in keys]).astype(np.float16)
    )
    return len(keys)
