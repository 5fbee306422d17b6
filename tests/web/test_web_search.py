"""Folded search text: typed without diacritics, found all the same."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session
from web_support import World

from core.models import Blocker
from knowledge.normalize import fold_key as fold

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + " 0123456789-–,."


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_fold_matches_decomposition(text: str) -> None:
    assert fold(text) == reference(text)
    assert fold(unicodedata.normalize("NFD", text)) == reference(text)


def test_search_text_is_kept_filled_on_insert_and_update(world: World) -> None:
    blocker = world.blocker(code="VM-9", title="Đăng ký khai sinh", commune="Phường Phổ Yên", field="Hộ tịch")
    assert blocker.search_text == "vm-9 dang ky khai sinh mo ta vuong mac phuong pho yen ho tich"
    with Session(world.engine, expire_on_commit=False) as session:
        row = session.get(Blocker, blocker.id)
        assert row is not None
        row.title = "Cấp đổi sổ đỏ"
        session.add(row)
        session.commit()
        assert "cap doi so do" in row.search_text and "khai sinh" not in row.search_text
