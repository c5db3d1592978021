"""Browser journeys: pytest-playwright driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the launch uses /usr/bin/chromium.
A failing journey saves a screenshot under test-results/.

Two checks run across the whole suite (issue 14): every page loaded in any context is checked for
submit buttons outside a form (tests/e2e/page_checks.py), and the live server records the URL
name of every POST the browser makes, which test_zz_post_coverage.py checks after the journeys
(tests/e2e/post_coverage.py).
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import restore_role_groups
from tests.e2e import post_coverage
from tests.e2e.page_checks import PageWatch

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--disable-gpu", "--disable-quic", "--no-sandbox"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with the test-only middleware that records every
    POST the browser sends. A server of its own, because the middleware is read once, when the
    server's handler starts; a live server another test folder started earlier has none."""
    from django.conf import settings
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, post_coverage.MIDDLEWARE]):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture
def page_watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def new_context(new_context, page_watch):
    """Every browser context a journey opens (the `page` fixture's and any second person's)
    checks each page it loads; the test fails if one had a submit button outside a form."""

    def make(**kwargs):
        context = new_context(**kwargs)
        page_watch.attach(context)
        return context

    yield make
    assert not page_watch.problems, "\n".join(page_watch.problems)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            SCREENSHOTS.mkdir(exist_ok=True)
            # A failed screenshot must never hide the real failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SCREENSHOTS / f"{item.name}.png"), full_page=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the journeys last. They are transactional, and each ends by flushing every table,
    including the rows the data migrations made (the role groups; on PostgreSQL the content
    types then come back with new ids). pytest-django puts transactional tests after the others,
    but pytest regroups the items by pytest-playwright's session-scoped browser parameter, which
    puts the journeys among the ordinary database tests; those would then find no groups."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("e2e") is not None,
            # The POST coverage check reads what every journey before it posted.
            item.path.name == "test_zz_post_coverage.py",
        )
    )


def pytest_deselected(items):
    """A `-k` or `-m` selection leaves journeys out: the POST coverage check then skips."""
    if any(item.get_closest_marker("e2e") is not None for item in items):
        items[0].config._e2e_deselected = True


@pytest.fixture(autouse=True)
def _role_groups(request):
    """The journey before this one flushed the groups away: put them back."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_role_groups()


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
