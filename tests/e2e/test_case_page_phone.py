"""The case page on a phone-sized window (issue 14): the current stage's section first and open,
the others collapsed to a line that opens with a tap, and a refusal's link opening the section
it points into. The case list's filters wait behind a button."""

from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at
from tests.e2e.test_clerk_paths import assert_every_submit_button_has_a_form
from tests.terminations.factories import before_letter_done, open_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

SECTION_IDS = "() => [...document.querySelectorAll('details.case-section')].map(d => d.id)"


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_case_page_on_a_phone(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        case = open_case(by=clerk)
        # In the notice stage with no basis chosen: "Start the handover" is refused, and its
        # refusal links to the assessment, a finished (collapsed) section.
        TerminationCase.objects.filter(pk=case.pk).update(stage=Stage.NOTICE, basis="")
        before_letter_done(case, by=clerk)
        url = f"{live_server.url}{case.get_absolute_url()}"

        page.set_viewport_size(PHONE)
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(url)
        assert_every_submit_button_has_a_form(page)
        _screenshot(page, "case-page-phone")

        # The letters, this stage's work, come first and open; the rest are one line each.
        letters = page.locator("#letters")
        expect(letters).to_have_attribute("open", "")
        assert page.evaluate(SECTION_IDS)[0] == "letters"
        expect(page.locator("#letters > summary")).to_be_visible()
        expect(page.locator("#letters a[href$='/letters/new/']")).to_be_visible()
        for key in ("assessment", "negotiation", "handover", "settlement", "plan"):
            section = page.locator(f"#{key}")
            expect(section).not_to_have_attribute("open", "")
            expect(section.locator("> summary .section-outcome")).not_to_be_empty()
        assert letters.bounding_box()["y"] < page.locator("#assessment").bounding_box()["y"], (
            "the current stage's section comes before the finished ones"
        )

        # A tap on a collapsed line opens it.
        negotiation = page.locator("#negotiation")
        expect(negotiation.locator("table")).to_be_hidden()
        negotiation.locator("> summary").click()
        expect(negotiation).to_have_attribute("open", "")
        expect(negotiation.locator("table")).to_be_visible()

        # The refusal beside "Start the handover" links into the collapsed assessment: following
        # it opens the section at its form.
        assessment = page.locator("#assessment")
        expect(assessment).not_to_have_attribute("open", "")
        refusal = page.locator(
            "form[action$='/actions/advance_to_handover/'] a[href='#assessment']"
        )
        expect(refusal).to_be_visible()
        refusal.click()
        expect(assessment).to_have_attribute("open", "")
        expect(page.locator("form[action$='/assessment/']")).to_be_attached()
        expect(assessment.locator("> summary")).to_be_in_viewport()

        # A link straight to an anchor inside a collapsed section opens it when the page loads.
        page.goto(url + "#evidence")
        expect(page.locator("#assessment")).to_have_attribute("open", "")
        expect(page.locator("#evidence")).to_be_in_viewport()
        # ... and when only the fragment changes (no reload).
        expect(page.locator("#handover")).not_to_have_attribute("open", "")
        first_item = page.locator("#handover tr.handover-row").first
        page.evaluate("id => { window.location.hash = id; }", first_item.get_attribute("id"))
        expect(page.locator("#handover")).to_have_attribute("open", "")
        expect(first_item).to_be_visible()

        # The case list: on a phone the filters wait behind a button, the cases come first.
        page.goto(f"{live_server.url}/cases/")
        assert_every_submit_button_has_a_form(page)
        filters = page.locator("#case-filters")
        toggle = page.locator("button[data-bs-target='#case-filters']")
        expect(filters).to_be_hidden()
        expect(toggle).to_be_visible()
        expect(page.locator(f"a[href='{case.get_absolute_url()}']").first).to_be_in_viewport()
        toggle.click()
        expect(filters).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        _screenshot(page, "case-list-phone-filters")

        # On a wide screen the filters show without the button.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        expect(page.locator("#case-filters")).to_be_visible()
        expect(page.locator("button[data-bs-target='#case-filters']")).to_be_hidden()
