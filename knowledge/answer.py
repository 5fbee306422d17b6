"""Answers: the sentence that answers the question first, with its exact clause and point
cited, then the supporting clause, then "Xem thêm"; or related articles; or a clear refusal.

Extractive by default (nothing is invented: the lead is taken from the cited text). The
question's intent (knowledge.intent) decides what to look for: among the retrieved articles,
the one holding the kind of answer asked for (a close second that has the duration asked for
beats a first that has none); inside it, the unit knowledge.select picks. Whether to answer at
all is knowledge.answering's (a fitted logistic model over the cited article's features).

`confidence()` (the former hand-blended score) stays for bench/retrieval.py's calibration
table; the reply's confidence is now the model's probability.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from core.models import Chunk, Document, DocumentStatus
from knowledge import texts
from knowledge.answering import Candidate, Kind, Model, features, load_model
from knowledge.answering import plain_coverage as coverage
from knowledge.chunking import split_clauses
from knowledge.index import heading_answers
from knowledge.intent import (
    AnswerType,
    Intent,
    QuestionIntent,
    detect_intent,
    fit,
    has_answer_type,
    is_offence,
    names_crime,
)
from knowledge.named import NamedArticle, named_articles, named_as, without_reference
from knowledge.normalize import fold, syllables
from knowledge.reply import (
    ReplyParts,
    as_sentence,
    clip,
    compose_related,
    compose_reply,
    dossier_lead,
    lead_sentences,
    lead_text,
    says_all_of,
)
from knowledge.retrieve import Hit
from knowledge.select import Selection, article_units, defines, question_words, select, term_asked
from knowledge.terms import content_bigrams, query_terms
from knowledge.types import Answer, Source

# Former threshold on `confidence()` (bench/retrieval.py --calibrate), kept for that table.
MIN_CONFIDENCE = 0.69
MAX_SOURCES = 3
CLOSE_SECOND = 0.85  # a passage this close to the first may replace it when only it has the answer type
LEAD_CHARS = 290  # the lead: within the first 300 characters of the reply
RELATED_ARTICLES = 3
# Intents a procedure record's part answers better than an article describing the procedure
# (and the time a body takes, `QuestionIntent.processing`: the record's "Thời hạn giải quyết").
RECORD_INTENTS = frozenset({Intent.dossier, Intent.procedure, Intent.fee, Intent.body})
RECORD_TOPIC = 0.5  # share of the question's topic words (by rarity) the record's name must hold
# A time limit in a sentence sharing this much more of the question's topic beats a first
# article whose time limits are about something else.
SENTENCE_MARGIN = 0.25
# STRICT_TYPES (knowledge.intent): answer types a reply cannot do without.
# A question restating the offence's own words (this share of its topic, by rarity, in the
# article) asks about that crime even without saying "tội". Fitted on half A of the dev files:
# fines asked about and answered by a crime's article reach ≤ 0.61, ALQAC questions on the
# crime ≥ 0.77.
OFFENCE_TOPIC = 0.7
NOT_FOUND = texts.NOT_FOUND
AMENDED_NOTE = texts.AMENDED_NOTE
OFFENCE_NOTE = texts.OFFENCE_NOTE


@dataclass
class Passage:
    hit: Hit
    chunk: Chunk
    document: Document
    idf: Callable[[str], float] | None = None  # of an index term ("~khai_sinh"), for topic weights
    article_text: str = ""  # the whole article (all its chunks) when the service loaded it

    @property
    def full(self) -> str:
        return self.article_text or self.chunk.text

    @property
    def key(self) -> str:
        return f"{self.chunk.document_id}:{self.chunk.article or self.chunk.part or self.chunk.id}"


def topic_coverage(question: str, text: str, idf: Callable[[str], float] | None = None) -> float:
    """Share of the question's content bigrams found in the text, weighted by their rarity in
    the index when `idf` is given: "đăng ký" is everywhere, "khai sinh" names the topic."""
    wanted = content_bigrams(question)
    if not wanted:
        return coverage(question, text)

    def weight(bigram: str) -> float:
        return idf("~" + bigram.replace(" ", "_")) if idf is not None else 1.0

    found = wanted & content_bigrams(text)
    if found == wanted:
        return 1.0
    # Sorted sums: set order follows the per-process hash seed, and float addition is not
    # associative, so unsorted sums would rank the same passages differently across processes.
    return math.fsum(weight(b) for b in sorted(found)) / (math.fsum(weight(b) for b in sorted(wanted)) or 1.0)


def confidence(question: str, passage: Passage) -> float:
    text = f"{passage.document.title} {passage.chunk.article_title} {passage.chunk.text}"
    topic = topic_coverage(question, text, passage.idf)
    return 0.6 * passage.hit.dense + 0.2 * coverage(question, text) + 0.2 * topic


def procedure_name(document: Document) -> str:
    """ "Thủ tục đăng ký khai sinh (mã 1.001193)": a procedure record named as officials look it up."""
    code = texts.PROCEDURE_CODE.format(number=document.number) if document.number else ""
    is_procedure = document.title.lower().startswith(texts.PROCEDURE_PREFIX)
    name = document.title if is_procedure else texts.PROCEDURE.format(title=document.title)
    return f"{name}{code}"


def citation(chunk: Chunk, document: Document, clause: str = "") -> str:
    if chunk.part:
        return f"{procedure_name(document)} — {chunk.part}"
    parts = []
    article = (chunk.origin_article or chunk.article) if chunk.origin_number else chunk.article
    if article:
        parts.append(texts.ARTICLE.format(number=article))
    clause = clause or chunk.clause
    if clause:
        parts.append(texts.CLAUSE.format(number=clause))
    if chunk.point and clause == chunk.clause and "-" not in chunk.point:
        parts.append(texts.POINT.format(number=chunk.point))
    parts.append(document_name(chunk, document))
    if chunk.origin_number and document.title:  # the compilation (đề mục) as context
        parts[-1] += texts.COMPILATION_CONTEXT.format(title=document.title)
    return " ".join(p for p in parts if p)


def document_name(chunk: Chunk, document: Document) -> str:
    """The text an official can look up: "Luật Cư trú số 68/2020/QH14"; for an article of a
    compilation (Pháp điển), the source it comes from: "Nghị định số 123/2015/NĐ-CP", "Luật
    Hộ tịch số 60/2014/QH13"; for a procedure record's part, the procedure with its code."""
    if chunk.part and not chunk.article:
        return procedure_name(document)
    if chunk.origin_number:
        kind = f"{chunk.origin_type} {chunk.origin_title}".strip()  # "Luật Hộ tịch", "Nghị định"
        return texts.NUMBERED.format(name=kind, number=chunk.origin_number).strip()
    name = document.title
    if document.number and document.number not in name:
        name = texts.NUMBERED.format(name=name, number=document.number)
    return name


def best_clause(question: str, chunk: Chunk) -> tuple[str, str]:
    """(clause number, text) of the chunk's clause that covers the question best."""
    clauses = split_clauses(chunk.text)
    if len(clauses) <= 1 or len(chunk.text) <= 600:
        return chunk.clause if "-" not in chunk.clause else "", chunk.text
    scored = [(coverage(question, text), number, text) for number, text in clauses if number]
    if not scored:
        return "", chunk.text
    _, number, text = max(scored, key=lambda s: s[0])
    return number, text


def _cited_chunk(chunk: Chunk, *, article: str = "", clause: str = "", point: str = "") -> Chunk:
    """A copy of the chunk naming the exact article/clause/point the lead comes from."""
    return chunk.model_copy(update={"article": article or chunk.article, "clause": clause, "point": point})


def to_source(passage: Passage, clause: str = "", *, cited: Chunk | None = None) -> Source:
    chunk, document = passage.chunk, passage.document
    shown = cited or chunk
    return Source(
        document=document.title,
        number=chunk.origin_number or document.number,  # a Pháp điển article: the text it comes from
        article=shown.article,
        clause=clause or shown.clause,
        score=passage.hit.score,
        chunk_id=chunk.id,
        document_id=int(document.id or 0),
        point=shown.point,
        part=chunk.part,
        citation=citation(shown, document, clause) if cited is None else citation(shown, document),
        record_id=passage.hit.record_id,
        status=str(document.status.value if hasattr(document.status, "value") else document.status),
    )


def _clip(text: str, limit: int) -> str:
    return clip(text, limit)


def prefer_procedure(question: str, passages: list[Passage], intent: QuestionIntent) -> list[Passage]:
    """For "cần giấy tờ gì", "thủ tục … thế nào", "lệ phí", "thời hạn giải quyết": a procedure
    record retrieved close to a legal text's article (a decree describing the same procedure)
    answers first, since its part is what an official hands out (KnowledgeBase._part_asked then
    picks that part). The record must be about the question's topic: its name holds at least
    half of the question's topic words (by rarity), and no less than the article's heading does.

    Among close records about the topic, the plainest answers: the one whose name adds the
    fewest words the question does not have ("Thủ tục đăng ký kết hôn" for "lệ phí đăng ký kết
    hôn", not "… có yếu tố nước ngoài" unless the question says so)."""
    if not passages:
        return passages
    top = passages[0]
    window = [(i, p) for i, p in enumerate(passages) if p.hit.score >= CLOSE_SECOND * top.hit.score]
    chosen = 0 if top.chunk.part else -1
    if chosen < 0 and (intent.intent in RECORD_INTENTS or intent.processing):
        bar = max(RECORD_TOPIC, topic_coverage(question, top.chunk.article_title, top.idf))
        about = [i for i, p in window if p.chunk.part and _record_topic(question, p) >= bar]
        chosen = about[0] if about else -1
    if chosen < 0:
        return passages
    record = passages[chosen]
    topic = _record_topic(question, record)
    asked = query_terms(question)[0]
    best, best_extra = chosen, _unasked(record.document.title, asked)
    for i, other in window:
        if not other.chunk.part or other.chunk.document_id == record.chunk.document_id:
            continue
        extra = _unasked(other.document.title, asked)
        if extra < best_extra and _record_topic(question, other) >= topic:
            best, best_extra = i, extra
    if best == 0:
        return passages
    return [passages[best], *passages[:best], *passages[best + 1 :]]


def _record_topic(question: str, record: Passage) -> float:
    return topic_coverage(question, record.document.title, record.idf)


def _unasked(title: str, asked: set[str]) -> int:
    """How many content words of a procedure's name the question does not have."""
    return len(query_terms(title)[0] - asked)


def answer_overlap(question: str, passage: Passage, intent: QuestionIntent) -> float:
    """How much of the question's topic the article's best sentence holding the answer type
    shares: for "người chết bao nhiêu ngày phải đăng ký khai tử", the sentence with "15 ngày"
    that speaks of the death, not a processing time of the same article's procedure."""
    best = 0.0
    for unit in article_units(passage.full, passage.chunk.article_title):
        context = f"{unit.intro} {unit.text}" if unit.intro else unit.text
        if has_answer_type(context, intent.wants):
            best = max(best, topic_coverage(question, context, passage.idf))
    return best


def choose_passage(passages: list[Passage], intent: QuestionIntent, question: str = "") -> list[Passage]:
    """The passages with the one to cite first: the top one, unless a close second (another
    article) fits what is asked better (holds the duration asked for when the first has none;
    for a time limit, holds it in a sentence about what is asked when the first does not)."""
    top = passages[0]
    if intent.wants == AnswerType.none or (top.chunk.part and top.chunk.part in intent.procedure_parts):
        return passages  # a procedure record's part asked for is what is asked (KnowledgeBase._part_asked)
    by_sentence = bool(question) and intent.wants == AnswerType.duration

    def rank(p: Passage) -> tuple[int, float]:
        return fit(p.full, intent), answer_overlap(question, p, intent) if by_sentence else 0.0

    best, (best_fit, best_overlap) = 0, rank(top)
    best_named = names_asked(top, intent, question)
    for i, other in enumerate(passages[1:], 1):
        if other.hit.score < CLOSE_SECOND * top.hit.score:
            break
        if other.key == top.key:
            continue
        other_fit, other_overlap = rank(other)
        closer = other_fit == best_fit and other_overlap >= best_overlap + SENTENCE_MARGIN
        # Equal fit: the article whose heading says it answers what is asked ("Thẩm quyền đăng
        # ký khai tử" for "đăng ký khai tử ở xã nào") over one that only holds a body somewhere.
        named = other_fit == best_fit and not best_named and names_asked(other, intent, question)
        if other_fit > best_fit or closer or named:
            best, best_fit, best_overlap = i, other_fit, other_overlap
            best_named = names_asked(other, intent, question)
    if best == 0:
        return passages
    return [passages[best], *passages[:best], *passages[best + 1 :]]


def names_asked(passage: Passage, intent: QuestionIntent, question: str) -> bool:
    """Whether the article's heading says it answers the question's intent about the question's
    topic: "Thẩm quyền | đăng ký khai tử", "Thời hạn | đại diện" (knowledge.intent.heading_intent)."""
    answers, pairs = heading_answers(passage.chunk)
    # the question's pairs with its function words: typed without marks, "khai tu" would lose
    # "tu" (read as the function word "từ")
    said = {" ".join(pair) for pair in itertools.pairwise(fold(s) for s in syllables(question))}
    return answers == intent.intent and bool(pairs) and pairs <= said


def decision_inputs(
    question: str, passages: list[Passage], intent: QuestionIntent, expansion: str = ""
) -> tuple[list[Passage], dict[str, float]]:
    """The passages in citing order and the features the answering model reads (the same for
    the bot and for bench/fit_answering.py)."""
    ordered = choose_passage(passages, intent, question)
    observed = features(question, intent, candidates_of(ordered), ordered[0].idf, expansion)
    # How sure retrieval itself is: the margin between its own first two articles, whichever
    # of them the reply cites.
    observed["margin"] = features(question, intent, candidates_of(passages), None)["margin"]
    return ordered, observed


def answers_without_model(question: str, top: Passage, intent: QuestionIntent) -> bool:
    """The article answers whatever the model says (the same for the bot and for
    bench/fit_answering.py): the question names it by number ("Điều 27 Luật Cư trú"), or it
    has the line defining the term the question asks about ("Người xúi giục là ai?" →
    "Người xúi giục là người kích động …"). No guess either way."""
    if top.hit.named:
        return True
    return not top.chunk.part and defines(top.full, term_asked(question, intent))


def candidates_of(passages: list[Passage]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for p in passages:
        if p.key not in seen:
            text = f"{p.document.title} {p.chunk.article_title} {p.full}"
            seen[p.key] = Candidate(p.key, text, p.hit.score, p.hit.lexical, p.hit.dense)
    return list(seen.values())


def lead_of(passage: Passage, selection: Selection | None, intent: QuestionIntent) -> tuple[str, Chunk, str]:
    """(lead sentence(s), the chunk as cited, supporting text)."""
    chunk = passage.chunk
    if chunk.part == texts.PART_DOSSIER and (digest := dossier_lead(passage.full, LEAD_CHARS)):
        return digest, chunk, passage.full  # the papers, every case's first: not the part's start
    if chunk.part or selection is None:
        lines = [line.strip() for line in passage.full.split("\n") if line.strip()]
        # A part holding several fields ("Thời hạn giải quyết: …", "Phí, lệ phí: …") starts
        # with the field asked for ("lệ phí … bao nhiêu" → "Phí, lệ phí: Miễn phí …").
        if chunk.part and intent.procedure_part:
            label = f"{intent.procedure_part}:"
            asked = next((i for i, line in enumerate(lines) if line.startswith(label)), 0)
            lines = lines[asked:] + lines[:asked]
        # A procedure part asked for a list (the dossier) is that list: it starts the reply.
        wanted = AnswerType.none if chunk.part and intent.wants == AnswerType.listing else intent.wants
        return as_sentence(lead_text(" ".join(lines), wanted, LEAD_CHARS)), chunk, passage.full
    unit = selection.referenced or selection.unit
    article = selection.referenced_article if selection.referenced else ""
    cited = _cited_chunk(chunk, article=article, clause=unit.clause, point=unit.point)
    return lead_sentences(selection, intent, LEAD_CHARS), cited, unit.clause_text


def named_in(asked: str, top: Passage) -> tuple[NamedArticle | None, str]:
    """When the question names the cited article by number ("khoản 2 Điều 8 Luật …"): the
    reference, and the question, or "" when it asks nothing of the article but the reference
    and its frame ("Điều 27 Luật Cư trú quy định gì?"). Else (None, the question)."""
    if not top.hit.named:
        return None, asked
    number, keys, *_ = named_as(top.chunk, top.document)
    ref = next((r for r in named_articles(asked) if r.article == number.lower()), NamedArticle(number))
    return ref, asked if question_words(without_reference(asked, keys)) else ""


def selection_of(
    asked: str,
    top: Passage,
    intent: QuestionIntent,
    lookup: Callable[[Passage, str], str] | None,
    named: tuple[NamedArticle | None, str] | None = None,
) -> Selection | None:
    """The clause and sentences of the cited article that answer (None for a procedure part).
    A question asking nothing but a reference gets the clause it names ("khoản 2 Điều 20 Luật
    Cư trú"), or the article's start; with words of its own, those decide (a clause it names
    may be context: "trường hợp quy định tại khoản 1 Điều 6 thì …"). `named`: `named_in`'s
    result, when the caller has it."""
    if top.chunk.part:
        return None
    resolve = (lambda article: lookup(top, article)) if lookup else None
    ref, asked = named if named is not None else named_in(asked, top)
    ref = ref if ref is not None and not asked else None
    return select(
        asked,
        top.full,
        intent,
        idf=top.idf,
        lookup=resolve,
        heading=top.chunk.article_title,
        hit=top.chunk.text,  # the window retrieval ranked best, in a long article
        named=(ref.clause, ref.point) if ref else ("", ""),
    )


class Cap(StrEnum):
    """Why an article the model would answer with may at most be listed «có thể liên quan»."""

    none = ""
    type_missing = "type_missing"  # "phạt bao nhiêu" and no amount in the article
    offence = "offence"  # a fine asked about, a crime's article found


def cap_of(
    asked: str, top: Passage, intent: QuestionIntent, observed: dict[str, float], selection: Selection | None
) -> Cap:
    """The rules above the model (the same for the bot and for bench/fit_answering.py):
    - an article without the amount, age, penalty or time limit asked for never answers, unless
      the clause chosen points to one that has it;
    - a sanction asked about without naming a crime is an administrative fine, set by the
      government's sanction decrees: a Criminal Code article ("Tội …") is not its answer (it
      applies only when the act is a crime), so it is listed with a note saying so — unless the
      question restates the offence (OFFENCE_TOPIC)."""
    followed = selection is not None and selection.referenced is not None
    if observed["type_missing"] and intent.strict and not followed:
        return Cap.type_missing
    if (
        intent.intent == Intent.penalty
        and is_offence(top.chunk.article_title)
        and not names_crime(asked)
        and observed["topic"] < OFFENCE_TOPIC
    ):
        return Cap.offence
    return Cap.none


def related_answer(
    question: str, passages: list[Passage], probability: float, max_chars: int, *, note: str = ""
) -> Answer:
    picked: list[Passage] = []
    for p in passages:
        if p.key not in {q.key for q in picked}:
            picked.append(p)
        if len(picked) == RELATED_ARTICLES:
            break
    sources = [to_source(p) for p in picked]
    titles = []
    for p, s in zip(picked, sources, strict=True):
        heading = f" ({p.chunk.article_title})" if p.chunk.article_title and not p.chunk.part else ""
        titles.append(s.citation + heading)
    return Answer(
        question=question,
        text=compose_related(titles, max_chars, note=note),
        grounded=False,
        confidence=probability,
        sources=sources,
        kind=Kind.related.value,
    )


def absent_answer(question: str, ref: NamedArticle, document: str) -> Answer:
    """ "Điều 99 Luật Cư trú": the document is in the guidance, that article is not. Said so,
    instead of answering from another article."""
    article = texts.ARTICLE.format(number=ref.article)
    if ref.clause:
        article = f"{texts.CLAUSE.format(number=ref.clause)} {article}"
    text = texts.ARTICLE_ABSENT.format(document=document, article=article)
    return Answer(question=question, text=text, grounded=False, confidence=0.0, kind=Kind.not_found.value)


def extractive_answer(
    question: str,
    passages: list[Passage],
    *,
    max_chars: int,
    threshold: float | None = None,
    intent: QuestionIntent | None = None,
    expansion: str = "",
    lookup: Callable[[Passage, str], str] | None = None,
    model: Model | None = None,
    notes: list[str] | None = None,
) -> Answer:
    """The reply to a question from its retrieved passages. `threshold` overrides the model's
    answer threshold (MIN_CONFIDENCE setting); `lookup(passage, article)` gives another article
    of the passage's document, for cross-references; `expansion` is the lay-vocabulary text
    retrieval added to the question."""
    if not passages:
        return Answer(question=question, text=NOT_FOUND, grounded=False, confidence=0.0)
    intent = intent or detect_intent(question)
    model = model or load_model()
    asked = f"{question} {expansion}".strip()
    passages, observed = decision_inputs(question, passages, intent, expansion)
    top = passages[0]
    probability = model.probability(observed)
    kind = model.decide(probability) if threshold is None else _decide(model, probability, threshold)
    if answers_without_model(question, top, intent):
        kind = Kind.answer
    named = named_in(asked, top)
    selection = selection_of(asked, top, intent, lookup, named) if kind == Kind.answer else None
    cap = cap_of(asked, top, intent, observed, selection) if kind == Kind.answer else Cap.none
    if cap != Cap.none:
        kind = Kind.related
    if kind == Kind.related and observed["topic"] <= 0:
        kind = Kind.not_found  # "có thể liên quan" needs a topic word of the question in the article
    if kind == Kind.not_found:
        return Answer(question=question, text=NOT_FOUND, grounded=False, confidence=probability)
    if kind == Kind.related:
        note = OFFENCE_NOTE if cap == Cap.offence else ""
        return related_answer(question, passages, probability, max_chars, note=note)
    lead, cited, support = lead_of(top, selection, intent)
    first = to_source(top, cited=cited)
    support_clause = cited.clause
    ref, rest = named
    if ref is not None and not rest and not ref.clause and not top.chunk.part:
        support, support_clause = top.full, ""  # "Điều 27 Luật Cư trú quy định gì?": the article itself
    elif selection is not None and selection.referenced is None and says_all_of(lead, support):
        # The lead is its whole clause: the support shows the article's next clause that
        # speaks of the question instead of repeating it (nothing when the lead says that too).
        nxt = selection.next_clause
        shown = nxt is not None and not says_all_of(lead, nxt.clause_text)
        support, support_clause = (nxt.clause_text, nxt.clause) if nxt and shown else ("", "")
    support_citation = ""
    if support and top.chunk.article_title and not top.chunk.part:
        whole = citation(_cited_chunk(top.chunk, article=cited.article, clause=support_clause), top.document)
        support_citation = (
            f"{whole} ({top.chunk.article_title})" if cited.article == top.chunk.article else whole
        )
    others: list[Source] = []
    seen = {top.key}
    for p in passages[1:]:
        if p.key not in seen and p.hit.score >= 0.6 * top.hit.score and len(others) < MAX_SOURCES - 1:
            others.append(to_source(p))
        seen.add(p.key)
    all_notes = list(notes or [])
    if top.document.status == DocumentStatus.amended:
        all_notes.append(AMENDED_NOTE)
    parts = ReplyParts(
        lead=lead,
        citation=first.citation,
        support=support,
        support_citation=support_citation,
        notes=all_notes,
        see_also=[s.citation for s in others],
    )
    text = compose_reply(parts, max_chars)
    return Answer(
        question=question,
        text=text,
        grounded=True,
        confidence=probability,
        sources=[first, *others],
        kind=Kind.answer.value,
        lead=lead,
    )


def _decide(model: Model, probability: float, threshold: float) -> Kind:
    if probability >= threshold:
        return Kind.answer
    return Kind.related if probability >= min(model.related_at, threshold) else Kind.not_found
