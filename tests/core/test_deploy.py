"""The deploy/ folder keeps up with the app: every task the README says to schedule has a systemd
timer running it, every setting the app reads is in the environment template, and gunicorn's
settings load. (The multi-host smoke test in .ci/run, deploy/smoke/run.py, runs them for real.)"""
import re
import runpy
import shlex
from pathlib import Path

from config import environment_overrides

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
TEMPLATE = ROOT / "deploy" / "brokerage.env.example"


def _exec_start(unit: Path) -> list[str]:
    return shlex.split(re.search(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE)[1])


def test_every_task_the_readme_says_to_schedule_has_a_timer_that_runs_it():
    readme = (ROOT / "README.md").read_text()
    scheduled = {command for command, _ in re.findall(r"^\| `flask ([a-z -]+)` \|([^\n]*\(schedule)", readme,
                                                       re.MULTILINE)}
    timed = {" ".join(_exec_start(timer.with_suffix(".service"))[1:]) for timer in SYSTEMD.glob("*.timer")}
    assert scheduled and scheduled <= timed
    assert all(_exec_start(timer.with_suffix(".service"))[0] == "/srv/brokerage/.venv/bin/flask"
               for timer in SYSTEMD.glob("*.timer"))


def test_every_unit_runs_in_the_installed_folder_with_the_environment_file():
    for unit in SYSTEMD.glob("*.service"):
        text = unit.read_text()
        assert "WorkingDirectory=/srv/brokerage\n" in text and "EnvironmentFile=/etc/brokerage/brokerage.env\n" in text


class _Recorder(dict):
    """An environment that remembers which names were read."""

    def __init__(self):
        super().__init__()
        self.read: set[str] = set()

    def get(self, name, default=None):
        self.read.add(name)
        return default

    def __contains__(self, name):
        self.read.add(name)
        return False


def test_every_setting_the_app_reads_is_in_the_environment_template():
    environment = _Recorder()
    environment_overrides(environment)
    named = set(re.findall(r"^#?([A-Z_]+)=", TEMPLATE.read_text(), re.MULTILINE))
    gunicorn = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    assert environment.read and gunicorn
    assert environment.read | gunicorn | {"BROKERAGE_ENV", "FLASK_APP"} <= named


def test_gunicorn_settings_load_with_json_logs_and_a_worker_count(monkeypatch):
    monkeypatch.setenv("BROKERAGE_BIND", "127.0.0.1:9999")
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert settings["bind"] == "127.0.0.1:9999" and settings["workers"] >= 3 and settings["timeout"] == 30
    formatter = settings["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "brokerage.core.web.request_log.JsonLines"
    assert callable(settings["when_ready"]) and callable(settings["post_worker_init"])  # search statements
