"""The multi-host smoke test: the deploy/ folder, run as production runs it, on this machine.

Debian's nginx, configured from deploy/nginx/brokerage.conf, terminates TLS (a certificate made
now) in front of two gunicorn "hosts" started by the command in deploy/systemd/brokerage.service
(so with deploy/gunicorn.conf.py), with the settings of deploy/brokerage.env.example filled in
(production, a new SECRET_KEY) against one new PostgreSQL database, migrated and seeded by the
same commands an operator runs. Through nginx it searches, opens an activity, signs in and votes;
it changes an activity on one host and sees the change at once on the other; it runs every
scheduled task by its systemd unit's command; and it checks that both hosts' JSON logs carry
nginx's request ids and never a password, a postcode, an email address or a token.

Run from the project's folder: `.venv/bin/python deploy/smoke/run.py` (.ci/run does). It exits 0
only if every check passed, and stops every process it started and drops its database either way.
SMOKE_POSTGRES_URL names the server (default postgresql://postgres@127.0.0.1:5432/postgres) and
SMOKE_DATABASE_PREFIX the database's name (default brokerage_smoke, then a random suffix).
"""
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED_AT = "/srv/brokerage"  # where the units and the nginx site expect the project
START_TIMEOUT = 30
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
POSTCODE = "HD1 2QA"  # searched for near, so it must appear in no log
BEGAN = time.monotonic()


class SmokeFailure(Exception):
    """A check that did not hold: the message says which and what was seen."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def step(message: str) -> None:
    print(f"  [{time.monotonic() - BEGAN:5.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """A browser without JavaScript: keeps cookies (by name, for one site), follows redirects,
    and reads CSRF tokens from forms. `base` is https://localhost:port (nginx) or http://127.0.0.1:port."""

    def __init__(self, base: str, tls: ssl.SSLContext | None = None):
        self.base, self.tls, self.cookies = base, tls, {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None,
                follow: bool = True) -> tuple[http.client.HTTPResponse, str]:
        parts = urlsplit(self.base)
        for _ in range(5):
            if parts.scheme == "https":
                connection = http.client.HTTPSConnection(parts.hostname, parts.port, context=self.tls, timeout=30)
            else:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            sent = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
                    **(headers or {})}
            body = None
            if form is not None:
                body = urlencode(form, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
                sent["Referer"] = self.base + path
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in header.lower() and "expires=thu, 01 jan 1970" not in header.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            if not follow or response.status not in (301, 302, 303):
                return response, text
            location = urlsplit(response.headers["Location"])
            method, form, path = "GET", None, location.path + (f"?{location.query}" if location.query else "")
        raise SmokeFailure(f"too many redirects from {path}")

    def get(self, path: str, expect: int = 200, **kwargs) -> str:
        response, text = self.request("GET", path, **kwargs)
        check(response.status == expect, f"GET {self.base}{path}: {response.status}, expected {expect}")
        return text

    def submit(self, form_page: str, action: str, fields: dict, expect: int = 200) -> str:
        """Load the page holding the form, then post the fields with its CSRF token."""
        token = TOKEN.search(self.get(form_page))
        check(token is not None, f"no CSRF token on {form_page}")
        response, text = self.request("POST", action, form={**fields, "csrf_token": token[1]})
        check(response.status == expect, f"POST {action}: {response.status}, expected {expect}\n{text[:400]}")
        return text


class Smoke:
    def __init__(self, work: Path):
        self.work = work
        self.processes: list[subprocess.Popen] = []
        self.admin_url = os.environ.get("SMOKE_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        self.database = f"{os.environ.get('SMOKE_DATABASE_PREFIX', 'brokerage_smoke')}_{secrets.token_hex(4)}"
        self.database_made = False
        self.hosts = [free_port(), free_port()]
        self.https, self.http = free_port(), free_port()
        self.env: dict[str, str] = {}

    # --- setting up ----------------------------------------------------------------------------
    def make_database(self) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.database_made = True
        admin = urlsplit(self.admin_url)
        return f"postgresql+psycopg://{admin.netloc}/{self.database}"

    def drop_database(self) -> None:
        if self.database_made:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def environment(self, database_url: str) -> dict[str, str]:
        """deploy/brokerage.env.example as systemd reads it (KEY=value, optional quotes), with
        this machine's values for the settings an operator must fill in."""
        settings = {}
        for line in (DEPLOY / "brokerage.env.example").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, value = line.partition("=")
                settings[name.strip()] = value.strip().strip('"')
        settings.update(SECRET_KEY=secrets.token_hex(32), PUBLIC_URL=f"https://localhost:{self.https}",
                        DATABASE_URL=database_url, BROKERAGE_WORKERS="2")
        keep = {name: value for name, value in os.environ.items()
                if name in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT"}}
        return {**keep, **settings}

    def command_of(self, unit: str) -> list[str]:
        """The ExecStart of a systemd unit, pointed at this checkout instead of /srv/brokerage."""
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        found = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE)
        check(found is not None, f"{unit} has no ExecStart")
        check(re.search(rf"^WorkingDirectory={INSTALLED_AT}$", text, re.MULTILINE) is not None,
              f"{unit} does not run in {INSTALLED_AT}")
        return shlex.split(found[1].replace(INSTALLED_AT, str(ROOT)))

    def run(self, command: list[str], what: str, **overrides: str) -> str:
        done = subprocess.run(command, cwd=ROOT, env={**self.env, **overrides}, capture_output=True, text=True,
                              timeout=120)
        check(done.returncode == 0, f"{what} exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def certificate(self) -> None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                        "-keyout", str(self.work / "key.pem"), "-out", str(self.work / "cert.pem")],
                       check=True, capture_output=True)

    def start(self, command: list[str], log: str, env: dict) -> subprocess.Popen:
        with open(self.work / log, "wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes.append(process)
        return process

    def launch_hosts(self) -> None:
        command = self.command_of("brokerage.service")
        for number, port in enumerate(self.hosts, start=1):
            self.start(command, f"host{number}.log", {**self.env, "BROKERAGE_BIND": f"127.0.0.1:{port}"})

    def wait_for_hosts(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        for number, port in enumerate(self.hosts, start=1):
            while True:
                check(all(process.poll() is None for process in self.processes),
                      f"a gunicorn host exited:\n{self.tail(f'host{number}.log')}")
                try:
                    if Client(f"http://127.0.0.1:{port}").request("GET", "/healthz")[0].status == 200:
                        break
                except OSError:
                    pass
                check(time.monotonic() < deadline, f"host {number} did not answer /healthz in {START_TIMEOUT} s")
                time.sleep(0.2)

    def nginx_site(self) -> str:
        """deploy/nginx/brokerage.conf with this machine's ports, certificate, log files and
        checkout; every replaced line must be there exactly once, so the site and this test agree."""
        site = (DEPLOY / "nginx" / "brokerage.conf").read_text(encoding="utf-8")
        upstream = "\n    ".join(f"server 127.0.0.1:{port};" for port in self.hosts)
        for old, new in [("server 127.0.0.1:8000;", upstream), ("listen 80;", f"listen 127.0.0.1:{self.http};"),
                         ("listen [::]:80;", ""), ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https} ssl http2;"),
                         ("listen [::]:443 ssl http2;", ""),
                         ("/etc/ssl/certs/brokerage.pem", str(self.work / "cert.pem")),
                         ("/etc/ssl/private/brokerage.key", str(self.work / "key.pem")),
                         ("/var/log/nginx/brokerage.access.log", str(self.work / "nginx-access.log")),
                         ("/var/log/nginx/brokerage.error.log", str(self.work / "nginx-error.log")),
                         (f"alias {INSTALLED_AT}/static/;", f"alias {self.static()}/;")]:
            check(site.count(old) == 1, f"deploy/nginx/brokerage.conf should hold {old!r} once")
            site = site.replace(old, new)
        check(site.count("server_name brokerage.example.org;") == 2, "the site should name its host twice")
        return site.replace("server_name brokerage.example.org;", "server_name localhost;")

    def static(self) -> Path:
        """A world-readable copy of static/: nginx's workers run as nobody, and a checkout (CI's
        clone in a private temporary folder) may not be theirs to read."""
        copy = self.work / "static"
        shutil.copytree(ROOT / "static", copy)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        return copy

    def start_nginx(self) -> None:
        temp = self.work / "nginx"
        temp.mkdir()
        paths = "\n".join(f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                                "scgi"))
        config = self.work / "nginx.conf"
        config.write_text(f"""worker_processes 1;
pid {self.work / 'nginx.pid'};
error_log {self.work / 'nginx-main-error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{paths}
{self.nginx_site()}
}}
""", encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        checked = subprocess.run([nginx, "-t", "-q", "-p", str(self.work), "-e", str(self.work / "nginx-main-error.log"),
                                  "-c", str(config)], capture_output=True, text=True)
        check(checked.returncode == 0, f"nginx -t refused the site:\n{checked.stderr}")
        self.start([nginx, "-p", str(self.work), "-e", str(self.work / "nginx-main-error.log"), "-c", str(config),
                    "-g", "daemon off;"], "nginx.out", self.env)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.https), timeout=1):
                    return
            except OSError:
                check(time.monotonic() < deadline, f"nginx did not listen:\n{self.tail('nginx-main-error.log')}")
                time.sleep(0.1)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.work / name
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    # --- the checks ----------------------------------------------------------------------------
    def set_up(self) -> tuple[dict, str]:
        self.certificate()
        self.env = self.environment(self.make_database())
        self.run([str(ROOT / ".venv/bin/flask"), "db", "upgrade"], "flask db upgrade")
        self.launch_hosts()  # they boot while the demo data goes in
        # The demo data is this test's fixture, not what it tests: its 21 accounts are hashed cheaply
        # (scrypt at production strength would take 12 s of the 90 this test may take). Signing in
        # checks any method, so the hosts still serve in production configuration.
        seeded = self.run([str(ROOT / ".venv/bin/flask"), "seed"], "flask seed",
                          BROKERAGE_ENV="development", PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
        passwords = dict(re.findall(r"^\s+(\S+@\S+)\s+(\S+)\s", seeded, re.MULTILINE))
        check(len(passwords) > 5, f"flask seed printed no demo accounts:\n{seeded}")
        step(f"database {self.database} migrated and seeded ({len(passwords)} demo accounts)")
        self.wait_for_hosts()
        self.start_nginx()
        step(f"nginx on https://localhost:{self.https} in front of gunicorn on ports {self.hosts[0]} and {self.hosts[1]}")
        tls = ssl.create_default_context(cafile=str(self.work / "cert.pem"))
        return passwords, tls

    def check_proxy(self, site: Client) -> None:
        home = site.get("/")
        stylesheet = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', home)
        check(stylesheet is not None, "the home page links no versioned stylesheet")
        response, _ = site.request("GET", stylesheet[1], headers={"Accept-Encoding": "gzip"})
        check(response.status == 200 and "immutable" in response.headers.get("Cache-Control", ""),
              f"nginx did not serve the stylesheet to be kept: {response.status} {response.headers}")
        check(response.headers.get("Content-Encoding") == "gzip", "nginx did not compress the stylesheet")
        check("X-Request-ID" not in response.headers, "the stylesheet came from the app, not from nginx")
        check(site.request("GET", "/healthz")[0].headers.get("Strict-Transport-Security") is not None,
              "no HSTS: is the app in production configuration?")
        response, _ = site.request("POST", "/login", form={"padding": "x" * (3 * 1024 * 1024)})
        check(response.status == 413, f"a 3 MB body was not refused by nginx: {response.status}")
        response, _ = Client(f"http://127.0.0.1:{self.http}").request("GET", "/activities", follow=False)
        check(response.status == 301 and response.headers["Location"].startswith("https://"),
              "plain http is not redirected to https")
        version = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_version}", "--http2",
                                  "--cacert", str(self.work / "cert.pem"), f"https://localhost:{self.https}/healthz"],
                                 capture_output=True, text=True, timeout=30).stdout
        check(version == "2", f"nginx did not answer over HTTP/2 (curl saw HTTP/{version})")
        step("TLS, HTTP/2, gzip, static files from nginx with a year's caching, body limit, http -> https")

    def check_public_pages(self, site: Client) -> int:
        found = site.get("/activities?" + urlencode({"q": "choir"}))
        activities = re.findall(r'href="/activities/(\d+)"', found)
        check(bool(activities), "a search for choir found no activity")
        near = site.get("/activities?" + urlencode({"q": "", "postcode": POSTCODE, "distance": "20"}))
        check("Huddersfield" in near or re.search(r'href="/activities/\d+"', near) is not None,
              f"a search near {POSTCODE} found nothing")
        page = site.get(f"/activities/{activities[0]}")
        check(page.count("<h1") == 1, "the activity page does not have one heading")
        step(f"public search (words and near a postcode) and activity {activities[0]}")
        return int(activities[0])

    def sign_in(self, client: Client, email: str, password: str) -> None:
        page = client.submit("/login", "/login", {"email": email, "password": password})
        check("Sign out" in page, f"{email} could not sign in:\n{page[:400]}")

    def check_vote(self, site: Client, passwords: dict) -> None:
        email = next(address for address in passwords if address.startswith("kirklees.lived@"))
        self.sign_in(site, email, passwords[email])
        polls = re.findall(r'href="/polls/(\d+)"', site.get("/dashboard"))  # the to-do list: votes to cast
        check(bool(polls), "the Kirklees member sees no open vote")
        poll = f"/polls/{polls[0]}"
        declared = site.submit(poll, f"{poll}/declare", {"answer": "no_interest"})
        check("You can now vote" in declared, f"the connections question was not accepted:\n{declared[:400]}")
        voted = site.submit(poll, f"{poll}/vote", {"choice": "support"})
        check("Your vote is recorded" in voted, f"the vote was not recorded:\n{voted[:400]}")
        check("You voted: <strong>Support</strong>" in site.get(poll), "the poll page does not show the vote")
        step(f"signed in and voted on {poll} (each request went to either host)")

    def check_shared_state(self, passwords: dict, activity: int) -> None:
        """The anonymous activity page is cached in each worker's memory; a change on host 1 must
        show at once on host 2 (the cache is keyed by a change counter in the database)."""
        one, two = (Client(f"http://127.0.0.1:{port}") for port in self.hosts)
        page = f"/activities/{activity}"
        for _ in range(3):  # every worker of host 2 keeps the page
            check("paused for now" not in two.get(page), "the activity is paused before the test paused it")
        email = next(address for address in passwords if address.startswith("coordinator@"))
        self.sign_in(one, email, passwords[email])
        one.submit("/activities/manage", f"/activities/{activity}/status", {"status": "paused"})
        for _ in range(3):
            check("is paused for now" in two.get(page), "host 2 still shows the activity running after host 1 paused it")
        one.submit("/activities/manage", f"/activities/{activity}/status", {"status": "active"})
        check("is paused for now" not in two.get(page), "host 2 still shows the activity paused")
        step("a change made on host 1 was seen at once on host 2")

    def check_scheduled_tasks(self) -> None:
        units = sorted(path.name for path in (DEPLOY / "systemd").glob("*.timer"))
        check(len(units) >= 5, f"expected a timer for each scheduled task, found {units}")
        commands = {timer.replace(".timer", ".service"): self.command_of(timer.replace(".timer", ".service"))
                    for timer in units}
        commands["brokerage-mail.service, one cycle"] = self.command_of("brokerage-mail.service") + ["--once"]
        running = {name: subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True)
                   for name, command in commands.items()}  # at once, as their timers may fire
        for name, process in running.items():
            output, _ = process.communicate(timeout=120)
            check(process.returncode == 0, f"{name} exited with {process.returncode}:\n{output[-3000:]}")
        step(f"ran {len(units)} scheduled tasks and one email cycle by their units' commands")

    def check_logs(self, passwords: dict) -> None:
        nginx_ids = set(re.findall(r"request_id=([0-9a-f]{32})", (self.work / "nginx-access.log").read_text()))
        check(len(nginx_ids) > 10, "nginx logged no request ids")
        secrets_seen = [*passwords.values(), *passwords, POSTCODE, POSTCODE.replace(" ", "+"), POSTCODE.replace(" ", "%20"),
                        self.env["SECRET_KEY"]]
        for number in (1, 2):
            lines = (self.work / f"host{number}.log").read_text(encoding="utf-8").splitlines()
            records = []
            for line in lines:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    raise SmokeFailure(f"host {number} logged a line that is not JSON: {line[:300]}") from None
            requests = [record for record in records if record.get("logger") == "brokerage.request"]
            shared = {record.get("request_id") for record in requests} & nginx_ids
            check(bool(shared), f"host {number}'s request lines carry none of nginx's request ids")
            access = {record.get("request_id") for record in records if record.get("logger") == "gunicorn.access"}
            check(shared <= access, f"host {number}'s access log lacks request ids its app logged")
            check(any(record.get("user_id") for record in requests), f"host {number} logged no signed-in user id")
            text = "\n".join(lines)
            for secret in secrets_seen:
                check(secret not in text, f"host {number}'s log holds a password, email, postcode or key")
            check(re.search(r"/set-password/(?!\[redacted\])", text) is None, f"host {number} logged a token")
        nginx_log = (self.work / "nginx-access.log").read_text()
        check(POSTCODE.split()[0] not in nginx_log, "nginx logged a postcode")
        step(f"both hosts' JSON logs carry nginx's request ids ({len(nginx_ids)} requests), and no secret")

    def main(self) -> None:
        passwords, tls = self.set_up()
        site = Client(f"https://localhost:{self.https}", tls)
        self.check_proxy(site)
        activity = self.check_public_pages(site)
        self.check_vote(site, passwords)
        self.check_shared_state(passwords, activity)
        self.check_scheduled_tasks()
        self.stop()  # flush the logs before reading them
        self.check_logs(passwords)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="brokerage-smoke-"))
    work.chmod(0o755)  # nginx's workers (nobody) make their temporary folders inside
    smoke = Smoke(work)
    print(f"multi-host smoke test in {work}", flush=True)
    try:
        smoke.main()
    except (SmokeFailure, subprocess.SubprocessError, OSError, psycopg.Error) as failure:
        print(f"SMOKE TEST FAILED: {type(failure).__name__}: {failure}", file=sys.stderr)
        for name in ("host1.log", "host2.log", "nginx-error.log", "nginx-main-error.log"):
            print(f"--- last lines of {name}:\n{smoke.tail(name, 15)}", file=sys.stderr)
        return 1
    finally:
        smoke.stop()
        smoke.drop_database()
        shutil.rmtree(work, ignore_errors=True)
    step("multi-host smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
