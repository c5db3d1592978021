"""Browser journeys: pytest-playwright driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the launch uses /usr/bin/chromium.
A failing journey saves a screenshot under test-results/.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import restore_role_groups

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
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


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
