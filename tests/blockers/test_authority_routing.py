"""Routing uses the authority map: a blocker about a task the map gives to the province (or a
provincial body) is suggested to that body's department first; a commune's task, or a blocker the
map knows nothing of, keeps the router's own ranking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from blockers.catalogue import load_departments
from blockers.intake import holder_department, suggest_departments
from blockers.routing import route
from core.settings import Settings
from knowledge.ingest import ingest_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "authority"


class _NoIndex:
    def add(self, chunks: list) -> None:  # type: ignore[type-arg]
        pass

    def remove(self, chunk_ids: list[str]) -> None:
        pass


@pytest.fixture
def mapped(engine: Engine, tmp_path: Path, settings: Settings) -> Engine:
    folder = tmp_path / "decrees"
    folder.mkdir()
    for name in ("nd139_excerpt.txt", "nd140_excerpt.txt", "nd146_excerpt.txt", "nd151_excerpt.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    assert not ingest_paths(engine=engine, index=_NoIndex(), paths=[folder]).errors
    with Session(engine) as session:
        load_departments(session, settings=settings)
        session.commit()
    return engine


# The router alone puts a land department first for this text ("đất", "xã", "hồ"); the map says
# the province's chairman decides it since 1 July 2025 (Điều 4 NĐ 151/2025), so the field's
# department, Sở Nông nghiệp và Môi trường, leads either way; the wine distribution licence went
# from the ministry to the province (Điều 20 NĐ 146/2025): Sở Công Thương.
LAKE = (
    "Xã đang vướng: hồ, đầm nằm trên địa bàn nhiều xã, phường thì ai quyết định việc sử dụng đất "
    "có mặt nước là hồ, đầm này? Người dân xin nuôi trồng thủy sản."
)
WINE = "Doanh nghiệp hỏi xã thủ tục cấp giấy phép phân phối rượu, xã chưa biết hướng dẫn ra sao."


def test_a_provincial_task_goes_to_its_department_first(mapped: Engine, settings: Settings) -> None:
    with Session(mapped) as session:
        assert holder_department(session, text=LAKE) == "NNMT"
        assert holder_department(session, text=WINE) == "CT"
        suggestions, kept = suggest_departments(session, text=WINE, settings=settings)
    assert suggestions[0].code == "CT"
    assert kept[0]["department"] == "CT"
    assert len({s.code for s in suggestions}) == len(suggestions)  # moved, not repeated


def test_the_holder_leads_even_where_the_router_ranks_it_lower(mapped: Engine, settings: Settings) -> None:
    text = "Công ty muốn được cấp giấy phép phân phối rượu, hồ sơ nộp ở xã có được không, xin hướng dẫn"
    with Session(mapped) as session:
        routed = [s.department for s in route(session, text=text, use_embeddings=False, settings=settings)]
        suggestions, _ = suggest_departments(session, text=text, settings=settings)
    assert routed[0] != "CT"  # the router alone would not put it first
    assert suggestions[0].code == "CT"


def test_commune_tasks_and_unknown_tasks_keep_the_router_ranking(mapped: Engine, settings: Settings) -> None:
    commune = "Người dân xin cấp giấy phép xây dựng nhà ở riêng lẻ, xã chưa rõ thủ tục"
    unknown = "Trường học của xã bị dột mái, cần kinh phí sửa chữa trước năm học mới"
    with Session(mapped) as session:
        assert holder_department(session, text=commune) is None  # the commune holds it: no override
        assert holder_department(session, text=unknown) is None
        routed = route(session, text=unknown, use_embeddings=False, settings=settings)
        suggestions, _ = suggest_departments(session, text=unknown, settings=settings)
    triage = settings.triage_department
    assert [s.code for s in suggestions] == [s.department for s in routed if s.department != triage][:3]
