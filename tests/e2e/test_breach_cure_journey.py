"""Journey: a breach ended through a cure notice (催告及附条件解除通知), DOMAIN.md §3 (issue 14).

Staff opens a case for a creator who keeps missing the agreed live streams, chooses breach with a
ten-day cure period and skips negotiation; the manager approves and issues the cure notice (its
PDF states the period and the conditional termination); staff records its dispatch and arrival.
Before the period runs out "not cured" is refused; after it (time_machine), staff record "not
cured" with evidence, and the case's end date is the end of the cure period, with no second
letter.
"""

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Notice, Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_no_server_error,
    expect_success,
    open_case_from_partner,
    pdf_text,
    save_assessment,
    skip_negotiation,
    submit,
    tiny_pdf,
    upload,
)
from tests.factories import ContractFactory, CreatorFactory, ShopProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CREATOR = "测试达人慢半拍"


def _record_outcome(page: Page, outcome: str, note: str) -> None:
    block = page.locator("#cure-outcome")
    block.locator(f"input[name=outcome][value={outcome}]").check()
    block.locator("[name=note]").fill(note)
    block.locator("[name=evidence]").set_input_files(
        upload("live-schedule.pdf", tiny_pdf(), "application/pdf")
    )
    submit(page, "#cure-outcome form")


def test_breach_cure_notice_not_cured(page: Page, live_server, new_context, tmp_path):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        _user("clerk", "staff")
        _user("boss", "managers")
        partner = CreatorFactory(name=CREATOR, notice_messaging="抖音私信 @manbanpai")
        contract = ContractFactory(
            partner=partner, number="DR-2026-0042", title="达人直播带货合作协议"
        )
        accept_confirms(page)
        page.set_default_timeout(15_000)
        base = live_server.url

        # --- Staff opens the case from the partner page -----------------------------------
        login(page, live_server, "clerk", "pw-clerk")
        with page.expect_navigation():
            page.click("nav a[href$='/partners/']")
        open_case_from_partner(
            page,
            partner_pk=partner.pk,
            contract_pk=contract.pk,
            reason="breach",
            facts="2026 年 5 月约定直播 8 场，实际仅完成 2 场。",
            learned_on="2026-05-31",
        )
        case = TerminationCase.objects.get(partner=partner)
        case_url = f"{base}/cases/{case.reference}/"

        # Breach, with a ten-day cure period: the first letter will be the cure notice.
        save_assessment(page, case.reference, basis="breach", cure_period_days="10")
        case.refresh_from_db()
        assert (case.basis, case.cure_period_days) == ("breach", 10)

        skip_negotiation(page, "先发催告，给予 10 日补播期限。")
        case.refresh_from_db()
        assert case.stage == Stage.NOTICE

        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "cure")
        page.select_option("#id_language", "zh")
        page.fill("#id_cure_period_days", "10")
        page.fill("#id_demands", "请于期限内补足 6 场约定直播。")
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        notice = Notice.objects.get(case=case)
        assert (notice.kind, notice.cure_period_days) == (Notice.Kind.CURE, 10)

        # --- The manager approves and issues it --------------------------------------------
        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "boss", "pw-boss")
        with manager.expect_navigation():
            manager.click("nav a[href$='/cases/']")
        with manager.expect_navigation():
            manager.click(f"#case-table a[href$='/cases/{case.reference}/']")
        with manager.expect_navigation():
            manager.click(f"#letter-{notice.pk} a[href$='/letters/{notice.pk}/']")
        submit(manager, f"form[action$='/letters/{notice.pk}/approve/']")
        expect_success(manager)
        submit(manager, f"form[action$='/letters/{notice.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect_success(manager)
        notice.refresh_from_db()
        assert notice.status == Notice.Status.ISSUED
        with manager.expect_download() as download_info:
            manager.click(f"a[href$='/letters/{notice.pk}/pdf/']")
        pdf_path = tmp_path / "cure.pdf"
        download_info.value.save_as(pdf_path)
        text = re.sub(r"\s+", "", pdf_text(pdf_path))
        for expected in ("催告", notice.letter_number, "10日", "请于期限内补足6场约定直播"):
            assert expected in text, f"{expected!r} is not in the PDF:\n{text}"
        manager_context.close()

        # --- Staff records the dispatch and the arrival ------------------------------------
        page.goto(case_url)
        with page.expect_navigation():
            page.click(f"#letter-{notice.pk} a[href$='/letters/{notice.pk}/deliveries/new/']")
        page.select_option("#id_method", "platform")
        page.fill("#id_dispatched_on", "2026-06-01")
        page.fill("#id_reference", "抖音私信 2026-06-01 09:40")
        submit(page, "form:has(#id_method)")
        expect_success(page)
        delivery = notice.deliveries.get()
        form = f"form[action$='/deliveries/{delivery.pk}/arrival/']"
        page.fill(f"{form} [name=arrived_on]", "2026-06-01")
        submit(page, form)
        expect_success(page)
        # 2026-06-01 + 10 days = 2026-06-11, a Thursday.
        expect(page.locator("#cure-outcome")).to_contain_text("2026-06-11")

    # --- While the period runs, "not cured" is refused ---------------------------------------
    with time_machine.travel(at(2026, 6, 5), tick=True):
        page.goto(case_url)
        _record_outcome(page, "not_cured", "截至 6 月 5 日仍未补播。")
        expect_no_server_error(page)
        expect(page.locator(".alert-danger").first).to_contain_text("2026-06-11")
        case.refresh_from_db()
        assert case.cure_outcome == ""

    # --- After it, staff record "not cured": the contract ended when the period ran out ------
    with time_machine.travel(at(2026, 6, 12), tick=True):
        page.goto(case_url)
        _record_outcome(page, "not_cured", "截至 2026-06-11 24:00 仅补播 1 场，未补足。")
        expect_success(page)
        case.refresh_from_db()
        assert case.cure_outcome == "not_cured"
        assert case.end_date == date(2026, 6, 11)
        expect(page.locator("#deadline")).to_contain_text("2026-06-11")
        expect(page.locator("#cure-outcome")).to_have_count(0)
        # No second letter: the cure notice was the termination.
        assert case.notices.count() == 1
        submit(page, "form[action$='/actions/advance_to_handover/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.HANDOVER
