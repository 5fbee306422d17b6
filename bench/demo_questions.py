"""The questions of issue 10, and more in halves A and B, against the shipped demo guidance,
typed with and without diacritics: for each, whether it is answered and which document /
article or procedure part is cited (first source), and whether that is the expected one.
Also, with --start, what a fresh install costs: `troly serve` on an empty DATA_DIR until
/healthz is ready (the demo guidance indexed from the shipped vectors), its resident memory,
and re-ingesting the unchanged demo guidance.

    python bench/demo_questions.py [--only PREFIX ...] [--start]

--only ingests just the demo files whose path (relative to knowledge/demo) starts so (for a
partial check); without it the whole demo folder, as the first start does.
Results: bench/results/sources.json (and printed: hits per set "issue", "A", "B", typed and
stripped).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bench.retrieval import half_of  # noqa: E402
from core.db import create_schema, make_engine  # noqa: E402
from core.models import Chunk  # noqa: E402
from core.settings import Settings  # noqa: E402
from knowledge.embeddings import make_embeddings  # noqa: E402
from knowledge.normalize import fold  # noqa: E402
from knowledge.service import DEMO_DIR, DEMO_VECTORS, KnowledgeBase  # noqa: E402

# (question as an official types it, what the cited source must contain: a procedure code or
# a document/article marker found in the citation, the chunk's breadcrumb or its article id;
# several tuples = several right answers, e.g. the procedure record or the law's article)
Expected = tuple[tuple[str, ...], ...]
QUESTIONS: list[tuple[str, Expected]] = [
    ("thủ tục đăng ký khai sinh cần giấy tờ gì", (("1.001193", "Thành phần hồ sơ"),)),
    ("đăng ký khai tử cần hồ sơ gì", (("1.000656",),)),
    ("đăng ký kết hôn cần những giấy tờ gì", (("1.000894",),)),
    ("xin giấy xác nhận tình trạng hôn nhân", (("1.004873",),)),
    ("chứng thực bản sao từ bản chính cần gì", (("2.000815",),)),
    ("chứng thực chữ ký", (("2.000884",),)),
    ("hòa giải tranh chấp đất đai ở xã", (("1.012812",),)),
    ("sinh con bao lâu thì phải đăng ký khai sinh", (("15.3.LQ.15",),)),
    ("người chết bao nhiêu ngày phải đăng ký khai tử", (("15.3.LQ.33",),)),
    ("nhiệm vụ quyền hạn của ủy ban nhân dân xã", (("72/2025/QH15", "Điều 22"),)),
]
# More questions a commune's civil-status, residence, justice and land officers ask, written
# from how they ask them (not from the index), each with what answers it, checked against the
# demo files' content. Split into halves by a hash of the question (bench.retrieval.half_of):
# half A may be looked at when changing the answer path, half B is only reported.
MORE_QUESTIONS: list[tuple[str, Expected]] = [
    ("hồ sơ đăng ký giám hộ gồm những gì", (("1.004837", "Thành phần hồ sơ"),)),
    ("thủ tục đăng ký nhận cha mẹ con", (("1.001022",), ("15.3.LQ.25",))),
    ("thay đổi cải chính hộ tịch cần giấy tờ gì", (("1.004859", "Thành phần hồ sơ"),)),
    ("xin cấp bản sao trích lục khai sinh", (("2.000635",),)),
    ("đăng ký lại khai sinh cần những giấy tờ gì", (("1.004884", "Thành phần hồ sơ"),)),
    ("chứng thực hợp đồng chuyển nhượng đất cần giấy tờ gì", (("2.001035", "Thành phần hồ sơ"),)),
    ("chứng thực di chúc cần những gì", (("2.001019",),)),
    ("chứng thực văn bản phân chia di sản thừa kế", (("2.001406",),)),
    ("đăng ký thường trú cần hồ sơ gì", (("1.004222", "Thành phần hồ sơ"), ("Luật Cư trú", "Điều 21"))),
    ("hồ sơ đăng ký tạm trú gồm những gì", (("1.004194", "Thành phần hồ sơ"), ("Luật Cư trú", "Điều 28"))),
    ("thủ tục gia hạn tạm trú", (("1.002755",), ("Luật Cư trú", "Điều 28"))),
    ("khai báo tạm vắng như thế nào", (("1.003677",), ("Luật Cư trú", "Điều 31"))),
    ("điều kiện tách hộ", (("Luật Cư trú", "Điều 25"), ("1.010038",))),
    ("lệ phí đăng ký kết hôn bao nhiêu", (("1.000894",), ("15.3.LQ.11",))),
    ("lệ phí chứng thực bản sao bao nhiêu tiền", (("2.000815",),)),
    ("đăng ký khai sinh cho con ở đâu", (("15.3.LQ.13",), ("1.001193",))),
    ("đăng ký khai tử ở xã nào", (("15.3.LQ.32",), ("1.000656",))),
    ("thời hạn giải quyết cấp giấy xác nhận tình trạng hôn nhân", (("1.004873",), ("123/2015", "Điều 22"))),
    ("giấy xác nhận tình trạng hôn nhân có giá trị bao lâu", (("123/2015", "Điều 23"),)),
    ("tiêu chuẩn hòa giải viên", (("37.1.LQ.7",),)),
    ("thủ tục công nhận tổ trưởng tổ hòa giải", (("2.000950",),)),
    ("cấp bản sao từ sổ gốc cần gì", (("2.000908",),)),
    ("đăng ký chấm dứt giám hộ cần giấy tờ gì", (("1.004845",),)),
    ("xin giấy xác nhận thông tin cư trú", (("1.010041",),)),
    ("thời hạn đăng ký khai tử", (("15.3.LQ.33",),)),
    ("nhiệm vụ quyền hạn của chủ tịch ủy ban nhân dân xã", (("72/2025/QH15", "Điều 23"),)),
    ("chứng thực chữ ký người dịch", (("2.000992",), ("2.001008",))),
    ("đăng ký kết hôn lưu động", (("1.000593",),)),
]


def _hit(found: str, expected: Expected) -> bool:
    return any(all(part in found for part in alternative) for alternative in expected)


def question_set(question: str) -> str:
    """ "issue" for the issue's questions, "A" / "B" for the halves of the others."""
    return "issue" if question in dict(QUESTIONS) else half_of(question)


def ask_all(kb: KnowledgeBase) -> list[dict[str, Any]]:
    rows = []
    for question, expected in [*QUESTIONS, *MORE_QUESTIONS]:
        for typed in (question, fold(question)):
            started = time.perf_counter()
            answer = kb.ask(typed)
            ms = (time.perf_counter() - started) * 1000
            cited, crumb = "", ""
            if answer.sources:
                first = answer.sources[0]
                cited = first.citation
                with Session(kb.engine) as session:
                    chunk = session.get(Chunk, first.chunk_id)
                    crumb = chunk.breadcrumb if chunk else ""
            where = f"{cited} | {crumb} | {answer.sources[0].article if answer.sources else ''}"
            rows.append(
                {
                    "question": typed,
                    "set": question_set(question),
                    "typed": "stripped" if typed != question else "typed",
                    "grounded": answer.grounded,
                    "confidence": round(answer.confidence, 3),
                    "cited": cited,
                    "breadcrumb": crumb,
                    "expected": [list(alternative) for alternative in expected],
                    "hit": answer.grounded and _hit(where, expected),
                    "ms": round(ms),
                    "answer": answer.text[:300],
                }
            )
            mark = "✓" if rows[-1]["hit"] else "✗"
            print(f"{mark} {typed!r}\n    {cited}\n    {crumb}\n    {answer.text[:160]!r}", flush=True)
    return rows


def questions(only: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp), demo_guidance=False, run_workers=False)  # type: ignore[call-arg]
        settings.ensure_dirs()
        engine = make_engine(settings.effective_database_url)
        create_schema(engine)
        embeddings = make_embeddings(settings)
        embeddings.cache.seed_from_npz(DEMO_VECTORS)
        kb = KnowledgeBase.open(settings, engine, embeddings=embeddings)
        paths = (
            [
                p
                for p in sorted(DEMO_DIR.rglob("*.jsonl")) + sorted(DEMO_DIR.glob("*.md"))
                if p.relative_to(DEMO_DIR).as_posix().startswith(tuple(only)) and p.name != "README.md"
            ]
            if only
            else [DEMO_DIR]
        )
        report = kb.ingest(paths)
        kb.warm_up()
        rows = ask_all(kb)
        engine.dispose()
    hits = sum(r["hit"] for r in rows)
    by_set = {
        f"{name}/{typed}": f"{sum(r['hit'] for r in chosen)}/{len(chosen)}"
        for name in ("issue", "A", "B")
        for typed in ("typed", "stripped")
        if (chosen := [r for r in rows if r["set"] == name and r["typed"] == typed])
    }
    return {
        "documents": report.added,
        "chunks": report.chunks_added,
        "hits": hits,
        "asked": len(rows),
        "by_set": by_set,
        "rows": rows,
    }


def _rss(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1]) // 1024
    return values


def start() -> dict[str, Any]:
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATA_DIR": tmp,
            "DEMO_GUIDANCE": "true",
            "RUN_WORKERS": "false",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("DATABASE_URL", "CHROMA_URL", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "LLM_BASE_URL"):
            env.pop(name, None)
        port = "8791"
        command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", port]
        started = time.monotonic()
        with open(Path(tmp) / "serve.log", "wb") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            ready = None
            try:
                while time.monotonic() - started < 1800 and process.poll() is None:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                            ready = time.monotonic() - started
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.5)
                memory = _rss(process.pid)
            finally:
                process.terminate()
                process.wait(timeout=60)
        again_started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "api.cli", "ingest", str(DEMO_DIR)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        again = time.monotonic() - again_started
    return {
        "first_start_ready_s": round(ready, 1) if ready else None,
        "serve_rss_mb": memory.get("VmRSS"),
        "serve_peak_rss_mb": memory.get("VmHWM"),
        "reingest_unchanged_s": round(again, 1),
        "reingest_output": out.stdout.strip()[-300:],
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--start", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {"questions": questions(args.only)}
    print(f"{results['questions']['hits']}/{results['questions']['asked']} cited the expected source")
    for name, score in results["questions"]["by_set"].items():
        print(f"  {name}: {score}")
    if args.start:
        results["start"] = start()
        print(json.dumps(results["start"], ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "sources.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
