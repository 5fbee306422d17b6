"""User-facing Vietnamese lives where a translator would look: in the texts module of its layer.

The rule, checked on every string literal of the product's code (ast, so comments and
docstrings do not count):
- a literal holding a Vietnamese letter (a letter with a Vietnamese diacritic, or đ) is allowed
  only in a texts module: `<package>/texts.py`, one per package that speaks (the chat dialogs
  handlers/texts.py, the blocker domain blockers/texts.py, answers knowledge/texts.py, the web
  api/web/texts.py, the command line api/commands/texts.py, the transport bot/texts.py, the
  backup errors core/texts.py);
- or in a named data table that the code matches text against, not a sentence it shows: stop
  words, abbreviations, document types and issuers, the legal structure's words (Điều, khoản),
  status synonyms. Those tables are listed below by module and name, each with its reason;
- or as a regular expression (the pattern argument of a `re` function);
- log messages are English, so they need no exception.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "bot", "blockers", "core", "handlers", "knowledge")
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.I)
RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}

# module → names of module-level data tables (matched against, never shown as a sentence).
DATA_TABLES: dict[str, set[str]] = {
    "knowledge/normalize.py": {"ABBREVIATIONS", "_D_STROKE"},  # abbreviations; đ folds to d
    "knowledge/terms.py": {
        "STOP_WORDS",
        "_TAIL_WORDS",
        "_LEAD_WORDS",
        "_POLITE",
        "_PLURAL",
        "_PLACE_PREPOSITIONS",
        "_PLACE_QUESTION",
        "_WHICH",
        "NEGATING_PREFIXES",
    },  # function words; prefixes making a word another ("bất động sản")
    "knowledge/metadata.py": set(),  # filled below: document types, issuers, date phrases
    "knowledge/chunking.py": set(),  # the legal structure's words
    "knowledge/sidecar.py": {"STATUS_NAMES"},  # how officials write a document's status
    # The national sources' own vocabulary: the fields that are not a commune's business, the
    # symbols of document numbers, the words of a source note and of a law's effect article.
    "knowledge/importers/procedures.py": {"NOT_COMMUNE_FIELDS", "_SEG", "_NUMBER_LABELS"},
    "knowledge/importers/notes.py": {"EXTRA_TYPES", "_NO_TITLE"},
    "knowledge/importers/law_text.py": {"_SELF", "_DATE", "_FROM_ADOPTION"},
    "knowledge/importers/phapdien.py": {"_LEVELS"},
    "knowledge/intent.py": {"PROCEDURE_PART"},  # the part names of procedure records
    "knowledge/select.py": {"SAME_ARTICLE"},  # "Điều này" in cross-references
    "knowledge/reply.py": {"CONSEQUENCE"},  # "thì" before a sentence's consequence
    # The older procedure records' JSON keys, their words for "no information", a glued cell.
    "knowledge/records.py": {"NO_INFO", "FIELDS", "GLUED_COPY"},
}
# Modules whose every literal is vocabulary of legal documents (types, issuers, headings).
# knowledge/authority/vocabulary.py: holder names, officials' words for tasks (issue 14).
VOCABULARY_MODULES = {"knowledge/metadata.py", "knowledge/chunking.py", "knowledge/authority/vocabulary.py"}


def _product_modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _exempt(tree: ast.Module, names: set[str]) -> set[int]:
    """Constants inside the named module-level tables and inside `re.*` pattern arguments."""
    exempt: set[int] = set()
    for statement in tree.body:
        targets = []
        if isinstance(statement, ast.Assign):
            targets = [t.id for t in statement.targets if isinstance(t, ast.Name)]
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            targets = [statement.target.id]
        if set(targets) & names:
            exempt |= {id(n) for n in ast.walk(statement)}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in RE_FUNCTIONS
            and node.args
        ):
            exempt |= {id(n) for n in ast.walk(node.args[0])}
    return exempt


def vietnamese_literals(path: Path, tables: set[str] | None = None) -> list[tuple[int, str]]:
    """(line, text) of the literals holding Vietnamese, outside docstrings, data tables, regexes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if tables is None:
        tables = DATA_TABLES.get(path.relative_to(ROOT).as_posix(), set())
    skip = _docstrings(tree) | _exempt(tree, tables)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and VIETNAMESE.search(node.value)
    ]


def test_vietnamese_sentences_live_in_the_texts_modules() -> None:
    misplaced = []
    for path in _product_modules():
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "texts.py" or relative in VOCABULARY_MODULES:
            continue
        misplaced += [f"{relative}:{line}: {text[:60]!r}" for line, text in vietnamese_literals(path)]
    assert misplaced == [], "Vietnamese text outside a texts module:\n" + "\n".join(misplaced)


def test_the_scan_finds_a_sentence_where_it_does_not_belong(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        '"""Tài liệu."""\nimport re\nPATTERN = re.compile(r"Điều \\d+")\nMESSAGE = "Đã gửi trả lời."\n',
        encoding="utf-8",
    )
    assert [text for _, text in vietnamese_literals(module, tables=set())] == ["Đã gửi trả lời."]
