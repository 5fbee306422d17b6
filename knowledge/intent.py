"""What a question asks for: its intent (hồ sơ, thời hạn, lệ phí, cơ quan, điều kiện, mức phạt,
định nghĩa, có được … không …) and the kind of answer that intent wants (a duration, an age,
an amount of money, a list, a body, a condition, a penalty).

Everything is matched on the one fold of knowledge.normalize (lowercase, no marks, đ→d), so a
question typed without diacritics has the same intent as the one typed with them. The cues are
written from how officials and citizens phrase questions, not fitted to any question set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge import texts
from knowledge.definitions import asked_term
from knowledge.normalize import fold, fold_key, normalize_text


class Intent(StrEnum):
    dossier = "dossier"  # hồ sơ, giấy tờ
    procedure = "procedure"  # trình tự, thủ tục, cách làm
    duration = "duration"  # thời hạn, bao lâu, mấy ngày
    age = "age"  # bao nhiêu tuổi, độ tuổi
    fee = "fee"  # lệ phí, phí, bao nhiêu tiền
    body = "body"  # cơ quan nào, ở đâu, nộp ở đâu
    condition = "condition"  # điều kiện
    subject = "subject"  # đối tượng, ai được
    penalty = "penalty"  # mức phạt, hình phạt, bị xử lý
    definition = "definition"  # là gì, định nghĩa, khái niệm
    permission = "permission"  # có được … không, có phải … không
    general = "general"


class AnswerType(StrEnum):
    duration = "duration"
    age = "age"
    money = "money"
    listing = "list"
    body = "body"
    condition = "condition"
    penalty = "penalty"
    none = "none"  # any text can answer (definitions, yes/no, general questions)


# Folded cue phrases, most specific first: the first intent whose cue matches wins.
_CUES: list[tuple[Intent, tuple[str, ...]]] = [
    (Intent.definition, ("dinh nghia", "khai niem", "la gi", "duoc hieu (la|nhu the nao)", "hieu the nao")),
    (
        Intent.age,
        (
            "bao nhieu tuoi",
            "may tuoi",
            "do tuoi",
            "du tuoi",
            "tuoi toi thieu",
            "tuoi toi da",
            "tuoi ket hon",
            "tuoi nghi huu",
        ),
    ),
    (
        Intent.penalty,
        (
            "muc phat",
            "hinh phat",
            "bi phat",
            "phat (tien|tu|bao nhieu)",
            "xu phat",
            "bi xu ly",
            "bi tu",
            # "xử lý thế nào" is a sanction when a wrong is named ("vi phạm … xử lý thế nào");
            # else it asks how a case is handled ("nguyên đơn vắng mặt thì xử lý thế nào")
            r"(vi pham|pham toi|trai phep|sai pham)\b.*\bxu ly (the nao|ra sao|nhu the nao)",
            "ngoi tu",
            "truy cuu",
            "che tai",
            "bi ky luat",
            "hinh thuc ky luat",
        ),
    ),
    (
        Intent.fee,
        ("le phi", "phi", "bao nhieu tien", "mat bao nhieu", "ton bao nhieu", "chi phi", "tien phi"),
    ),
    (
        Intent.duration,
        (
            "thoi han",
            "bao lau",
            "may ngay",
            "bao nhieu (ngay|thang|nam|gio)",
            "trong vong bao",
            "thoi hieu",
            "thoi gian (giai quyet|xu ly|cap)",
            "khi nao",
            "luc nao",
            "bao gio",
        ),
    ),
    (
        Intent.body,
        (
            "co quan nao",
            "o dau",
            "noi nao",
            "cho nao",
            "nop (o|tai) dau",
            "(o|tai) (xa|phuong|thi tran|tinh|thanh pho) nao",
            "tham quyen",
            "cap nao",
            "don vi nao",
            "ai (cap|giai quyet|co tham quyen)",
        ),
    ),
    (
        Intent.dossier,
        (
            "ho so",
            "giay to",
            "can (nhung )?gi",
            "can mang",
            "chuan bi (nhung )?gi",
            "nop (nhung )?gi",
            "can co",
        ),
    ),
    (Intent.condition, ("dieu kien", "yeu cau", "tieu chuan", "khi nao thi duoc")),
    (Intent.subject, ("doi tuong", "nhung ai", "ai duoc", "nguoi nao", "truong hop nao")),
    (
        Intent.procedure,
        (
            "thu tuc",
            "trinh tu",
            "quy trinh",
            "cac buoc",
            "cach (lam|thuc hien|dang ky)",
            "lam (the nao|sao)",
            "lam nhu the nao",
        ),
    ),
    (Intent.permission, (r"co (duoc|phai|bi|can|the)\b.*\bkhong", r"duoc phep\b.*\bkhong")),
]
_COMPILED = [(intent, re.compile(r"\b(" + "|".join(cues) + r")\b")) for intent, cues in _CUES]

WANTS: dict[Intent, AnswerType] = {
    Intent.dossier: AnswerType.listing,
    Intent.procedure: AnswerType.listing,
    Intent.duration: AnswerType.duration,
    Intent.age: AnswerType.age,
    Intent.fee: AnswerType.money,
    Intent.body: AnswerType.body,
    Intent.condition: AnswerType.condition,
    Intent.subject: AnswerType.none,
    Intent.penalty: AnswerType.penalty,
    Intent.definition: AnswerType.none,
    Intent.permission: AnswerType.none,
    Intent.general: AnswerType.none,
}

# The part of a procedure record (knowledge.records.procedure_parts) each intent asks for.
PROCEDURE_PART: dict[Intent, str] = {
    Intent.dossier: "Thành phần hồ sơ",
    Intent.procedure: "Trình tự thực hiện",
    Intent.duration: "Thời hạn giải quyết",
    Intent.fee: "Phí, lệ phí",
    Intent.body: "Cơ quan thực hiện",
    Intent.condition: "Yêu cầu, điều kiện",
    Intent.subject: "Đối tượng thực hiện",
}
# The national records (knowledge/importers/procedures.py) keep short fields together with their
# neighbours: the time limit and the fee sit in one part, the body and the subjects in another.
COMBINED_PART: dict[Intent, str] = {
    Intent.duration: texts.PART_HOW,
    Intent.fee: texts.PART_HOW,
    Intent.body: texts.PART_OFFICE,
    Intent.subject: texts.PART_OFFICE,
}

# Words in a clause that say it carries what the intent asks for (folded).
CLAUSE_CUES: dict[Intent, str] = {
    Intent.dossier: r"\b(ho so|giay to|ban sao|to khai|gom|bao gom)\b",
    Intent.procedure: r"\b(nop|tiep nhan|trinh tu|thu tuc|de nghi|dang ky)\b",
    Intent.duration: r"\b(thoi han|trong (thoi han|vong)|ke tu ngay|ngay lam viec|thoi hieu)\b",
    Intent.age: r"\b(tuoi)\b",
    Intent.fee: r"\b(le phi|phi|dong)\b",
    Intent.body: r"\b(co quan|uy ban nhan dan|toa an|cong an|so |bo |tham quyen)\b",
    Intent.condition: r"\b(dieu kien|khi|neu|phai|duoc)\b",
    Intent.subject: r"\b(doi tuong|nguoi|truong hop)\b",
    Intent.penalty: r"\b(phat|tu|cai tao|xu ly|ky luat)\b",
    Intent.definition: r"\b(la|duoc hieu)\b",
}

# How an article's heading names what it answers ("Thẩm quyền đăng ký khai tử" answers "đăng ký
# khai tử ở xã nào"; "Thời hạn …" answers "bao lâu"): the heading's first words, folded.
HEADING_INTENTS: dict[str, Intent] = {
    "tham quyen": Intent.body,
    "co quan": Intent.body,
    "thoi han": Intent.duration,
    "le phi": Intent.fee,
    "dieu kien": Intent.condition,
    "doi tuong": Intent.subject,
    "ho so": Intent.dossier,
    "thanh phan ho so": Intent.dossier,
    "thu tuc": Intent.procedure,
    "trinh tu": Intent.procedure,
}
_HEADING_CUES = sorted(HEADING_INTENTS, key=len, reverse=True)  # "thanh phan ho so" before "ho so"


def heading_intent(heading: str) -> tuple[Intent, str]:
    """(the intent a heading's first words answer, the rest of the heading), or (general, "")."""
    key = text_key(heading)
    for cue in _HEADING_CUES:
        if key.startswith(cue + " "):
            return HEADING_INTENTS[cue], heading.split(None, len(cue.split()))[-1]
    return Intent.general, ""


_NUMBER = r"(\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|muoi hai|hai muoi|ba muoi|nua)"
_TYPE_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.duration: re.compile(
        rf"\b{_NUMBER}\s*(ngay|thang|nam|gio|tuan|quy)\b|\bngay lam viec\b|\bthoi han\b|\bngay\s+ke\s+tu\b"
    ),
    AnswerType.age: re.compile(rf"\b{_NUMBER}\s*tuoi\b"),
    AnswerType.money: re.compile(
        r"\b\d[\d.,]*\s*(dong|trieu|nghin|ngan|ty|vnd)\b|\b(le phi|muc phi|mien phi|khong thu phi|phi)\b"
        r"|\blan muc luong\b"
    ),
    AnswerType.listing: re.compile(
        r"(^|\n)\s*([a-zđ]\)|\d{1,2}\.|-|\+)\s|\bgom\b|\bbao gom\b|\bsau day\b|\bbuoc\s*\d"
    ),
    AnswerType.body: re.compile(
        r"\b(uy ban nhan dan|co quan|toa an|cong an|so [a-z]|bo [a-z]|chu tich|bo phan (mot cua|tiep nhan)|"
        # a ministry or a department by its name ("Bộ Quốc phòng", "Sở Tư pháp"): "bộ"/"sở" alone
        # fold to "bỏ", "số" and name nothing
        r"(bo|so) (quoc phong|tu phap|noi vu|tai chinh|y te|giao duc|lao dong|xay dung|ke hoach|"
        r"tai nguyen|giao thong|nong nghiep|cong thuong|thong tin|van hoa|ngoai giao|khoa hoc)|"
        r"ban chi huy|vien kiem sat|thanh tra|chinh phu)\b"
    ),
    AnswerType.condition: re.compile(r"\b(dieu kien|phai|khi|neu|truong hop|co du|duoc)\b"),
    AnswerType.penalty: re.compile(
        r"\b(phat tien|phat tu|tu (chung than|hinh)|cai tao khong giam giu|canh cao|xu phat|khien trach|"
        r"buoc thoi viec|cach chuc|ha bac|ky luat)\b|\bphat\b.*\b(dong|nam|thang)\b"
    ),
}


# Answer types a reply cannot do without: an article with no amount, age, penalty or time limit
# does not answer "bao nhiêu tiền", "bao nhiêu tuổi", "bị phạt thế nào", "bao lâu".
STRICT_TYPES = frozenset({AnswerType.money, AnswerType.age, AnswerType.penalty, AnswerType.duration})
# The value itself, not only words about it ("thời hạn", "lệ phí"): what a lead must state.
_VALUE_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.duration: re.compile(rf"\b{_NUMBER}\s*(ngay|thang|nam|gio|tuan|quy|phut)\b|\bngay lam viec\b"),
    AnswerType.money: re.compile(
        r"\b\d[\d.,]*\s*(dong|trieu|nghin|ngan|ty|vnd)\b|\b(mien (le )?phi|khong (thu|phai nop) (le )?phi)\b"
        r"|\blan muc luong\b"
    ),
}


@dataclass(frozen=True)
class QuestionIntent:
    intent: Intent
    wants: AnswerType
    processing: bool = False  # "thời hạn giải quyết", "mất bao lâu": the time a body takes
    listing: bool = False  # "trong những trường hợp nào", "gồm những gì": the whole list answers
    # "Khi nào …", "lúc nào": a moment or a case ("ngay khi nhận tài sản", "khi có yêu cầu"),
    # not necessarily a number of days.
    moment: bool = False
    # "…, đúng hay sai?", "… phải không?": a statement to check, which the clause stating it
    # answers whether or not it holds a value.
    verifying: bool = False

    @property
    def strict(self) -> bool:
        """Whether only a text stating the value asked for (STRICT_TYPES) answers."""
        return self.wants in STRICT_TYPES and not self.moment and not self.verifying

    @property
    def procedure_part(self) -> str:
        return PROCEDURE_PART.get(self.intent, "")

    @property
    def procedure_parts(self) -> tuple[str, ...]:
        """Every part name that holds what is asked, the record's own part first."""
        return tuple(p for p in (self.procedure_part, COMBINED_PART.get(self.intent, "")) if p)


def question_key(text: str) -> str:
    """The folded, single-spaced question the cues are matched against."""
    return fold_key(normalize_text(text))


# "Điều kiện kết hôn là gì?" asks for the conditions, not for a definition of "điều kiện".
_ASKED_HEADS = re.compile(
    r"^(dieu kien|ho so|thu tuc|thoi han|muc phat|le phi|doi tuong|trinh tu|tham quyen)\b"
)


_PROCESSING = re.compile(
    r"\b(giai quyet|xu ly|cap (lai|doi|moi)?|mat bao lau|may ngay|bao nhieu ngay|tra ket qua)\b"
)
# "bao nhiêu ngày phải đăng ký khai tử": a time limit the person must keep, not the time a body
# takes (unless the question also names the body's work: "phải giải quyết trong mấy ngày").
_OBLIGATION = re.compile(r"\bphai\b(?! (cho|doi)\b)")
_BODY_WORK = re.compile(r"\b(giai quyet|xu ly|tra ket qua|cap (lai|doi|moi)?)\b")
# What a processing time reads like in a text: "03 ngày làm việc kể từ ngày nhận đủ hồ sơ".
_PROCESSING_TEXT = re.compile(r"\b(ngay lam viec|ke tu ngay nhan|ke tu khi nhan|tra ket qua)\b")


def fit(text: str, intent: QuestionIntent) -> int:
    """How well a passage matches what is asked: 1 for the answer type, 1 more for a
    processing time when the question asks how long a body takes."""
    score = int(has_answer_type(text, intent.wants)) if intent.wants != AnswerType.none else 0
    if intent.processing and _PROCESSING_TEXT.search(text_key(text)):
        score += 1
    return score


# A question asking for a whole list or rule: "trong (những) trường hợp nào", "gồm những gì",
# "liệt kê", "quy định thế nào về …".
_LISTING = re.compile(
    r"\b(truong hop nao|nhung gi|nhung ai|gom nhung|bao gom nhung|cac truong hop|"
    r"nhung (loai|hanh vi|dieu kien|quyen|nghia vu|can cu|noi dung|hinh thuc|bien phap)|"
    r"cac (can cu|noi dung|hinh thuc|bien phap) nao|liet ke|mo ta|quy dinh (nhu )?(the nao|ra sao|gi))\b"
)


_MOMENT = re.compile(r"\b(khi nao|luc nao|bao gio|thoi diem nao)\b")
_VERIFYING = re.compile(r"\b(dung hay sai|dung hay khong|(co )?dung khong|phai khong|dung chu)\s*\??\s*$")


# "Con làm bạn gãy tay thì phụ huynh có phải bồi thường?": a yes/no question without "không",
# unless the question asks another thing ("Ai có được …?", "có phải làm gì?") or is a
# statement to check ("…, đúng hay sai?"). "có thể" is left out: statements use it.
_YES_NO_TAIL = re.compile(r"\bco (duoc|phai|bi|can)\b[^?]*\?\s*$")
_OTHER_ASKED = re.compile(r"\b(nao|gi|ai|dau|bao nhieu|bao lau|sao)\b")


def _asks_yes_or_no(key: str, verifying: bool) -> bool:
    return not verifying and bool(_YES_NO_TAIL.search(key)) and not _OTHER_ASKED.search(key)


def detect_intent(question: str) -> QuestionIntent:
    key = question_key(question)
    listing = bool(_LISTING.search(key))
    moment, verifying = bool(_MOMENT.search(key)), bool(_VERIFYING.search(key))
    for intent, pattern in _COMPILED:
        if pattern.search(key):
            if intent == Intent.definition and _ASKED_HEADS.match(asked_term(question)):
                continue
            processing = intent == Intent.duration and bool(_PROCESSING.search(key))
            if processing and _OBLIGATION.search(key) and not _BODY_WORK.search(key):
                processing = False
            wants = WANTS[intent]
            if intent == Intent.penalty and re.search(r"\bphat tien\b", key):
                wants = AnswerType.money  # "bị phạt tiền bao nhiêu": an amount, not a prison term
            return QuestionIntent(intent, wants, processing, listing, moment, verifying)
    if _asks_yes_or_no(key, verifying):
        return QuestionIntent(Intent.permission, AnswerType.none, listing=listing, verifying=verifying)
    return QuestionIntent(Intent.general, AnswerType.none, listing=listing, verifying=verifying)


# A question about a sanction names a crime when it says so ("tội", "hình sự", "phạt tù",
# "truy cứu") or states what makes a violation a crime ("gây hậu quả nghiêm trọng", "đã bị xử
# phạt vi phạm hành chính … mà còn vi phạm"). Without any of these, "bị phạt bao nhiêu" asks for
# an administrative fine, which the government's sanction decrees set, not the Criminal Code.
# Folded "toi" is also "tôi" (I): "tôi" typed with marks does not count, "toi" typed without does.
_CRIME_CUES = re.compile(
    r"\b(hinh su|phat tu|ngoi tu|di tu|bi tu|nam tu|tu giam|tu chung than|tu hinh|truy cuu"
    r"|khoi to|an treo|cai tao khong giam giu|pham toi|toi pham|toi danh|hau qua nghiem trong"
    r"|da bi xu phat|da bi ket an|tien an"
    # acts that are crimes by their nature, with no administrative fine (the Criminal Code's
    # chapters on national security, life, drugs, corruption): asked about, they name a crime
    r"|an ninh quoc gia|gian diep|tinh bao|bi mat nha nuoc|phan boi|khung bo|bao loan|giet nguoi"
    r"|hiep dam|cuop|bat coc|mua ban nguoi|ma tuy|tham o|hoi lo|tien gia|dao nhiem)\b"
)
_CRIME_WORD = re.compile(r"\bt(ội|oi)\b")  # "tội", or "toi" typed without marks
_OFFENCE_HEADING = re.compile(r"^(dieu \S+\s+)?toi\b")


def names_crime(question: str) -> bool:
    """Whether a question about a sanction is about a crime (see _CRIME_CUES)."""
    if _CRIME_CUES.search(question_key(question)):
        return True
    return bool(_CRIME_WORD.search(normalize_text(question).lower()))


def is_offence(heading: str) -> bool:
    """Whether an article defines a crime: the Criminal Code's headings read "Tội …"."""
    return bool(_OFFENCE_HEADING.match(question_key(heading)))


def text_key(text: str) -> str:
    """Folded, lowercase text that keeps its lines (lists are recognised by their lines)."""
    return fold(normalize_text(text).lower())


def answer_position(text: str, wanted: AnswerType) -> int | None:
    """Where in `normalize_text(text)` the answer type first appears (None: absent or `none`)."""
    pattern = _TYPE_PATTERNS.get(wanted)
    match = pattern.search(text_key(text)) if pattern is not None else None
    return match.start() if match else None


def has_answer_type(text: str, wanted: AnswerType) -> bool:
    """Whether a passage contains the kind of answer asked for (always True for `none`)."""
    pattern = _TYPE_PATTERNS.get(wanted)
    return True if pattern is None else bool(pattern.search(text_key(text)))


def has_value(text: str, wanted: AnswerType) -> bool:
    """Whether a passage states the value asked for: an amount, not only "lệ phí"; a number of
    days, not only "thời hạn" (the answer type itself for the other types)."""
    pattern = _VALUE_PATTERNS.get(wanted) or _TYPE_PATTERNS.get(wanted)
    return True if pattern is None else bool(pattern.search(text_key(text)))


def clause_cue(text: str, intent: Intent) -> bool:
    """Whether a clause speaks of what the intent asks for ("thời hạn", "hồ sơ gồm")."""
    cue = CLAUSE_CUES.get(intent)
    return bool(cue and re.search(cue, text_key(text)))
