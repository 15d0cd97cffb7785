"""gunicorn's settings for brokerage: `gunicorn --config deploy/gunicorn.conf.py run:app`.

Read by the systemd unit (deploy/systemd/brokerage.service) and by the multi-host smoke test in
.ci/run. Each setting can be changed from the environment file without editing this one.
"""
import multiprocessing
import os

# Where nginx reaches this host: a local port, or an address the proxy can reach on another machine.
bind = os.environ.get("BROKERAGE_BIND", "127.0.0.1:8000")
# Sync workers: each answers one request at a time, and pages spend their time in Python and the
# database, so twice the cores plus one keeps every core busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("BROKERAGE_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
# The app opens no database connection while it is built, so it is built once and the workers forked
# from it: they start at once and share its memory.
preload_app = True
# A request still running after 30 s is stuck (the slowest page takes well under a second): the
# worker is replaced. On a restart, requests in flight get 30 s to finish.
timeout = 30
graceful_timeout = 30
# nginx keeps connections to this host open between requests (its upstream keepalive).
keepalive = 15
# The heartbeat file lives in memory, so a slow disk never makes gunicorn think a worker is stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# systemd manages the process; the run-time control socket (one per user by default) would be shared
# by every instance a user runs on one machine.
control_socket_disable = True

# Only the one trusted proxy (nginx) may say the request came over https (X-Forwarded-Proto); the app
# reads the client address from X-Forwarded-For for one proxy (TRUSTED_PROXY_COUNT=1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: JSON lines (brokerage/core/web/request_log.py). The access log goes to standard output and
# everything else to standard error, so the journal keeps both. The app redacts tokens and
# postcode searches from the access log (brokerage/core/web/log_privacy.py) and adds the request id
# nginx sent (X-Request-ID, echoed in the response), so each line can be matched with nginx's.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING", "handlers": []},  # the app adds its own JSON handler
    "formatters": {"json": {"()": "brokerage.core.web.request_log.JsonLines"}},
    "handlers": {
        "access": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


def when_ready(server):
    """Before the workers are forked: compile the search statements once, in the master, so that
    every worker inherits them and no person waits for the compiling on a first search (the flask
    commands the timers run never pay for it)."""
    from brokerage.directory import prepare_search

    prepare_search(server.app.wsgi())


def post_worker_init(worker):
    """In each worker, before it takes a request: run those statements once on the worker's own
    connection, so that the database has prepared them too (brokerage.directory.warm_search)."""
    from brokerage.directory import warm_search

    warm_search(worker.app.wsgi())
