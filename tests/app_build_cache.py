"""Share the costly, pure parts of building an app between the suite's many apps.

Every test builds a fresh app (its own config, database and Jinja environment), and building
one compiled ~300 URL builders and every template it then rendered, again: about 0.1 s of CPU a
test, a third of the suite's time. Both products are pure functions of their inputs, so one
test process keeps them:

- templates: a Jinja bytecode cache (Jinja's own extension point); an entry is used only while
  the template's source is unchanged;
- URL rules: Werkzeug parses each rule's text into parts and converters and compiles its URL
  builders from the rule's text, its host or subdomain, its defaults and the map's converters
  alone (a builder takes the rule as its first argument; a converter keeps nothing of the map
  it was made for), so what it compiles is kept under exactly those and given to each new rule,
  the builders bound to it as Werkzeug itself binds them.
"""
from jinja2 import BytecodeCache
from werkzeug.routing.rules import Rule


class SharedTemplateCache(BytecodeCache):
    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedTemplateCache()


def share_compiled_rules() -> None:
    """Keep what Werkzeug compiles for each URL rule (its parsed parts, its converters, its URL
    builders) by the inputs it compiles them from, and give each new rule the kept results."""
    compile_rule = Rule.compile
    if getattr(compile_rule, "shared", False):
        return
    compiled: dict[tuple, tuple] = {}

    def shared_compile(rule: Rule) -> None:
        url_map = rule.map
        key = (rule.rule, rule.merge_slashes, url_map.host_matching,
               rule.host if url_map.host_matching else rule.subdomain,
               tuple((name, repr(value)) for name, value in (rule.defaults or {}).items()),
               tuple(url_map.converters.items()))
        kept = compiled.get(key)
        if kept is None:
            compile_rule(rule)
            compiled[key] = (rule._parts, rule._trace, rule._converters, frozenset(rule.arguments),
                             rule._build.__func__, rule._build_unknown.__func__)
            return
        rule._parts, rule._trace, rule._converters, arguments, build, build_unknown = kept
        rule.arguments.update(arguments)
        rule._build = build.__get__(rule, None)
        rule._build_unknown = build_unknown.__get__(rule, None)

    shared_compile.shared = True
    Rule.compile = shared_compile


class SharedEngines:
    """Keep one SQLAlchemy engine per database URL and options for the suite's `app` fixture.

    SQLAlchemy keeps compiled statements per engine (and per dialect instance), so an engine per
    test compiled every statement again in every test: about a quarter of the suite's time.
    Every test of a process uses the same URL (one PostgreSQL database per worker, or one SQLite
    path per worker that each test refills from the template), so the fixture's apps can share
    one engine. On SQLite the fixture disposes its pool after each test, so that no connection
    outlives the file it opened; on PostgreSQL the pool's connections serve test after test (a new
    server process per test, with its caches cold, cost about 20 ms a test).
    Apps a test builds itself (to stand for another worker) still get engines of their own."""

    def __init__(self):
        self.engines: dict[tuple, object] = {}
        self.sharing = False

    def install(self, db) -> None:
        make_engine = db._make_engine

        def make(bind_key, options, app):
            if not self.sharing:
                return make_engine(bind_key, options, app)
            key = (bind_key, repr(sorted(options.items(), key=lambda item: item[0])))
            if key not in self.engines:
                self.engines[key] = make_engine(bind_key, options, app)
            return self.engines[key]

        db._make_engine = make


SHARED_ENGINES = SharedEngines()
