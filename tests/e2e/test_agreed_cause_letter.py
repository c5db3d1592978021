"""Journey: a contract without a right to end it for convenience, ended for the agreed cause it
names, by a bilingual letter that fixes its termination date — the forms of issue 13 clicked in
Chromium by the clerk and the manager.

The clerk's contractual basis is refused until the agreed cause is recorded (with its clause,
evidence and English); the clerk drafts the letter with the English of the facts and a fixed
date that is too early (refused, saying the earliest) and then a later one; the manager cannot
approve without confirming the cause, then approves and issues; the PDF states the cause, the
fixed date and the rule.
"""

import io
import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from terminations.models import Notice, Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    accept_confirms,
    at,
    expect_no_server_error,
    expect_success,
    reveal,
    submit,
    tiny_pdf,
    upload,
)
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAUSE = "2026年3月至5月店铺GMV连续三个月低于合同约定的月度保底GMV。"
CAUSE_EN = "The shop's GMV stayed below the agreed monthly minimum three months running."


def _open_assessment(page: Page) -> str:
    form = "form[action$='/assessment/']"
    reveal(page, form)
    return form


def test_agreed_cause_letter_in_the_browser(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        staff = _user("clerk", "staff")
        _user("boss", "managers")
        partner = PartnerFactory(name="杭州云启代运营有限公司", company_name="杭州云启网络有限公司")
        contract = ContractFactory(
            partner=partner,
            number="HT-2026-0500",
            convenience_termination=False,
            clause_notice="12.3",
            notice_period=30,
        )
        case = open_case(by=staff, partner=partner, contract=contract)
        url = f"{live_server.url}{case.get_absolute_url()}"
        accept_confirms(page)

        # The contractual basis alone is refused, naming the bases that fit; nothing is saved.
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(url)
        form = _open_assessment(page)
        page.select_option(f"{form} [name=basis]", "contractual")
        submit(page, form)
        expect_no_server_error(page)
        expect(page.locator(".alert-danger").first).to_contain_text("HT-2026-0500")
        expect(page.locator(".alert-danger").first).to_contain_text("协商一致")
        case.refresh_from_db()
        assert case.basis == ""

        # With the agreed cause, its clause (typed the natural way), evidence and English.
        page.goto(url)
        form = _open_assessment(page)
        page.select_option(f"{form} [name=basis]", "contractual")
        page.fill(f"{form} [name=agreed_cause]", CAUSE)
        page.fill(f"{form} [name=agreed_cause_clause]", "第 9.2 条")
        page.fill(f"{form} [name=agreed_cause_en]", CAUSE_EN)
        page.set_input_files(
            f"{form} [name=agreed_cause_evidence]",
            upload("gmv.pdf", tiny_pdf(), "application/pdf"),
        )
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert (case.basis, case.agreed_cause_clause) == ("contractual", "9.2")
        assert case.agreed_cause_evidence

        # The letter: bilingual, with the English of the facts and a fixed date.
        place_in_stage(before_letter_done(case), Stage.NOTICE)
        page.goto(url)
        page.click("a[href$='/letters/new/']")
        draft = "main form[method=post]:has([name=facts_en])"
        page.select_option(f"{draft} [name=language]", "bilingual")
        page.fill(f"{draft} [name=facts]", "2026年3月至5月GMV连续低于保底。")
        page.fill(
            f"{draft} [name=facts_en]", "From March to May 2026 GMV stayed below the minimum."
        )
        page.fill(f"{draft} [name=fixed_end_date]", "2026-07-03")  # earliest is 2026-07-06
        submit(page, draft)
        expect_no_server_error(page)
        expect(page.locator("body")).to_contain_text("2026-07-06")
        assert not Notice.objects.filter(case=case).exists()
        page.fill(f"{draft} [name=fixed_end_date]", "2026-07-31")
        submit(page, draft)
        expect_success(page)
        notice = Notice.objects.get(case=case)
        assert notice.fixed_end_date == date(2026, 7, 31)
        page.context.clear_cookies()

        # The manager must confirm the agreed cause to approve.
        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}/letters/{notice.pk}/")
        expect(page.locator("#fixed-date-note")).to_contain_text("2026-07-31")
        approve = "form[action$='/approve/']"
        expect(page.locator(approve)).to_contain_text(CAUSE)
        submit(page, approve)
        expect(page.locator(".alert-danger").first).to_be_visible()
        notice.refresh_from_db()
        assert notice.status == Notice.Status.DRAFT
        page.check(f"{approve} [name=confirm_agreed_cause]")
        submit(page, approve)
        expect_success(page)
        submit(page, "form[action$='/issue/']", timeout=60_000)
        expect_success(page)

    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED
    case = TerminationCase.objects.get(pk=case.pk)
    assert case.agreed_cause_confirmed_by.username == "boss"
    with notice.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", "", "".join(page_.extract_text() for page_ in reader.pages))
    for expected in (
        "本合同第9.2条约定，发生该条所列情形时本公司有权解除本合同",
        re.sub(r"\s+", "", CAUSE_EN),
        "本合同于2026年7月31日24:00解除；如届时自本通知到达贵方之日起不满30日",
        "约定解除事由发生的证据",
    ):
        assert expected in text, expected
