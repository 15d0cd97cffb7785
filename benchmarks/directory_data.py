"""The synthetic directory the benchmarks search, built once and kept between runs.

`sqlite_dataset(size, seed, folder)` returns the URL of a SQLite file holding reference data
and `size` synthetic activities (flask seed --synthetic-activities, at a fixed moment), built
only when no file for this size, seed and version of the code exists yet: the file name
carries a hash of the models, the generator and the index's settings, so any change to them
builds afresh. `copy_to_postgres` empties a PostgreSQL database and copies that file into it
with COPY, so that both databases hold exactly the same rows."""
import hashlib
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from brokerage import create_app  # noqa: E402
from brokerage.core.values.timeutils import london_today  # noqa: E402
from brokerage.directory.search.index import BAND_DEGREES, MAX_TERM  # noqa: E402
from brokerage.directory.seed import seed_directory_reference  # noqa: E402
from brokerage.directory.search.synthetic import seed_synthetic_activities  # noqa: E402
from brokerage.extensions import db  # noqa: E402
from brokerage.seeding import seed_localities  # noqa: E402
from config import TestingConfig  # noqa: E402

NOW = datetime(2026, 6, 15, 11, 0, tzinfo=timezone.utc)
DEFAULT_FOLDER = ROOT / "instance" / "benchmarks"
SOURCES = ("listings/models.py", "models.py", "geo/models.py", "search/synthetic.py", "search/terms.py",
           "geo/locations.py", "listings/schedules.py", "seed.py", "geo/data/postcode_districts.csv",
           "listings/data/taxonomy.json")


def code_version() -> str:
    """A hash of the code that decides the rows (not of the queries that read them)."""
    digest = hashlib.sha256(f"{BAND_DEGREES} {MAX_TERM}".encode())
    for name in SOURCES:
        path = ROOT / "brokerage" / "directory" / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()[:12]


DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/brokerage_bench"


def app_for(url: str, **overrides):
    return create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url, **overrides})


def reachable_postgres(url: str) -> str:
    """`url` when its server answers (its database created if missing), else "": PostgreSQL is
    measured whenever it is there, not only when asked for."""
    if not url:
        return ""
    server = make_url(url).set(database="postgres")
    engine = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            name = make_url(url).database
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server, or no right to create: measured on SQLite only, and said so
        print(f"  PostgreSQL not measured: {error.__class__.__name__}", flush=True)
        return ""
    finally:
        engine.dispose()
    return url


def _build(path: Path, size: int, seed: int) -> None:
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    app = app_for(f"sqlite:///{partial}")
    with app.app_context():
        db.create_all()
        seed_localities()
        seed_directory_reference()
        started = time.perf_counter()
        seed_synthetic_activities(size, seed=seed, now=NOW, today=london_today(NOW))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    shutil.move(partial, path)
    print(f"  built {size:,} activities into {path.name} in {time.perf_counter() - started:.0f} s", flush=True)


def sqlite_dataset(size: int, seed: int, folder: Path = DEFAULT_FOLDER) -> str:
    """The URL of the SQLite file holding this dataset, built if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"directory-{size}-seed{seed}-{code_version()}.sqlite3"
    if not path.exists():
        _build(path, size, seed)
    return f"sqlite:///{path}"


def _fingerprint(url: str) -> tuple:
    from brokerage.directory.listings.models import Activity, ActivitySearchTerm
    engine = create_engine(url)
    with engine.connect() as connection:
        try:
            found = (connection.scalar(select(func.count()).select_from(Activity)),
                     connection.scalar(select(func.count()).select_from(ActivitySearchTerm)),
                     connection.scalar(select(func.sum(Activity.search_band))))
        except Exception:  # an empty or older database: copy afresh
            found = None
    engine.dispose()
    return found


def _copy_table(source, target, table) -> None:
    """COPY every row of `table` from the SQLite connection into the psycopg connection."""
    names = [column.name for column in table.columns]
    quoted = ", ".join(f'"{name}"' for name in names)
    rows = source.execute(select(*table.columns))  # typed: dates, times and booleans come back as such
    with target.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(row))


def copy_to_postgres(sqlite_url: str, postgres_url: str) -> str:
    """Make the PostgreSQL database hold exactly the rows of the SQLite file (skipped when it
    already does); returns postgres_url."""
    if _fingerprint(postgres_url) == _fingerprint(sqlite_url):
        return postgres_url
    started = time.perf_counter()
    app = app_for(postgres_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        source = create_engine(sqlite_url)
        with source.connect() as reading, db.engine.begin() as writing:
            raw = writing.connection.driver_connection
            for table in db.metadata.sorted_tables:
                writing.execute(table.delete())  # rows create_all wrote (the directory version)
                _copy_table(reading, raw, table)
            for table in db.metadata.sorted_tables:
                if [column.name for column in table.primary_key.columns] == ["id"]:
                    writing.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                         f"(SELECT coalesce(max(id), 0) + 1 FROM \"{table.name}\"), false)"))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        source.dispose()
        db.engine.dispose()
    print(f"  copied into PostgreSQL {make_url(postgres_url).database} in {time.perf_counter() - started:.0f} s",
          flush=True)
    return postgres_url

