"""What the pages look like, measured in Chromium (issue 14, "Look"): the letter preview's
headings in the PDF's proportions, a donut of a sensible size, whole counts on the bar chart."""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Notice
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at
from tests.factories import CreatorFactory, ShopProfileFactory
from tests.terminations.factories import open_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FONT_SIZE = "selector => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


def test_the_letter_preview_headings_are_the_pdfs_size(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        manager = _user("boss", "managers")
        case = open_case(by=manager, basis="open_ended")
        notice = Notice.objects.create(
            case=case, kind=Notice.Kind.TERMINATION, sequence=1, drafted_by=manager
        )
        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}/letters/{notice.pk}/")
        expect(page.locator(".letter-preview h2").first).to_be_visible()
        text = page.evaluate(FONT_SIZE, ".letter-preview p")
        # The PDF: text 10pt, section headings 10.5pt, the title 16pt.
        assert page.evaluate(FONT_SIZE, ".letter-preview h2") <= 1.15 * text
        assert page.evaluate(FONT_SIZE, ".letter-preview h1") <= 1.7 * text
        weight = page.evaluate(
            "() => getComputedStyle(document.querySelector('.letter-preview h2')).fontWeight"
        )
        assert weight == "400", "one weight, as in the PDF"


def test_the_dashboard_charts_are_sized_and_count_in_whole_numbers(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        manager = _user("boss", "managers")
        open_case(by=manager)
        open_case(by=manager)
        open_case(by=manager, partner=CreatorFactory(), with_contract=False)
        page.set_viewport_size({"width": 1400, "height": 900})
        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}/dashboard/")
        donut = page.locator("#chart-kinds")
        expect(donut).to_be_visible()
        box = donut.bounding_box()
        assert box["height"] <= 260 and box["width"] <= 330, box
        ticks = page.evaluate(
            "() => Chart.getChart('chart-reasons').scales.y.ticks.map(t => t.value)"
        )
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
        assert page.locator("#chart-reasons").bounding_box()["height"] <= 270
