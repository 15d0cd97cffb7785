"""Activity directory: activities on Open Referral names, listed by the people who run them,
found by a public search, followed up by "I'm interested" and workers' shortlists, and
published as open data.

A package of stages, in order (a stage imports only the stages above it in this list, never
one below); each stage uses the same file names with one meaning each (`models.py` tables,
`access.py` who may do what, `services.py` actions that commit, `pages.py` what a page shows,
`forms.py`, `views.py` the blueprint):

- `models.py` (here): the activity taxonomy's tables and the page cache's counter;
  `page_cache.py`: rendered public pages kept in memory, and the tables whose changes make
  them stale (each feature declares its own: `PAGE_CACHE_TABLES` next to its models);
  `seed.py`: reference and demo data; `cli.py`: `flask geo ...` and `flask directory ...`.
- `geo/`: offline geography: postcode centroids (`models.py`), postcode lookup
  (`locations.py`), the ONS Postcode Directory import (`onspd.py`), distances and bounding
  boxes (`distances.py`), the optional online geocoder (`geocoding.py`) and placing a venue on
  the map with it (`venue_lookup.py`).
- `listings/`: activities and their tables (`models.py`), fixed choices (`vocabulary.py`),
  schedules and their sessions (`schedules.py`, pure; `occurrences.py`, stored), the taxonomy
  (`taxonomy.py`), iCalendar (`ical.py`), who may list and edit (`access.py`), listing,
  editing and checking activities (`services.py`), what pages show about them (`pages.py`),
  the listing form (`forms.py`) and the listing pages (`views.py`).
- `search/`: the search index kept beside each activity (`index.py`) and its words
  (`terms.py`), what a search matches (`matching.py`) and how it counts near a postcode
  (`strips.py`), running a search (`pages.py`), the search form (`forms.py`), the public
  pages (`views.py`: the search and the activity page it leads to, with its calendar file),
  the activity page's panels from other features (`panels.py`), the synthetic directory
  for load tests and benchmarks (`synthetic.py`), and the anonymous counts of searches that
  found nothing (`misses/`: the table, what a miss is counted under, counting and purging).
- `interest/`: "I'm interested" and starting a peer-led group from the interest list.
- `reminders/`: messages to the people who run activities (listings due a check, how many new
  "I'm interested" entries), through sweeps, and the listings to check on their starting page.
- `shortlist/`: workers' shortlists, shared by a read-only link.
- `visits/`: guided first visits at marked clubs' sessions: asking (with a private status
  link for a person with no account), the club's answer, what happened, the counts in its
  report, and the purge of personal details after retention.
- `gaps/`: for each locality's collective, where help is missing: what is on offer by postcode
  district and category, the interest waiting and the searches that found nothing (`pages.py`),
  its rules (small counts, heat bands, sorting: `rules.py`), who may see it (`access.py`).
- `open_data/`: the Open Referral UK API (`api.py`), its queries (`queries.py`) and records
  (`serialisers.py`).

`blueprints()` lists the feature's blueprints for the app factory to register, and
`watch_page_cache_tables()` tells the page cache which tables its pages show.
"""


def blueprints() -> tuple:
    """The feature's blueprints, in the order the app registers them. Imported here rather
    than at the top, so that importing the package stays cheap and free of import cycles."""
    from .gaps.views import bp as gaps
    from .interest.views import bp as interest
    from .listings.views import bp as listings
    from .open_data.api import bp as open_data
    from .reminders import interest_entries as _interest  # noqa: F401  (its sweeps)
    from .reminders import panels as _panels  # noqa: F401  (its to-do panel)
    from .search.views import bp as search
    from .shortlist.views import bp as shortlist
    from .visits.views import bp as visits

    return (search, listings, open_data, interest, shortlist, visits, gaps)


def prepare_search(app) -> None:
    """Compile the search statements before the first person searches (search.pages.prepare_statements).

    gunicorn calls this once in its master, before it forks the workers (deploy/gunicorn.conf.py),
    so they all inherit the compiled statements; the connections it used are closed, since
    processes must not share one."""
    from ..extensions import db

    warm_search(app)
    with app.app_context():
        db.engine.dispose()


def warm_search(app) -> None:
    """Run the prepared search statements once on this worker's own connection, as the worker
    starts (gunicorn's post_worker_init, deploy/gunicorn.conf.py), so that no person's first
    search pays for the database preparing them: SQLite prepares a statement for each connection
    (tens of milliseconds for the largest, and its pages are read in with it), and a worker
    forked from the master cannot share the master's connections. About 0.4 s of CPU a worker,
    paid before it takes a request; the connection stays in the worker's pool for its requests."""
    from ..core.values.timeutils import utcnow
    from .search.pages import prepare_statements

    with app.app_context():
        prepare_statements(utcnow())


def watch_page_cache_tables() -> None:
    """The tables whose changes make the kept public pages stale: the directory's own and those
    of the features whose rows its pages show (a result's partner or group and locality), each
    declared by the feature that owns them next to its models. Panels from other features add
    the tables they read when they register (search/panels.py)."""
    from ..core.data.models import PAGE_CACHE_TABLES as core
    from ..groups.models import PAGE_CACHE_TABLES as groups
    from ..partners.models import PAGE_CACHE_TABLES as partners
    from .geo.models import PAGE_CACHE_TABLES as geo
    from .listings.models import PAGE_CACHE_TABLES as listings
    from .models import PAGE_CACHE_TABLES as reference
    from .page_cache import watch_tables

    watch_tables(*geo, *listings, *reference, *core, *partners, *groups)
