"""A live server on a random local port and a headless Debian Chromium driven by Playwright."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        skip_or_fail("browser", "Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        _pages_read_after_loading(browser)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def _reads_after_loading(page) -> None:
    """Reading the whole page right after a click reads a page that has only begun to load on a
    busy machine: these reads wait for it to finish first (locators and expect() wait anyway)."""
    for name in ("content", "inner_text", "text_content", "inner_html"):
        read = getattr(page, name)

        def after_loading(*args, _read=read, **kwargs):
            page.wait_for_load_state()
            return _read(*args, **kwargs)
        setattr(page, name, after_loading)


def _pages_read_after_loading(browser) -> None:
    """Every page of every context the tests open reads the whole page only once it has loaded."""
    new_context = browser.new_context

    def context_with_careful_pages(*args, **kwargs):
        context = new_context(*args, **kwargs)
        new_page = context.new_page

        def careful_page(*page_args, **page_kwargs):
            page = new_page(*page_args, **page_kwargs)
            _reads_after_loading(page)
            return page
        context.new_page = careful_page
        return context
    browser.new_context = context_with_careful_pages
