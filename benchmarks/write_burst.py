"""Writes and integrity under concurrency (performance.md W1, W2), over HTTP against gunicorn
with several sync workers on 127.0.0.1, on SQLite and on PostgreSQL.

W1: 200 concurrent "open the vote" requests, each earmarking a £1,000 award, against a
    £50,000 fund: exactly 50 must succeed (the rest wait as awaiting funds), the ledger must
    balance (running balance = sum of entries, never negative), no 5xx, p99 <= 3x the floor's.
W2: 50 members each send the same vote 4 times at once: exactly 50 current votes, no 5xx,
    p99 <= 3x the floor's.
Floor: right after each backend's run, the same bursts (same client, workers and shape) against
    floor_app.py, a Flask app that signs a session cookie, checks the CSRF token, flashes and
    redirects, with no database: absolute times on a shared 2-core machine measure the machine
    (the same W1 took 418 ms on one and 1,582 ms on another), the ratio to the floor measures the code.
Least write: between the two, the same bursts, by the same signed-in people, against
    least_write_app.py, the brokerage app with one route that writes one audit row and redirects:
    what every signed-in, audited write pays in this stack (`w1_least_write_p99_ms`, and
    `w1_over_least_write`: how much W1 costs beyond it; the same for W2). Not a target: it shows
    how much of the floor's multiple is the vote's own work.

How it measures:
- Each backend gets a fresh database built through the services (a temporary SQLite file;
  the PostgreSQL database named by --postgres-url or BENCH_POSTGRES_URL, created if missing
  and emptied first: never point it at real data), then `gunicorn -w N run:app` (sync
  workers, N=4 by default) serves it. PostgreSQL figures are null when it cannot be reached.
- The coordinator signs in once (not timed). Warm-up (not timed): 8 vote openings against a
  separate Calderdale fund, sent at once so every worker has served the request once, as a
  long-running worker has.
- A burst is sent from one thread with non-blocking sockets: every connection is opened and
  every request written at once (200 POSTs, each on its own connection, the same session
  cookie and CSRF token), then the answers are read as they arrive. A request's time runs
  from just before its connect() to the last byte of its answer, so it includes queueing
  for a worker; redirects are not followed (the POST is measured, not the page after it).
  p99 is the 198th of the 200 times in order; the table also shows p50, the slowest and the
  time for the whole burst.
- W1 counts a success as a 302 to the poll's page and checks afterwards, in the database,
  that there are exactly as many polls and earmarks as successes, and that the fund's
  running balance equals allocation - earmarks >= 0.
- W2: the 50 voters sign in (not timed), then 200 POSTs (each voter's same vote 4 times)
  are sent as one burst; the database must then hold exactly 50 current votes.

The machines are 2-core and shared, so the times vary from run to run: run it a few times.
The last line is one JSON object keyed by backend.

    .venv/bin/python benchmarks/write_burst.py [--workers 4] [--skip-postgres]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/brokerage_bench]
"""
import argparse
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from sqlalchemy import create_engine, text  # noqa: E402

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/brokerage_bench")
W1_BIDS, W1_FUND, W1_AWARD = 200, 5_000_000, 100_000
W2_VOTERS, W2_REPEATS, W2_BYSTANDERS = 50, 4, 10
WARM_UP = 8
PASSWORD = "bench-password-not-secret-42"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
NULLS = {"w1_succeeded": None, "w1_5xx": None, "w1_ledger_balanced": None, "w1_p99_ms": None,
         "w1_floor_p99_ms": None, "w1_over_floor": None, "w2_current_votes": None, "w2_5xx": None,
         "w2_p99_ms": None, "w2_floor_p99_ms": None, "w2_over_floor": None,
         "w1_least_write_p99_ms": None, "w1_over_least_write": None, "least_write_over_floor_w1": None,
         "w2_least_write_p99_ms": None, "w2_over_least_write": None, "least_write_over_floor_w2": None}
FLOOR_FORM = "/form"
LEAST_WRITE = "/least-write"


class Client:
    """One person's cookies over plain HTTP connections (no redirects followed)."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, ""

    def request(self, method: str, path: str, form: dict | None = None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - started) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, response.getheader("Location") or "", content, elapsed

    def login(self, email: str) -> "Client":
        self.token = TOKEN.search(self.request("GET", "/login")[2]).group(1)
        status = self.request("POST", "/login", {"email": email, "password": PASSWORD})[0]
        if status != 302:
            raise RuntimeError(f"sign-in failed for {email}: {status}")
        self.token = TOKEN.search(self.request("GET", "/")[2]).group(1)
        return self


def prepare(url: str) -> dict:
    """A fresh schema with the W1 bids (ready for a vote) and the W2 poll, made through the services."""
    from brokerage import create_app
    from brokerage.extensions import db
    from config import DevelopmentConfig
    from write_burst_data import build

    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.drop_all()
        if url.startswith("postgresql"):
            db.session.execute(text("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE"))
            db.session.commit()
        db.create_all()
        plan = build(password=PASSWORD, bids=W1_BIDS, fund=W1_FUND, award=W1_AWARD,
                     voters=W2_VOTERS, bystanders=W2_BYSTANDERS, warm_up=WARM_UP)
        db.engine.dispose()
    return plan


def serve(url: str, port: int, workers: int, app: str = "run:app", ready: str = "/login") -> subprocess.Popen:
    """gunicorn serving `app` (the brokerage; or, from benchmarks/, the floor, floor_app.py, or
    the least write, least_write_app.py)."""
    env = {**os.environ, "BROKERAGE_ENV": "development", "DATABASE_URL": url, "SECRET_KEY": "bench-secret"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                "--timeout", "120", "--log-level", "warning", app],
                               cwd=ROOT if app == "run:app" else ROOT / "benchmarks", env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", ready)[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1)


def _raw_post(client: Client, path: str, form: dict) -> bytes:
    body = urlencode({"csrf_token": client.token, **form})
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{client.port}\r\nCookie: {cookies}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n{body}").encode()


def _status_and_location(response: bytes) -> tuple[int, str]:
    lines = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    location = next((line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("location:")), "")
    return int(lines[0].split()[1]), location


def burst(port: int, requests: list[bytes]) -> list[tuple[int, str, float]]:
    """Send every request at once from one thread (non-blocking sockets), then read the
    answers as they come: (status, Location, milliseconds from connecting to the last byte)."""
    selector = selectors.DefaultSelector()
    pending = []
    for raw in requests:
        sock = socket.socket()
        sock.setblocking(False)
        started = time.perf_counter()
        sock.connect_ex(("127.0.0.1", port))
        state = {"out": raw, "in": bytearray(), "started": started, "ms": None}
        pending.append(state)
        selector.register(sock, selectors.EVENT_WRITE, state)
    left = len(pending)
    while left:
        events = selector.select(timeout=120)
        if not events:
            raise RuntimeError("the server stopped answering")
        for key, mask in events:
            sock, state = key.fileobj, key.data
            if mask & selectors.EVENT_WRITE:
                state["out"] = state["out"][sock.send(state["out"]):]
                if not state["out"]:
                    selector.modify(sock, selectors.EVENT_READ, state)
            elif chunk := sock.recv(65536):
                state["in"] += chunk
            else:
                state["ms"] = (time.perf_counter() - state["started"]) * 1000
                selector.unregister(sock)
                sock.close()
                left -= 1
    return [(*_status_and_location(bytes(state["in"])), state["ms"]) for state in pending]


def _open_votes(port: int, boss: Client, bid_ids: list[int]) -> list[tuple[int, str, float]]:
    return burst(port, [_raw_post(boss, f"/bids/{bid_id}/vote/open", {"days": "3"}) for bid_id in bid_ids])


def w1(port: int, plan: dict, boss: Client) -> dict:
    _open_votes(port, boss, plan["warm_up_bids"])
    started = time.perf_counter()
    results = _open_votes(port, boss, plan["bids"])
    times = sorted(ms for _, _, ms in results)
    return {"w1_succeeded": sum(1 for status, location, _ in results if status == 302 and "/polls/" in location),
            "w1_5xx": sum(1 for status, _, _ in results if status >= 500), "w1_p99_ms": p99(times),
            "_p50": round(times[len(times) // 2], 1), "_max": round(times[-1], 1),
            "_burst": round((time.perf_counter() - started) * 1000, 1)}


def w2(port: int, plan: dict, voters: list[tuple[Client, str]]) -> dict:
    path = f"/polls/{plan['poll']}/vote"
    results = burst(port, [_raw_post(client, path, {"choice": choice})
                           for client, choice in voters for _ in range(W2_REPEATS)])
    return {"w2_5xx": sum(1 for status, _, _ in results if status >= 500),
            "w2_p99_ms": p99([ms for _, _, ms in results])}


def least_write(url: str, port: int, workers: int, boss: Client, voters: list[tuple[Client, str]]) -> dict:
    """W1's and W2's bursts, by the same signed-in people (their sessions are rows in the same
    database, and the app has the same secret key), against least_write_app.py: warmed up like
    W1; every answer must be its redirect."""
    server = serve(url, port, workers, app="least_write_app:app")
    try:
        burst(port, [_raw_post(boss, f"{LEAST_WRITE}/{number}", {}) for number in range(WARM_UP)])
        first = burst(port, [_raw_post(boss, f"{LEAST_WRITE}/{number}", {}) for number in range(W1_BIDS)])
        second = burst(port, [_raw_post(client, f"{LEAST_WRITE}/{number}", {})
                              for number, (client, _) in enumerate(voters) for _ in range(W2_REPEATS)])
    finally:
        server.terminate()
        server.wait(timeout=30)
    if any(status != 302 for status, _, _ in first + second):
        raise RuntimeError("the least-write app refused a request: its figures would not be a reference")
    return {"w1_least_write_p99_ms": p99([ms for _, _, ms in first]),
            "w2_least_write_p99_ms": p99([ms for _, _, ms in second])}


def _floor_client(port: int) -> Client:
    client = Client(port)
    client.token = TOKEN.search(client.request("GET", FLOOR_FORM)[2]).group(1)
    return client


def floor(port: int, workers: int) -> dict:
    """W1's and W2's bursts, with the same client, workers and shape (one person's 200 POSTs;
    50 people's 4 each), against floor_app.py: what the framework alone costs. Warmed up like
    W1 (WARM_UP POSTs at once); every answer must be the floor's redirect."""
    server = serve("", port, workers, app="floor_app:app", ready=FLOOR_FORM)
    try:
        one = _floor_client(port)
        burst(port, [_raw_post(one, f"/bids/{number}/vote/open", {"days": "3"}) for number in range(WARM_UP)])
        first = burst(port, [_raw_post(one, f"/bids/{number}/vote/open", {"days": "3"}) for number in range(W1_BIDS)])
        voters = [_floor_client(port) for _ in range(W2_VOTERS)]
        second = burst(port, [_raw_post(client, "/polls/1/vote", {"choice": "yes"})
                              for client in voters for _ in range(W2_REPEATS)])
    finally:
        server.terminate()
        server.wait(timeout=30)
    if any(status != 302 for status, _, _ in first + second):
        raise RuntimeError("the floor app refused a request: its figures would not be a floor")
    return {"w1_floor_p99_ms": p99([ms for _, _, ms in first]), "w2_floor_p99_ms": p99([ms for _, _, ms in second])}


def check(url: str, plan: dict) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        votes = connection.execute(text("SELECT count(*) FROM poll_vote WHERE poll_id = :p AND is_current"),
                                   {"p": plan["poll"]}).scalar()
        available = connection.execute(text("SELECT available_pence FROM fund WHERE id = :f"),
                                       {"f": plan["fund"]}).scalar()
        sums = dict(connection.execute(text("SELECT kind, sum(amount_pence) FROM ledger_entry WHERE fund_id = :f "
                                            "GROUP BY kind"), {"f": plan["fund"]}).all())
        polls = connection.execute(text("SELECT count(*) FROM poll JOIN ledger_entry ON ledger_entry.id = "
                                        "poll.earmark_entry_id WHERE ledger_entry.fund_id = :f"),
                                   {"f": plan["fund"]}).scalar()
    engine.dispose()
    ledger = int(sums.get("allocation", 0)) - int(sums.get("earmark", 0))
    balanced = available == ledger >= 0 and int(sums.get("earmark", 0)) == polls * W1_AWARD
    return {"w1_ledger_balanced": bool(balanced), "w2_current_votes": int(votes), "_polls": int(polls)}


def run(url: str, port: int, workers: int) -> dict:
    """The backend's W1 and W2, then the floor (floor) on the same port and workers, right after."""
    plan = prepare(url)
    server = serve(url, port, workers)
    try:
        boss = Client(port).login(plan["coordinator"])
        figures = w1(port, plan, boss)
        voters = [(Client(port).login(email), choice) for email, choice in plan["voters"]]
        figures.update(w2(port, plan, voters))
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.update(check(url, plan))
    figures.update(least_write(url, port, workers, boss, voters))
    figures.update(floor(port, workers))
    for name in ("w1", "w2"):
        p99_ms, least_ms, floor_ms = (figures[f"{name}_{key}"] for key in ("p99_ms", "least_write_p99_ms", "floor_p99_ms"))
        figures[f"{name}_over_floor"] = round(p99_ms / floor_ms, 2)
        figures[f"{name}_over_least_write"] = round(p99_ms / least_ms, 2)
        figures[f"least_write_over_floor_{name}"] = round(least_ms / floor_ms, 2)
    return figures


COLUMNS = (("W1 ok", "w1_succeeded"), ("polls", "_polls"), ("5xx", "w1_5xx"), ("balanced", "w1_ledger_balanced"),
           ("p50 ms", "_p50"), ("p99 ms", "w1_p99_ms"), ("max ms", "_max"), ("burst ms", "_burst"),
           ("floor p99", "w1_floor_p99_ms"), ("/floor", "w1_over_floor"),
           ("W2 votes", "w2_current_votes"), ("W2 5xx", "w2_5xx"), ("W2 p99", "w2_p99_ms"),
           ("floor p99", "w2_floor_p99_ms"), ("/floor", "w2_over_floor"),
           ("W1 least", "w1_least_write_p99_ms"), ("least/fl", "least_write_over_floor_w1"),
           ("W2 least", "w2_least_write_p99_ms"), ("least/fl", "least_write_over_floor_w2"))


def table(results: dict[str, dict]) -> None:
    print(f"{'backend':11}" + "".join(f"{title:>10}" for title, _ in COLUMNS))
    for backend, figures in results.items():
        print(f"{backend:11}" + "".join(f"{str(figures.get(key)):>10}" for _, key in COLUMNS))
    print("targets: W1 ok 50 (= polls), 5xx 0, balanced True, p99 <= 3x the floor's; "
          "W2 votes 50, W2 5xx 0, p99 <= 3x the floor's (floor_app.py, same burst, client and workers); "
          "'least': the same bursts against least_write_app.py (one signed-in audited write), a reference, not a target")


def postgres_ready(url: str) -> bool:
    """Connect, creating the database when the server is there but the database is not."""
    try:
        create_engine(url).connect().close()
        return True
    except Exception:  # noqa: BLE001  (any failure means: no PostgreSQL figures)
        pass
    base, _, name = url.rpartition("/")
    try:
        engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8751)
    parser.add_argument("--postgres-url", default=PG_URL)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{folder}/burst.sqlite3", args.port, args.workers)
    if not args.skip_postgres and postgres_ready(args.postgres_url):
        results["postgresql"] = run(args.postgres_url, args.port + 1, args.workers)
    else:
        print("postgresql: not reachable or skipped, figures are null", flush=True)
        results["postgresql"] = dict(NULLS)
    table(results)
    print(json.dumps({backend: {key: figures[key] for key in NULLS} for backend, figures in results.items()}))


if __name__ == "__main__":
    main()
