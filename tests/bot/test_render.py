"""Splitting long text and numbering buttons for channels without them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channel import Button, ChannelLimits
from bot.render import numbered_choices, render, split_text

TELEGRAM = ChannelLimits(max_text=4096, buttons=True)
ZALO = ChannelLimits(max_text=2000, buttons=False)
BUTTONS = [
    Button("Hữu ích", "fb:1:helpful"),
    Button("Chưa đúng", "fb:1:wrong"),
    Button("Báo vướng mắc", "rp:q:1"),
]


def _answer(chars: int) -> str:
    paragraph = (
        "Điều 20 khoản 1 Luật Cư trú quy định điều kiện đăng ký thường trú. Công dân nộp hồ sơ tại xã. "
    )
    paragraphs, text = [], ""
    while len(text) < chars:
        paragraphs.append(paragraph * 5)
        text = "\n\n".join(paragraphs)
    return text[:chars]


def test_6000_characters_split_for_telegram_at_paragraphs():
    text = _answer(6000)
    parts = render(text, BUTTONS, TELEGRAM)
    assert len(parts) == 2
    assert all(len(p.text) <= 4096 for p in parts)
    assert parts[0].text.endswith(".")  # cut at a paragraph/sentence end, not inside a word
    assert parts[0].buttons == [] and parts[1].buttons == BUTTONS
    assert "".join(p.text for p in parts).replace("\n", "").replace(" ", "") == text.replace(
        "\n", ""
    ).replace(" ", "")


def test_zalo_gets_numbered_choices_in_button_order_on_the_last_part():
    parts = render(_answer(6000), BUTTONS, ZALO)
    assert len(parts) >= 3 and all(len(p.text) <= 2000 for p in parts)
    assert all(p.buttons == [] for p in parts)
    assert parts[-1].text.endswith("Trả lời bằng số:\n1. Hữu ích\n2. Chưa đúng\n3. Báo vướng mắc")
    assert "Trả lời bằng số" not in parts[0].text


def test_short_text_is_one_part():
    (part,) = render("Xin chào", BUTTONS[:1], TELEGRAM)
    assert part.text == "Xin chào" and part.buttons == BUTTONS[:1]
    (zalo,) = render("Xin chào", [], ZALO)
    assert zalo.text == "Xin chào"


def test_numbered_choices_alone():
    assert numbered_choices(BUTTONS[:2]) == "Trả lời bằng số:\n1. Hữu ích\n2. Chưa đúng"
    (part,) = render("", BUTTONS[:2], ZALO)
    assert part.text.startswith("Trả lời bằng số:")


def test_a_word_longer_than_the_limit_is_cut():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=20, max_value=500))
def test_split_never_exceeds_limit_and_keeps_every_character(text, limit):
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze("".join(pieces)) == squeeze(text)
