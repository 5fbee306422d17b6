"""Security edge benchmark: what the limits of issue 11 cost and what they stop.

    python bench/security.py                  # writes bench/results/security.json
    python bench/security.py --runs 5 --logins 9

- login timing: median time of a wrong password and of an unknown username through the real
  app with the production argon2 parameters, per run, then the median over runs and the ratio
  (before: 170 ms vs 6 ms);
- login race: 25 parallel wrong logins for one account, how many passwords were evaluated
  (before: 19 against a limit of 5);
- streaming: a 300 MB chunked webhook body against a real `troly serve`: bytes the client got
  to send and the server's peak memory growth (before: the body read whole, +600 MB);
- DOCX: two million empty paragraphs, time and peak memory until the refusal (before: 77 s,
  680 MB on the attack box, 165 s / 293 MB here).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient
from sqlmodel import Session

RESULTS = Path(__file__).resolve().parent / "results" / "security.json"
CSRF_MARK = 'name="csrf_token" value="'


def _app(data_dir: Path, **overrides: Any) -> tuple[Any, Any]:
    from api.app import create_app
    from api.context import AppContext
    from api.web.accounts import create_user
    from core.db import create_schema, make_engine
    from core.models import Department, Role
    from core.settings import Settings

    values: dict[str, Any] = {"data_dir": data_dir, "demo_guidance": False, "run_workers": False}
    settings = Settings(_env_file=None, **values, **overrides)  # type: ignore[call-arg]
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    create_schema(engine)
    with Session(engine) as session:
        session.add(Department(code="TC", name="Sở Tài chính"))
        session.flush()
        create_user(
            session, username="cv_tc", password="mat-khau-dung-1", role=Role.staff, department_code="TC"
        )
        session.commit()
    app = create_app(settings, start_workers=False)
    app.state.ctx = AppContext(settings=settings, engine=engine)
    return app, engine


def _login_client(app: Any) -> tuple[TestClient, str]:
    client = TestClient(app)
    page = client.get("/login").text
    start = page.index(CSRF_MARK) + len(CSRF_MARK)
    return client, page[start : page.index('"', start)]


def login_timing(runs: int, logins: int) -> dict[str, Any]:
    """The limits are lifted here: this measures the answers, not the refusals."""
    medians: dict[str, list[float]] = {"wrong_password": [], "unknown_user": []}
    with tempfile.TemporaryDirectory() as tmp:
        app, _ = _app(Path(tmp), login_attempts_per_minute=10**6, login_attempts_per_minute_per_address=10**6)
        for _ in range(runs):
            for kind, username in (("wrong_password", "cv_tc"), ("unknown_user", "khong-ai-co")):
                times = []
                for _ in range(logins):
                    client, token = _login_client(app)
                    data = {"csrf_token": token, "username": username, "password": "sai-mat-khau"}
                    started = time.perf_counter()
                    response = client.post("/login", data=data)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 401, response.status_code
                medians[kind].append(statistics.median(times) * 1000)
    wrong, unknown = statistics.median(medians["wrong_password"]), statistics.median(medians["unknown_user"])
    return {
        "wrong_password_ms": round(wrong, 1),
        "unknown_user_ms": round(unknown, 1),
        "ratio_unknown_to_wrong": round(unknown / wrong, 2),
        "runs": runs,
        "logins_per_run": logins,
    }


def login_race(parallel: int = 25) -> dict[str, Any]:
    import api.web.auth

    evaluated: list[int] = []
    real = api.web.auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        evaluated.append(1)
        return real(password_hash, password)

    api.web.auth.verify_password = counting  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app, _ = _app(Path(tmp))
            clients = [_login_client(app) for _ in range(parallel)]
            barrier = threading.Barrier(parallel)

            def attempt(index: int) -> int:
                client, token = clients[index]
                barrier.wait()
                data = {"csrf_token": token, "username": "cv_tc", "password": f"sai-{index}"}
                return client.post("/login", data=data).status_code

            with ThreadPoolExecutor(max_workers=parallel) as pool:
                statuses = list(pool.map(attempt, range(parallel)))
    finally:
        api.web.auth.verify_password = real  # type: ignore[assignment]
    return {"parallel": parallel, "passwords_evaluated": len(evaluated), "answered_429": statuses.count(429)}


def streaming(total_mb: int = 300) -> dict[str, Any]:
    from tests.fakes.servers import FakePlatforms
    from tests.production.serving import SECRET_HEADER, ServeProcess
    from tests.production.test_body_limits import MB, peak_rss_mb, stream_chunked

    fake = FakePlatforms().start()
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            ServeProcess(data_dir=Path(tmp) / "data", fake=fake) as server,
        ):
            before = peak_rss_mb(server.pid)
            headers = {**SECRET_HEADER, "Content-Type": "application/json"}
            started = time.perf_counter()
            sent, answer = stream_chunked(server.url, "/webhooks/telegram", headers, total_mb * MB)
            elapsed = time.perf_counter() - started
            grown = peak_rss_mb(server.pid) - before
    finally:
        fake.stop()
    return {"body_mb": total_mb, "status": answer.split(" ", 2)[1], "client_sent_mb": round(sent / MB, 1),
            "server_peak_growth_mb": round(grown, 1), "seconds": round(elapsed, 2)}  # fmt: skip


def docx_bomb(paragraphs: int = 2_000_000) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "knowledge"))
    from tests.knowledge.test_docx_limits import _docx_with_body

    with tempfile.TemporaryDirectory() as tmp:
        path = _docx_with_body(Path(tmp) / "bom.docx", "<w:p/>" * paragraphs)
        script = "\n".join(
            [
                "import sys, time",
                "from pathlib import Path",
                "from knowledge.loaders import LoadError, load_path",
                "from tests.production.test_body_limits import peak_rss_mb",
                "t = time.perf_counter()",
                "try:",
                "    load_path(Path(sys.argv[1])); r = 'loaded'",
                "except LoadError as e:",
                "    r = str(e)",
                "print(round(time.perf_counter() - t, 2), round(peak_rss_mb('self')), r, sep='|')",
            ]
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
        )
        seconds, peak, outcome = result.stdout.strip().splitlines()[-1].split("|", 2)
        return {"paragraphs": paragraphs, "file_kb": path.stat().st_size // 1024, "seconds": float(seconds),
                "process_peak_mb": int(peak), "outcome": outcome}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--logins", type=int, default=5, help="timed logins per kind and run (≤ the limit)")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results = {
        "command": " ".join(["python", "bench/security.py", *sys.argv[1:]]),
        "login_timing": login_timing(args.runs, args.logins),
        "login_race": login_race(),
        "streaming_webhook_body": streaming(),
        "docx_bomb": docx_bomb(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
