"""Journey: a clerk works a case on a phone-sized window (390×844), issue 14.

test_case_page_phone.py checks the case page's sections on a phone. Here the clerk, on a phone,
goes through the folded menu to the case list (its filters folded behind a button, the first case
on the first screen), opens a case and works it: no page scrolls sideways, where the case stands
is on the first screen, and the move to the next stage is pressed and stored.
"""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, expect_success, screenshot, submit
from tests.terminations.factories import open_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_width(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def _on_first_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] < PHONE["height"], f"{selector} starts below the first screen ({box['y']}px)"


def test_a_clerk_works_a_case_on_a_phone(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        case = open_case(by=clerk, basis="contractual")
        page.set_viewport_size(PHONE)
        page.set_default_timeout(15_000)

        login(page, live_server, "clerk", "pw-clerk")
        # The menu is folded behind its button.
        cases_link = page.locator("nav a[href$='/cases/']").first
        expect(cases_link).to_be_hidden()
        page.click("button.navbar-toggler")
        expect(cases_link).to_be_visible()
        with page.expect_navigation():
            cases_link.click()

        # The case list: the filters folded behind a button, the case on the first screen.
        expect(page.locator("#case-filters")).to_be_hidden()
        _on_first_screen(page, f"#case-table a[href$='/cases/{case.reference}/']")
        page.click("button[data-bs-target='#case-filters']")
        expect(page.locator("#case-filters")).to_be_visible()
        _fits_the_width(page)

        with page.expect_navigation():
            page.click(f"#case-table a[href$='/cases/{case.reference}/']")
        _fits_the_width(page)
        expect(page.locator("h1")).to_contain_text(case.reference)
        # Where it stands and the deadline come first.
        _on_first_screen(page, "#status")
        screenshot(page, "phone/case-journey")

        # The move to the next stage is reachable and pressed with a tap.
        form = "form[action$='/actions/advance_to_negotiation/']"
        page.locator(form).scroll_into_view_if_needed()
        expect(page.locator(f"{form} button")).to_be_in_viewport()
        submit(page, form)
        expect_success(page)
        _fits_the_width(page)
        assert TerminationCase.objects.get(pk=case.pk).stage == Stage.NEGOTIATION
