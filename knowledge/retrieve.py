"""Hybrid retrieval: BM25 (syllables, bigrams, folded copy) fused with e5 vectors.

Naive reciprocal-rank fusion loses to the better lexical index, so scores are fused instead:
each list is normalised per query (BM25 by its best score, cosine between the n-th and the
best neighbour) and combined with a weight tuned on one half of the development data and
checked on the other. Unaccented queries get their marks restored from the indexed
vocabulary before they reach e5 (which cannot read folded Vietnamese) and the accented
BM25 terms; the folded BM25 terms need no restoration. Two bonuses, tuned the same way, lift
the article whose heading the question names in full and the line that defines the term a
question asks about (knowledge.definitions). The candidates are each list's first `depth`;
each is fused with both its scores (a dense candidate below BM25's first `depth` keeps its own
BM25 score: `lexical_candidates`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from core.models import DocumentStatus
from knowledge.definitions import asked_terms
from knowledge.index import SearchIndex
from knowledge.intent import Intent, detect_intent
from knowledge.lay import LayVocabulary, load_vocabulary
from knowledge.named import NamedArticle
from knowledge.normalize import expand_abbreviations, fold, has_diacritics, lexical_tokens, normalize_text
from knowledge.terms import content_bigrams, without_question_tail
from knowledge.validity import Citable, Today, citable_on, today_vn


@dataclass(frozen=True)
class FusionParams:
    lexical_weight: float = 0.8  # weight of normalised BM25 against normalised cosine (tuned: bench)
    depth: int = 100  # candidates taken from each list
    restored_weight: float = 1.0  # weight of accented terms guessed for an unaccented query
    heading_weight: float = 0.1  # bonus when the question names the article/procedure (tuned)
    definition_weight: float = 0.5  # bonus for the line defining the term asked about (tuned)
    # The article the question names by number ("Điều 27 Luật Cư trú"): ranked first. Outside
    # the 0..1 scale on purpose (not in the normalisation), so that nothing else outranks it.
    named_weight: float = 1.0


DEFAULT_PARAMS = FusionParams()
QUERY_CACHE = 2048


@dataclass
class Hit:
    chunk_id: str
    score: float  # fused, 0..1
    lexical: float  # raw BM25
    dense: float  # raw cosine similarity
    document_id: int
    record_id: str
    status: str
    named: bool = False  # the article the question names by number (knowledge.named)


@dataclass
class Retrieval:
    query: str
    searched: str  # the query after normalisation (and mark restoration)
    accented: bool
    hits: list[Hit] = field(default_factory=list)
    expansion: str = ""  # legal terms added for the everyday words of the query (knowledge.lay)
    named: NamedArticle | None = None  # the article the query names by number, when resolved
    absent: tuple[NamedArticle, str] | None = None  # an article named that its document lacks
    ms: float = 0.0
    # Documents dropped because their `effective_to` has passed: id → best score their chunks
    # would have had (an answer says what replaced them: knowledge.notes).
    ended: dict[int, float] = field(default_factory=dict)


def lexical_candidates(
    bm25: np.ndarray, chunk_ids: list[str], position: dict[str, int], depth: int, dense: dict[str, float]
) -> dict[str, float]:
    """BM25's first `depth` chunks with their scores, and the dense candidates with theirs: a
    chunk the question's vector finds keeps its own BM25 score, not 0 for ranking below
    `depth` (a short article — "Ủy ban nhân dân cấp xã … thực hiện đăng ký khai sinh." — holds
    few of the question's words, and longer articles repeat them)."""
    scores = {chunk_ids[i]: float(bm25[i]) for i in np.argsort(-bm25)[:depth] if bm25[i] > 0}
    for chunk_id in dense:
        at = position.get(chunk_id)
        if at is not None and bm25[at] > 0:
            scores.setdefault(chunk_id, float(bm25[at]))
    return scores


class Retriever:
    def __init__(
        self,
        index: SearchIndex,
        params: FusionParams = DEFAULT_PARAMS,
        today: Today = today_vn,
        lay: LayVocabulary | None = None,
    ) -> None:
        self.index = index
        self.params = params
        self.today = today  # the clock of validity over time (injected in tests)
        self.lay = lay if lay is not None else load_vocabulary()
        self._lock = threading.Lock()  # one query embedding at a time on the in-process model
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # repeated questions

    def clear_cache(self) -> None:
        with self._lock:
            self._vectors.clear()

    def _query_vector(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._vectors.get(text)
            if vector is None:
                vector = self.index.embeddings.query_array(text)
                self._vectors[text] = vector
                if len(self._vectors) > QUERY_CACHE:
                    self._vectors.popitem(last=False)
            else:
                self._vectors.move_to_end(text)
            return vector

    def prepare(self, query: str) -> tuple[str, bool, list[str]]:
        """(text for e5, whether the user typed marks, BM25 terms)."""
        text = normalize_text(query).strip()
        accented = has_diacritics(text)
        lexical, _ = self.index.snapshot()
        if accented:
            return text, True, lexical_tokens(without_question_tail(text))
        restored = lexical.restorer.restore(text)
        tokens = lexical_tokens(without_question_tail(restored))
        terms = [t for t in tokens if t.startswith("~")]
        accented_terms = [t for t in tokens if not t.startswith("~")]
        if self.params.restored_weight > 0:
            terms += accented_terms
        return restored, False, terms

    def search(self, query: str, k: int = 10) -> Retrieval:
        started = time.perf_counter()
        searched, accented, terms = self.prepare(query)
        expansion = self.lay.expansion(searched)
        if expansion:  # everyday words: the legal terms join both the BM25 terms and e5's text
            terms = terms + lexical_tokens(expansion)
            searched = f"{searched} ({expansion})"
        lexical, catalogue = self.index.snapshot()
        result = Retrieval(query=query, searched=searched, accented=accented, expansion=expansion)
        if not catalogue or not terms:
            result.ms = (time.perf_counter() - started) * 1000
            return result
        bm25 = lexical.scores(terms)
        dense: dict[str, float] = {}
        if self.params.lexical_weight < 1.0:
            vector = self._query_vector(expand_abbreviations(searched, keep=False))
            dense = dict(self.index.dense(vector, self.params.depth))
        lex_scores = lexical_candidates(bm25, lexical.chunk_ids, lexical.position, self.params.depth, dense)
        topic = frozenset(content_bigrams(searched))
        defining = frozenset().union(*(self._defining(forms) for forms in asked_terms(searched)))
        resolution = self.index.named(query)
        result.named, result.absent = resolution.article, resolution.absent
        asked = detect_intent(query).intent
        hits = self._fuse(
            lex_scores, dense, catalogue, topic, defining, result.ended, resolution.chunks, asked
        )
        result.hits = hits[:k]
        result.ms = (time.perf_counter() - started) * 1000
        return result

    def _defining(self, forms: tuple[str, ...]) -> frozenset[str]:
        """Chunks defining a term: the whole term's, else its form without the qualifier's."""
        return next((found for f in forms if (found := self.index.defining(f))), frozenset())

    def _fuse(
        self,
        lex: dict[str, float],
        dense: dict[str, float],
        catalogue: dict,
        topic: frozenset[str],
        defining: frozenset[str],
        ended: dict[int, float] | None = None,
        named: frozenset[str] = frozenset(),
        asked: Intent = Intent.general,
    ) -> list[Hit]:
        """Normalised BM25 and cosine, weighted; plus a bonus when the question names the
        article's heading in full ("điều kiện kết hôn") and when the chunk defines the term
        the question asks about ("cư trú là gì?"). Scaled back into 0..1; then the article the
        question names by number (`named`) goes above everything."""
        w = self.params.lexical_weight
        heading_w, definition_w = self.params.heading_weight, self.params.definition_weight
        lex_max = max(lex.values(), default=0.0) or 1.0
        floor = min(dense.values(), default=0.0)
        top = max(dense.values(), default=0.0)
        span = (top - floor) or 1.0
        hits = []
        today = self.today()
        for chunk_id in set(lex) | set(dense) | defining | named:
            info = catalogue.get(chunk_id)
            if info is None:
                continue
            cos = dense.get(chunk_id, floor)
            if citable_on(info.status, info.effective_from, info.effective_to, today) == Citable.never:
                if ended is not None and info.status != DocumentStatus.expired:  # ended by its date
                    base = w * lex.get(chunk_id, 0.0) / lex_max + (1 - w) * (cos - floor) / span
                    base /= 1.0 + heading_w + definition_w
                    ended[info.document_id] = max(ended.get(info.document_id, 0.0), base)
                continue  # never cited as current
            score = w * lex.get(chunk_id, 0.0) / lex_max + (1 - w) * (cos - floor) / span
            if (info.heading and info.heading <= topic) or (
                # "đăng ký khai tử ở xã nào" names "Thẩm quyền đăng ký khai tử" in full: the
                # heading's first words say it answers what the question asks
                info.answers_about and info.answers == asked and info.answers_about <= topic
            ):
                score += heading_w
            if chunk_id in defining:
                score += definition_w
            score /= 1.0 + heading_w + definition_w
            if chunk_id in named:
                score += self.params.named_weight
            hits.append(
                Hit(
                    chunk_id,
                    score,
                    lex.get(chunk_id, 0.0),
                    cos,
                    info.document_id,
                    info.record_id,
                    info.status,
                    named=chunk_id in named,
                )
            )
        hits.sort(key=lambda h: (-h.score, h.chunk_id))
        return hits


def strip_diacritics(query: str) -> str:
    """How users type without marks: lowercase, đ→d, no diacritics."""
    return fold(normalize_text(query).lower())
