"""The import layers cover every module: import-linter's layers contract checks only the modules it
names, so a module a feature adds without naming it in `contracts/<feature>.ini` may import any
stage of its feature unchecked. Every feature (each package of `brokerage/` but core, which has no
stages) has a contract, and its layers name each of its modules and stages."""
import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "brokerage"
NOT_A_FEATURE = {"core"}


def _layered(contract_file: Path) -> dict[str, set[str]]:
    """Each contract's container, with the names its layers list."""
    parser = configparser.ConfigParser()
    parser.read_string(contract_file.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for section in parser.sections():
        if parser.has_option(section, "containers") and parser.has_option(section, "layers"):
            names = {name.strip() for name in re.split(r"[|:\n]", parser[section]["layers"]) if name.strip()}
            for container in parser[section]["containers"].split():
                found.setdefault(container, set()).update(names)
    return found


def _modules(package: Path) -> set[str]:
    """A package's modules and sub-packages, by name."""
    return {path.stem for path in package.glob("*.py") if path.name != "__init__.py"} | {
        path.name for path in package.iterdir() if (path / "__init__.py").is_file()}


def unlisted(package: Path, contract_file: Path) -> list[str]:
    if not contract_file.is_file():
        return [f"{package.name}: no {contract_file.relative_to(contract_file.parents[1])}"]
    listed = _layered(contract_file).get(f"brokerage.{package.name}", set())
    return [f"{package.name}.{name} is in no layer" for name in sorted(_modules(package) - listed)]


def test_the_check_sees_a_missing_module_and_a_missing_contract(tmp_path):
    feature = tmp_path / "brokerage" / "feature"
    (feature / "stage").mkdir(parents=True)
    for name in ("__init__.py", "models.py", "views.py", "extra.py", "stage/__init__.py"):
        (feature / name).write_text("")
    contract = tmp_path / "contracts" / "feature.ini"
    assert unlisted(feature, contract) == ["feature: no contracts/feature.ini"]
    contract.parent.mkdir()
    contract.write_text("[importlinter:contract:feature]\nname = x\ntype = layers\ncontainers =\n"
                        "    brokerage.feature\nlayers =\n    views\n    stage | models\n")
    assert unlisted(feature, contract) == ["feature.extra is in no layer"]


def test_every_feature_has_a_contract_naming_each_of_its_modules():
    features = [path for path in sorted(PACKAGE.iterdir())
                if (path / "__init__.py").is_file() and path.name not in NOT_A_FEATURE]
    assert [offence for feature in features
            for offence in unlisted(feature, ROOT / "contracts" / f"{feature.name}.ini")] == []
