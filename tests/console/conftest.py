"""Browser tests of the review console: Playwright for Python driving Debian's chromium against the
service started as `make run` starts it (bin/start: migrate, seed, gunicorn), on SQLite only.

No browser can be downloaded here, so `playwright install` is never run: the tests launch the
`chromium` on PATH. Without it they skip, saying why, except in CI (CI=true), where they fail."""
import os
import re
import shutil

import pytest

from tests.live_server import ROOT, live_server

CHROMIUM = shutil.which("chromium")
SCREENSHOTS = ROOT / "build" / "console-screenshots"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Kept on the test item so the page fixture knows, at teardown, whether the test failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the console's browser tests: install Debian's chromium (.ci/run does)")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); the console's browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: the tests run as root in containers, where chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium):
    """One live service for the whole browser suite, with the seed article's nine claims; each test
    works on claims of its own, so their order does not matter."""
    database = tmp_path_factory.mktemp("console") / "claimtrail.db"
    with live_server(f"sqlite:///{database}", seeds=True, workers=2, threads=2) as live:
        yield live


@pytest.fixture(scope="session")
def editor(server):
    """An editor's key: the secret the checker types, and the header a second client sends."""
    header = server.key("editor", owner="Console Checker")
    return {"secret": header["Authorization"].split(" ", 1)[1], "header": header}


def open_page(chromium, request, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return context, page


def finish_page(context, page, request):
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failed test: {path}")
    context.close()


@pytest.fixture
def page(chromium, server, request):
    context, page = open_page(chromium, request, {"width": 1280, "height": 900})
    yield page
    finish_page(context, page, request)
    assert page.js_errors == [], "the console threw JavaScript errors"


@pytest.fixture
def phone(chromium, server, request):
    context, page = open_page(chromium, request, {"width": 390, "height": 844})
    yield page
    finish_page(context, page, request)
    assert page.js_errors == [], "the console threw JavaScript errors"
