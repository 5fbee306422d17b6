"""Dashboard figures (blockers/stats.py), charts, exports and the weekly summary."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select
from web_support import World, count_queries

from api.web.charts import bar_chart, line_chart
from blockers import stats
from blockers.question_groups import group_similar, top_terms
from blockers.summary import send_weekly_summary, weekly_summary
from core.clock import utcnow
from core.models import BlockerStatus, BlockerSupport, Feedback, OutboxMessage, QuestionLog

NOW = datetime(2026, 3, 20, 5, 0)


def fill(world: World) -> None:
    day = timedelta(days=1)
    # TC: answered on time (1 day), answered late (6 days), open and overdue, open in time.
    world.blocker(
        code="A",
        commune="Xã A",
        field="Đất đai",
        title="Thuế đất nông nghiệp",
        created_at=NOW - 10 * day,
        deadline=NOW - 5 * day,
        status=BlockerStatus.answered,
        first_response_at=NOW - 9 * day,
        answered_at=NOW - 9 * day,
    )
    world.blocker(
        code="B",
        commune="Xã A",
        field="Đất đai",
        title="Thuế đất phi nông nghiệp",
        created_at=NOW - 40 * day,
        deadline=NOW - 36 * day,
        status=BlockerStatus.closed,
        first_response_at=NOW - 38 * day,
        answered_at=NOW - 34 * day,
        closed_at=NOW - 33 * day,
    )
    world.blocker(
        code="C",
        commune="Xã B",
        field="Tài chính",
        title="Ngân sách",
        created_at=NOW - 8 * day,
        deadline=NOW - 1 * day,
        status=BlockerStatus.in_progress,
    )
    world.blocker(code="D", commune="Xã B", created_at=NOW - 1 * day, deadline=NOW + 4 * day)
    # NV: one overdue, supported by TC.
    nv = world.blocker(
        code="E",
        department_code="NV",
        commune="Xã C",
        created_at=NOW - 70 * day,
        deadline=NOW - 60 * day,
        status=BlockerStatus.need_info,
    )
    with Session(world.engine) as session:
        session.add(BlockerSupport(blocker_id=nv.id or 0, department_code="TC"))
        session.commit()


def test_counts_rates_and_medians(world: World) -> None:
    fill(world)
    with Session(world.engine) as session:
        everything = stats.counts_by_status(session)
        assert everything == {
            "new": 1,
            "received": 0,
            "in_progress": 1,
            "need_info": 1,
            "answered": 1,
            "closed": 1,
        }
        departments = {
            r.code: (r.total, r.open, r.overdue) for r in stats.counts_by_department(session, now=NOW)
        }
        assert departments == {"TC": (4, 2, 1), "NV": (1, 1, 1)}
        assert stats.counts_by_commune(session) == [("Xã A", 2), ("Xã B", 2), ("Xã C", 1)]
        # TC leads four and supports E.
        assert sum(stats.counts_by_status(session, department_code="TC").values()) == 5
        assert sum(stats.counts_by_status(session, department_code="NV").values()) == 1
        on_time = stats.on_time_rate(session)
        assert (on_time.answered, on_time.on_time, on_time.rate) == (2, 1, 0.5)
        total, overdue = stats.overdue_blockers(session, now=NOW)
        assert total == 2 and [b.code for b in overdue] == ["E", "C"]
        assert stats.median_first_response(session) == pytest.approx(1.5 * 86400)  # 1 and 2 days
        assert stats.median_resolution(session) == pytest.approx(3.5 * 86400)  # 1 and 6 days
        months = stats.counts_by_month(session, now=NOW, months=4)
        assert months == [("12/2025", 0), ("01/2026", 1), ("02/2026", 1), ("03/2026", 3)]
        assert stats.frequent_fields(session)[0] == ("Đất đai", 2)
        assert {("thue dat", 2), ("nong nghiep", 2)} <= set(stats.frequent_terms(session))


def test_month_buckets_use_vietnam_time(world: World) -> None:
    # 31/01 20:00 UTC is already 01/02 in Vietnam.
    world.blocker(code="M", created_at=datetime(2026, 1, 31, 20, 0))
    with Session(world.engine) as session:
        assert stats.counts_by_month(session, now=NOW, months=2) == [("02/2026", 1), ("03/2026", 0)]


def test_similar_questions_are_grouped_on_folded_words() -> None:
    t = utcnow()
    rows = [
        ("Thủ tục đăng ký khai sinh cho trẻ?", t),
        ("thu tuc dang ky khai sinh cho tre", t),
        ("Đăng ký khai sinh cho trẻ em cần gì", t),
        ("Lệ phí cấp sổ đỏ bao nhiêu", t),
    ]
    groups = group_similar(rows)
    assert [g["count"] for g in groups] == [3, 1]
    assert "khai sinh" in groups[0]["example"]
    assert top_terms(["Khai sinh muộn", "khai sinh cho trẻ", "Đất đai"]) == [("khai sinh", 2)]


def test_unanswered_and_wrong_answers(world: World) -> None:
    with Session(world.engine) as session:
        session.add(QuestionLog(question="Cấp lại giấy khai sinh bị mất?", grounded=False))
        session.add(QuestionLog(question="cap lai giay khai sinh bi mat", grounded=False))
        session.add(QuestionLog(question="Điều kiện tách thửa", grounded=True, feedback=Feedback.wrong))
        session.add(QuestionLog(question="Lệ phí trước bạ", grounded=True, feedback=Feedback.helpful))
        session.commit()
        assert [(g["count"]) for g in stats.unanswered_questions(session)] == [2]
        assert [g["example"] for g in stats.wrong_answers(session)] == ["Điều kiện tách thửa"]


def test_charts_escape_labels_and_scale() -> None:
    svg = str(bar_chart([("<script>", 10), ("Xã B", 5)], title="T"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
    widths = [float(w) for w in __import__("re").findall(r'<rect[^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1]
    line = str(line_chart([("01/2026", 1), ("02/2026", 3)], title="Tháng"))
    assert "<polyline" in line and "02/2026" in line
    assert "Chưa có dữ liệu" in str(bar_chart([], title="x"))


def test_dashboard_page_and_exports(login, world: World) -> None:  # type: ignore[no-untyped-def]
    fill(world)
    leader = login("lanhdao")
    page = leader.get("/dashboard").text
    assert page.count("<svg") >= 5 and "<polyline" in page
    assert "Sở Tài chính" in page and "/dashboard/weekly-summary" in page
    assert "TỔNG HỢP VƯỚNG MẮC TUẦN" in leader.get("/dashboard/weekly-summary").text
    csv_text = leader.get("/dashboard/export/so.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == '"Sở","Tổng","Đang mở","Quá hạn"'  # every cell quoted
    assert '"Sở Tài chính","4",' in csv_text
    for table in (
        "trang-thai",
        "so",
        "xa-phuong",
        "thang",
        "qua-han",
        "linh-vuc",
        "chua-tra-loi",
        "chua-dung",
    ):
        response = leader.get(f"/dashboard/export/{table}.xlsx")
        assert response.status_code == 200, table
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet.max_row >= 1
    assert leader.get("/dashboard/export/khong-co.csv").status_code == 404
    everything = leader.get("/export/blockers.csv").content.decode("utf-8-sig")
    assert all(f'"{code}",' in everything for code in ("A", "B", "C", "D", "E"))


def test_head_sees_own_department_only(login, world: World) -> None:  # type: ignore[no-untyped-def]
    fill(world)
    world.blocker(code="Z", department_code="XD", commune="Xã Riêng Xây Dựng")
    head = login("ld_tc")
    page = head.get("/dashboard").text
    assert "Xã Riêng Xây Dựng" not in page and "/dashboard/weekly-summary" not in page
    assert head.get("/dashboard/weekly-summary").status_code == 403
    assert head.post("/dashboard/weekly-summary").status_code == 403


def test_weekly_summary_is_sent_to_the_leadership_chat(login, world: World) -> None:  # type: ignore[no-untyped-def]
    fill(world)
    with Session(world.engine) as session:
        text = weekly_summary(session, NOW)
        assert "Vướng mắc mới: 1" in text  # D only: C is eight days old
        assert "Đang quá hạn: 2" in text and "Sở Tài chính" in text
        assert send_weekly_summary(session, target="", now=NOW) is None
    world.settings.leadership_chat = "telegram:-100777"
    leader = login("lanhdao")
    assert "telegram:-100777" in leader.get("/dashboard/weekly-summary").text
    assert leader.post("/dashboard/weekly-summary").status_code == 303
    with Session(world.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "-100777")).one()
        assert row.channel == "telegram" and row.text.startswith("TỔNG HỢP VƯỚNG MẮC TUẦN")


def test_dashboard_query_count_does_not_grow_with_blockers(login, world: World) -> None:  # type: ignore[no-untyped-def]
    leader = login("lanhdao")
    fill(world)
    few = count_queries(world.engine, lambda: leader.get("/dashboard?moi=1"))
    for i in range(30):
        world.blocker(
            code=f"N{i}", commune=f"Xã {i}", field=f"Lĩnh vực {i}", deadline=NOW - timedelta(days=1)
        )
    many = count_queries(world.engine, lambda: leader.get("/dashboard?moi=1"))
    assert many == few
    cached = count_queries(world.engine, lambda: leader.get("/dashboard"))
    assert cached < few  # within CACHE_SECONDS the figures are reused


def test_dashboard_figures_are_reused_briefly_and_refreshed_on_demand(login, world: World) -> None:  # type: ignore[no-untyped-def]
    leader = login("lanhdao")
    world.blocker(code="R1")
    assert '<div class="kpi"><b>1</b>' in leader.get("/dashboard?moi=1").text
    world.blocker(code="R2")
    assert '<div class="kpi"><b>1</b>' in leader.get("/dashboard").text  # cached
    assert '<div class="kpi"><b>2</b>' in leader.get("/dashboard?moi=1").text
