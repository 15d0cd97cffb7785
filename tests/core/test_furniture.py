"""The same file names mean the same thing in every stage (README, Architecture): `rules.py` is pure
(no database, no clock, no request), `pages.py` only reads, and no folder keeps more than a dozen
modules lying flat (a feature that grows becomes a package of stages)."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "brokerage"
IMPURE_MODULES = ("sqlalchemy", "flask", "flask_login", "flask_wtf", "extensions", "unit_of_work", "timeutils")
CLOCK_CALLS = {"now", "utcnow", "today", "london_today", "time", "monotonic"}
WRITES = {"add", "add_all", "delete", "commit", "merge", "unit_of_work", "begin_nested"}
MOST_MODULES_FLAT = 12


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
            names.extend(f"{node.module or ''}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def _called(tree: ast.AST) -> set[str]:
    return {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(tree) if isinstance(node, ast.Call)}


def rules_offences(path: Path) -> list[str]:
    tree = _tree(path)
    found = [f"imports {name}" for name in _imported(tree)
             if any(part in IMPURE_MODULES for part in name.split("."))]
    found += [f"calls {name}()" for name in sorted(_called(tree) & CLOCK_CALLS)]
    return found


def pages_offences(path: Path) -> list[str]:
    tree = _tree(path)
    found = [f"imports {name}" for name in _imported(tree) if name.endswith("unit_of_work")]
    return found + [f"calls {name}()" for name in sorted(_called(tree) & WRITES)]


def test_the_checks_see_a_clock_a_database_and_a_write(tmp_path):
    module = tmp_path / "rules.py"
    module.write_text("from ..extensions import db\nfrom ..core.values.timeutils import utcnow\n"
                      "def due():\n    return utcnow()\n")
    assert rules_offences(module) == ["imports extensions", "imports extensions.db",
                                      "imports core.values.timeutils", "imports core.values.timeutils.utcnow",
                                      "calls utcnow()"]
    module.write_text("from ..core.data.unit_of_work import unit_of_work\ndef page():\n    db.session.add(x)\n")
    assert pages_offences(module) == ["imports core.data.unit_of_work",
                                      "imports core.data.unit_of_work.unit_of_work", "calls add()"]


def test_every_rules_module_is_pure():
    offences = {str(path.relative_to(PACKAGE)): found
                for path in PACKAGE.rglob("rules.py") if (found := rules_offences(path))}
    assert offences == {}


def test_no_pages_module_writes():
    offences = {str(path.relative_to(PACKAGE)): found
                for path in PACKAGE.rglob("pages.py") if (found := pages_offences(path))}
    assert offences == {}


def test_no_folder_keeps_more_than_a_dozen_modules_lying_flat():
    crowded = {str(folder.relative_to(PACKAGE.parent)): count
               for folder in [PACKAGE, *(path for path in PACKAGE.rglob("*") if path.is_dir())]
               if (count := len([m for m in folder.glob("*.py") if m.name != "__init__.py"])) > MOST_MODULES_FLAT}
    assert crowded == {}
