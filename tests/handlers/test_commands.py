"""Telling commands from questions (handlers/commands.py)."""

from __future__ import annotations

import pytest

from handlers.commands import Command, looks_like_code, parse_command, parse_number


@pytest.mark.parametrize(
    ("text", "command", "argument"),
    [
        ("/start", Command.start, ""),
        ("/start ABCD2345", Command.start, "ABCD2345"),
        ("/baocao@TroLyXaBot", Command.report, ""),
        ("/hoi thủ tục khai sinh", Command.ask, "thủ tục khai sinh"),
        ("Vướng mắc của tôi", Command.my, ""),
        ("  HUỶ ", Command.cancel, ""),
        ("dang ky abcd-2345", Command.register, "abcd-2345"),
        ("Đăng ký", Command.register, ""),
        ("Xin chào", Command.greet, ""),
        ("/abc", Command.unknown, "/abc"),
    ],
)
def test_commands(text, command, argument):
    parsed = parse_command(text)
    assert parsed is not None
    assert (parsed.command, parsed.argument) == (command, argument)


@pytest.mark.parametrize(
    "text",
    [
        "Hỏi về thủ tục đăng ký thường trú",
        "Đăng ký kết hôn cần giấy tờ gì",
        "báo cáo quyết toán ngân sách xã nộp khi nào",
        "hủy đăng ký thường trú như thế nào",
        "",
    ],
)
def test_questions_are_not_commands(text):
    assert parse_command(text) is None


def test_numbers_and_codes():
    typed = ("2", " 3. ", "số 4", "2)", "12a", "2 người")
    assert [parse_number(t) for t in typed] == [2, 3, 4, 2, None, None]
    assert looks_like_code("ABCD-2345") and looks_like_code("abcd 2345")
    assert not looks_like_code("thutucxa") and not looks_like_code("12345678")
