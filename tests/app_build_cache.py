"""Share the costly, pure parts of building an app between the suite's many apps.

Every test builds a fresh app (its own config, database and Jinja environment), and building
one compiled ~300 URL builders and every template it then rendered, again: about 0.1 s of CPU a
test, a third of the suite's time. Both products are pure functions of their inputs, so one
test process keeps them:

- templates: a Jinja bytecode cache (Jinja's own extension point); an entry is used only while
  the template's source is unchanged;
- URL builders: Werkzeug compiles each rule's builder from the rule's text, its parsed parts and
  its defaults alone (the function takes the rule as its first argument), so the compiled
  function is kept under exactly those and bound to each new rule as Werkzeug itself binds it.
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


def share_url_builders() -> None:
    """Keep each compiled URL builder by the inputs Werkzeug compiles it from."""
    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "shared", False):
        return
    builders: dict[tuple, object] = {}

    def shared_builder(rule: Rule, append_unknown: bool = True):
        defaults = rule.defaults or {}
        key = (rule.rule, tuple(rule._trace), append_unknown,
               tuple((name, repr(value), type(rule._converters.get(name))) for name, value in defaults.items()))
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    shared_builder.shared = True
    Rule._compile_builder = shared_builder


class SharedEngines:
    """Keep one SQLAlchemy engine per database URL and options for the suite's `app` fixture.

    SQLAlchemy keeps compiled statements per engine (and per dialect instance), so an engine per
    test compiled every statement again in every test: about a quarter of the suite's time.
    Every test of a process uses the same URL (one PostgreSQL database per worker, or one SQLite
    path per worker that each test refills from the template), so the fixture's apps can share
    one engine; the fixture disposes its pool after each test, so no connection outlives the test.
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
