"""`troly eval` and `troly ask` on a tiny corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_kb import FIXTURE_VECTORS, FIXTURES

from api.cli import main
from core.settings import get_settings
from knowledge.embeddings import EmbeddingCache
from knowledge.eval import metrics_of

QRELS = [
    {"qid": "q1", "query": "Điều kiện đăng ký tạm trú là gì?", "relevant_ids": ["Luật Cư trú::27"]},
    {"qid": "q2", "query": "Hồ sơ đăng ký thường trú gồm những gì?", "relevant_ids": ["Luật Cư trú::21"]},
    {"qid": "q3", "query": "Trách nhiệm thông báo lưu trú", "relevant_ids": ["Luật Cư trú::30"]},
    {"qid": "q4", "query": "dia diem khong duoc dang ky thuong tru moi", "relevant_ids": ["Luật Cư trú::23"]},
    # Answer-bearing lines: the gold short answer must be near the top of the reply.
    {
        "qid": "q5",
        "query": "Thời hạn tạm trú tối đa là bao lâu?",
        "relevant_ids": ["Luật Cư trú::27"],
        "answer": "02 năm",
    },
    {
        "qid": "q6",
        "query": "Cơ quan đăng ký cư trú phải cập nhật thông tin tạm trú trong thời hạn bao nhiêu ngày?",
        "relevant_ids": ["Luật Cư trú::28"],
        "answer": "03 ngày làm việc",
    },
    # A line whose gold article is not the one the bot cites: counted as answered wrong.
    {"qid": "q7", "query": "Hồ sơ đăng ký thường trú gồm những gì?", "relevant_ids": ["Luật Cư trú::30"]},
]
UNANSWERABLE = [
    {"qid": "u1", "query": "Cách nấu phở bò ngon tại nhà", "relevant_ids": []},
    {"qid": "u2", "query": "Thời tiết Hà Nội ngày mai có mưa không?", "relevant_ids": []},
    {"qid": "u3", "query": "Giá vàng hôm nay bao nhiêu một chỉ?", "relevant_ids": []},
]


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in rows), encoding="utf-8")
    return path


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.setenv("DEMO_GUIDANCE", "false")
    get_settings.cache_clear()
    (data / "cache").mkdir(parents=True)
    EmbeddingCache.for_model(data / "cache", "multilingual-e5-small").seed_from_npz(FIXTURE_VECTORS)
    yield data
    get_settings.cache_clear()


def test_eval_prints_one_json_line(
    data_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qrels = _jsonl(tmp_path / "qrels.jsonl", QRELS)
    outside = _jsonl(tmp_path / "unanswerable.jsonl", UNANSWERABLE)
    corpus = FIXTURES / "luat-cu-tru-trich.jsonl"
    args = ["eval", "--corpus", str(corpus), "--qrels", str(qrels), "--json"]
    assert main([*args, "--unanswerable", str(outside)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    retrieval = {"n", "recall@1", "recall@5", "recall@10", "mrr@10", "p50_ms", "p95_ms"}
    answers = {"answered_right", "answered_wrong", "refused", "answer_in_lead", "with_answer"}
    assert set(result) == retrieval | answers | {"unanswerable", "refused_unanswerable"}
    assert result["n"] == 7
    assert result["recall@5"] >= 0.85 and result["mrr@10"] >= 0.75
    # Through the bot's own path: six lines cite their gold article, q7 (gold elsewhere) is wrong.
    assert result["answered_right"] == 6 and result["answered_wrong"] == 1 and result["refused"] == 0
    assert result["with_answer"] == 2 and result["answer_in_lead"] == 2
    assert result["unanswerable"] == 3 and result["refused_unanswerable"] == 3
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    # The evaluation index lives in its own directory and is reused on the next run.
    (eval_dir,) = (data_env / "eval").iterdir()
    assert (eval_dir / "troly.sqlite3").exists()
    assert main([*args, "--strip-diacritics"]) == 0
    stripped = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stripped["n"] == 7 and stripped["recall@5"] >= 0.75
    assert stripped["answered_right"] + stripped["answered_wrong"] + stripped["refused"] == 7
    assert "refused_unanswerable" not in stripped


def test_ask_json(data_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(FIXTURES / "luat-cu-tru-trich.jsonl")]) == 0
    capsys.readouterr()
    assert main(["ask", "--json", "Điều kiện đăng ký tạm trú là gì?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["grounded"] is True and payload["kind"] == "answer"
    first = payload["sources"][0]
    assert first["article"] == "27" and first["number"] == "68/2020/QH14" and first["clause"] == "1"
    assert first["status"] == "in_force" and first["citation"].startswith("Điều 27 khoản 1 Luật Cư trú")
    assert set(payload) == {"answer", "grounded", "kind", "sources"}
    assert main(["ask", "--json", "Cách nấu phở bò ngon"]) == 3
    refused = json.loads(capsys.readouterr().out)
    assert refused["grounded"] is False and refused["kind"] == "not_found" and refused["sources"] == []


def test_metrics() -> None:
    m = metrics_of([1, 2, None, 11], [10.0, 20.0, 30.0, 40.0])
    assert m["n"] == 4 and m["recall@1"] == 0.25 and m["recall@5"] == 0.5 and m["recall@10"] == 0.5
    assert m["mrr@10"] == round((1 + 0.5) / 4, 4) and m["p50_ms"] == 25.0 and m["p95_ms"] == 40.0
