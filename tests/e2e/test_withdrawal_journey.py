"""Journey: a termination notice dispatched, then withdrawn (Civil Code art. 141), issue 14.

The clerk drafts a termination notice, the manager approves and issues it, the clerk sends it by
courier. Before it arrives the agency meets its targets after all: withdrawing the case is refused
while no withdrawal letter has arrived; the clerk drafts the withdrawal of that letter, the
manager approves and issues it (its PDF names the letter it withdraws), the clerk e-mails it and
records its arrival the same day; then the case is withdrawn.
"""

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_success,
    pdf_text,
    submit,
)
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _approve_and_issue(manager: Page, case_url: str, notice: Notice) -> None:
    manager.goto(case_url)
    with manager.expect_navigation():
        manager.click(f"#letter-{notice.pk} a[href$='/letters/{notice.pk}/']")
    submit(manager, f"form[action$='/letters/{notice.pk}/approve/']")
    expect_success(manager)
    submit(manager, f"form[action$='/letters/{notice.pk}/issue/']", timeout=ISSUE_TIMEOUT)
    expect_success(manager)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED


def _dispatch(page: Page, notice: Notice, method: str, reference: str) -> None:
    with page.expect_navigation():
        page.click(f"#letter-{notice.pk} a[href$='/letters/{notice.pk}/deliveries/new/']")
    page.select_option("#id_method", method)
    page.fill("#id_dispatched_on", "2026-06-01")
    page.fill("#id_reference", reference)
    submit(page, "form:has(#id_method)")
    expect_success(page)


def test_a_dispatched_letter_is_withdrawn_and_the_case_with_it(
    page: Page, live_server, new_context, tmp_path
):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        clerk = _user("clerk", "staff")
        _user("boss", "managers")
        partner = PartnerFactory(name="温州鹿鸣代运营有限公司")
        contract = ContractFactory(partner=partner, number="LM-2026-007")
        case = open_case(by=clerk, partner=partner, contract=contract, basis="contractual")
        case = place_in_stage(before_letter_done(case, by=clerk), Stage.NOTICE)
        case_url = f"{live_server.url}{case.get_absolute_url()}"
        accept_confirms(page)
        page.set_default_timeout(15_000)

        # --- The termination notice: drafted, approved, issued, sent by courier -------------
        login(page, live_server, "clerk", "pw-clerk")
        with page.expect_navigation():
            page.click("nav a[href$='/cases/']")
        with page.expect_navigation():
            page.click(f"#case-table a[href$='/cases/{case.reference}/']")
        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "termination")
        page.select_option("#id_language", "zh")
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        letter = Notice.objects.get(case=case)

        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "boss", "pw-boss")
        _approve_and_issue(manager, case_url, letter)

        page.goto(case_url)
        _dispatch(page, letter, "courier", "EMS9876543210CN")
        assert letter.deliveries.get().arrived_on is None

        # --- The agency met its targets: withdrawing is refused until a withdrawal arrives ---
        withdraw = page.locator("form[action$='/actions/withdraw/']")
        expect(withdraw.locator("button")).to_be_disabled()
        expect(withdraw).to_contain_text(letter.letter_number)

        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "withdrawal")
        page.select_option("#id_withdraws", str(letter.pk))
        page.select_option("#id_language", "zh")
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        withdrawal = Notice.objects.get(case=case, kind=Notice.Kind.WITHDRAWAL)
        assert withdrawal.withdraws_id == letter.pk

        _approve_and_issue(manager, case_url, withdrawal)
        with manager.expect_download() as download_info:
            manager.click(f"a[href$='/letters/{withdrawal.pk}/pdf/']")
        pdf_path = tmp_path / "withdrawal.pdf"
        download_info.value.save_as(pdf_path)
        text = re.sub(r"\s+", "", pdf_text(pdf_path))
        for expected in ("撤回", withdrawal.letter_number, letter.letter_number, "第一百四十一条"):
            assert expected in text, f"{expected!r} is not in the PDF:\n{text}"
        manager_context.close()

        # The withdrawal goes by e-mail and arrives the same day, before the courier.
        page.goto(case_url)
        _dispatch(page, withdrawal, "email", "Message-ID <20260601.withdraw@qinghe.example.com>")
        delivery = withdrawal.deliveries.get()
        form = f"form[action$='/deliveries/{delivery.pk}/arrival/']"
        page.fill(f"{form} [name=arrived_on]", "2026-06-01")
        submit(page, form)
        expect_success(page)

        # --- Now the case is withdrawn --------------------------------------------------------
        withdraw = "form[action$='/actions/withdraw/']"
        expect(page.locator(f"{withdraw} button")).to_be_enabled()
        page.fill(f"{withdraw} [name=reason]", "代运营方 5 月已达成 GMV 目标，本店撤回解除通知。")
        submit(page, withdraw)
        expect_success(page)
        case = TerminationCase.objects.get(pk=case.pk)
        assert case.stage == Stage.WITHDRAWN
        assert case.withdrawal_reason == "代运营方 5 月已达成 GMV 目标，本店撤回解除通知。"
        assert case.events.filter(kind=CaseEvent.Kind.WITHDRAWN).exists()
        expect(page.locator("#timeline")).to_contain_text("代运营方 5 月已达成 GMV 目标")
        # Both letters stay on the case, issued.
        statuses = set(case.notices.values_list("status", flat=True))
        assert statuses == {Notice.Status.ISSUED}
