"""What one write of W1 and W2 costs, in counts that a busy machine does not change: SQL statements
and Python function calls per request, in process, on SQLite and on PostgreSQL, beside the floor's
Python calls (floor_app.py). write_burst.py times the bursts; this says where a change moved them.

The data are write_burst.py's (the same builder), served by the app in process (Flask's test
client, one person's fixed session cookie, as the burst sends it; nothing is timed):
- W1 earmark: the 50 vote openings that find the money and open a vote;
- W1 wait: the 150 after them, which find the fund spent and move the bid to awaiting funds;
- W2 first: each of the 50 voters' first vote;
- W2 repeat: the same vote sent again, three times each (it changes nothing);
- least write: least_write_app.py's route, by the coordinator (the sign-in check, one audit row
  through the unit of work, a flash and a redirect: what every signed-in, audited write pays);
- floor: floor_app.py's POST (signs the session, checks the CSRF token, flashes, redirects).
Statements are those the app sends (BEGIN included), counted by SQLAlchemy's cursor event;
Python calls are cProfile's count of function calls. `*_over_floor_calls` is a request's calls
over the floor's. No times: write_burst.py measures those, side by side with the floor.

    .venv/bin/python benchmarks/write_costs.py [--skip-postgres] [--postgres-url URL]

The last line is one JSON object keyed by backend. Like write_burst.py, it empties the PostgreSQL
database it is given (default BENCH_POSTGRES_URL or .../brokerage_bench): never point it at real data.
"""
import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import write_burst  # noqa: E402
from sqlalchemy import event  # noqa: E402

KINDS = ("w1_earmark", "w1_wait", "w2_first", "w2_repeat", "least_write")


class Person:
    """A signed-in person's POSTs with a fixed cookie and CSRF token, as write_burst.py sends them."""

    def __init__(self, app, path: str, form: dict | None = None):
        client = app.test_client()
        token = write_burst.TOKEN.search(client.get(path).get_data(as_text=True)).group(1)
        if form is not None:  # sign in, then take the token of a signed-in page
            response = client.post(path, data={**form, "csrf_token": token})
            if response.status_code != 302:
                raise RuntimeError(f"sign-in failed: {response.status_code}")
            token = write_burst.TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
        self.cookie = "; ".join(f"{cookie.key}={cookie.value}" for cookie in client._cookies.values())
        self.token, self.raw = token, app.test_client(use_cookies=False)

    def post(self, path: str, form: dict) -> int:
        return self.raw.post(path, data={**form, "csrf_token": self.token}, headers={"Cookie": self.cookie}).status_code


def measure(requests: list, statements: list) -> dict:
    """Statements and Python calls per request (one profiled pass)."""
    statements.clear()
    profile = cProfile.Profile()
    profile.enable()
    statuses = {request() for request in requests}
    profile.disable()
    if statuses != {302}:
        raise RuntimeError(f"a request was refused: {sorted(statuses)}")
    count = len(requests)
    return {"statements": round(len(statements) / count, 1),
            "calls": round(pstats.Stats(profile).total_calls / count)}


def run(url: str) -> dict:
    plan = write_burst.prepare(url)
    os.environ.update(BROKERAGE_ENV="development", DATABASE_URL=url, SECRET_KEY="bench-secret")
    from brokerage import create_app
    from brokerage.extensions import db
    from config import DevelopmentConfig

    from least_write_app import PATH, least

    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": url})
    app.register_blueprint(least)
    statements: list = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    login = {"password": write_burst.PASSWORD}
    boss = Person(app, "/login", {**login, "email": plan["coordinator"]})
    for bid_id in plan["warm_up_bids"]:
        boss.post(f"/bids/{bid_id}/vote/open", {"days": "3"})

    def open_vote(bid_id):
        return lambda: boss.post(f"/bids/{bid_id}/vote/open", {"days": "3"})

    earmarked = write_burst.W1_FUND // write_burst.W1_AWARD
    figures = {"w1_earmark": measure([open_vote(b) for b in plan["bids"][:earmarked]], statements),
               "w1_wait": measure([open_vote(b) for b in plan["bids"][earmarked:]], statements)}
    voters = [(Person(app, "/login", {**login, "email": email}), choice) for email, choice in plan["voters"]]
    path = f"/polls/{plan['poll']}/vote"

    def vote(person, choice):
        return lambda: person.post(path, {"choice": choice})

    figures["w2_first"] = measure([vote(person, choice) for person, choice in voters], statements)
    repeats = write_burst.W2_REPEATS - 1
    figures["w2_repeat"] = measure([vote(person, choice) for person, choice in voters for _ in range(repeats)],
                                   statements)

    def least_write(number):
        return lambda: boss.post(f"{PATH}/{number}", {})

    figures["least_write"] = measure([least_write(number) for number in range(50)], statements)
    with app.app_context():
        db.engine.dispose()
    return figures


def floor() -> dict:
    import floor_app

    person = Person(floor_app.app, write_burst.FLOOR_FORM)
    return measure([lambda: person.post("/bids/1/vote/open", {"days": "3"}) for _ in range(200)], [])


def flatten(figures: dict, floor_figures: dict) -> dict:
    flat = {"floor_calls": floor_figures["calls"]}
    for kind in KINDS:
        flat |= {f"{kind}_{key}": value for key, value in figures[kind].items()}
        flat[f"{kind}_over_floor_calls"] = round(figures[kind]["calls"] / floor_figures["calls"], 2)
    return flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=write_burst.PG_URL)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    floor_figures = floor()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = flatten(run(f"sqlite:///{folder}/costs.sqlite3"), floor_figures)
    if not args.skip_postgres and write_burst.postgres_ready(args.postgres_url):
        results["postgresql"] = flatten(run(args.postgres_url), floor_figures)
    else:
        print("postgresql: not reachable or skipped, figures are null", flush=True)
        results["postgresql"] = None
    print(f"{'backend':11}{'request':12}{'statements':>11}{'calls':>8}{'/floor':>8}")
    for backend, flat in results.items():
        for kind in KINDS if flat else ():
            print(f"{backend:11}{kind:12}{flat[f'{kind}_statements']:>11}{flat[f'{kind}_calls']:>8}"
                  f"{flat[f'{kind}_over_floor_calls']:>8}")
    print(f"{'floor':23}{0:>11}{floor_figures['calls']:>8}{1:>8}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
