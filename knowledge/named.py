"""Articles a question names by number: "Điều 27 Luật Cư trú quy định gì?", "khoản 2 Điều 8
Luật Hôn nhân và gia đình", "theo Điều 33 Nghị định 123/2015/NĐ-CP", typed with or without
marks. An official who names the article asks about that article: retrieval ranks it first
(knowledge.retrieve) and the reply cites it (knowledge.answer), the clause named first.

A document is named by its title ("Luật Cư trú", "Bộ luật dân sự 2015"), its number
("68/2020/QH14", "123/2015/NĐ-CP", "123/2015") or its type and first number, as officials say
it ("Nghị định 139", "NĐ 139", "Nghị định số 139 năm 2025"); an article of a compilation (Pháp điển) by the
text it comes from ("Luật Hộ tịch", "60/2014/QH13"). "Điều 27" with no document named is not
resolved: every law has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.models import Chunk, Document
from knowledge import texts
from knowledge.normalize import fold, normalize_text

# Folded: "điểm a khoản 2 điều 8", "khoản 2 điều 8", "điều 8"; "điều kiện" has no number.
_REFERENCE = re.compile(r"\b(?:(?:diem ([a-z]) )?khoan (\d{1,3}) )?dieu (\d{1,4}[a-z]?)\b")
_PARENTHESIS = re.compile(r"\([^)]*\)")
_NOT_KEY = re.compile(r"[^0-9a-z/\-]+")
_YEAR_IN_NUMBER = re.compile(r"^\d+/((?:19|20)\d\d)\b")
# A document type abbreviated before its number ("NĐ 139", "TT số 04"), folded.
_TYPE_ABBREVIATION = re.compile(r"(?<= )(nd|tt|qd|nq)(?= (?:so )?\d)")
_TYPES = {"nd": "nghi dinh", "tt": "thong tu", "qd": "quyet dinh", "nq": "nghi quyet"}
MIN_TITLE_WORDS = 2  # "Luật Cư trú"; a one-word title ("Luật") would name everything


@dataclass(frozen=True)
class NamedArticle:
    article: str  # "27"
    clause: str = ""  # "2" when the question names "khoản 2"
    point: str = ""  # "a" when it names "điểm a"


def match_key(text: str) -> str:
    """Folded words, numbers kept with their "/" and "-", padded with spaces for whole-word
    matching: ' dieu 27 luat cu tru so 68/2020/qh14 '."""
    return f" {' '.join(_NOT_KEY.sub(' ', fold(normalize_text(text).lower())).split())} "


def asked_key(question: str) -> str:
    """`match_key` of a question, a document type abbreviated before a number spelt out."""
    return _TYPE_ABBREVIATION.sub(lambda m: _TYPES[m.group(1)], match_key(question))


def named_articles(question: str) -> list[NamedArticle]:
    """The article references of a question, in order."""
    return [
        NamedArticle(article, clause or "", point or "")
        for point, clause, article in _REFERENCE.findall(match_key(question))
    ]


def document_keys(title: str, number: str, doc_type: str = "") -> frozenset[str]:
    """How a question names a document: its title without what brackets add, its number, the
    number's first two parts ("123/2015" for "123/2015/NĐ-CP"), and its type with the number's
    first part ("nghi dinh 123", "nghi dinh so 123"; the year, when said, must be the number's)."""
    keys = set()
    name = match_key(_PARENTHESIS.sub(" ", title)).strip()
    if len(name.split()) >= MIN_TITLE_WORDS:
        keys.add(name)
    code = match_key(number).strip()
    if "/" in code:
        keys.add(code)
        head = "/".join(code.split("/")[:2])
        if head != code:
            keys.add(head)
        kind = match_key(doc_type).strip()
        if kind:
            first = code.split("/")[0]
            keys |= {f"{kind} {first}", f"{kind} so {first}"}
    return frozenset(keys)


def document_year(number: str) -> str:
    """The year of a document's number ("2020" for "68/2020/QH14"), or ""."""
    match = _YEAR_IN_NUMBER.search(number)
    return match.group(1) if match else ""


def _names(asked: str, key: str, year: str) -> bool:
    """Whether the question names the document by `key`; a title followed by another year
    ("Luật Cư trú 2006" for the 2020 law) names another text."""
    if f" {key} " not in asked:
        return False
    if "/" in key or not year:
        return True
    stated = re.search(rf" {re.escape(key)} (?:(?:nam|ban hanh nam|ngay \S+ nam) )?((?:19|20)\d\d) ", asked)
    return stated is None or stated.group(1) == year


@dataclass(frozen=True)
class Resolution:
    """What a question's article references resolve to in the guidance."""

    article: NamedArticle | None = None  # the first article named in a document named
    chunks: frozenset[str] = frozenset()  # that article's chunks
    # An article named in a document the guidance has, which lacks it ("Điều 99 Luật Cư trú"):
    # (the reference, the document's name).
    absent: tuple[NamedArticle, str] | None = None


class ArticleCatalogue:
    """Chunks by article number with the keys of their document, to resolve a named article."""

    def __init__(self) -> None:
        self._by_article: dict[str, list[tuple[str, frozenset[str], str]]] = {}
        self._documents: dict[tuple[frozenset[str], str], str] = {}  # (keys, year) → name

    def add(self, chunk_id: str, article: str, keys: frozenset[str], year: str = "", name: str = "") -> None:
        if article and article[0].isdigit() and keys:  # a text with articles (not a procedure record)
            self._by_article.setdefault(article.lower(), []).append((chunk_id, keys, year))
            self._documents.setdefault((keys, year), name)

    def resolve(self, question: str) -> Resolution:
        """`find`; when it finds nothing, the first article named, if the question names a
        document the guidance has (by its longest name): that document lacks it."""
        refs = named_articles(question)
        if not refs:  # most questions: nothing more to read
            return Resolution()
        asked = asked_key(question)
        ref, chunks = self._find(refs, asked)
        if ref is not None:
            return Resolution(ref, chunks)
        length, name = max(
            ((_named_length(asked, keys, year), name) for (keys, year), name in self._documents.items()),
            default=(0, ""),
        )
        return Resolution(absent=(refs[0], name)) if length else Resolution()

    def find(self, question: str) -> tuple[NamedArticle | None, frozenset[str]]:
        """The first article the question names in a document it names, and that article's
        chunks (of every document named by the longest key: a law and its copy)."""
        refs = named_articles(question)
        return self._find(refs, asked_key(question)) if refs else (None, frozenset())

    def _find(self, refs: list[NamedArticle], asked: str) -> tuple[NamedArticle | None, frozenset[str]]:
        for ref in refs:
            best, found = 0, set()
            for chunk_id, keys, year in self._by_article.get(ref.article, ()):
                length = _named_length(asked, keys, year)
                if length > best:
                    best, found = length, {chunk_id}
                elif length and length == best:
                    found.add(chunk_id)
            if found:
                return ref, frozenset(found)
        return None, frozenset()


def _named_length(asked: str, keys: frozenset[str], year: str) -> int:
    """The length of the longest key by which the question names the document (0: not named)."""
    return max((len(k) for k in keys if _names(asked, k, year)), default=0)


def named_as(chunk: Chunk, document: Document) -> tuple[str, frozenset[str], str, str]:
    """(article number, keys of its document, the document's year, its name "Luật Cư trú số
    68/2020/QH14") by which a question names the chunk's article: an article of a compilation
    (Pháp điển) by the text it comes from ("Điều 33 Luật Hộ tịch")."""
    if chunk.origin_number:
        title, number = f"{chunk.origin_type} {chunk.origin_title}".strip(), chunk.origin_number
        article, kind = chunk.origin_article or chunk.article, chunk.origin_type
    else:
        title, number, article, kind = document.title, document.number, chunk.article, document.doc_type
    name = texts.NUMBERED.format(name=title, number=number) if number and number not in title else title
    return article, document_keys(title, number, kind), document_year(number), name


def without_reference(question: str, keys: frozenset[str]) -> str:
    """The question (folded) without its article references and the document names `keys`:
    what it asks of the article ("" for "Điều 27 Luật Cư trú quy định gì?" but the frame)."""
    text = _REFERENCE.sub(" ", asked_key(question))
    for key in sorted(keys, key=len, reverse=True):
        text = text.replace(f" {key} ", " ")
    return " ".join(text.split())
