"""Templates mirror the code's stages (README, Architecture): `templates/<feature>/<stage>/` holds what
`brokerage/<feature>/<stage>/` renders. So every folder of templates is a package of the code (or one
of the app-wide folders), and every template name the code or a template uses exists: a template
moved without its references, or a folder named after a module that has since been renamed, fails here
rather than as a 500 on the one page that needs it."""
import fnmatch
import re
from pathlib import Path

from jinja2 import Environment, meta

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Folders used across the whole app rather than by one feature: emails, error pages, form macros.
APP_WIDE_FOLDERS = {"email", "errors", "macros"}
# A template name in quotes, in code, docstrings or tests: `{...}` is an f-string's hole.
QUOTED_TEMPLATE = re.compile(r"""(?<=["'`])([a-z_][a-z0-9_]*(?:/[a-z0-9_{}]+)+\.(?:html|txt))(?=["'`])""")
HOLE = re.compile(r"\{[^}]*\}")


def names_in_code(root: Path, skip: frozenset[Path]) -> dict[str, str]:
    """Each template name (an f-string's as a glob) the Python code names, with where it is named."""
    found = {}
    for folder in ("brokerage", "tests"):
        for path in sorted((root / folder).rglob("*.py")):
            if path.resolve() in skip:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for name in QUOTED_TEMPLATE.findall(line):
                    found.setdefault(HOLE.sub("*", name), f"{path.relative_to(root)}:{number}")
    return found


def names_in_templates(root: Path) -> dict[str, str]:
    """Each template name a template extends, includes or imports by a constant name."""
    environment = Environment(autoescape=True)
    templates = root / "templates"
    found = {}
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        parsed = environment.parse(path.read_text(encoding="utf-8"))
        for name in meta.find_referenced_templates(parsed):
            if name is not None:  # `{% include panel.template %}` names its template at run time
                found.setdefault(name, str(path.relative_to(root)))
    return found


def missing_templates(root: Path, skip: frozenset[Path] = frozenset()) -> list[str]:
    templates = root / "templates"
    existing = [p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_file()]
    used = {**names_in_templates(root), **names_in_code(root, skip)}
    return [f"{where} names {name}, which is not in templates/" for name, where in sorted(used.items())
            if not fnmatch.filter(existing, name)]


def folders_without_a_package(root: Path) -> list[str]:
    """Folders of templates that mirror no package of brokerage/ (and are not app-wide)."""
    templates = root / "templates"
    return [f"templates/{folder}/ mirrors no package brokerage/{folder}/"
            for folder in sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_dir())
            if folder.split("/")[0] not in APP_WIDE_FOLDERS
            and not (root / "brokerage" / folder / "__init__.py").is_file()]


def test_every_template_the_code_or_a_template_names_exists():
    assert missing_templates(PROJECT_ROOT, skip=frozenset({Path(__file__).resolve()})) == []


def test_every_folder_of_templates_is_a_feature_or_a_stage_of_one():
    assert folders_without_a_package(PROJECT_ROOT) == []


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checks_find_a_missing_template_and_a_folder_that_mirrors_nothing(tmp_path):
    _write(tmp_path / "brokerage/feature/__init__.py", "")
    _write(tmp_path / "brokerage/feature/stage/__init__.py", "")
    _write(tmp_path / "brokerage/feature/stage/views.py",
           'render_template("feature/stage/page.html")\nrender_template("feature/gone.html")\n'
           'render_template(f"feature/stage/{name}.txt")\n')
    _write(tmp_path / "tests/test_feature.py", '"""Renders `feature/stage/page.html`."""\n')
    _write(tmp_path / "templates/base.html", "")
    _write(tmp_path / "templates/feature/stage/page.html",
           '{% extends "base.html" %}{% include "feature/stage/_missing.html" %}{% include panel.template %}')
    _write(tmp_path / "templates/feature/polls/show.html", "")
    _write(tmp_path / "templates/email/note.txt", "")

    assert missing_templates(tmp_path) == [
        "brokerage/feature/stage/views.py:2 names feature/gone.html, which is not in templates/",
        "brokerage/feature/stage/views.py:3 names feature/stage/*.txt, which is not in templates/",
        "templates/feature/stage/page.html names feature/stage/_missing.html, which is not in templates/",
    ]
    assert folders_without_a_package(tmp_path) == [
        "templates/feature/polls/ mirrors no package brokerage/feature/polls/"]
