"""A real gunicorn, with several worker processes, serving the app on a test's database, and
browsers that speak to it over plain HTTP, for tests of what happens when requests arrive at the
same moment in different processes (a thread-shared test client cannot show those races).

The listening socket is bound here to port 0 and handed to gunicorn as `fd://N`, so the port is
free by construction and several pytest processes (pytest-xdist) never race for one. gunicorn
loads the app once and forks its workers (`--preload`: the app opens no database connection while
it is built), so all of them are serving as soon as the first answers.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHEAP_HASH = "pbkdf2:sha256:1000"  # test-only: the real method costs 128 MB and a third of a second
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START_TIMEOUT = 60
REQUEST_TIMEOUT = 60


class GunicornServer:
    """`python -m gunicorn -w N --preload run:app` on a free port of 127.0.0.1, pointed at
    `database_url`. Requests may name their source address in X-Forwarded-For (one trusted proxy)."""

    def __init__(self, database_url: str, workers: int = 4):
        self.database_url, self.workers = database_url, workers
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> "GunicornServer":
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        env = {**os.environ, "BROKERAGE_ENV": "development", "DATABASE_URL": self.database_url,
               "SECRET_KEY": "live-test-secret", "PASSWORD_HASH_METHOD": CHEAP_HASH, "TRUSTED_PROXY_COUNT": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "--preload", "-b", f"fd://{listener.fileno()}",
             "--timeout", "60", "--log-level", "warning", "run:app"],
            cwd=ROOT, env=env, pass_fds=[listener.fileno()], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        listener.close()  # gunicorn holds its own copy
        self._errors: list[bytes] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_until_serving()
        return self

    def _drain(self) -> None:
        """Keep gunicorn's error log (tracebacks of 500s) for the failure report; a full pipe would stall it."""
        for line in self.process.stderr:
            self._errors.append(line)

    @property
    def errors(self) -> str:
        return b"".join(self._errors).decode("utf-8", "replace")

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.errors}")
            try:
                if Browser(self).request("GET", "/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.errors}")

    def stop(self) -> None:
        """Kill gunicorn and its workers (their own process group) at once: a test server has nothing to
        finish, and a graceful stop costs seconds of interpreter shutdown per worker."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class GunicornServers:
    """One server per database URL at a time: a module's tests on one database share one server
    (PostgreSQL), and a test with a database of its own (a SQLite file) gets a fresh one."""

    def __init__(self):
        self.current: GunicornServer | None = None

    def serving(self, database_url: str) -> GunicornServer:
        if self.current is None or self.current.database_url != database_url or self.current.process.poll() is not None:
            self.stop()
            self.current = GunicornServer(database_url).start()
        return self.current

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None


@dataclass
class Response:
    status: int
    location: str
    body: str
    headers: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return urlsplit(self.location).path


class Browser:
    """One person's browser: its cookies and the CSRF token of the last page read. Every request
    opens its own connection, so browsers can be used from several threads at once."""

    def __init__(self, server: GunicornServer, source: str | None = None):
        self.server, self.source = server, source
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = REQUEST_TIMEOUT) -> Response:
        connection = HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        headers = {"Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items())}
        if self.source:
            headers["X-Forwarded-For"] = self.source
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.token, **form}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        if token := TOKEN.search(content):
            self.token = token.group(1)
        return Response(answer.status, answer.getheader("Location") or "", content, dict(answer.getheaders()))

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict | None = None) -> Response:
        return self.request("POST", path, form or {})

    def login(self, email: str, password: str) -> "Browser":
        self.get("/login")
        answer = self.post("/login", {"email": email, "password": password})
        if answer.status != 302:
            raise AssertionError(f"sign-in as {email} answered {answer.status}")
        self.get("/account")  # a signed-in page, for a CSRF token bound to the new session
        return self

    def tab(self) -> "Browser":
        """Another tab of this browser: the same cookies and token, its own copy of what comes back."""
        other = Browser(self.server, self.source)
        other.cookies, other.token = dict(self.cookies), self.token
        return other


def at_once(*actions, timeout: float = REQUEST_TIMEOUT) -> list:
    """Run each action in its own thread, all released together by a barrier; their results in order.
    An action that raised has its exception as its result."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index: int, action) -> None:
        barrier.wait(timeout=timeout)
        try:
            results[index] = action()
        except Exception as error:  # noqa: BLE001  (reported to the test as the result)
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
