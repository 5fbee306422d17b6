"""The authority map read from real clauses of the decrees of 12 June 2025 (tests/fixtures/authority/
holds excerpts copied from NĐ 139/2025, 140/2025 and 151/2025: their header, some articles, the
article on their validity): one row per transfer, with its task, provisions, holder and condition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.authority.extract import TransferDraft, decree_facts, extract_transfers, is_authority_decree
from knowledge.authority.provisions import parse_provisions
from knowledge.authority.vocabulary import HolderLevel, department_of, holder_level

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "authority"


def _rows(name: str) -> list[TransferDraft]:
    return extract_transfers((FIXTURES / name).read_text(encoding="utf-8"))


def _row(rows: list[TransferDraft], article: str, clause: str = "", point: str = "") -> TransferDraft:
    found = [r for r in rows if (r.article, r.clause, r.point) == (article, clause, point)]
    assert found, f"no row for Điều {article} khoản {clause} điểm {point}"
    return found[0]


def test_a_transfer_clause_names_task_provisions_and_holder() -> None:
    row = _row(_rows("nd140_excerpt.txt"), "4", "1")
    assert row.task == "Thẩm quyền cấp giấy phép xây dựng"
    assert row.holder == "Ủy ban nhân dân cấp xã" and row.level is HolderLevel.commune
    assert [p.label() for p in row.provisions] == [
        "khoản 2 Điều 103 Luật Xây dựng",
        "khoản 3 Điều 103 Luật Xây dựng",
    ]
    assert row.condition == ""
    assert row.article_title == "Nhiệm vụ, thẩm quyền về giấy phép xây dựng"


@pytest.mark.parametrize(
    ("clause", "condition"),
    [
        ("4", "theo nhiệm vụ được Ủy ban nhân dân cấp tỉnh phân cấp"),
        ("7", "khi được Ủy ban nhân dân cấp tỉnh phân cấp"),
    ],
)
def test_conditional_transfers_keep_their_condition(clause: str, condition: str) -> None:
    row = _row(_rows("nd140_excerpt.txt"), "7", clause)
    assert row.condition == condition
    assert row.level is HolderLevel.commune


def test_the_holder_is_the_last_do_phrase_even_when_the_task_says_pha_do() -> None:
    # "phá dỡ" folds to "pha do": the holder must still be the one before "thực hiện".
    row = _row(_rows("nd140_excerpt.txt"), "9", "6")
    assert row.holder == "Chủ tịch Ủy ban nhân dân cấp xã" and row.level is HolderLevel.commune_chair
    assert row.task.startswith("Trách nhiệm ban hành quyết định cưỡng chế đối với trường hợp phá dỡ nhà ở")
    assert [p.label() for p in row.provisions] == ["điểm a khoản 2 Điều 139 Luật Nhà ở"]


def test_if_authorised_and_if_assigned_are_conditions() -> None:
    rows = _rows("nd140_excerpt.txt")
    assert _row(rows, "9", "2").condition == "nếu được ủy quyền"
    assert _row(rows, "9", "5").condition == "trong trường hợp được Ủy ban nhân dân cấp tỉnh giao"


def test_several_provisions_and_several_texts_in_one_clause() -> None:
    row = _row(_rows("nd139_excerpt.txt"), "7", "1")
    assert row.level is HolderLevel.commune
    assert [p.label() for p in row.provisions] == [
        "điểm c khoản 1 Điều 25 Nghị định số 105/2017/NĐ-CP",
        "điểm d khoản 1 Điều 25 Nghị định số 105/2017/NĐ-CP",
        "Điều 33 Nghị định số 105/2017/NĐ-CP",
    ]
    assert "Giấy phép bán lẻ rượu" in row.task
    # The amending decree and the short name in brackets are not provisions of their own.
    assert all("17/2020" not in p.document for p in row.provisions)


def test_a_lead_in_gives_its_holder_to_each_point() -> None:
    rows = _rows("nd151_excerpt.txt")
    point = _row(rows, "5", "1", "e")
    assert point.task == "Quyết định giá đất cụ thể"
    assert point.holder == "Chủ tịch Ủy ban nhân dân cấp xã"
    assert [p.label() for p in point.provisions] == ["khoản 2 Điều 91 Luật Đất đai"]
    assert point.former_holder == "Ủy ban nhân dân cấp huyện"
    assert point.text.startswith("Thẩm quyền của Ủy ban nhân dân cấp huyện theo quy định của Luật Đất đai")


def test_a_point_naming_several_tasks_gives_one_row_each() -> None:
    rows = [r for r in _rows("nd151_excerpt.txt") if (r.article, r.clause, r.point) == ("5", "1", "m")]
    assert [r.task for r in rows] == [
        "Quyết định giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất đối với cá nhân",
        "quyết định giao đất đối với cộng đồng dân cư",
        "quyết định giao đất nông nghiệp cho cá nhân",
    ]
    assert [p.label() for p in rows[0].provisions] == [
        "điểm c khoản 1 Điều 123 Luật Đất đai",
        "điểm a khoản 2 Điều 123 Luật Đất đai",
    ]


def test_transferred_to_the_province_and_to_a_commune_body() -> None:
    rows = _rows("nd151_excerpt.txt")
    to_province = _row(rows, "4")
    assert to_province.holder == "Chủ tịch Ủy ban nhân dân cấp tỉnh"
    assert to_province.level is HolderLevel.province_chair
    assert [p.label() for p in to_province.provisions] == ["khoản 2 Điều 188 Luật Đất đai"]
    body = _row(rows, "6")
    assert body.holder == "cơ quan có chức năng quản lý đất đai cấp xã" and body.level is HolderLevel.commune


def test_holder_first_clauses_and_procedure_clauses() -> None:
    rows = _rows("nd139_excerpt.txt")
    duty = _row(rows, "15")
    assert duty.holder == "Ủy ban nhân dân cấp xã"
    assert duty.task == "nhiệm vụ trong lĩnh vực kinh doanh rượu"
    assert len(duty.provisions) == 7
    # "Trình tự, thủ tục … được quy định tại Phụ lục II" names no holder: not a transfer.
    assert not [r for r in rows if r.article == "5" and r.clause == "2"]
    assert _row(rows, "13").level is HolderLevel.province


def test_decree_facts_and_which_texts_are_such_decrees() -> None:
    text = (FIXTURES / "nd140_excerpt.txt").read_text(encoding="utf-8")
    facts = decree_facts(text)
    assert facts.number == "140/2025/NĐ-CP"
    assert (facts.effective_from, facts.effective_to) == (date(2025, 7, 1), date(2027, 3, 1))
    assert facts.ministry == "Bộ Xây dựng"
    assert is_authority_decree(text)
    assert not is_authority_decree(
        "LUẬT\nCƯ TRÚ\nĐiều 1. Phạm vi điều chỉnh\nThẩm quyền … do Ủy ban nhân dân cấp xã thực hiện."
    )
    land = decree_facts((FIXTURES / "nd151_excerpt.txt").read_text(encoding="utf-8"))
    assert land.effective_to == date(2027, 3, 1)  # "được thực hiện đến trước ngày 01 tháng 3 năm 2027"


def test_provision_lists_without_the_keyword_repeated() -> None:
    labels = [
        p.label()
        for p in parse_provisions("các khoản 4, 5 Điều 21, các khoản 2, 3 Điều 23 Nghị định số 45/2023/NĐ-CP")
    ]
    assert labels == [
        "khoản 4 Điều 21 Nghị định số 45/2023/NĐ-CP",
        "khoản 5 Điều 21 Nghị định số 45/2023/NĐ-CP",
        "khoản 2 Điều 23 Nghị định số 45/2023/NĐ-CP",
        "khoản 3 Điều 23 Nghị định số 45/2023/NĐ-CP",
    ]
    assert [
        p.point
        for p in parse_provisions("điểm a, b và đ khoản 2 Điều 77 Luật Bảo vệ quyền lợi người tiêu dùng")
    ] == [
        "a",
        "b",
        "đ",
    ]
    assert parse_provisions("khoản 1 Điều này") == []


@pytest.mark.parametrize(
    ("holder", "level"),
    [
        ("Ủy ban nhân dân cấp xã nơi có dự án", HolderLevel.commune),
        ("Chủ tịch Ủy ban nhân dân tỉnh", HolderLevel.province_chair),
        ("Sở Xây dựng", HolderLevel.province_body),
        ("cơ quan có chức năng quản lý đất đai cấp tỉnh", HolderLevel.province_body),
        ("Bộ trưởng Bộ Công Thương", HolderLevel.central),
        ("khoản 2 Điều 5", HolderLevel.none),
    ],
)
def test_holder_levels(holder: str, level: HolderLevel) -> None:
    assert holder_level(holder) is level


def test_the_department_of_a_provincial_task() -> None:
    assert department_of("Sở Công Thương", "Bộ Xây dựng") == "Sở Công Thương"
    assert (
        department_of("Ủy ban nhân dân cấp tỉnh", "Bộ Nông nghiệp và Môi trường")
        == "Sở Nông nghiệp và Môi trường"
    )
