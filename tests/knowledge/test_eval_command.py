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
]


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
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QRELS), encoding="utf-8")
    corpus = FIXTURES / "luat-cu-tru-trich.jsonl"
    args = ["eval", "--corpus", str(corpus), "--qrels", str(qrels), "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"n", "recall@1", "recall@5", "recall@10", "mrr@10", "p50_ms", "p95_ms"}
    assert result["n"] == 4
    assert result["recall@5"] == 1.0 and result["mrr@10"] >= 0.75
    assert 0 < result["p50_ms"] <= result["p95_ms"]
    # The evaluation index lives in its own directory and is reused on the next run.
    (eval_dir,) = (data_env / "eval").iterdir()
    assert (eval_dir / "troly.sqlite3").exists()
    assert main([*args, "--strip-diacritics"]) == 0
    stripped = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stripped["n"] == 4 and stripped["recall@5"] >= 0.75


def test_ask_json(data_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(FIXTURES / "luat-cu-tru-trich.jsonl")]) == 0
    capsys.readouterr()
    assert main(["ask", "--json", "Điều kiện đăng ký tạm trú là gì?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["grounded"] is True
    assert payload["sources"][0]["article"] == "27" and payload["sources"][0]["number"] == "68/2020/QH14"
    assert set(payload) == {"answer", "grounded", "sources"}
    assert main(["ask", "--json", "Cách nấu phở bò ngon"]) == 3
    assert json.loads(capsys.readouterr().out)["grounded"] is False


def test_metrics() -> None:
    m = metrics_of([1, 2, None, 11], [10.0, 20.0, 30.0, 40.0])
    assert m["n"] == 4 and m["recall@1"] == 0.25 and m["recall@5"] == 0.5 and m["recall@10"] == 0.5
    assert m["mrr@10"] == round((1 + 0.5) / 4, 4) and m["p50_ms"] == 25.0 and m["p95_ms"] == 40.0
