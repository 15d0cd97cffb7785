"""Throughput and latency over HTTP (performance.md H1-H3) against gunicorn on 127.0.0.1.

Serves a copy of the 100k-activity synthetic directory (directory_data.py: built once and
reused) with gunicorn, 2 sync workers, then loads it for a bounded time with `wrk` (Debian
package `wrk`: one thread, written in C, so it takes far less CPU from the two workers than a
Python client would), after a 5 s warm-up in which each worker fills its page cache:

H1: the search page as people use it: a mix of 8,880 distinct searches (37 postcode districts x
    48 words x 5 distances, shuffled, each asked once a pass), so that the page cache rarely
    serves one (`h1_cache_hit_rate`: the share of requests that repeat an earlier URL, an upper
    bound on the hits, target < 5%); judged against H2 measured in the same run:
    `h1_over_h2` >= 0.3, p99 <= 50 ms, zero non-2xx. Its warm-up asks other searches (another
    distance), so that the workers are warm but the measured pages are not kept.
H1c: the old small set (12 towns x 8 words at 5 miles, 96 URLs), which the page cache serves
    once warm: `h1_cached_rps`, for comparison;
H2: the activity page (rotating over activities): >= 800 requests/s, p99 <= 25 ms;
H3: search / activity page throughput: >= 0.2.

wrk's latency percentiles are measured from the client, so they include queueing behind the
open connections; non-2xx counts every status outside 200-299 and every socket error. Pages are
kept per minute, so a run that crosses a minute boundary renders them all again: that cost is
part of the figures.

    .venv/bin/python benchmarks/http_load.py [--size 100000] [--duration 15] [--connections 4]

Prints a table, then one JSON line."""
import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from directory_data import DEFAULT_FOLDER, sqlite_dataset  # noqa: E402

ORIGINS = ("HD1", "S70", "HX1", "WF1", "WF13", "S75", "HD9", "WF10", "HX7", "S73", "WF17", "HD6")
WORDS = ("art", "football", "singing", "walk", "yoga", "garden", "cafe", "craft")
WARM_UP_SECONDS = 5  # each worker renders each page once before keeping it (page_cache.py)
TARGETS = {"H1_over_H2": 0.3, "H1_p99_ms": 50, "H1_non_2xx": 0, "H1_cache_hit_rate": 0.05, "H2_rps": 800,
           "H2_p99_ms": 25, "H3_ratio": 0.2}
MIX_DISTRICTS, MIX_WORDS, MIX_MILES, WARM_MILES = 37, 48, (1, 2, 3, 5, 10), 4
DISTRICTS = ROOT / "brokerage" / "directory" / "geo" / "data" / "postcode_districts.csv"
ROTATE = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def search_paths() -> list[str]:
    return [f"/activities?q={word}&postcode={origin}&distance=5" for origin in ORIGINS for word in WORDS]


def _mix_words() -> list[str]:
    """Words of the synthetic directory's titles (4 letters or more), the first MIX_WORDS in order."""
    from brokerage.directory.search.synthetic import KINDS
    words = sorted({word.lower() for kind in KINDS for title in kind.titles for word in re.findall(r"[A-Za-z]{4,}", title)})
    return words[:MIX_WORDS]


def _mix_districts() -> list[str]:
    with DISTRICTS.open(newline="") as rows:
        districts = sorted(row["district"] for row in csv.DictReader(rows))
    step = len(districts) / MIX_DISTRICTS
    return [districts[int(number * step)] for number in range(MIX_DISTRICTS)]


def mixed_search_paths(miles=MIX_MILES) -> list[str]:
    """Every district x word x distance, in a shuffled (fixed) order."""
    paths = [f"/activities?q={word}&postcode={district}&distance={distance}" for district in _mix_districts()
             for word in _mix_words() for distance in miles]
    random.Random(20).shuffle(paths)
    return paths


def repeat_share(paths: list[str], requests: int) -> float:
    """The share of `requests` that ask a URL already asked in the run (wrk rotates through
    `paths` in order): only those can be served from a page cache."""
    return round(max(0, requests - len(paths)) / requests, 4) if requests else 0.0


def activity_paths(size: int) -> list[str]:
    step = max(1, size // 97)
    return [f"/activities/{number}" for number in range(1, size + 1, step)]


def serve(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "BROKERAGE_ENV": "production", "DATABASE_URL": url,
           "SECRET_KEY": secrets.token_urlsafe(48), "FLASK_DEBUG": "0", "PUBLIC_URL": "https://brokerage.example"}
    # As production starts (deploy/gunicorn.conf.py): its master compiles the search statements
    # before forking the workers, so no measured search pays for compiling one.
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-w", str(workers),
                                "-b", f"127.0.0.1:{port}", "--log-level", "warning", "run:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _milliseconds(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 (ms) and non-2xx responses plus socket errors from `wrk --latency`."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {int(p): _milliseconds(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b",
                                                                   output, re.M)}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = int(next(iter(re.findall(r"Non-2xx or 3xx responses: (\d+)", output)), 0))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {"requests": requests, "rps": round(rps, 1), "p50_ms": round(latency[50], 2),
            "p99_ms": round(latency[99], 2), "non_2xx": non_2xx + errors}


def _wrk(port: int, paths: list[str], seconds: int, connections: int) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(ROTATE % ", ".join(json.dumps(path) for path in paths))
    try:
        return subprocess.run(["wrk", f"-d{seconds}s", "-t1", f"-c{connections}", "--latency", "-s", script.name,
                               f"http://127.0.0.1:{port}"], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)


def load(port: int, paths: list[str], seconds: int, connections: int, warm_up: list[str] | None = None) -> dict:
    """Warm up on `warm_up` (default: `paths` themselves), then measure `paths`."""
    _wrk(port, warm_up or paths, WARM_UP_SECONDS, connections)
    figures = parse_wrk(_wrk(port, paths, seconds, connections))
    return figures | {"cache_hit_rate": repeat_share(paths, figures["requests"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="activities in the directory")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4, help="open connections (wrk -c)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    source = Path(sqlite_dataset(args.size, args.seed, args.data_dir).removeprefix("sqlite:///"))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "served.sqlite3"
        shutil.copyfile(source, copy)  # the served copy may gain a WAL file; the kept dataset stays as built
        server = serve(f"sqlite:///{copy}", args.port, args.workers)
        try:
            search = load(args.port, mixed_search_paths(), args.duration, args.connections,
                          warm_up=mixed_search_paths((WARM_MILES,)))
            cached = load(args.port, search_paths(), args.duration, args.connections)
            page = load(args.port, activity_paths(args.size), args.duration, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(search, cached, page, args)


def report(search: dict, cached: dict, page: dict, args) -> None:
    ratio = round(search["rps"] / page["rps"], 3) if page["rps"] else None
    print(f"{'page':16} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'repeats':>8}")
    for name, figures in (("search (mix)", search), ("search (cached)", cached), ("activity", page)):
        print(f"{name:16} {figures['requests']:>9} {figures['rps']:>8.1f} {figures['p50_ms']:>8.2f} "
              f"{figures['p99_ms']:>8.2f} {figures['non_2xx']:>8} {figures['cache_hit_rate']:>8.2%}")
    print(f"search (mix)/activity throughput: {ratio}")
    print(json.dumps({
        "h1_search_rps": search["rps"], "h1_search_p99_ms": search["p99_ms"], "h1_search_non_2xx": search["non_2xx"],
        "h1_distinct_queries": len(mixed_search_paths()), "h1_cache_hit_rate": search["cache_hit_rate"],
        "h1_over_h2": ratio, "h1_cached_rps": cached["rps"], "h1_cached_p99_ms": cached["p99_ms"],
        "h2_activity_rps": page["rps"], "h2_activity_p99_ms": page["p99_ms"], "h2_activity_non_2xx": page["non_2xx"],
        "h3_search_over_activity": ratio, "size": args.size, "workers": args.workers,
        "connections": args.connections, "duration_s": args.duration, "load_generator": "wrk -t1",
        "targets": TARGETS}))


if __name__ == "__main__":
    main()
