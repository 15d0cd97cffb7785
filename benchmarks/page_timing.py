"""Server time and weight of every page at demo scale (performance.md, "Pages").

Loads the demo data into a temporary SQLite database, signs in as the demo coordinator and
requests every GET page that needs no URL arguments (and those whose only argument is an id,
with id 1) through the WSGI test client, N times each. Prints a table, then one JSON line:
{"pages": {path: {"p95_ms", "kb"}}, "worst_p95_ms", "heaviest_kb", "target_p95_ms": 50, "target_kb": 150}.

    .venv/bin/python benchmarks/page_timing.py [--repeat 30]
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brokerage import create_app  # noqa: E402
from brokerage.accounts import services as accounts  # noqa: E402
from brokerage.extensions import db  # noqa: E402
from brokerage.seeding import seed_demo  # noqa: E402
from config import DevelopmentConfig  # noqa: E402


def pages(app) -> list[str]:
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        if rule.arguments - {"user_id", "partner_id", "group_id", "activity_id", "collective_id", "bid_id"}:
            continue
        found.append(rule.build({name: 1 for name in rule.arguments}, append_unknown=False)[1])
    return sorted(found)


def static_weight(client, html: str) -> int:
    """Bytes of the CSS and JS a page links to."""
    total = 0
    for marker in ('href="/static/css/', 'src="/static/js/'):
        for chunk in html.split(marker)[1:]:
            path = "/static/" + marker.split("/static/")[1] + chunk.split('"')[0]
            total += len(client.get(path).data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                                             "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            credentials = {email: password for email, _, password in seed_demo()}
            coordinator = next(u for u in accounts.list_users() if u.is_coordinator)
            password = credentials[coordinator.email]
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"email": coordinator.email, "password": password, "csrf_token": token})
        results = {}
        for path in pages(app):
            timings, response = [], None
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            html = response.get_data(as_text=True)
            weight = len(response.data) + static_weight(client, html)
            p95 = statistics.quantiles(timings, n=20)[-1]
            results[path] = {"status": response.status_code, "p95_ms": round(p95, 2), "kb": round(weight / 1024, 1)}
            print(f"{path:45} {response.status_code}  p95 {p95:7.2f} ms  {weight / 1024:6.1f} KB")
    print(json.dumps({"pages": results,
                      "worst_p95_ms": max(r["p95_ms"] for r in results.values()),
                      "heaviest_kb": max(r["kb"] for r in results.values()),
                      "target_p95_ms": 50, "target_kb": 150}))


if __name__ == "__main__":
    main()
