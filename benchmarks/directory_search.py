"""Directory search at scale (performance.md S1-S8).

For each size, takes the synthetic directory (same seed, same moment; built once into a file
under instance/benchmarks and reused, see directory_data.py) and measures the search service in process: p95 for 5 km, and for 16 km + text,
from district origins across the footprint; the naive approach (load every visible activity,
measure each distance in Python) against the indexed one; SQL statements per search (in
process and per HTTP request, through the WSGI test client); and EXPLAIN of the search
statement. The largest size is also copied into a PostgreSQL database (--postgres URL, default
BENCH_POSTGRES_URL or brokerage_bench on 127.0.0.1, created if missing and emptied first: never
point it at a database you need) and measured there too, whenever its server answers, to
compare plans and top-20 ids (S1, S6); --postgres none skips it.

Cold searches (S8): at the largest size, a fresh process started as a production worker starts
(its search statements compiled as gunicorn's master compiles them, then run once on its own
connection as each worker runs them: brokerage.directory.prepare_search and warm_search) times the first search of 40 searches no two alike (free-text
distances, words, sorts, pages), then the same searches again: `cold_p95_ms_100k` and
`cold_over_warm` (target <= 3).

Growth (S5) is measured "at the same local density": the 1k search uses a 5 km radius and
the larger one a radius shrunk by sqrt(size ratio), so both cover the same expected number
of activities, and the ratio shows what the extra rows elsewhere cost.

    .venv/bin/python benchmarks/directory_search.py [--sizes 1000,10000,100000] [--repeat 200]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/brokerage_bench | none] [--data-dir DIR]

SQLite's own count of the virtual machine instructions a search runs (`vm_instructions_*`)
is printed too: times on these shared machines drift by half from one minute to the next, the
instruction count does not, so it is the figure to compare between runs and machines.

Prints a table, then one JSON line (milliseconds; null where not measured)."""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from brokerage.core.values.timeutils import london_today  # noqa: E402
from brokerage.directory.listings.models import Activity  # noqa: E402
from brokerage.directory.geo.distances import distance_miles  # noqa: E402
from brokerage.directory.geo.locations import locate  # noqa: E402
from brokerage.directory import prepare_search, warm_search  # noqa: E402
from brokerage.directory.search.pages import SearchQuery, search_activities  # noqa: E402
from brokerage.directory.listings.services import hidden_before  # noqa: E402
from brokerage.extensions import db  # noqa: E402
from directory_data import (DEFAULT_FOLDER, DEFAULT_POSTGRES, NOW, app_for, copy_to_postgres,  # noqa: E402
                            reachable_postgres, sqlite_dataset)

KM = 1 / 1.609344
# Up to here, the distances whose statements were compiled before the workers forked until every
# distance's were (search.pages.prepare_statements); the `*_up_to_15_miles` figures compare with older runs.
PREPARED_MILES = 15
ORIGINS = ("HD1", "S70", "HX1", "WF1", "WF13", "S75", "HD9", "WF10", "HX7", "S73", "WF17", "HD6")
WORDS = ("art", "football", "singing", "walk", "yoga", "garden", "cafe", "craft")
TARGETS = {"S2_p95_ms_100k_5km": 5, "S3_p95_ms_100k_16km_text": 25, "S4_naive_over_indexed": 50,
           "S5_growth": 2, "S7_statements": 3}


def queries(kind: str, miles: float) -> list[SearchQuery]:
    if kind == "5km":
        return [SearchQuery(postcode=origin, distance=miles) for origin in ORIGINS]
    return [SearchQuery(postcode=origin, distance=miles, q=WORDS[i % len(WORDS)]) for i, origin in enumerate(ORIGINS)]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed_searches(app, kind: str, miles: float, repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds per search: wall clock, and this process's CPU time (which leaves out the
    time spent waiting for a core on a shared machine)."""
    wall, cpu, batch = [], [], queries(kind, miles)
    with app.test_request_context():  # a GET: reads begin deferred, as in a request
        for i in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            search_activities(query=batch[i % len(batch)], now=NOW)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            db.session.remove()
    return wall, cpu


def cold_queries() -> list[SearchQuery]:
    """40 searches no two alike, as people type them: free-text distances from 0.3 to 50 miles,
    from different towns, with and without words, both sorts, first and second pages. (A search
    with filters is prepared by its first search in each worker: one per set of filters chosen
    and distance shape, whatever their values.)"""
    return [SearchQuery(postcode=ORIGINS[i % len(ORIGINS)], distance=round(0.3 + 1.24 * i, 2),
                        q=WORDS[i % len(WORDS)] if i % 2 else "", sort="nearest" if i % 4 == 3 else "best",
                        page=1 + i % 3 // 2) for i in range(40)]


def cold_in_fresh_process(url: str) -> dict:
    """S8: in a fresh process started as a production worker starts (its search statements
    prepared), the first search of each of cold_queries, then the same searches again (warm);
    p95 of each, wall clock and this process's CPU time (--cold-probe)."""
    output = subprocess.run([sys.executable, __file__, "--cold-probe", url], check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def cold_probe(url: str) -> None:
    """Also the same figures for the searches within PREPARED_MILES only (`*_prepared`): the
    distances whose statements a worker compiles when it starts."""
    app = app_for(url)
    prepare_search(app)  # as gunicorn's master does before it forks the workers
    warm_search(app)  # as each worker does before it takes a request (post_worker_init)
    figures, searches = {}, cold_queries()
    for name in ("cold", "warm"):
        wall, cpu = [], []
        with app.test_request_context():  # a GET: reads begin deferred, as in a request
            for query in searches:
                started, started_cpu = time.perf_counter(), time.process_time()
                search_activities(query=query, now=NOW)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                db.session.remove()
        near = [number for number, query in enumerate(searches) if query.distance <= PREPARED_MILES]
        figures[f"{name}_p95_ms"], figures[f"{name}_p95_cpu_ms"] = p95(wall), p95(cpu)
        figures[f"{name}_p95_ms_prepared"] = p95([wall[number] for number in near])
        figures[f"{name}_p95_cpu_ms_prepared"] = p95([cpu[number] for number in near])
    figures["cold_over_warm_prepared"] = figures["cold_p95_ms_prepared"] / figures["warm_p95_ms_prepared"]
    figures["cold_cpu_over_warm_cpu_prepared"] = (figures["cold_p95_cpu_ms_prepared"]
                                                  / figures["warm_p95_cpu_ms_prepared"])
    print(json.dumps(figures))


def naive(query: SearchQuery) -> list[int]:
    """Load every visible activity and measure each distance in Python."""
    origin = locate(query.postcode)
    rows = db.session.scalars(select(Activity).where(
        Activity.status == "active", Activity.last_checked_on >= hidden_before(london_today(NOW))))
    near = sorted((distance_miles(origin.point, (row.latitude, row.longitude)), row.id) for row in rows)
    return [activity_id for distance, activity_id in near if distance <= query.distance][:20]


def naive_over_indexed(app, repeat: int = 3) -> float:
    query = queries("5km", 5 * KM)[0]
    with app.test_request_context():  # a GET: reads begin deferred, as in a request
        slow = []
        for _ in range(repeat):
            started = time.perf_counter()
            naive(query)
            slow.append(time.perf_counter() - started)
            db.session.remove()
    fast = timed_searches(app, "5km", 5 * KM, 50)[0]
    return statistics.median(slow) * 1000 / statistics.median(fast)


@contextmanager
def captured(app):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


VM_STEP = 100  # the progress handler runs every VM_STEP virtual machine instructions


def vm_instructions(app, kind: str, miles: float) -> int | None:
    """Median SQLite virtual machine instructions (to the nearest VM_STEP) of the searches of
    `kind`, all their statements counted: unlike a time, the same on a quiet or a busy machine,
    so runs on different days and machines compare. None on PostgreSQL."""
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "sqlite":
        return None
    counts = []
    with app.test_request_context():  # a GET: reads begin deferred, as in a request
        for query in queries(kind, miles):
            db.session.remove()
            ticks = [0]

            def tick():
                ticks[0] += 1
                return 0
            raw = db.session.connection().connection.driver_connection
            raw.set_progress_handler(tick, VM_STEP)
            try:
                search_activities(query=query, now=NOW)
            finally:
                raw.set_progress_handler(None, VM_STEP)
            counts.append(ticks[0] * VM_STEP)
        db.session.remove()
    return int(statistics.median(counts))


def statements_and_plan(app, query: SearchQuery) -> tuple[int, int, list[str]]:
    """(statements in process, statements per HTTP request, plan lines of the main statement)."""
    with app.test_request_context():  # a GET: reads begin deferred, as in a request
        db.session.remove()
        with captured(app) as found:
            search_activities(query=query, now=NOW)
        main_statement, parameters = max(found, key=lambda item: len(item[0]))
        db.session.remove()
        with db.engine.connect() as connection:
            explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
            plan = [" ".join(str(part) for part in row) for row in
                    connection.exec_driver_sql(explain + main_statement, parameters)]
        client = app.test_client()
        client.get("/activities?postcode=HD1&distance=3")  # warm: connection and cached choices
        with captured(app) as per_request:
            response = client.get(f"/activities?q={query.q}&postcode={query.postcode}&distance={query.distance:g}")
        assert response.status_code == 200
    return len(found), len(per_request), plan


def index_use(plan: list[str], dialect: str, kind: str) -> dict:
    """Whether the plan finds the place through an index (the activity's place index, or with
    text the term index, which carries the place) and the text through the term index, and
    whether it scans a whole table of activities or their terms."""
    joined = "\n".join(plan)
    scan = r"\bSCAN activity\b" if dialect == "sqlite" else r"Seq Scan on activity\b"
    text_index = "ix_activity_search_term_place" in joined
    place_index = text_index if kind.endswith("text") else "ix_activity_search_place" in joined
    return {"location_index": place_index, "text_index": text_index if kind.endswith("text") else None,
            "full_scan_of_activity": re.search(scan, joined) is not None}


def top_ids(app, kinds) -> list[list[int]]:
    return top_ids_of(app, [query for kind, miles in kinds for query in queries(kind, miles)])


def top_ids_of(app, searches: list[SearchQuery]) -> list[list[int]]:
    with app.test_request_context():  # a GET: reads begin deferred, as in a request
        found = [[result.activity.id for result in search_activities(query=query, now=NOW).results]
                 for query in searches]
        db.session.remove()
    return found


def measure_size(url: str, size: int, args) -> dict:
    app = app_for(url)
    figures = {"size": size}
    same_density = 5 * KM * math.sqrt(1000 / size)
    for name, kind, miles in (("5km", "5km", 5 * KM), ("16km_text", "16km_text", 16 * KM),
                              ("same_density", "5km", max(0.1, same_density))):
        wall, cpu = timed_searches(app, kind, miles, args.repeat)
        figures[f"p95_{name}"], figures[f"p95_cpu_{name}"] = p95(wall), p95(cpu)
    figures["naive_over_indexed"] = naive_over_indexed(app, repeat=1 if size >= 50_000 else 3)
    figures["vm_instructions_5km"] = vm_instructions(app, "5km", 5 * KM)
    figures["vm_instructions_16km_text"] = vm_instructions(app, "16km_text", 16 * KM)
    backend, plans, counts = make_url(url).get_backend_name(), {}, []
    for kind, miles in (("5km", 5 * KM), ("16km_text", 16 * KM)):
        in_process, per_request, plans[kind] = statements_and_plan(app, queries(kind, miles)[0])
        counts.append((in_process, per_request))
    figures.update(statements=max(c[0] for c in counts), statements_http=max(c[1] for c in counts), plan=plans,
                   index={kind: index_use(plan, backend, kind) for kind, plan in plans.items()})
    figures["top_ids"] = top_ids(app, (("5km", 5 * KM), ("16km_text", 16 * KM)))
    figures["top_ids_cold"] = top_ids_of(app, cold_queries())
    with app.app_context():
        db.engine.dispose()
    if size == max(int(s) for s in args.sizes.split(",") if s.strip()):
        cold = cold_in_fresh_process(url)
        figures.update(cold, cold_over_warm=cold["cold_p95_ms"] / cold["warm_p95_ms"],
                       cold_cpu_over_warm_cpu=cold["cold_p95_cpu_ms"] / cold["warm_p95_cpu_ms"])
    return figures


def report(sqlite: dict[int, dict], postgres: dict | None) -> dict:
    largest = sqlite[max(sqlite)]
    at_100k = sqlite.get(100_000, {})
    growth, growth_cpu = ((at_100k[f"p95{cpu}_same_density"] / sqlite[1000][f"p95{cpu}_same_density"]
                           if at_100k and 1000 in sqlite else None) for cpu in ("", "_cpu"))
    both = [largest] + ([postgres] if postgres else [])
    indexes = {"sqlite": largest["index"]} | ({"postgresql": postgres["index"]} if postgres else {})
    result = {
        "p95_ms_100k_5km": at_100k.get("p95_5km"), "p95_ms_100k_16km_text": at_100k.get("p95_16km_text"),
        "naive_over_indexed_100k": at_100k.get("naive_over_indexed"), "growth_1k_to_100k": growth,
        "p95_cpu_ms_100k_5km": at_100k.get("p95_cpu_5km"), "p95_cpu_ms_100k_16km_text": at_100k.get("p95_cpu_16km_text"),
        "growth_cpu_1k_to_100k": growth_cpu,
        "vm_instructions_100k_5km": at_100k.get("vm_instructions_5km"),
        "vm_instructions_100k_16km_text": at_100k.get("vm_instructions_16km_text"),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "statements_per_search": max(max(f["statements"], f["statements_http"]) for f in sqlite.values()),
        "same_results_sqlite_postgres": (postgres["top_ids"] == largest["top_ids"]) if postgres else None,
        "same_results_sqlite_postgres_cold_queries": ((postgres["top_ids_cold"] == largest["top_ids_cold"])
                                                      if postgres else None),
        "cold_p95_ms_100k": at_100k.get("cold_p95_ms"), "cold_over_warm": at_100k.get("cold_over_warm"),
        "cold_p95_cpu_ms_100k": at_100k.get("cold_p95_cpu_ms"),
        "cold_over_warm_up_to_15_miles": at_100k.get("cold_over_warm_prepared"),
        "cold_cpu_over_warm_cpu_up_to_15_miles": at_100k.get("cold_cpu_over_warm_cpu_prepared"),
        "cold_cpu_over_warm_cpu": at_100k.get("cold_cpu_over_warm_cpu"),
        "cold_over_warm_by_backend": {name: figures.get("cold_over_warm") for name, figures
                                      in zip(("sqlite", "postgresql"), both)},
        "index_used": all(i["location_index"] and i["text_index"] is not False and not i["full_scan_of_activity"]
                          for kinds in indexes.values() for i in kinds.values()),
        "text_index_used": all(kinds["16km_text"]["text_index"] for kinds in indexes.values()),
        "index_detail": indexes, "postgres_size": postgres["size"] if postgres else None,
        "postgres_p95_ms_5km": postgres["p95_5km"] if postgres else None,
        "postgres_p95_ms_16km_text": postgres["p95_16km_text"] if postgres else None,
        "sizes": {str(size): {key: (round(value, 3) if isinstance(value, float) else value)
                              for key, value in figures.items()
                              if key not in ("plan", "top_ids", "top_ids_cold", "index")}
                  for size, figures in sqlite.items()},
        "targets": TARGETS}
    return {key: (round(value, 3) if isinstance(value, float) else value) for key, value in result.items()}


def print_table(sqlite: dict[int, dict], postgres: dict | None) -> None:
    print("p95 wall clock (CPU time of this process) per search, in ms")
    print(f"{'backend':10} {'size':>8} {'5km':>16} {'16km+text':>16} {'same density':>16} "
          f"{'naive/indexed':>14} {'statements':>11}")
    rows = [("sqlite", figures) for figures in sqlite.values()] + ([("postgresql", postgres)] if postgres else [])
    for backend, f in rows:
        cells = " ".join(f"{f[f'p95_{kind}']:>7.2f} ({f[f'p95_cpu_{kind}']:>6.2f})"
                         for kind in ("5km", "16km_text", "same_density"))
        print(f"{backend:10} {f['size']:>8,} {cells} {f['naive_over_indexed']:>13.0f}x "
              f"{f['statements']:>5}/{f['statements_http']:<5}")
    for backend, f in [("sqlite", sqlite[max(sqlite)])] + ([("postgresql", postgres)] if postgres else []):
        for kind, plan in f["plan"].items():
            print(f"plan ({backend}, {f['size']:,}, {kind}):", *plan, sep="\n  ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of activities")
    parser.add_argument("--repeat", type=int, default=100, help="searches timed per kind and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="a PostgreSQL database for the largest size (emptied and filled with the same rows); "
                             f"default $BENCH_POSTGRES_URL or {DEFAULT_POSTGRES}, measured whenever its server "
                             "answers; 'none' to skip")
    parser.add_argument("--cold-probe", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_FOLDER, help="where the datasets are kept")
    args = parser.parse_args()
    if args.cold_probe:
        return cold_probe(args.cold_probe)
    args.postgres = reachable_postgres("" if args.postgres == "none" else args.postgres)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    urls = {size: sqlite_dataset(size, args.seed, args.data_dir) for size in sizes}
    sqlite = {size: measure_size(url, size, args) for size, url in urls.items()}
    postgres = (measure_size(copy_to_postgres(urls[sizes[-1]], args.postgres), sizes[-1], args)
                if args.postgres else None)
    print_table(sqlite, postgres)
    print(json.dumps(report(sqlite, postgres)))


if __name__ == "__main__":
    main()
