"""Only the unit of work commits: no module outside `brokerage/core/data/unit_of_work.py` calls
`.commit(` or `.rollback(` or catches `IntegrityError`, but for the exceptions its docstring
explains (SQLite's engine internals in `core/data/database.py`; the end of a failed request in `errors.py`)."""
import ast
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[2] / "brokerage"
ALLOWED = {"core/data/unit_of_work.py", "core/data/database.py", "errors.py"}


def _names_integrity_error(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Tuple):
        return any(_names_integrity_error(element) for element in node.elts)
    return (isinstance(node, ast.Name) and node.id == "IntegrityError") or \
        (isinstance(node, ast.Attribute) and node.attr == "IntegrityError")


def _offences(path: Path, root: Path = PACKAGE) -> list[str]:
    where = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"commit", "rollback"}:
            found.append((node.lineno, f"calls .{node.func.attr}()"))
        elif isinstance(node, ast.ExceptHandler) and _names_integrity_error(node.type):
            found.append((node.lineno, "catches IntegrityError"))
    return [f"{where}:{line} {what}" for line, what in sorted(found)]


def offenders() -> list[str]:
    return [offence for path in sorted(PACKAGE.rglob("*.py"))
            if (where := path.relative_to(PACKAGE).as_posix()) not in ALLOWED
            for offence in _offences(path)]


def test_the_finder_sees_a_commit_a_rollback_and_a_caught_integrity_error(tmp_path):
    (tmp_path / "services.py").write_text(
        "try:\n    db.session.commit()\nexcept (ValueError, exc.IntegrityError):\n    db.session.rollback()\n")
    assert _offences(tmp_path / "services.py", root=tmp_path) == [
        "services.py:2 calls .commit()", "services.py:3 catches IntegrityError", "services.py:4 calls .rollback()"]


def test_only_the_unit_of_work_commits_rolls_back_or_catches_integrity_errors():
    assert offenders() == []
