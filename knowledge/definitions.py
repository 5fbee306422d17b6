"""Definitions: which chunks define a term, and which term a question asks to have defined.

Laws define their terms one per line ("4. Cư trú là việc công dân sinh sống tại một địa điểm…",
"a) Hoa lợi là sản vật tự nhiên…"). A question such as "Cư trú là gì?", "Định nghĩa của
«người lao động»" or "hoa loi duoc hieu nhu the nao" asks for exactly that line, which plain
term overlap ranks below articles that merely use the term often. Terms are compared folded
(no marks, lowercase), so questions typed without diacritics match too.
"""

from __future__ import annotations

import re

from knowledge.normalize import fold, normalize_text

MAX_TERM_SYLLABLES = 10

# A numbered clause or point, then the term, then "là"/"được hiểu là".
_DEFINITION = re.compile(
    r"^(?:\d{1,3}\s*[.)]\s*|[a-zđ]\)\s*)?([^.;:\n]{2,80}?)\s+(?:là|được hiểu là)\s", re.IGNORECASE
)
_QUOTED = re.compile(r"[\"“«]([^\"”»]+)[\"”»]")
_ASKS_DEFINITION = re.compile(r"dinh nghia|khai niem|la gi|duoc hieu|hieu nhu the nao|nghia la")
_ASKED = [
    # "định nghĩa (của|về) X", "khái niệm X"
    re.compile(r"(?:dinh nghia|khai niem)\s+(?:cua\s+|ve\s+)?(.+?)\s*(?:la gi|duoc quy dinh.*)?\s*\??$"),
    # "(…, ) X là gì?", "X được hiểu như thế nào?", "X nghĩa là gì?"
    re.compile(
        r"(?:^|[,:])\s*([^,:]+?)\s+(?:la gi|duoc hieu (?:nhu the nao|la gi)|hieu nhu the nao|"
        r"(?:co )?nghia la gi)\s*\??$"
    ),
]
# Context before the term: "Bộ luật Dân sự quy định pháp nhân thương mại là gì?"
_CONTEXT = re.compile(r"^.*\bquy dinh\s+")


def term_key(text: str) -> str:
    """Folded, lowercase, without quotes or brackets, single spaces."""
    folded = fold(normalize_text(text).lower())
    folded = re.sub(r"[\"“”'‘’()«»]", " ", folded)
    return " ".join(folded.split())


def defined_terms(text: str) -> set[str]:
    """Terms a chunk defines, one per line that starts with "<term> là …"."""
    terms = set()
    for line in normalize_text(text).split("\n"):
        match = _DEFINITION.match(line.strip())
        if match:
            term = term_key(match.group(1))
            if term and len(term.split()) <= MAX_TERM_SYLLABLES:
                terms.add(term)
    return terms


def asked_term(question: str) -> str:
    """The term a question asks to have defined, folded; "" when it asks something else."""
    folded = term_key(question)
    if not _ASKS_DEFINITION.search(folded):
        return ""
    quoted = _QUOTED.search(fold(normalize_text(question).lower()))
    if quoted:
        return term_key(quoted.group(1))
    for pattern in _ASKED:
        match = pattern.search(folded)
        if match:
            return _CONTEXT.sub("", match.group(1)).strip()
    return ""


# "Phân biệt X và Y", "X và Y khác nhau thế nào": a comparison is answered by the two definitions.
_COMPARED = [
    re.compile(
        r"(?:phan biet|khac (?:nhau )?giua)\s+(?:giua\s+)?(.+?)\s+(?:va|voi)\s+(.+?)"
        r"(?:\s+(?:nhu the nao|the nao|ra sao|la gi))?\s*\??$"
    ),
    re.compile(
        r"(?:^|[,:])\s*(?:su khac nhau giua\s+)?(.+?)\s+(?:va|voi)\s+(.+?)\s+"
        r"(?:khac nhau|khac gi|co gi khac|giong nhau)"
    ),
]
# A qualifier after the term ("đạo đức nghề nghiệp của viên chức"): the law defines the term alone.
# Only words that stay unambiguous folded: "tai" is also "tài" (tài sản), "o" also "ở" in a term.
_QUALIFIER = re.compile(r"\s+(?:cua|trong|theo|doi voi)\s+.*$")


def asked_terms(question: str) -> list[tuple[str, ...]]:
    """The terms whose definitions answer a question, folded, each as (the term, its form
    without a trailing qualifier when it has one): the asked term of a "là gì" question, or both
    terms compared ("phân biệt nơi thường trú và nơi tạm trú"). The shorter form is a fallback,
    for when the law defines no line for the whole term. Empty when it asks something else."""
    found: list[str] = []
    term = asked_term(question)
    if term:
        found.append(term)
    else:
        folded = term_key(question)
        for pattern in _COMPARED:
            match = pattern.search(folded)
            if match:
                found += [_CONTEXT.sub("", g).strip() for g in match.groups()]
                break
    out: list[tuple[str, ...]] = []
    for t in found:
        forms = tuple(dict.fromkeys(f for f in (t, _QUALIFIER.sub("", t).strip()) if f))
        forms = tuple(f for f in forms if len(f.split()) <= MAX_TERM_SYLLABLES)
        if forms and forms not in out:
            out.append(forms)
    return out
