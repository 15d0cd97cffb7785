"""brokerage: partnerships between an NHS mental health trust and the communities it serves."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_environment, environment_overrides, public_url_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Brokerage(Flask):
    def create_url_adapter(self, request):
        """With PUBLIC_URL set, absolute URLs take its host (Flask's SERVER_NAME) and its scheme,
        never the request's Host header or X-Forwarded-Proto."""
        adapter = super().create_url_adapter(request)
        if request is not None and adapter is not None and self.config["PUBLIC_URL"]:
            adapter.url_scheme = self.config["PREFERRED_URL_SCHEME"]
        return adapter


def create_app(config: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI, error pages and access rules."""
    config = config or config_from_environment()
    app = Brokerage(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(config)
    app.config.update(environment_overrides(dict(os.environ)))
    app.config.update(overrides or {})
    if app.config["PUBLIC_URL"]:
        app.config.update(public_url_settings(app.config["PUBLIC_URL"]))
    config.validate(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)
    if count := app.config["TRUSTED_PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to add middleware
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errors(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every model registered before the metadata is used)
    from .accounts.auth import register_auth
    from .audit.services import record_event
    from .core.data import database  # noqa: F401  (SQLite engine settings)
    from .core.data.auditing import install_recorder
    from .extensions import csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    register_auth(app)
    install_recorder(app, record_event)


def register_blueprints(app: Flask) -> None:
    from . import accounts, audit, collectives, core, directory, groups, notifications, outcomes, partners
    from .core.web.access import check_every_view_has_a_rule, register_access
    from .core.web.context import register_context, register_static_versions
    from .core.web.converters import register_converters
    from .core.web.filters import register_filters
    from .core.web.log_privacy import install_log_redaction
    from .core.web.request_log import configure_logging, register_request_log
    from .core.web.security import register_security_headers

    register_converters(app)
    for blueprint in (
        *core.blueprints(),
        *notifications.blueprints(),
        *accounts.blueprints(),
        *audit.blueprints(),
        *partners.blueprints(),
        *collectives.blueprints(),
        *groups.blueprints(),
        *directory.blueprints(),
        *outcomes.blueprints(),
    ):
        app.register_blueprint(blueprint)
    directory.watch_page_cache_tables()
    register_access(app)
    register_filters(app)
    register_context(app)
    register_static_versions(app)
    register_security_headers(app)
    check_every_view_has_a_rule(app)
    install_log_redaction(app)
    configure_logging(app)
    register_request_log(app)


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)


def register_errors(app: Flask) -> None:
    from .errors import register_errors as register

    register(app)
