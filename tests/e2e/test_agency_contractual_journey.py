"""Journey: an agency, from its registration to a closed case on a contractual right, with a
corrected letter (issue 14).

Staff registers the agency and its contract (a right to end it for convenience, 30 days' notice)
through the pages, opens a case from the partner page, records the contractual basis and skips
negotiation with a reason, secures the accounts and drafts a termination notice; the manager
approves and issues it, then finds a mistake: "Correct (new version)", the clerk edits the new
draft, the manager approves and issues it and the first letter is superseded (both PDFs read
back). Staff dispatch the corrected letter and record its arrival (the end date follows from it),
work the handover, record the settlement and the plan and move to the review; after the end date
the manager closes the case.
"""

import re
from datetime import date

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD, seed_all
from partners.models import Contract
from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_success,
    open_case_from_partner,
    pdf_text,
    reveal,
    save_assessment,
    skip_negotiation,
    submit,
    tiny_pdf,
    upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENCY = "宁波远帆代运营有限公司（测试）"
CONTRACT_NUMBER = "YF-2026-031"
FIRST_FACTS = "2026 年 3—5 月店铺 GMV 连续下降，本店决定依约解除。"
CORRECTED_FACTS = "2026 年 3 月至 5 月店铺 GMV 连续三个月下降，本店决定依合同第 12.1 条解除。"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def _download_pdf(page: Page, notice: Notice, path) -> str:
    with page.expect_download() as download_info:
        page.click(f"a[href$='/letters/{notice.pk}/pdf/']")
    download_info.value.save_as(path)
    return _squash(pdf_text(path))


def test_agency_from_registration_to_a_closed_case_with_a_corrected_letter(
    page: Page, live_server, new_context, tmp_path
):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        seed_all(today=date(2026, 6, 1))
        accept_confirms(page)
        page.set_default_timeout(15_000)
        base = live_server.url

        # --- Staff registers the agency, from the partner list ----------------------------
        login(page, live_server, "staff", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("nav a[href$='/partners/']")
        with page.expect_navigation():
            page.click("a[href$='/partners/new/']")
        page.select_option("#id_kind", "agency")
        page.fill("#id_name", AGENCY)
        page.fill("#id_company_name", AGENCY)
        page.fill("#id_notice_address", "浙江省宁波市鄞州区天童南路 588 号")
        submit(page, "form.js-partner-form")
        expect_success(page)
        assert re.search(r"/partners/\d+/$", page.url), page.url
        expect(page.locator("h1")).to_contain_text(AGENCY)

        # ... and its contract: a right to end it for convenience, 30 days after arrival.
        with page.expect_navigation():
            page.click("a[href$='/contracts/new/']")
        page.fill("#id_number", CONTRACT_NUMBER)
        page.fill("#id_title", "抖店代运营服务合同")
        page.fill("#id_signed_on", "2025-12-20")
        page.fill("#id_start_date", "2026-01-01")
        page.fill("#id_end_date", "2026-12-31")
        page.fill("#id_monthly_fee", "15000")
        page.fill("#id_notice_period", "30")
        page.select_option("#id_notice_unit", "days")
        page.check("#id_convenience_termination")
        page.fill("#id_clause_termination", "12.1")
        page.set_input_files(
            "#id_signed_document", upload("contract.pdf", tiny_pdf(), "application/pdf")
        )
        submit(page, "form.js-contract-form")
        expect_success(page)
        contract = Contract.objects.get(partner__name=AGENCY, number=CONTRACT_NUMBER)
        assert contract.convenience_termination
        assert (contract.notice_period, contract.notice_unit) == (30, "days")

        # --- The case, opened from the partner page (its one contract is pre-selected) -----
        open_case_from_partner(
            page,
            partner_pk=contract.partner_id,
            contract_pk=contract.pk,
            reason="poor_results",
            facts=FIRST_FACTS,
            learned_on="2026-05-29",
        )
        case = TerminationCase.objects.get(partner__name=AGENCY)
        case_url = f"{base}/cases/{case.reference}/"
        assert page.url.startswith(case_url), page.url

        save_assessment(page, case.reference, basis="contractual")
        case.refresh_from_db()
        assert case.basis == "contractual"

        skip_negotiation(page, "合同赋予本店任意解除权，无需协商。")
        case.refresh_from_db()
        assert case.stage == Stage.NOTICE

        # The accounts are secured before any letter goes out.
        before = list(
            case.handover_items.filter(due_rule="before_letter")
            .order_by("position")
            .values_list("pk", flat=True)
        )
        assert before, "an agency's checklist has security items"
        for pk in before:
            row = page.locator(f"#item-{pk}")
            row.locator("form[action$='/complete/'] input[name=note]").fill("发函前已完成")
            row.locator("form[action$='/complete/'] button").click()
            expect(page.locator(f"#item-{pk} .badge.text-bg-success")).to_be_visible()
        page.reload()
        expect(page.locator("#before-letter-items")).to_have_count(0)

        # The termination notice, in Chinese.
        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "termination")
        page.select_option("#id_language", "zh")
        page.fill("#id_facts", FIRST_FACTS)
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        first = Notice.objects.get(case=case)
        assert (first.kind, first.status) == (Notice.Kind.TERMINATION, Notice.Status.DRAFT)

        # --- The manager approves and issues it ---------------------------------------------
        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "manager", DEMO_PASSWORD)
        with manager.expect_navigation():
            manager.click("nav a[href$='/cases/']")
        with manager.expect_navigation():
            manager.click(f"#case-table a[href$='/cases/{case.reference}/']")
        with manager.expect_navigation():
            manager.click(f"#letter-{first.pk} a[href$='/letters/{first.pk}/']")
        submit(manager, f"form[action$='/letters/{first.pk}/approve/']")
        expect_success(manager)
        submit(manager, f"form[action$='/letters/{first.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect_success(manager)
        first.refresh_from_db()
        assert first.status == Notice.Status.ISSUED and first.letter_number
        text = _download_pdf(manager, first, tmp_path / "first.pdf")
        for expected in ("解除合同通知书", AGENCY, first.letter_number, _squash(FIRST_FACTS)):
            assert _squash(expected) in text, f"{expected!r} is not in the first PDF"

        # --- A mistake is found: a corrected version, edited by the clerk -------------------
        submit(manager, f"form[action$='/letters/{first.pk}/correct/']")
        expect_success(manager)
        correction = Notice.objects.get(supersedes=first)
        assert correction.status == Notice.Status.DRAFT
        assert manager.url.endswith(f"/letters/{correction.pk}/")

        page.goto(case_url)
        with page.expect_navigation():
            page.click(f"#letter-{correction.pk} a[href$='/letters/{correction.pk}/edit/']")
        page.fill("[name=facts]", CORRECTED_FACTS)
        submit(page, "form:has([name=facts])")
        expect_success(page)
        correction.refresh_from_db()
        assert correction.facts == CORRECTED_FACTS

        manager.reload()
        submit(manager, f"form[action$='/letters/{correction.pk}/approve/']")
        expect_success(manager)
        submit(manager, f"form[action$='/letters/{correction.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect_success(manager)
        correction.refresh_from_db()
        first.refresh_from_db()
        assert correction.status == Notice.Status.ISSUED
        assert first.status == Notice.Status.SUPERSEDED
        assert correction.letter_number and correction.letter_number != first.letter_number
        text = _download_pdf(manager, correction, tmp_path / "corrected.pdf")
        for expected in (correction.letter_number, _squash(CORRECTED_FACTS), CONTRACT_NUMBER):
            assert _squash(expected) in text, f"{expected!r} is not in the corrected PDF"
        # The superseded letter stays downloadable, unchanged.
        manager.goto(case_url)
        expect(manager.locator(f"#letter-{first.pk} .badge")).to_have_text(
            _zh(Notice.Status.SUPERSEDED.label)
        )
        assert _download_pdf(manager, first, tmp_path / "first-again.pdf") == _squash(
            pdf_text(tmp_path / "first.pdf")
        )

        # --- Staff dispatch the corrected letter and record its arrival ---------------------
        page.goto(case_url)
        with page.expect_navigation():
            page.click(
                f"#letter-{correction.pk} a[href$='/letters/{correction.pk}/deliveries/new/']"
            )
        page.select_option("#id_method", "email")
        page.fill("#id_dispatched_on", "2026-06-01")
        page.fill("#id_address", "legal@yuanfan.example.com")
        page.fill("#id_reference", "Message-ID <20260601.yf031@qinghe.example.com>")
        submit(page, "form:has(#id_method)")
        expect_success(page)
        delivery = correction.deliveries.get()
        form = f"form[action$='/deliveries/{delivery.pk}/arrival/']"
        page.fill(f"{form} [name=arrived_on]", "2026-06-01")
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        # The e-mail entered the agency's mailbox the day it was sent:
        # 2026-06-01 + 30 days = 2026-07-01, a Wednesday.
        assert case.end_date == date(2026, 7, 1)
        expect(page.locator("#deadline")).to_contain_text("2026-07-01")

        # --- The handover -------------------------------------------------------------------
        submit(page, "form[action$='/actions/advance_to_handover/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.HANDOVER
        open_items = page.locator("tr.handover-row form[action$='/complete/']")
        remaining = open_items.count()
        assert remaining > 0
        while remaining:
            open_items.first.locator("[name=note]").fill("已完成")
            open_items.first.locator("button[type=submit]").click()
            remaining -= 1
            expect(open_items).to_have_count(remaining)
        assert not case.handover_items.filter(status="open").exists()

        # The settlement: the fee for June, owed to the agency.
        page.reload()
        form = "#settlement form[action$='/settlement/']"
        reveal(page, form)
        page.select_option(f"{form} [name=kind]", "fee")
        page.select_option(f"{form} [name=direction]", "to_partner")
        page.fill(f"{form} [name=amount]", "15000")
        page.fill(f"{form} [name=description]", "2026 年 6 月服务费")
        page.fill(f"{form} [name=description_en]", "Service fee for June 2026")
        submit(page, form)
        expect_success(page)
        line = case.settlement_lines.get()
        assert (line.kind, str(line.amount)) == ("fee", "15000.00")
        expect(page.locator("#settlement")).to_contain_text("2026 年 6 月服务费")

        form = "#plan form[action$='/plan/']"
        reveal(page, form)
        page.select_option(f"{form} [name=next_step]", "self_operate")
        page.fill(f"{form} [name=details]", "7 月起由本店运营团队自营。")
        page.fill(f"{form} [name=review_on]", "2026-10-01")
        page.check(f"{form} [name=engage_again][value=no]")
        submit(page, form)
        expect_success(page)

        submit(page, "form[action$='/actions/advance_to_review/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.REVIEW

        # Before the end date the manager cannot close; the page says why.
        manager.goto(case_url)
        close = manager.locator("form[action$='/actions/close/']")
        expect(close.locator("button")).to_be_disabled()
        expect(close).to_contain_text("2026-07-01")

    # --- After the end date the manager closes the case -------------------------------------
    with time_machine.travel(at(2026, 7, 2), tick=True):
        # A month later the session has expired: the manager logs in again.
        login(manager, live_server, "manager", DEMO_PASSWORD)
        manager.goto(case_url)
        submit(manager, "form[action$='/actions/close/']")
        expect_success(manager)
        case.refresh_from_db()
        assert case.stage == Stage.CLOSED
        expect(manager.locator("#status [aria-current=step]")).to_have_text(_zh(Stage.CLOSED.label))
        kinds = set(case.events.values_list("kind", flat=True))
        for kind in (
            CaseEvent.Kind.NOTICE_ISSUED,
            CaseEvent.Kind.NOTICE_SUPERSEDED,
            CaseEvent.Kind.DISPATCHED,
            CaseEvent.Kind.HANDOVER_DONE,
        ):
            assert kind in kinds, f"no {kind} event"
        expect(manager.locator("#timeline .event")).to_have_count(case.events.count())
        manager_context.close()
