"""The leadership dashboard: figures, server-side charts and the weekly summary."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from api.web import texts
from api.web.accounts import audit
from api.web.charts import ALERT_COLOR, bar_chart, line_chart
from api.web.deps import Forbidden, actor, dashboard_roles, get_db, get_settings_dep
from api.web.render import flash, render, status_label
from api.web.security import require_csrf
from blockers import stats
from blockers.access import scope_department
from blockers.summary import send_weekly_summary, weekly_summary
from core.clock import utcnow
from core.models import Role, User
from core.settings import Settings

router = APIRouter()


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return texts.NO_DURATION
    days, hours = divmod(round(seconds / 3600), 24)
    return texts.duration(days, hours)


def dashboard_context(db: Session, *, department: str | None) -> dict[str, Any]:
    now = utcnow()
    figures = stats.overview(db, department_code=department, now=now)
    by_status, departments = figures.by_status, figures.departments
    communes = stats.counts_by_commune(db, department_code=department)
    months = stats.counts_by_month(db, department_code=department, now=now)
    on_time = stats.on_time_rate(db, department_code=department)
    overdue = stats.overdue_list(db, department_code=department, now=now, limit=20)
    fields = stats.frequent_fields(db, department_code=department)
    return {
        "now": now,
        "total": sum(by_status.values()),
        "by_status": by_status,
        "departments": departments,
        "on_time": on_time,
        "overdue_total": sum(row.overdue for row in departments),  # same visibility, no extra scan
        "overdue": overdue,
        "first_response": format_duration(stats.median_first_response(db, department_code=department)),
        "resolution": format_duration(stats.median_resolution(db, department_code=department)),
        "fields": fields,
        "terms": stats.frequent_terms(db, department_code=department),
        # Questions come from every commune and belong to no department: the province's view only.
        "unanswered": stats.unanswered_questions(db)[:10] if department is None else [],
        "wrong": stats.wrong_answers(db)[:10] if department is None else [],
        "charts": {
            "status": bar_chart(
                [(status_label(k), v) for k, v in by_status.items()], title=texts.CHART_STATUS
            ),
            "departments": bar_chart([(r.name, r.total) for r in departments], title=texts.CHART_DEPARTMENTS),
            "overdue": bar_chart(
                [(r.name, r.overdue) for r in departments if r.overdue],
                title=texts.CHART_OVERDUE,
                color=ALERT_COLOR,
            ),
            "communes": bar_chart(communes, title=texts.CHART_COMMUNES),
            "months": line_chart(months, title=texts.CHART_MONTHS),
            "fields": bar_chart(fields, title=texts.CHART_FIELDS),
        },
    }


CACHE_SECONDS = 30.0


def cached_context(request: Request, db: Session, department: str | None) -> dict[str, Any]:
    """The figures of one scope, reused for CACHE_SECONDS: several leaders opening the
    dashboard at a meeting cost one set of queries. `?moi=1` forces fresh figures."""
    cache: dict[str | None, tuple[float, dict[str, Any]]] = request.app.state.__dict__.setdefault(
        "dashboard_cache", {}
    )
    hit = cache.get(department)
    fresh = request.query_params.get("moi") == "1"
    if hit is not None and not fresh and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    context = dashboard_context(db, department=department)
    cache[department] = (time.monotonic(), context)
    return context


@router.get("/dashboard")
def dashboard(
    request: Request, user: User = Depends(dashboard_roles), db: Session = Depends(get_db)
) -> Response:
    return render(request, "dashboard.html", cached_context(request, db, scope_department(user)))


@router.get("/dashboard/weekly-summary")
def summary_page(
    request: Request,
    user: User = Depends(dashboard_roles),
    db: Session = Depends(get_db),
    settings: Settings = Depends(get_settings_dep),
) -> Response:
    if user.role == Role.head:
        raise Forbidden()
    context = {"summary": weekly_summary(db), "leadership_chat": settings.leadership_chat}
    return render(request, "weekly_summary.html", context)


@router.post("/dashboard/weekly-summary", dependencies=[Depends(require_csrf)])
def send_summary(
    request: Request,
    user: User = Depends(dashboard_roles),
    db: Session = Depends(get_db),
    settings: Settings = Depends(get_settings_dep),
) -> Response:
    if user.role == Role.head:
        raise Forbidden()
    row = send_weekly_summary(db, target=settings.leadership_chat)
    if row is None:
        flash(request, texts.NO_LEADERSHIP_CHAT, "error")
    else:
        audit(db, actor=actor(user), action="summary.send", target=settings.leadership_chat)
        db.commit()
        flash(request, texts.SUMMARY_QUEUED)
    return RedirectResponse("/dashboard/weekly-summary", status_code=303)
