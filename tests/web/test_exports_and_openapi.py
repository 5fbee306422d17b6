"""CSV exports that no spreadsheet runs as formulas, and the API description for admins only."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import World


def test_csv_cells_are_all_quoted_and_formulas_after_separators_neutralised(login, world: World) -> None:  # type: ignore[no-untyped-def]
    world.blocker(code="VM-F1", title='Đất ở;=HYPERLINK("http://x")', commune="Xã A,-2+3")
    world.blocker(code="VM-F2", title="\t=cmd", commune="@SUM(A1)")
    text = login("cv_tc").get("/export/blockers.csv").content.decode("utf-8-sig")
    lines = text.splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines if line)  # every cell quoted
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["VM-F1"][1] == 'Đất ở;\'=HYPERLINK("http://x")'
    assert rows["VM-F1"][3] == "Xã A,'-2+3"
    assert rows["VM-F2"][1] == "'\t'=cmd" and rows["VM-F2"][3] == "'@SUM(A1)"


def test_openapi_is_for_logged_in_admins_only(web_app: FastAPI, login, world: World) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(web_app).get("/api/openapi.json", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login"
    assert login("cv_tc").get("/api/openapi.json").status_code == 403
    document = login("quantri").get("/api/openapi.json")
    assert document.status_code == 200 and "/chat/messages" in document.json()["paths"]
    assert (
        TestClient(web_app).get("/docs").status_code == 404
        and TestClient(web_app).get("/redoc").status_code == 404
    )


def test_openapi_can_be_switched_off(engine, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app
    from api.context import AppContext

    closed = settings.model_copy(update={"openapi_for_admins": False})
    app = create_app(closed, start_workers=False)
    app.state.ctx = AppContext(settings=closed, engine=engine)
    assert TestClient(app).get("/api/openapi.json").status_code == 404
