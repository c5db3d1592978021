"""Journey (d): switching to English and back persists across pages and log-ins."""

import pytest
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_all
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_switching_language_persists(page, live_server):
    import datetime

    seed_all(today=datetime.date(2026, 11, 23))
    login(page, live_server, "staff", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav")).to_contain_text("Partners")
    page.goto(f"{live_server.url}/shop/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-select", "zh-hans")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.goto(f"{live_server.url}/partners/")
    expect(page.locator("nav")).to_contain_text("合作方")
