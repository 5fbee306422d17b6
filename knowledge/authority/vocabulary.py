"""Words the authority map matches against: who holds a task (levels of government and bodies),
the words officials use for a task in place of the decrees' own, and how a question asks "whose
is it?". Every literal here is vocabulary, not a sentence shown to anyone (texts: knowledge/texts.py).
"""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.normalize import fold_key


class HolderLevel(StrEnum):
    commune = "commune"  # Ủy ban nhân dân cấp xã (and its bodies)
    commune_chair = "commune_chair"  # Chủ tịch Ủy ban nhân dân cấp xã
    commune_council = "commune_council"
    province = "province"  # Ủy ban nhân dân cấp tỉnh
    province_chair = "province_chair"
    province_council = "province_council"
    province_body = "province_body"  # a Sở, a provincial body ("cơ quan … cấp tỉnh")
    central = "central"  # the Government, the Prime Minister, a ministry
    other = "other"  # a holder the decree names otherwise ("đại diện chủ sở hữu …")
    none = "none"  # not a holder at all


COMMUNE_LEVELS = frozenset({HolderLevel.commune, HolderLevel.commune_chair, HolderLevel.commune_council})
PROVINCE_LEVELS = frozenset(
    {
        HolderLevel.province,
        HolderLevel.province_chair,
        HolderLevel.province_council,
        HolderLevel.province_body,
    }
)

# Order matters: the first pattern that matches the start of the (folded) holder decides.
_LEVELS: list[tuple[HolderLevel, re.Pattern[str]]] = [
    (HolderLevel.commune_chair, re.compile(r"^chu tich uy ban nhan dan (?:cap )?xa")),
    (HolderLevel.commune, re.compile(r"^uy ban nhan dan (?:cap )?xa")),
    (HolderLevel.commune_council, re.compile(r"^hoi dong nhan dan (?:cap )?xa")),
    (HolderLevel.other, re.compile(r"^uy ban mat tran")),
    (
        HolderLevel.commune,
        re.compile(r"^(?:co quan|cong chuc|to chuc|ban)\b.*(?:cap xa|uy ban nhan dan (?:cap )?xa)"),
    ),
    (HolderLevel.province_chair, re.compile(r"^chu tich uy ban nhan dan (?:cap )?tinh")),
    (HolderLevel.province, re.compile(r"^uy ban nhan dan (?:cap )?tinh")),
    (HolderLevel.province_council, re.compile(r"^hoi dong nhan dan (?:cap )?tinh")),
    (HolderLevel.province_body, re.compile(r"^so [a-z]")),
    (
        HolderLevel.province_body,
        re.compile(r"^(?:co quan|van phong|to chuc|ban quan ly)\b.*(?:cap tinh|tinh\b)"),
    ),
    (
        HolderLevel.central,
        re.compile(
            r"^(?:chinh phu|thu tuong|bo truong|bo [a-z]|nguoi dung dau co quan trung uong|thu truong)"
        ),
    ),
    (
        HolderLevel.other,
        re.compile(
            r"^(?:uy ban nhan dan cac cap|dai dien chu so huu|co quan|nguoi|ban|hoi dong|cong an|chu dau tu)"
        ),
    ),
]


def holder_level(holder: str) -> HolderLevel:
    key = fold_key(holder)
    for level, pattern in _LEVELS:
        if pattern.search(key):
            return level
    return HolderLevel.none


# A provincial department named after the ministry that proposed the decree: "Bộ Xây dựng" →
# "Sở Xây dựng"; the department catalogue (blockers/data/departments.json) uses these names.
MINISTRY_PREFIX = "Bộ "
DEPARTMENT_PREFIX = "Sở "


def department_of(holder: str, ministry: str) -> str:
    """The provincial department that answers for a task held by the province: the Sở the holder
    names, else the one of the decree's field."""
    if holder_level(holder) is HolderLevel.province_body and fold_key(holder).startswith("so "):
        return holder.split(" thuộc ")[0].split(",")[0].strip()
    if ministry.startswith(MINISTRY_PREFIX):
        return DEPARTMENT_PREFIX + ministry[len(MINISTRY_PREFIX) :]
    return ""


# Officials' words → the decrees' words (both folded before use). Added to the task words of a
# question, never replacing them.
LAY_TERMS: dict[str, str] = {
    "sổ đỏ": "giấy chứng nhận quyền sử dụng đất",
    "sổ hồng": "giấy chứng nhận quyền sử dụng đất quyền sở hữu tài sản gắn liền với đất",
    "làm sổ": "cấp giấy chứng nhận quyền sử dụng đất",
    "cấp sổ": "cấp giấy chứng nhận quyền sử dụng đất",
    "chuyển đất": "chuyển mục đích sử dụng đất",
    "lên thổ cư": "chuyển mục đích sử dụng đất đất ở",
    "thổ cư": "đất ở",
    "giá đất riêng": "giá đất cụ thể",
    "định giá đất": "quyết định giá đất cụ thể",
    "xây nhà": "giấy phép xây dựng nhà ở riêng lẻ",
    "nhà riêng": "nhà ở riêng lẻ",
    "xin phép xây": "cấp giấy phép xây dựng",
    "phép xây dựng": "giấy phép xây dựng",
    "công trình tạm": "công trình tạm thời gian tồn tại",
    "nhà tạm": "công trình tạm",
    "phá dỡ": "cưỡng chế phá dỡ",
    "đập nhà": "cưỡng chế phá dỡ nhà ở",
    "trật tự xây dựng": "quản lý trật tự xây dựng",
    "xây trái phép": "cưỡng chế công trình vi phạm trật tự xây dựng",
    "hồ sơ nhà": "lưu trữ hồ sơ nhà ở",
    "gas": "bán lẻ LPG chai khí",
    "ga": "bán lẻ LPG chai khí",
    "bình ga": "bán lẻ LPG chai khí",
    "khí đốt": "LPG chai khí",
    "bán rượu": "giấy phép bán lẻ rượu",
    "bán thuốc lá": "giấy phép bán lẻ sản phẩm thuốc lá",
    "thuốc lá": "sản phẩm thuốc lá",
    "giao đất": "quyết định giao đất",
    "người dân": "cá nhân",
    "cho dân": "cho cá nhân",
    "hộ dân": "hộ gia đình, cá nhân",
    "thu hồi đất": "quyết định thu hồi đất",
    "tranh chấp đất": "giải quyết tranh chấp đất đai",
}

# How a question asks whose a task is (folded, matched as whole words).
ASKING_WHO = re.compile(
    r"(?<![a-z0-9])(?:nay\s+|bay gio\s+|gio\s+)?(?:do\s+)?"
    r"(?:ai|co quan nao|cap nao|don vi nao|noi nao|o dau cap|thuoc tham quyen|tham quyen cua"
    r"|tham quyen|nay do|do ai|giao cho ai|xa co duoc|phuong co duoc|xa co tham quyen|xa co phai"
    r"|cap xa co|cap tinh hay cap xa|tinh hay xa|xa hay tinh|ai ky|ai cap|so nao|thuoc xa|thuoc tinh"
    r"|ve xa|len tinh|chuyen ve|chuyen len)(?![a-z0-9])"
)
# Words of such questions that say nothing about the task (folded syllables), once the asking
# phrase itself (ASKING_WHO) is taken out. Not "cấp" (to issue), "cho" (cho phép), "hội" (hội đồng).
QUESTION_WORDS = frozenset(
    [
        "bay",
        "gio",
        "hien",
        "nay",
        "sau",
        "sap",
        "nhap",
        "tu",
        "ngay",
        "thang",
        "nam",
        "2025",
        "khong",
        "phai",
        "la",
        "vay",
        "a",
        "oi",
        "the",
        "thi",
        "ma",
        "nhi",
        "nhe",
        "giup",
        "em",
        "anh",
        "chi",
        "xin",
        "nao",
        "gi",
        "thuc",
        "viec",
        "duoc",
    ]
)
