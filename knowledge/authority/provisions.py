"""The provisions a transfer clause names, read into (document, article, clause, point).

"điểm c, điểm d khoản 1 Điều 25; Điều 33 Nghị định số 105/2017/NĐ-CP" names three provisions of
one decree; "khoản 2 Điều 108 Luật Đất đai, khoản 7 Điều 12 và khoản 9 Điều 13 Nghị định số
88/2024/NĐ-CP" names provisions of two texts. Points belong to the clause written after them,
clauses to the article after them, articles to the document after them. Matching runs on the
folded text (fold keeps Vietnamese NFC text the same length), spans are read back from the
original so a point "đ" stays "đ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge import texts
from knowledge.normalize import fold, fold_key

# Amendment notes and short names are not provisions of their own: "(đã được sửa đổi, bổ sung
# tại điểm a khoản 6 Điều 11 Nghị định số 35/2023/NĐ-CP …)", "(sau đây gọi là …)".
_PARENTHESES = re.compile(r"\([^()]*\)")
_AMENDED_BY = re.compile(r"\s(?:duoc|da duoc) sua doi,? bo sung (?:boi|tai) [^;]*?(?=;|$)")
_TOKEN = re.compile(
    r"(?P<points>(?:cac\s+)?diem\s+[a-z](?:\s*(?:,|va)\s*(?:diem\s+)?[a-z](?![a-z0-9]))*)(?![a-z0-9])"
    r"|(?P<clauses>(?:cac\s+)?khoan\s+\d+[a-z]?(?:\s*(?:,|va)\s*(?:khoan\s+)?\d+[a-z]?(?![a-z0-9/]))*)"
    r"|(?P<article>dieu\s+\d+[a-z]?)(?![a-z0-9/])"
    r"|(?P<numbered>(?:nghi dinh|nghi quyet|quyet dinh|thong tu|thong tu lien tich)(?:\s+so)?\s+"
    r"\d+/\d{4}/[a-z0-9\-]+)"
    r"|(?P<law>(?:bo luat|luat)\s+[a-z][a-z ]*?)(?=\s+nam\s+\d{4}|\s*[,;.:(]|\s+va\s|\s+quy dinh"
    r"|\s+(?:cua|duoc|da|do|tai|ma|de|cho|doi voi|thuoc|trong|theo|chuyen|nhu|hoac|thi|neu|sau)\s|\s*$)"
    r"|(?P<this>(?:dieu|nghi dinh) nay)"
)
_NUMBER = re.compile(r"\d+/\d{4}/[\w\-]+")
_ITEM = re.compile(r"(?<![a-z0-9])([a-z]|\d+[a-z]?)(?![a-z0-9])")
_KEYWORDS = {"cac", "diem", "khoan", "va"}
_NUMBERED_TYPE = re.compile(r"^(.*?)(?:\s+s\S)?\s+\d")


@dataclass(frozen=True)
class Provision:
    document: str  # as an official reads it: "Luật Đất đai", "Nghị định số 102/2024/NĐ-CP"
    key: str  # what lookups compare: the number ("102/2024/NĐ-CP") or the folded law name
    article: str
    clause: str = ""
    point: str = ""

    def label(self) -> str:
        """ "điểm a khoản 2 Điều 123 Luật Đất đai" """
        parts = [
            texts.POINT.format(number=self.point) if self.point else "",
            texts.CLAUSE.format(number=self.clause) if self.clause else "",
            texts.ARTICLE.format(number=self.article),
            self.document,
        ]
        return " ".join(p for p in parts if p)


def document_key(number: str = "", title: str = "") -> list[str]:
    """The keys a stored document can be found under: its number, and its title's law name."""
    keys = []
    if number:
        keys.append(number.strip().upper())
    if title:
        match = re.match(r"((?:bo luat|luat)\s+[a-z ]+?)(?:\s+(?:so|nam)\s|\s*\d|$)", fold_key(title))
        if match:
            keys.append(match.group(1).strip())
    return keys


def _items(folded: str, original: str) -> list[str]:
    """The letters and numbers of "điểm a, b và đ" / "các khoản 3, 4": read back from the original."""
    return [original[m.start() : m.end()] for m in _ITEM.finditer(folded) if m.group(1) not in _KEYWORDS]


def _clean(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _PARENTHESES.sub(" ", text)
    return text


def parse_provisions(text: str) -> list[Provision]:
    """Every (document, article, clause, point) named in `text`, in order, without repeats."""
    original = _clean(text)
    folded = fold(original).lower()
    if len(folded) != len(original):  # not NFC: fall back to matching the folded copy only
        original = folded
    folded = _AMENDED_BY.sub(lambda m: " " * len(m.group(0)), folded)
    points: list[str] = []
    clauses: list[tuple[str, list[str]]] = []
    articles: list[tuple[str, list[tuple[str, list[str]]]]] = []
    found: list[Provision] = []
    for match in _TOKEN.finditer(folded):
        span, folded_span = original[match.start() : match.end()], match.group(0)
        kind = match.lastgroup
        if kind == "points":
            points = _items(folded_span, span)
        elif kind == "clauses":
            numbers = _items(folded_span, span)
            clauses += [(number, points if i == 0 else []) for i, number in enumerate(numbers)]
            points = []
        elif kind == "article":
            articles.append((span.split()[-1], clauses))
            clauses, points = [], []
        elif kind in ("numbered", "law"):
            if kind == "numbered":
                number = _NUMBER.search(span)
                key = number.group(0).upper() if number else span
                written = number.group(0) if number else span  # "26/2016/QĐ-TTg" as the text has it
                kind_of = _NUMBERED_TYPE.match(span)
                doc_type = kind_of.group(1) if kind_of else span
                name = texts.NUMBERED.format(name=doc_type[0].upper() + doc_type[1:], number=written)
            else:
                name = span.strip()
                name, key = name[0].upper() + name[1:], fold_key(name)
            for article, its_clauses in articles:
                for clause, clause_points in its_clauses or [("", [])]:
                    for point in clause_points or [""]:
                        found.append(Provision(name, key, article, clause, point))
            articles, clauses, points = [], [], []
        else:  # "Điều này", "Nghị định này": the decree's own provisions are not references
            articles, clauses, points = [], [], []
    return list(dict.fromkeys(found))
