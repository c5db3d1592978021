"""The letters' own buttons, pressed by the role that uses them (issue 14): the clerk uploads the
stamped copy of a letter, records that the courier was refused, drafts a corrected version and
edits it; the manager records a letter sent outside the desk; anyone who reads cases checks a
letter's verification code."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Notice, Stage
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import accept_confirms, at, expect_success, submit, tiny_pdf, upload
from tests.factories import ShopProfileFactory
from tests.terminations.factories import (
    before_letter_done,
    deliver,
    issue_letter,
    open_case,
    place_in_stage,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_letter_is_scanned_refused_corrected_and_checked(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        clerk = _user("clerk", "staff")
        _user("boss", "managers")
        case = place_in_stage(
            before_letter_done(open_case(by=clerk, basis="contractual")), Stage.NOTICE
        )
        letter = issue_letter(case, issued_on=date(2026, 5, 20))
        Notice.objects.filter(pk=letter.pk).update(scanned_copy="")
        courier = deliver(letter, dispatched_on=date(2026, 5, 21))
        case_url = f"{live_server.url}{case.get_absolute_url()}"
        accept_confirms(page)

        login(page, live_server, "clerk", "pw-clerk")
        page.goto(case_url)
        # The courier came back refused.
        form = f"form[action$='/deliveries/{courier.pk}/refusal/']"
        page.fill(f"{form} [name=refused_on]", "2026-05-23")
        submit(page, form)
        expect_success(page)
        courier.refresh_from_db()
        assert courier.refused and courier.refused_on == date(2026, 5, 23)

        # The stamped copy, uploaded from the letter's page.
        with page.expect_navigation():
            page.locator(f"#letter-{letter.pk} a[href$='/letters/{letter.pk}/']").first.click()
        form = f"form[action$='/letters/{letter.pk}/scan/']"
        page.set_input_files(
            f"{form} input[type=file]", upload("stamped.pdf", tiny_pdf(), "application/pdf")
        )
        submit(page, form)
        expect_success(page)
        letter.refresh_from_db()
        assert letter.scanned_copy

        # A corrected version, then its facts edited.
        submit(page, f"form[action$='/letters/{letter.pk}/correct/']")
        expect_success(page)
        correction = Notice.objects.get(supersedes=letter)
        assert page.url.endswith(f"/letters/{correction.pk}/")
        with page.expect_navigation():
            page.click(f"a[href$='/letters/{correction.pk}/edit/']")
        page.fill("[name=facts]", "The agency missed the GMV target three months running.")
        submit(page, "form:has([name=facts])")
        expect_success(page)
        correction.refresh_from_db()
        assert correction.facts == "The agency missed the GMV target three months running."

        # Checking a letter by its code (linked from the case's letters): an unknown code.
        page.goto(case_url)
        with page.expect_navigation():
            page.click("a[href$='/letters/verify/']")
        page.fill("[name=code]", "NOSUCHCODE")
        submit(page, "form:has([name=code])")
        expect(page.locator("#verify-result.alert-warning")).to_be_visible()
        page.context.clear_cookies()

        # The manager records a letter the lawyer sent on paper.
        login(page, live_server, "boss", "pw-boss")
        page.goto(case_url)
        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/external/']")
        page.select_option("[name=kind]", Notice.Kind.TERMINATION)
        page.fill("[name=issued_on]", "2026-05-28")
        page.set_input_files(
            "[name=scanned_copy]", upload("lawyer-letter.pdf", tiny_pdf(), "application/pdf")
        )
        page.fill("[name=facts]", "Sent by the shop's lawyer by registered post.")
        submit(page, "form:has([name=scanned_copy])")
        expect_success(page)
        assert case.notices.filter(facts="Sent by the shop's lawyer by registered post.").exists()
