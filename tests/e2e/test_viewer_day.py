"""Journey: the viewer's read-only day (the shop's lawyer), issue 14.

The viewer reads the dashboard, the case and partner lists, a case, a letter and its PDF, exports
the list and downloads the evidence bundle — and sees no button that changes anything. A POST sent
from the viewer's own page (with its CSRF token, as a script on the page could) is refused with
403 and changes nothing.
"""

import io
import re
import zipfile

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Notice, Stage, TerminationCase
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, pdf_text
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Links and buttons of changes: none may be on a page the viewer reads.
CHANGE_LINKS = (
    "a[href$='/edit/'], a[href$='/new/'], a[href*='/cases/new/'], a[href$='/deliveries/new/'], "
    "a[href$='/letters/external/'], a[href$='/import/']"
)


def _no_change_controls(page: Page) -> None:
    # The only forms that post are the header's language switch and log-out.
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator(f"main :is({CHANGE_LINKS})")).to_have_count(0)
    expect(page.locator("main button[disabled]")).to_have_count(0)


def _post_from_page(page: Page, url: str, data: dict) -> int:
    """POST from the viewer's page with its CSRF token, as a script on it would."""
    return page.evaluate(
        """async ([url, data]) => {
            const body = new FormData();
            body.append('csrfmiddlewaretoken',
                        document.querySelector('[name=csrfmiddlewaretoken]').value);
            for (const [k, v] of Object.entries(data)) body.append(k, v);
            const response = await fetch(url, {method: 'POST', body, redirect: 'manual'});
            return response.status;
        }""",
        [url, data],
    )


def test_the_viewer_reads_everything_and_changes_nothing(page: Page, live_server, tmp_path):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        clerk = _user("clerk", "staff")
        boss = _user("boss", "managers")
        _user("lawyer", "viewers")
        partner = PartnerFactory(name="嘉兴青石代运营有限公司")
        contract = ContractFactory(partner=partner, number="QS-2026-015")
        case = open_case(by=clerk, partner=partner, contract=contract, basis="contractual")
        case = place_in_stage(before_letter_done(case, by=clerk), Stage.NOTICE)
        letter = notice_draft(case=case, by=clerk, kind=Notice.Kind.TERMINATION)
        notice_approve(notice=letter, by=boss)
        letter = notice_issue(notice=letter, by=boss)
        draft = notice_draft(case=case, by=clerk, kind=Notice.Kind.TERMINATION)
        other = open_case(by=clerk)
        events_before = case.events.count()
        page.set_default_timeout(15_000)

        login(page, live_server, "lawyer", "pw-lawyer")
        # The dashboard, from the navigation.
        with page.expect_navigation():
            page.click("nav a[href$='/dashboard/']")
        expect(page.locator("a[data-figure='open'] .fs-3")).to_have_text("2")
        _no_change_controls(page)
        # The list behind "open cases".
        with page.expect_navigation():
            page.click("a[data-figure='open']")
        expect(page.locator("#case-table tr.case-row")).to_have_count(2)
        _no_change_controls(page)
        # The partners.
        with page.expect_navigation():
            page.click("nav a[href$='/partners/']")
        expect(page.locator("main")).to_contain_text(partner.name)
        _no_change_controls(page)
        with page.expect_navigation():
            page.click(f"a[href$='/partners/{partner.pk}/']")
        _no_change_controls(page)

        # The case, from the case list.
        with page.expect_navigation():
            page.click("nav a[href$='/cases/']")
        with page.expect_navigation():
            page.click(f"#case-table a[href$='/cases/{case.reference}/']")
        expect(page.locator("#letters")).to_contain_text(letter.letter_number)
        _no_change_controls(page)

        # The issued letter and its PDF.
        with page.expect_navigation():
            page.click(f"#letter-{letter.pk} a[href$='/letters/{letter.pk}/']")
        _no_change_controls(page)
        with page.expect_download() as download:
            page.click(f"main a[href$='/letters/{letter.pk}/pdf/']")
        path = tmp_path / "letter.pdf"
        download.value.save_as(path)
        text = re.sub(r"\s+", "", pdf_text(path))
        assert letter.letter_number in text and "解除合同通知书" in text
        # The draft: readable, with no approve or edit.
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        with page.expect_navigation():
            page.click(f"#letter-{draft.pk} a[href$='/letters/{draft.pk}/']")
        _no_change_controls(page)

        # The evidence bundle, from the case page.
        page.go_back()
        with page.expect_download() as download:
            page.click("#case-bundle")
        path = tmp_path / "bundle.zip"
        download.value.save_as(path)
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as bundle:
            names = bundle.namelist()
        assert any(name.endswith(".pdf") and letter.letter_number in name for name in names), names

        # An export of the case list.
        with page.expect_navigation():
            page.click("nav a[href$='/cases/']")
        with page.expect_download() as download:
            page.locator("#case-export a[href*='export.csv']").click()
        path = tmp_path / "cases.csv"
        download.value.save_as(path)
        exported = path.read_text(encoding="utf-8-sig")
        assert case.reference in exported and other.reference in exported

        # A POST from the viewer's page is refused and changes nothing.
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        base = f"/cases/{case.reference}"
        attempts = {
            f"{base}/actions/withdraw/": {"reason": "viewer tries"},
            f"{base}/assessment/": {"basis": "mutual", "reason_category": "other"},
            f"/letters/{draft.pk}/approve/": {},
            f"/letters/{letter.pk}/correct/": {},
        }
        for url, data in attempts.items():
            assert _post_from_page(page, url, data) == 403, url
        case = TerminationCase.objects.get(pk=case.pk)
        assert (case.stage, case.basis) == (Stage.NOTICE, "contractual")
        assert case.events.count() == events_before
        draft.refresh_from_db()
        assert draft.status == Notice.Status.DRAFT
        assert case.notices.count() == 2
