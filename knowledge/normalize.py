"""Vietnamese text normalisation shared by loaders, the index and queries.

- `normalize_text`: NFC plus one tone-mark placement ("hoà" → "hòa", "uỷ" → "ủy"), so the
  same word typed in the old or the new style is one token.
- `syllables`, `fold`, `bigrams`: what the lexical index is built from; `fold_key` is the one
  comparison key of the rest of the product (commands, inbox search, question groups).
- Abbreviations (UBND, CCCD, NĐ-CP…) are expanded both ways in `knowledge.vocabulary`.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Old style puts the tone on the second vowel of an open "oa"/"oe"/"uy" rhyme ("hoà", "uỷ");
# the new style (and most current legal texts) on the first ("hòa", "ủy"). Map old → new.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
_OLD_TO_NEW: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _tone in _TONES:
        for _f, _s in ((_first, _second), (_first.upper(), _second), (_first.upper(), _second.upper())):
            old = unicodedata.normalize("NFC", _f + _s + _tone)
            new = unicodedata.normalize("NFC", _f + _tone + _s)
            _OLD_TO_NEW[old] = new
# "qu" is a consonant: "quý", "quỹ" keep the mark on y. The rhyme must end the syllable.
# One character class per position instead of an alternation of the 45 pairs: the same
# matches (the second letter is never a first one, so nothing overlaps), found ~10x faster on
# long texts; a pair outside the table is left as it is.
_OLD_STYLE = re.compile(
    "(?<![qQ])(["
    + "".join(sorted({k[0] for k in _OLD_TO_NEW}))
    + "]["
    + "".join(sorted({k[1] for k in _OLD_TO_NEW}))
    + r"])(?![^\W\d_])"
)

_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fix_tone_placement(text: str) -> str:
    return _OLD_STYLE.sub(lambda m: _OLD_TO_NEW.get(m.group(1), m.group(1)), text)


def normalize_text(text: str) -> str:
    """NFC, one tone-mark style, tidy spaces. Keeps case and line structure."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = fix_tone_placement(text)
    return _SPACES.sub(" ", text)


_D_STROKE = str.maketrans("đĐ", "dD")  # no decomposition takes the stroke off đ


class _FoldTable(dict[int, str]):
    """Character → its folded form, computed on first sight. Folding decomposes each character
    on its own (canonical reordering only moves combining marks, which are all dropped), so
    translating through this table equals decomposing the whole text, several times faster."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).translate(_D_STROKE))
        folded = self[code] = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Strip every diacritic and map đ→d: what a user typing without marks produces."""
    return text.translate(_FOLD)


_ANY_SPACE = re.compile(r"\s+")


def fold_key(text: str) -> str:
    """'Đất  đai – Hộ tịch' → 'dat dai – ho tich': folded, lowercase, single-spaced. How typed
    commands, inbox searches and grouped questions compare, whatever marks the user typed."""
    return _ANY_SPACE.sub(" ", fold(text).lower()).strip()


def syllables(text: str) -> list[str]:
    """Lowercase syllables (and numbers) of normalised text."""
    return _TOKEN.findall(normalize_text(text).lower())


def bigrams(tokens: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


def has_diacritics(text: str) -> bool:
    return fold(text) != text


# Abbreviations officials type, expanded both ways: the query and the indexed text both get
# the full form next to the short one, so "UBND" finds "Ủy ban nhân dân" and the reverse.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "tthc": "thủ tục hành chính",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "gcn": "giấy chứng nhận",
    "qsdđ": "quyền sử dụng đất",
    "gcnqsdđ": "giấy chứng nhận quyền sử dụng đất",
    "nđ-cp": "nghị định chính phủ",
    "nđ": "nghị định",
    "tt": "thông tư",
    "qđ": "quyết định",
    "qđ-ubnd": "quyết định ủy ban nhân dân",
    "qđ-ttg": "quyết định thủ tướng",
    "qh": "quốc hội",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "bhtn": "bảo hiểm thất nghiệp",
    "mttq": "mặt trận tổ quốc",
    "blds": "bộ luật dân sự",
    "blhs": "bộ luật hình sự",
    "blld": "bộ luật lao động",
    "bllđ": "bộ luật lao động",
    "hđlđ": "hợp đồng lao động",
    "nlđ": "người lao động",
    "nsdlđ": "người sử dụng lao động",
    "gplx": "giấy phép lái xe",
    "đkkd": "đăng ký kinh doanh",
    "tand": "tòa án nhân dân",
    "vksnd": "viện kiểm sát nhân dân",
    "csgt": "cảnh sát giao thông",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "vpđk": "văn phòng đăng ký",
    "vpđkđđ": "văn phòng đăng ký đất đai",
    "sxkd": "sản xuất kinh doanh",
    "ptnt": "phát triển nông thôn",
    "tn&mt": "tài nguyên và môi trường",
    "tnmt": "tài nguyên và môi trường",
    "lđtbxh": "lao động thương binh và xã hội",
    "ctv": "cộng tác viên",
    "dvc": "dịch vụ công",
}
# Abbreviations are not Vietnamese syllables, so matching them in lowercase (and folded,
# for users typing "ubnd", "qsdd") is safe.
_ABBR_BY_FOLD = {fold(k): v for k, v in ABBREVIATIONS.items()} | ABBREVIATIONS
_ABBR = re.compile(
    r"(?<![^\W_])("
    + "|".join(re.escape(k) for k in sorted(_ABBR_BY_FOLD, key=len, reverse=True))
    + r")(?![^\W_])",
    re.IGNORECASE,
)


def expand_abbreviations(text: str, keep: bool = True) -> str:
    """ "Cấp CCCD" → "Cấp CCCD (căn cước công dân)" (keep=True) or "Cấp căn cước công dân"."""

    def repl(match: re.Match[str]) -> str:
        full = _ABBR_BY_FOLD[match.group(1).lower()]
        return f"{match.group(1)} ({full})" if keep else full

    return _ABBR.sub(repl, text)


def lexical_tokens(text: str) -> list[str]:
    """Index/query terms: syllables, syllable bigrams, and their diacritic-folded copies
    (folded terms carry a "~" so "ma" and "mã" stay distinct on the accented side)."""
    syl = syllables(expand_abbreviations(text))
    folded = [fold(s) for s in syl]
    return [*syl, *bigrams(syl), *("~" + f for f in folded), *("~" + b for b in bigrams(folded))]


class DiacriticRestorer:
    """Puts the marks back on a query typed without them, from the indexed vocabulary.

    Built at index time from the accented syllables and syllable bigrams of the corpus;
    decodes a folded query with a bigram model (Viterbi), so "dang ky thuong tru" becomes
    "đăng ký thường trú" because that is what the guidance says.
    """

    MAX_CANDIDATES = 8

    # The next syllable's probability: its count after the previous one, smoothed towards its
    # own frequency as if PRIOR more occurrences of the previous one had been seen (Dirichlet).
    # A small prior made every unseen pair after a frequent word near impossible ("trong 1
    # năm" read "trồng 1 nam"). Fitted on half A's dev questions (bench/restoration.py).
    PRIOR = 100.0
    # How often one line of how people ask (`ask`) counts: more than a rare pairing of the
    # guidance ("bảo nhiều"), less than its own words ("bảo vệ", "tội phạm").
    ASKED_WEIGHT = 5

    def __init__(self) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        # How people ask ("bao nhiêu tiền", "ở đâu"): learned beside the guidance, not saved
        # with it (to_json), since it comes from a shipped file, not from the index.
        self.asked: Counter[str] = Counter()
        self.asked_pairs: Counter[tuple[str, str]] = Counter()
        self._candidates: dict[str, list[str]] | None = None
        self._total = 1  # every syllable counted, guidance and asked (set with the candidates)

    def add(self, tokens: list[str]) -> None:
        self.unigrams.update(tokens)
        self.bigrams.update(itertools.pairwise(tokens))
        self._candidates = None

    def ask(self, phrases: Iterable[list[str]]) -> None:
        """Learn question phrases, with their marks, ASKED_WEIGHT times each."""
        for tokens in phrases:
            for token in tokens:
                self.asked[token] += self.ASKED_WEIGHT
            for pair in itertools.pairwise(tokens):
                self.asked_pairs[pair] += self.ASKED_WEIGHT
        self._candidates = None

    def _by_fold(self) -> dict[str, list[str]]:
        if self._candidates is None:
            groups: dict[str, list[str]] = {}
            for word, _ in (self.unigrams + self.asked).most_common():
                options = groups.setdefault(fold(word), [])
                if len(options) < self.MAX_CANDIDATES:
                    options.append(word)
            self._candidates = groups
            self._total = max(sum(self.unigrams.values()) + sum(self.asked.values()), 1)
        return self._candidates

    def restore(self, text: str) -> str:
        """The text with marks restored on its syllables, in place: its capitals, punctuation
        and spacing kept ("Theo Luật …, thông tin …?"), as e5 reads a typed question.
        Syllables typed with marks stay as typed."""
        text = normalize_text(text)
        spans = list(_TOKEN.finditer(text))
        if not spans:
            return ""
        words = self.decode([m.group(0).lower() for m in spans])
        out, at = [], 0
        for match, word in zip(spans, words, strict=True):
            typed = match.group(0)
            if len(word) == len(typed):  # the typed letters' case, on the restored letters
                word = "".join(w.upper() if t.isupper() else w for w, t in zip(word, typed, strict=True))
            out += [text[at : match.start()], word]
            at = match.end()
        return "".join([*out, text[at:]]).strip()

    def decode(self, tokens: list[str]) -> list[str]:
        """Lowercase syllables with marks restored (the likeliest sequence under the bigram
        model); syllables typed with marks stay as typed."""
        if not tokens:
            return []
        by_fold = self._by_fold()
        total = self._total
        lattice = [[tok] if has_diacritics(tok) or tok not in by_fold else by_fold[tok] for tok in tokens]

        def count(word: str) -> int:
            return self.unigrams.get(word, 0) + self.asked.get(word, 0)

        def unigram(word: str) -> float:
            return math.log((count(word) + 0.1) / total)

        best: dict[str, tuple[float, list[str]]] = {w: (unigram(w), [w]) for w in lattice[0]}
        for options in lattice[1:]:
            step: dict[str, tuple[float, list[str]]] = {}
            for word in options:
                p_uni = (count(word) + 0.1) / total
                candidates = []
                for prev, (score, path) in best.items():
                    pair = self.bigrams.get((prev, word), 0) + self.asked_pairs.get((prev, word), 0)
                    p = (pair + self.PRIOR * p_uni) / (count(prev) + self.PRIOR)
                    candidates.append((score + math.log(p), [*path, word]))
                step[word] = max(candidates, key=lambda c: c[0])
            best = step
        return max(best.values(), key=lambda c: c[0])[1]

    def to_json(self) -> dict[str, list[list[object]]]:
        return {
            "unigrams": [[w, c] for w, c in self.unigrams.items()],
            "bigrams": [[a, b, c] for (a, b), c in self.bigrams.items()],
        }

    @classmethod
    def from_json(cls, data: dict[str, list[list[object]]]) -> DiacriticRestorer:
        restorer = cls()
        restorer.unigrams = Counter({str(w): int(str(c)) for w, c in data["unigrams"]})
        restorer.bigrams = Counter({(str(a), str(b)): int(str(c)) for a, b, c in data["bigrams"]})
        return restorer
