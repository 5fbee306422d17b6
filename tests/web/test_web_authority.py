"""/admin/authority: the authority map as a searchable table with its source, and its export;
every web role may read it (blockers/access.py PAGE_ROLES), nobody logged out."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import World

from blockers.access import PAGE_ROLES, Page
from core.models import Role
from knowledge.ingest import ingest_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "authority"


class _NoIndex:
    def add(self, chunks: list) -> None:  # type: ignore[type-arg]
        pass

    def remove(self, chunk_ids: list[str]) -> None:
        pass


@pytest.fixture
def mapped(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "decrees"
    folder.mkdir()
    shutil.copy(FIXTURES / "nd140_excerpt.txt", folder / "nd140.txt")
    shutil.copy(FIXTURES / "nd151_excerpt.txt", folder / "nd151.txt")
    assert not ingest_paths(engine=engine, index=_NoIndex(), paths=[folder]).errors


def test_every_web_role_reads_the_map() -> None:
    assert PAGE_ROLES[Page.authority_map] == frozenset({Role.staff, Role.head, Role.leader, Role.admin})


@pytest.mark.parametrize("username", ["cv_tc", "ld_tc", "lanhdao", "quantri"])
def test_the_table_is_searchable_with_and_without_marks(
    login, world: World, mapped: None, username: str
) -> None:  # type: ignore[no-untyped-def]
    browser = login(username)
    page = browser.get("/admin/authority")
    assert page.status_code == 200 and "Phân định thẩm quyền" in page.text
    assert "Thẩm quyền cấp giấy phép xây dựng" in page.text and "Quyết định giá đất cụ thể" in page.text
    found = browser.get("/admin/authority", params={"q": "giay phep xay dung"})
    assert "Thẩm quyền cấp giấy phép xây dựng" in found.text
    assert "Quyết định giá đất cụ thể" not in found.text
    assert "Điều 4 khoản 1 Nghị định số 140/2025/NĐ-CP" in found.text  # the source of the row
    commune_chair = browser.get("/admin/authority", params={"level": "commune_chair"})
    assert "Quyết định giá đất cụ thể" in commune_chair.text
    assert "Thẩm quyền cấp giấy phép xây dựng" not in commune_chair.text


def test_logged_out_visitors_are_sent_to_the_login(web_app: FastAPI, mapped: None) -> None:
    for path in ("/admin/authority", "/admin/authority/export.csv"):
        answer = TestClient(web_app).get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_csv_and_xlsx_export_the_filtered_rows(login, world: World, mapped: None) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    text = browser.get("/admin/authority/export.csv", params={"q": "giá đất cụ thể"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == [
        "Nghị định",
        "Điều, khoản, điểm",
        "Nhiệm vụ, thẩm quyền",
        "Quy định được dẫn",
        "Nay do",
    ]
    tasks = {row[2]: row for row in rows[1:]}
    price = tasks["Quyết định giá đất cụ thể"]
    assert price[0] == "151/2025/NĐ-CP" and price[1] == "Điều 5 khoản 1 điểm e Nghị định số 151/2025/NĐ-CP"
    assert (
        price[4] == "Chủ tịch Ủy ban nhân dân cấp xã" and price[9] == "01/7/2025" and price[10] == "01/3/2027"
    )
    assert all("xây dựng" not in row[2] for row in rows[1:])
    workbook = openpyxl.load_workbook(io.BytesIO(browser.get("/admin/authority/export.xlsx").content))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][2] == "Nhiệm vụ, thẩm quyền" and len(values) > 40
    assert browser.get("/admin/authority/export.pdf").status_code == 404
