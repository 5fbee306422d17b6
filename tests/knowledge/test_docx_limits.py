"""A DOCX that costs more to read than any real guidance is refused early, with a Vietnamese
reason, instead of 77 s and 680 MB (two million empty paragraphs fit in a few kilobytes)."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from knowledge.formats import DocxLimits, load_docx
from knowledge.loaders import LoadError, load_path

EMPTY_PARAGRAPHS = 2_000_000


def _docx_with_body(path: Path, body_xml: str) -> Path:
    """A valid DOCX (made by python-docx) whose document.xml body is replaced by `body_xml`."""
    template = path.with_suffix(".template.docx")
    docx.Document().save(str(template))
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start, end = text.index("<w:body>") + len("<w:body>"), text.index("</w:body>")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            target.writestr(item, data)
    template.unlink()
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _docx_with_body(tmp_path_factory.mktemp("docx") / "bom.docx", "<w:p/>" * EMPTY_PARAGRAPHS)
    assert path.stat().st_size < 200_000  # what makes it an attack: tiny on disk
    return path


def test_millions_of_empty_paragraphs_are_refused_quickly(bomb: Path) -> None:
    started = time.monotonic()
    with pytest.raises(LoadError) as refused:
        load_path(bomb)
    assert time.monotonic() - started < 10
    assert "quá lớn để nạp" in str(refused.value) and "200.000 đoạn văn và ô bảng" in str(refused.value)


def test_refusing_it_costs_little_memory(bomb: Path) -> None:
    """In a fresh process, so the high-water mark is this file's alone."""
    script = (
        "import sys\n"
        "from knowledge.loaders import LoadError, load_path\n"
        "from tests.production.test_body_limits import peak_rss_mb\n"
        "try:\n    load_path(__import__('pathlib').Path(sys.argv[1]))\nexcept LoadError:\n    pass\n"
        "print(round(peak_rss_mb('self')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, check=True
    )
    peak_mb = int(result.stdout.strip().splitlines()[-1])
    assert peak_mb < 250, f"peak {peak_mb} MB"


def test_characters_and_time_are_capped_too(tmp_path: Path) -> None:
    paragraphs = "".join(f"<w:p><w:r><w:t>Điều {i}. Nội dung quy định.</w:t></w:r></w:p>" for i in range(300))
    path = _docx_with_body(tmp_path / "dai.docx", paragraphs)
    assert "Điều 299." in load_docx(path)  # within the default caps
    with pytest.raises(LoadError, match=r"hơn 1\.000 ký tự"):
        load_docx(path, limits=DocxLimits(max_chars=1000))
    with pytest.raises(LoadError, match="đọc mất quá 0 giây"):
        load_docx(path, limits=DocxLimits(max_seconds=0))
    with pytest.raises(LoadError, match="hơn 100 đoạn văn"):
        load_docx(path, limits=DocxLimits(max_elements=100))
