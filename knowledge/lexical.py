"""BM25 (bm25s) over syllables + syllable bigrams + a diacritic-folded copy, and the
vocabulary used to restore marks on unaccented queries. Persisted under DATA_DIR/cache keyed
by a fingerprint of the indexed chunks, so a restart with an unchanged corpus loads arrays
instead of re-tokenising."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from knowledge.lay import SHIPPED, read_table
from knowledge.normalize import DiacriticRestorer, lexical_tokens, syllables

log = logging.getLogger(__name__)

# Short legal articles repeat their key terms; a low k1 saturates term frequency early and a
# milder length normalisation stops long articles from being buried. Chosen on half A of the
# dev queries (accented + unaccented MRR@10 + R@5), confirmed on half B (bench/retrieval.py).
K1 = 0.4
B = 0.5


QUESTION_LANGUAGE = Path(__file__).parent / "data" / "question_language.txt"


@lru_cache(maxsize=1)
def question_language() -> tuple[list[str], ...]:
    """How people ask, with marks: the phrases of QUESTION_LANGUAGE and the shipped
    everyday-word table's two sides (a question typed without marks is restored with them)."""
    lines = QUESTION_LANGUAGE.read_text(encoding="utf-8").splitlines()
    phrases = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    phrases += [side for term in read_table(SHIPPED) for side in (term.everyday, term.legal)]
    return tuple(tokens for phrase in phrases if (tokens := syllables(phrase)))


def _restorer() -> DiacriticRestorer:
    restorer = DiacriticRestorer()
    restorer.ask(question_language())
    return restorer


def fingerprint(items: Sequence[tuple[str, str]]) -> str:
    """Hash of (chunk id, indexed-text hash) pairs in order."""
    digest = hashlib.sha256()
    for chunk_id, text_hash in items:
        digest.update(f"{chunk_id}:{text_hash}\n".encode())
    return digest.hexdigest()[:24]


class LexicalIndex:
    def __init__(
        self, chunk_ids: list[str], retriever: bm25s.BM25 | None, restorer: DiacriticRestorer
    ) -> None:
        self.chunk_ids = chunk_ids
        self.position = {chunk_id: i for i, chunk_id in enumerate(chunk_ids)}  # chunk id → its score's index
        self.retriever = retriever
        self.restorer = restorer

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> LexicalIndex:
        restorer = _restorer()
        corpus = []
        for text in texts:
            restorer.add(syllables(text))
            corpus.append(lexical_tokens(text))
        retriever = None
        if corpus:
            retriever = bm25s.BM25(k1=K1, b=B)
            retriever.index(corpus, show_progress=False)
        return cls(chunk_ids, retriever, restorer)

    def save(self, directory: Path) -> None:
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.retriever is not None:
            self.retriever.save(str(tmp / "bm25"), show_progress=False)
        (tmp / "chunk_ids.json").write_text(json.dumps(self.chunk_ids), encoding="utf-8")
        (tmp / "vocabulary.json").write_text(json.dumps(self.restorer.to_json()), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        try:
            chunk_ids = json.loads((directory / "chunk_ids.json").read_text(encoding="utf-8"))
            restorer = DiacriticRestorer.from_json(
                json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
            )
            restorer.ask(question_language())
            bm25_dir = directory / "bm25"
            retriever = bm25s.BM25.load(str(bm25_dir), show_progress=False) if bm25_dir.exists() else None
        except (OSError, ValueError, KeyError) as exc:
            log.warning("BM25 cache at %s unreadable (%s): rebuilding", directory, exc)
            return None
        return cls(chunk_ids, retriever, restorer)

    def idf(self, term: str) -> float:
        """log((N + 1) / (df + 0.5)) of an index term; terms the index never saw get the most."""
        n = len(self.chunk_ids)
        df = 0
        if self.retriever is not None:
            tid = self.retriever.vocab_dict.get(term)
            if tid is not None:
                indptr = self.retriever.scores["indptr"]
                df = int(indptr[tid + 1] - indptr[tid])
        return math.log((n + 1) / (df + 0.5))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk, in `chunk_ids` order."""
        if self.retriever is None or not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        known = [t for t in tokens if t in self.retriever.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)


def load_or_build(cache_dir: Path, chunk_ids: list[str], texts: list[str]) -> LexicalIndex:
    key = fingerprint(
        [
            (f"bm25 k1={K1} b={B}", ""),
            *((cid, hashlib.sha256(t.encode()).hexdigest()) for cid, t in zip(chunk_ids, texts, strict=True)),
        ]
    )  # the parameters are part of the key: arrays scored with others must not be reused
    directory = cache_dir / "bm25" / key
    if directory.exists():
        loaded = LexicalIndex.load(directory)
        if loaded is not None and loaded.chunk_ids == chunk_ids:
            return loaded
    index = LexicalIndex.build(chunk_ids, texts)
    try:
        index.save(directory)
    except OSError as exc:  # a read-only cache only costs start-up time
        log.warning("could not persist BM25 index: %s", exc)
    return index
