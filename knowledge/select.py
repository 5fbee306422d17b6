"""Inside the best article: the clause, point and sentence that answer the question.

An article is cut into units (one sentence of a clause or of a point); each unit is scored by
the question's content words it contains, weighted by their rarity in the index (the topic
words count, "đăng ký" does not), plus whether it holds the kind of answer the intent wants
(a duration for "bao lâu", an amount for "phí bao nhiêu") and the words of that intent
("thời hạn", "hồ sơ gồm"). A unit that only points elsewhere ("theo quy định tại khoản 1
Điều 8") is replaced by the clause it points to when that one holds the answer.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.chunking import split_clauses, split_points
from knowledge.definitions import asked_term, defined_terms, term_key
from knowledge.intent import (
    AnswerType,
    Intent,
    QuestionIntent,
    clause_cue,
    fit,
    has_answer_type,
    has_value,
    text_key,
)
from knowledge.normalize import fold, normalize_text
from knowledge.terms import STOP_FOLDED, query_terms, without_prefixed

TYPE_WEIGHT = 0.35  # a unit holding the answer type asked for
CUE_WEIGHT = 0.15  # a unit speaking of what the intent asks ("thời hạn", "hồ sơ")
ARTICLE_RARITY = 2.0  # how much a question word few of the article's units hold weighs more
DENIED_WEIGHT = 0.25  # a unit saying "không" of what the question says "không" of: the case asked
DEFINES_WEIGHT = 0.5  # the unit defining the term a "là gì" question asks about
POSITION_WEIGHT = 0.01  # earlier units win ties
RULE_FIRST_WEIGHT = 0.03  # "quy định thế nào về …": an article states its main rule first (per clause)
TIE_WEIGHT = 0.002  # inside a clause, the earlier sentence on a tie
OWN_WEIGHT = 0.1  # the unit's own words, beside those it inherits from the offence it is about
HIT_WEIGHT = 0.1  # a sentence of the window retrieval ranked best, in a long article
VALUE_WEIGHT = 0.2  # a unit stating the value the question names ("phạt tù lên đến 05 năm")
QUALIFIER_WEIGHT = 0.4  # "tối thiểu" → the mildest clause, "tối đa" → the severest, "còn bị" → additional
NAMED_WEIGHT = 1.0  # the clause (and point) the question names ("khoản 2 Điều 8"): above every other
# A circular's illustration ("Ví dụ: ông Lê Văn H và bà Nguyễn Thị M yêu cầu …") shows a rule,
# it does not state one: below every other unit.
EXAMPLE_WEIGHT = 1.0
_EXAMPLE = re.compile(r"^(?:\d{1,3}\s*[.)]\s*|[a-zđ]\)\s*)?ví dụ\b", re.IGNORECASE)  # a line that starts one
# The next clause worth showing when the lead already says all of its own clause: the best
# unit of another clause, if its score is at least this share of the lead's.
NEXT_CLAUSE_SHARE = 0.5

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9])")
_NUMBERING = re.compile(r"^(\d{1,3}\s*[.)]|[a-zđ]\))\s*")
# "theo quy định tại điểm a khoản 1 Điều 8 của Luật này", "quy định tại khoản 2 Điều này"
_REFERENCE = re.compile(
    r"(?:quy định tại|theo|tại)\s+(?:điểm\s+([a-zđ])\s+)?(?:khoản\s+(\d{1,3})\s+)?Điều\s+(này|\d+[a-zđ]?)",
    re.IGNORECASE,
)


SAME_ARTICLE = frozenset({"này"})  # "khoản 2 Điều này": the article itself
_AGGRAVATED = re.compile(r"^\d{1,3}\s*[.)]\s*(Phạm tội|Vi phạm)\b", re.IGNORECASE)
_CITED = re.compile(r"\b(?:điểm\s+[a-zđ]|khoản\s+\d{1,3}|Điều\s+(?:này|\d+[a-zđ]?))\b", re.IGNORECASE)
# "Người phạm tội còn có thể bị phạt tiền …": an additional penalty, about the same offence.
_ADDITIONAL = re.compile(
    r"^\d{1,3}\s*[.)]\s*(Người phạm tội|Pháp nhân thương mại phạm tội)\s+còn\b", re.IGNORECASE
)

# Folded question parts that frame the question and say nothing of which clause answers it:
# the law it cites ("Theo Điều 32 Bộ luật dân sự 2015", "Luật An ninh mạng năm 2018") and
# "quy định thế nào về".
_FRAME = re.compile(
    r"\b(?:theo\s+)?(?:dieu\s+\d+[a-z]?\s*[:,.]?\s*)?(?:bo\s+)?luat(?:\s+[a-z]+){1,6}?\s+(?:nam\s+)?(?:19|20)\d\d\b"
    r"|\b(?:theo\s+)?dieu\s+\d+[a-z]?\b|\bquy dinh (?:nhu )?(?:the nao|ra sao|gi)(?: ve)?\b|\btheo quy dinh\b"
    r"|\blam gi\b|\b(?:nhu )?the nao\b|\bra sao\b"
)
# A value the question names ("lên đến 05 năm", "50.000.000 đồng"), folded.
_VALUE = re.compile(r"\b(\d[\d.,]*)\s*(nam|thang|ngay|gio|tuoi|dong|trieu|%)")
# "Người nào …, thì bị phạt …": the offence is the part before its penalty.
_PENALTY_START = re.compile(r",?\s+thì\s+(?:bị|có thể bị)\s+(?:phạt|xử phạt)", re.IGNORECASE)
# "có phải là tội phạm không": the sentence that says yes or no ("không phải là tội phạm").
_ASKS_PERMISSION = re.compile(r"\bco (duoc|phai|bi|can|the)\b")
_PERMITS = r"\b(khong {verb}|nghiem cam|duoc phep|khong duoc|co quyen)\b"
# What the question qualifies the penalty by (folded).
_LOWEST = re.compile(r"\b(toi thieu|thap nhat|it nhat|nhe nhat)\b")
_HIGHEST = re.compile(r"\b(toi da|cao nhat|nang nhat|nhieu nhat)\b")
_ASKS_ADDITIONAL = re.compile(r"\bcon (co the )?(bi|phai chiu|ap dung)\b")
_IS_ADDITIONAL = re.compile(r"\bcon (co the )?bi\b")
_PRISON = re.compile(r"\b(\d+)\s*(nam|thang)\b")
_MONEY = re.compile(r"\b(\d{1,3}(?:\.\d{3})+|\d+)\s*dong\b")
_LIFE = {"tu chung than": 30 * 12, "tu hinh": 40 * 12}


@dataclass
class Unit:
    clause: str  # "1", or "" for an article's lead-in
    point: str  # "a", or ""
    text: str  # one sentence (numbering kept)
    clause_text: str  # the whole clause the unit belongs to (the reply's support)
    intro: str = ""  # the clause's lead-in line when the unit is in a point
    # The offence a "Phạm tội thuộc một trong các trường hợp sau đây" clause is about: the
    # article's first clause, which the later (aggravated) clauses refer to without repeating.
    background: str = ""
    example: bool = False  # a sentence of a "Ví dụ: …" line (EXAMPLE_WEIGHT)


@dataclass
class Selection:
    unit: Unit
    score: float
    referenced: Unit | None = None  # the clause a reference pointed to, when it was followed
    referenced_article: str = ""
    items: list[str] = field(default_factory=list)  # the list a lead-in ending in ":" introduces
    weights: dict[str, float] = field(default_factory=dict)  # the question's words (for the lead's cut)
    following: list[str] = field(default_factory=list)  # the unit's next sentences, same clause and point
    siblings: list[str] = field(default_factory=list)  # a point's clause: every point (first sentence)
    whole: str = ""  # the article's sentences, numbering left out (a short article answers whole)
    next_clause: Unit | None = None  # the best unit of another clause (NEXT_CLAUSE_SHARE)
    denied: frozenset[str] = frozenset()  # the question's words it says "không" of (for the lead's cut)


def article_units(text: str, heading: str = "") -> list[Unit]:
    """The sentences of an article, without its heading line when the text repeats it."""
    units = []
    heading_key = " ".join(heading.lower().split()).rstrip(".")
    first = offence = ""
    for number, clause_text in split_clauses(text):
        if not number and heading_key and " ".join(clause_text.lower().split()).rstrip(".") == heading_key:
            continue
        if number and not first:
            first = clause_text
            offence = _PENALTY_START.split(first, maxsplit=1)[0]
        inherits = _AGGRAVATED.match(clause_text) or _ADDITIONAL.match(clause_text)
        background = offence if number and clause_text != first and inherits else ""
        blocks = split_points(clause_text)
        intro = blocks[0][1] if len(blocks) > 1 and not blocks[0][0] else ""
        for letter, block in blocks:
            examples = _example_spans(block)
            for start, sentence in _sentences(block.replace("\n", " ")):
                if len(sentence.strip()) >= 8:
                    example = any(a <= start < b for a, b in examples)
                    units.append(
                        Unit(
                            number,
                            letter,
                            sentence.strip(),
                            clause_text,
                            intro if letter else "",
                            background,
                            example,
                        )
                    )
    return units


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of a paragraph, split where a sentence ends and the next begins."""
    out, last = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append((last, text[last : match.start()]))
        last = match.end()
    out.append((last, text[last:]))
    return out


def _example_spans(block: str) -> list[tuple[int, int]]:
    """Where the block's "Ví dụ: …" lines are (offsets; a line keeps its length when joined)."""
    spans, at = [], 0
    for line in block.split("\n"):
        if _EXAMPLE.match(line.strip()):
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def question_words(question: str) -> str:
    """The question without its frame (the law it cites, "quy định thế nào về", "làm gì"),
    marks kept ("đề án" is not the function word "để")."""
    text = normalize_text(question)
    key = fold(text.lower())
    if len(key) != len(text):
        return text
    kept, last = [], 0
    for match in _FRAME.finditer(key):
        kept.append(text[last : match.start()])
        last = match.end()
    kept.append(text[last:])
    return " ".join(" ".join(kept).split()).strip(" ,;:.")


_WHO_IS = re.compile(r"(?:^|[,:])\s*([^,:]+?)\s+la ai\s*\??$")


def _who_is(question: str) -> str:
    """ "Người xúi giục là ai?" asks who the term names: the line defining it answers."""
    match = _WHO_IS.search(term_key(question))
    return match.group(1) if match else ""


def _weights(question: str, idf: Callable[[str], float] | None) -> dict[str, float]:
    uni, bi = query_terms(question_words(question) or question)
    weights = {w: (idf("~" + w) if idf else 1.0) for w in uni}
    weights |= {b: 0.5 * (idf("~" + b) if idf else 1.0) for b in bi if all(p in uni for p in b.split("_"))}
    return weights


def term_asked(question: str, intent: QuestionIntent) -> str:
    """The term whose definition answers the question, folded: the term of a "là gì" question,
    the one "… là ai?" names; "" for other questions."""
    return asked_term(question) if intent.intent == Intent.definition else _who_is(question)


def defines(text: str, term: str) -> bool:
    """Whether one of the article's lines defines the term ("Người xúi giục là người …")."""
    return bool(term) and any(_defines(u, term) for u in article_units(text))


def _defines(unit: Unit, term: str) -> bool:
    return bool(term) and term in defined_terms(strip_numbering(unit.text))


def _within_article(weights: dict[str, float], units: list[Unit]) -> dict[str, float]:
    """The question's weights, each word or pair raised by how few of the article's units hold
    it: the units are told apart by what the others lack ("cùng cộng tác" names clause 4 of
    Điều 572 Bộ luật dân sự; "hoàn thành", "hứa thưởng" are in all of them). A word no unit
    holds is left as it is (it tells no unit apart)."""
    held = [set().union(*query_terms(_context(u))) for u in units]
    out = {}
    for key, weight in weights.items():
        count = sum(key in terms for terms in held)
        rarer = ARTICLE_RARITY * math.log((len(units) + 1) / (count + 1)) if count else 0.0
        out[key] = weight * (1 + rarer)
    return out


def overlap(weights: dict[str, float], text: str) -> float:
    """Share of the question's (rarity-weighted) content words and pairs found in the text."""
    if not weights:
        return 0.0
    uni, bi = query_terms(without_prefixed(text, weights))  # "động sản" is not in "bất động sản"
    found = uni | bi
    total = math.fsum(weights[k] for k in sorted(weights))
    return math.fsum(weights[k] for k in sorted(weights) if k in found) / (total or 1.0)


def score_unit(
    unit: Unit,
    weights: dict[str, float],
    intent: QuestionIntent,
    term: str,
    position: int,
    values: tuple[str, ...] = (),
    permits: str = "",
    denied: frozenset[str] = frozenset(),
) -> float:
    """`values`: the folded values the question names ("05 nam"); `permits`: the pattern of
    a yes/no answer to a "có được … không" question; `denied`: the words the question says
    "không" of ("nếu không thể trả vật": the unit saying "không thể trả" is the case asked)."""
    context = f"{unit.intro} {unit.text}" if unit.intro else unit.text
    own = overlap(weights, _CITED.sub(" ", context))  # "Điều 23" says nothing of "điều kiện"
    score = own
    if unit.background:  # an aggravated clause is about the offence of clause 1, but its own words decide
        score = overlap(weights, _CITED.sub(" ", f"{unit.background} {context}")) + OWN_WEIGHT * own
    else:
        score += OWN_WEIGHT * own
    if intent.wants != AnswerType.none and has_answer_type(context, intent.wants):
        score += TYPE_WEIGHT  # a point inherits its lead-in ("Phạt tiền từ … đối với hành vi sau đây:")
    if intent.intent != Intent.general and clause_cue(context, intent.intent):
        score += CUE_WEIGHT
    if intent.processing and fit(context, intent) > 1:
        score += CUE_WEIGHT
    if _defines(unit, term):
        score += DEFINES_WEIGHT
    key = text_key(context)
    if values and any(v in key for v in values):
        score += VALUE_WEIGHT
    if permits and re.search(permits, key):
        score += CUE_WEIGHT
    if any(re.search(rf"\bkhong {re.escape(w)}\b", key) for w in sorted(denied)):
        score += DENIED_WEIGHT
    if unit.example:
        score -= EXAMPLE_WEIGHT
    if intent.wants != AnswerType.none:
        return score - POSITION_WEIGHT * position
    return score - RULE_FIRST_WEIGHT * _clause_index(unit) - TIE_WEIGHT * position


def _clause_index(unit: Unit) -> int:
    return int(unit.clause) - 1 if unit.clause.isdigit() else 0


def severity(text: str) -> tuple[int, int] | None:
    """(lowest, highest) penalty a text names, in months of prison or in đồng for a fine."""
    key = text_key(text)
    values = [int(n) * (12 if unit == "nam" else 1) for n, unit in _PRISON.findall(key)]
    values += [months for phrase, months in _LIFE.items() if phrase in key]
    if not values:
        values = [int(n.replace(".", "")) for n in _MONEY.findall(key)]
    return (min(values), max(values)) if values else None


def _qualified(question: str, units: list[Unit], scores: list[float], intent: QuestionIntent) -> None:
    """ "Phạt tù tối thiểu bao nhiêu năm" → the clause with the mildest penalty; "tối đa" → the
    severest; "còn có thể bị phạt tiền" → the additional penalty clause (scores in place)."""
    if intent.intent != Intent.penalty and intent.wants not in (AnswerType.money, AnswerType.penalty):
        return
    key = text_key(question)
    if _ASKS_ADDITIONAL.search(key):
        for i, unit in enumerate(units):
            if unit.clause and _IS_ADDITIONAL.search(text_key(unit.clause_text)):
                scores[i] += QUALIFIER_WEIGHT
        return
    lowest, highest = bool(_LOWEST.search(key)), bool(_HIGHEST.search(key))
    if lowest == highest:
        return
    bounds = {}
    for unit in units:
        if (
            unit.clause
            and unit.clause not in bounds
            and not _IS_ADDITIONAL.search(text_key(unit.clause_text))
        ):
            found = severity(
                unit.clause_text.split(":")[0]
                if unit.clause_text.rstrip().endswith(":")
                else unit.clause_text
            )
            if found is not None and has_answer_type(unit.clause_text, intent.wants):
                bounds[unit.clause] = found
    if len(bounds) < 2:
        return
    chosen = (
        min(bounds, key=lambda c: (bounds[c][0], int(c) if c.isdigit() else 0))
        if lowest
        else max(bounds, key=lambda c: (bounds[c][1], -(int(c) if c.isdigit() else 0)))
    )
    for i, unit in enumerate(units):
        if unit.clause == chosen:
            scores[i] += QUALIFIER_WEIGHT


def _follow(
    unit: Unit, units: list[Unit], lookup: Callable[[str], str] | None, intent: QuestionIntent
) -> tuple[Unit | None, str]:
    """The clause a unit refers to ("khoản 1 Điều 8"), if it holds the answer type wanted."""
    match = _REFERENCE.search(unit.text)
    if match is None or intent.wants == AnswerType.none or has_answer_type(unit.text, intent.wants):
        return None, ""
    point, clause, article = match.group(1) or "", match.group(2) or "", match.group(3)
    pool = units
    if article.lower() not in SAME_ARTICLE:
        text = lookup(article) if lookup else ""
        if not text:
            return None, ""
        pool = article_units(text)
    candidates = [u for u in pool if (not clause or u.clause == clause) and (not point or u.point == point)]
    found = next((u for u in candidates if has_answer_type(u.text, intent.wants)), None)
    return found, ("" if article.lower() in SAME_ARTICLE else article)


def select(
    question: str,
    text: str,
    intent: QuestionIntent,
    *,
    idf: Callable[[str], float] | None = None,
    lookup: Callable[[str], str] | None = None,
    heading: str = "",
    hit: str = "",
    named: tuple[str, str] = ("", ""),
) -> Selection | None:
    """The best unit of an article for the question; `lookup(article number)` gives another
    article of the same document, for references; `hit`: the part of a long article retrieval
    ranked best (its window), whose sentences are preferred a little; `named`: the (clause,
    point) the question names in this article ("khoản 2 điểm a"), preferred to all others."""
    units = article_units(text, heading)
    if not units:
        return None
    weights = _within_article(_weights(question, idf), units)
    term = term_asked(question, intent)
    key = text_key(question)
    values = tuple(f"{n} {u}" for n, u in _VALUE.findall(key))
    asked = _ASKS_PERMISSION.search(key) if intent.intent == Intent.permission else None
    permits = _PERMITS.format(verb=asked.group(1)) if asked else ""
    denied = denied_words(question)
    scores = [score_unit(u, weights, intent, term, i, values, permits, denied) for i, u in enumerate(units)]
    if intent.strict:
        # "bao nhiêu tuổi", "phạt tiền bao nhiêu", "bao lâu": only a unit stating an age, an
        # amount, a penalty or a time limit answers, when the article has one.
        holds = [has_value(_context(u), intent.wants) for u in units]
        if any(holds):
            scores = [s if h else s - 1.0 for s, h in zip(scores, holds, strict=True)]
    _qualified(question, units, scores, intent)
    clause, point = named
    if clause:
        scores = [
            sc + NAMED_WEIGHT * (u.clause == clause and (not point or u.point == point))
            for sc, u in zip(scores, units, strict=True)
        ]
    if hit and len(hit) < len(text):
        window = " ".join(hit.split())
        scores = [
            sc + HIT_WEIGHT * (" ".join(u.text.split()) in window)
            for sc, u in zip(scores, units, strict=True)
        ]
    best_score, index = max(((sc, i) for i, sc in enumerate(scores)), key=lambda s: (s[0], -s[1]))
    best = units[index]
    referenced, article = _follow(best, units, lookup, intent)
    following = []
    for unit in units[index + 1 :]:
        if (unit.clause, unit.point) != (best.clause, best.point):
            break
        following.append(strip_numbering(unit.text))
    siblings: list[str] = []
    if best.point and best.intro.rstrip().endswith(":"):
        start = next(i for i, u in enumerate(units) if u.clause == best.clause)
        siblings = _items(units, start) if units[start].text.rstrip().endswith(":") else []
    whole = " ".join(strip_numbering(u.text) for u in units)
    items = _items(units, index)
    return Selection(
        best,
        best_score,
        referenced,
        article,
        items,
        weights,
        following,
        siblings,
        whole,
        _next_clause(units, scores, best, best_score),
        denied,
    )


_DENIED = re.compile(r"\bkhong (\w+)")


def denied_words(question: str) -> frozenset[str]:
    """The words a question says "không" of ("mà không biết ai là chủ sở hữu" → {"biet"})."""
    return frozenset(_DENIED.findall(text_key(question)))


def _next_clause(units: list[Unit], scores: list[float], best: Unit, best_score: float) -> Unit | None:
    """The best-scored unit of another numbered clause, when it scores NEXT_CLAUSE_SHARE of
    the best unit's at least (the earlier on a tie)."""
    others = [
        (sc, -i)
        for i, (sc, u) in enumerate(zip(scores, units, strict=True))
        if u.clause and u.clause != best.clause
    ]
    if not others or best_score <= 0:
        return None
    score, earlier = max(others)
    return units[-earlier] if score >= NEXT_CLAUSE_SHARE * best_score else None


_WORD = re.compile(r"\w+")
ECHO_BACK = 40  # characters of the echo kept before the answer ("chỉ được thử việc một lần …")
MIN_ANSWER = 20  # characters an answer after the echo has at least
_PART = re.compile(r";\s+")
_PHRASE_END = re.compile(r"[,;]\s+")
ECHO_SLACK = 25  # how far from ECHO_BACK a phrase start may be, to be preferred to a word
MIN_ECHO = 8  # characters of echo at least before the answer


def echo_end(text: str, weights: dict[str, float], denied: frozenset[str] = frozenset()) -> int | None:
    """Where a sentence stops repeating the question, i.e. where its answer starts: after the
    run of question words that completes the question ("Việc … người đã chết phải được sự
    đồng ý | của vợ, chồng …" for "… phải được sự đồng ý của ai?"). When that run closes the
    sentence's part ("…; trường hợp do thiên tai … thì không phải bồi thường"), the part's
    start. None: no question word in the text, or the run's part says "không" of a question
    word the question does not deny (`denied`): it is the other case ("…; nếu không biết ai là
    chủ sở hữu thì …" for "… mà biết ai là chủ sở hữu thì phải làm gì?"), not the one asked."""
    words = [(m.start(), m.end(), fold(m.group().lower())) for m in _WORD.finditer(text)]
    words = words[_denying_part(text, words, denied) :]
    wanted = {w for w in weights if "_" not in w}
    missing = {w for *_, w in words if w in wanted}
    if not missing:
        return None
    done = 0
    for done, (*_, word) in enumerate(words):  # noqa: B007 (the index is used after the loop)
        missing.discard(word)
        if not missing:
            break
    # The run goes on through its function words ("không biết ai là chủ sở hữu").
    while True:
        ahead = next((j for j in range(done + 1, min(done + 4, len(words))) if words[j][2] in wanted), None)
        if ahead is None or any(words[j][2] not in STOP_FOLDED for j in range(done + 1, ahead)):
            break
        done = ahead
    at = words[done][1]
    starts = [m.end() for m in _PART.finditer(text, 0, at)]  # of the ";" parts before the run's end
    part = starts[-1] if starts else 0
    echoed = [w for start, _, w in words[: done + 1] if start >= part]
    if any(a == "khong" and b in wanted and b not in denied for a, b in itertools.pairwise(echoed)):
        return None
    if len(text) - at < MIN_ANSWER:
        return starts[-1] if starts else None
    return at


def _denying_part(text: str, words: list[tuple[int, int, str]], denied: frozenset[str]) -> int:
    """The first word of the ";" part saying "không" of a word the question says "không" of
    ("…; trường hợp do thiên tai … thì không phải bồi thường" for "người lao động không phải bồi
    thường trong trường hợp nào?"): the case asked, where the echo is looked for; 0 when no part
    does."""
    for j, ((start, _, a), (*_, b)) in enumerate(itertools.pairwise(words)):
        if a == "khong" and b in denied:
            parts = [m.end() for m in _PART.finditer(text, 0, start)]
            begin = parts[-1] if parts else 0
            return next(i for i in range(j + 1) if words[i][0] >= begin)
    return 0


def echo_start(text: str, at: int) -> int:
    """Where the answer is read from, with the end of its echo: about ECHO_BACK characters
    before `at`, after a comma or semicolon there when one is near (ECHO_SLACK), so the shown
    part starts a phrase ("… người đã chết phải được sự đồng ý của …", not "… tích, người đã
    chết …"); else at the word there."""
    aim = at - ECHO_BACK
    marks = [m.end() for m in _PHRASE_END.finditer(text, max(aim - ECHO_SLACK, 0), max(at - MIN_ECHO, 0))]
    if marks:
        return min(marks, key=lambda p: (abs(p - aim), p))
    return next((m.start() for m in _WORD.finditer(text) if m.start() >= aim), at)


def _context(unit: Unit) -> str:
    return f"{unit.intro} {unit.text}" if unit.intro else unit.text


def _items(units: list[Unit], index: int) -> list[str]:
    """The points of a clause lead-in, or the clauses of an article lead-in, ending in ":"
    (the first sentence of each)."""
    lead = units[index]
    if not lead.text.rstrip().endswith(":"):
        return []
    items: list[str] = []
    seen: set[tuple[str, str]] = set()
    for unit in units[index + 1 :]:
        if lead.clause and (unit.clause != lead.clause or not unit.point):
            break  # a clause lead-in: its points only
        if (unit.clause, unit.point) not in seen:
            seen.add((unit.clause, unit.point))
            items.append(strip_numbering(unit.text))
    return items


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text.strip())
