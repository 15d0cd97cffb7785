"""The public directory pages are valid HTML by the Nu HTML Checker (vnu-jar, offline with Java),
installed by `npm ci --prefix checkers` (.ci/run)."""
import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import skip_or_fail

VNU = Path(__file__).resolve().parents[2] / "checkers" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _check(files: list[Path]) -> list[str]:
    """Every error the checker reports, one JVM for every file."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        skip_or_fail("standards", f"the Nu HTML Checker needs Java and {VNU} (npm ci --prefix checkers)")
    run = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                         capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_the_public_directory_pages_have_no_html_errors(client, app, listed, tmp_path):
    client.post("/shortlist/add", data={"activity_id": str(listed), "next": "/shortlist"})
    pages = {"home": "/", "search": "/activities", "results": "/activities?q=football&postcode=S70&distance=10",
             "nothing": "/activities?q=zzzz&postcode=S70&distance=1", "errors": "/activities?postcode=ZZ&age=200",
             "activity": f"/activities/{listed}", "interested": f"/activities/{listed}/interested",
             "shortlist": "/shortlist", "printable": "/activities/printable?q=football&postcode=S70&distance=10"}
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.get_data())
    assert _check(files) == []
