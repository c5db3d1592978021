"""Journey (b): an agency on a three-month-notice contract is ended by mutual agreement.

Staff registers the agency's contract (notice period 3 months) through the UI, opens a case,
starts negotiating, logs our offer and their counter-offer, records the agreement with the
countersigned confirmation, goes to the notice and drafts the mutual-termination confirmation;
a manager approves and issues it, and the downloaded PDF carries its title and the agreed end date.
"""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_all
from partners.models import Contract
from terminations.models import CaseEvent, NegotiationEntry, Notice, Stage, TerminationCase
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_success,
    pdf_text,
    reveal,
    submit,
    tiny_pdf,
    upload,
)

TERMS_EN = "Ends on 31 August 2026; the shop pays half a month's fee, CNY 10,000."

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州星火代运营有限公司（测试）"
CONTRACT_NUMBER = "DY-2025-118"
NEGOTIATION = "form[action$='/negotiation/']"


def _log_contact(page, *, day, kind, summary, amount=None) -> None:
    page.fill(f"{NEGOTIATION} [name=occurred_on]", day)
    page.select_option(f"{NEGOTIATION} [name=channel]", "meeting")
    page.select_option(f"{NEGOTIATION} [name=kind]", kind)
    page.fill(f"{NEGOTIATION} [name=participants]", "王经理（本店）、李总（代运营）")
    page.fill(f"{NEGOTIATION} [name=summary]", summary)
    if amount is not None:
        page.fill(f"{NEGOTIATION} [name=offer_amount]", amount)
    submit(page, NEGOTIATION)
    expect_success(page)


def test_agency_mutual_termination_journey(page, live_server, new_context, tmp_path):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        seed_all(today=at(2026, 6, 1).date())
        accept_confirms(page)
        page.set_default_timeout(15_000)
        base = live_server.url

        # --- Staff registers the agency and its contract with three months' notice ----------
        login(page, live_server, "staff", DEMO_PASSWORD)
        page.goto(f"{base}/partners/new/")
        page.select_option("#id_kind", "agency")
        page.fill("#id_name", AGENCY)
        page.fill("#id_company_name", AGENCY)
        page.fill("#id_notice_address", "浙江省杭州市西湖区文三路 100 号")
        submit(page, "form.js-partner-form")
        expect_success(page)
        assert re.search(r"/partners/\d+/$", page.url), page.url
        partner_url = page.url

        page.click("a[href$='/contracts/new/']")
        page.fill("#id_number", CONTRACT_NUMBER)
        page.fill("#id_title", "抖店代运营服务合同")
        expect(page.locator("#id_written")).to_be_checked()
        page.fill("#id_signed_on", "2025-11-20")
        page.fill("#id_start_date", "2025-12-01")
        page.fill("#id_end_date", "2026-11-30")
        page.fill("#id_monthly_fee", "20000")
        page.fill("#id_notice_period", "3")
        page.select_option("#id_notice_unit", "months")
        page.set_input_files(
            "#id_signed_document", upload("contract.pdf", tiny_pdf(), "application/pdf")
        )
        submit(page, "form.js-contract-form")
        expect_success(page)
        contract = Contract.objects.get(partner__name=AGENCY, number=CONTRACT_NUMBER)
        assert (contract.notice_period, contract.notice_unit) == (3, "months")

        # --- The case, opened from the partner page ----------------------------------------
        page.goto(partner_url)
        with page.expect_navigation():
            page.locator("a[href*='/cases/new/?partner=']").first.click()
        page.select_option("#id_contract", str(contract.pk))
        page.select_option("#id_reason_category", "poor_results")
        page.fill("#id_facts", "2026 年 3—5 月 GMV 连续下降 40%，未达合同约定目标。")
        page.fill("#id_learned_on", "2026-05-28")
        submit(page, "form:has(#id_reason_category)")
        expect_success(page)
        case = TerminationCase.objects.get(partner__name=AGENCY)
        case_url = f"{base}/cases/{case.reference}/"

        submit(page, "form[action$='/actions/advance_to_negotiation/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.NEGOTIATION

        # Two contacts: our offer, their counter-offer.
        _log_contact(
            page,
            day="2026-05-29",
            kind="offer",
            summary="我方提议 8 月底提前解除，免收违约金。",
            amount="0",
        )
        _log_contact(
            page,
            day="2026-05-30",
            kind="counter_offer",
            summary="对方要求补偿一个月服务费。",
            amount="20000",
        )
        kinds = list(case.negotiations.order_by("occurred_on").values_list("kind", flat=True))
        assert kinds == [NegotiationEntry.Kind.OFFER, NegotiationEntry.Kind.COUNTER_OFFER]
        expect(page.locator("#negotiation tbody tr")).to_have_count(2)

        # The agreement, with the confirmation countersigned by both sides.
        reveal(page, "#agreement form")
        form = "form[action$='/agreement/']"
        page.fill(f"{form} [name=agreed_on]", "2026-05-31")
        page.fill(f"{form} [name=agreed_end_date]", "2026-08-31")
        page.fill(f"{form} [name=terms]", "2026-08-31 解除；本店补偿半个月服务费 10000 元。")
        page.fill(f"{form} [name=terms_en]", TERMS_EN)
        page.set_input_files(
            f"{form} [name=confirmation]",
            upload("confirmation.pdf", tiny_pdf(), "application/pdf"),
        )
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert case.basis == "mutual"
        assert str(case.agreed_end_date) == "2026-08-31"
        assert case.countersigned_confirmation

        submit(page, "form[action$='/actions/advance_to_notice/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.NOTICE

        # The mutual-termination confirmation letter.
        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "mutual")
        page.select_option("#id_language", "bilingual")  # needs the terms in English
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        notice = Notice.objects.get(case=case)
        assert notice.kind == Notice.Kind.MUTUAL
        preview_url = f"{base}/letters/{notice.pk}/"

        # --- A manager approves and issues it; the PDF is read back --------------------------
        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "manager", DEMO_PASSWORD)
        manager.goto(preview_url)
        submit(manager, f"form[action$='/letters/{notice.pk}/approve/']")
        expect_success(manager)
        # The accounts are not secured yet: the letter is refused, naming what is missing.
        submit(manager, f"form[action$='/letters/{notice.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect(manager.locator(".alert-danger").first).to_contain_text(
            "修改抖音账号和店铺账号的密码及绑定手机号"
        )
        notice.refresh_from_db()
        assert notice.status == Notice.Status.APPROVED

        # Staff secure the accounts first (DOMAIN.md §7): the letters section lists what is
        # still open, and each item is ticked off in the checklist.
        page.goto(case_url)
        before = list(
            case.handover_items.filter(due_rule="before_letter")
            .order_by("position")
            .values_list("pk", flat=True)
        )
        expect(page.locator("#before-letter-items li")).to_have_count(len(before))
        for pk in before:
            row = page.locator(f"#item-{pk}")
            row.locator("form[action$='/complete/'] input[name=note]").fill("发函前已完成")
            row.locator("form[action$='/complete/'] button").click()
            expect(page.locator(f"#item-{pk} .badge.text-bg-success")).to_be_visible()
        page.reload()
        expect(page.locator("#before-letter-items")).to_have_count(0)

        manager.goto(preview_url)
        submit(manager, f"form[action$='/letters/{notice.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect_success(manager)
        notice.refresh_from_db()
        assert notice.status == Notice.Status.ISSUED

        with manager.expect_download() as download_info:
            manager.click(f"a[href$='/letters/{notice.pk}/pdf/']")
        pdf_path = tmp_path / "mutual.pdf"
        download_info.value.save_as(pdf_path)
        text = re.sub(r"\s+", "", pdf_text(pdf_path))
        for expected in ("解除协议确认函", "2026年8月31日", AGENCY, notice.letter_number, TERMS_EN):
            assert re.sub(r"\s+", "", expected) in text, f"{expected!r} is not in the PDF:\n{text}"

        # The case page lists the issued letter and the timeline has the events.
        manager.goto(case_url)
        expect(manager.locator(f"#letter-{notice.pk}")).to_contain_text(notice.letter_number)
        kinds = set(case.events.values_list("kind", flat=True))
        for kind in (
            CaseEvent.Kind.NEGOTIATION_LOGGED,
            CaseEvent.Kind.AGREEMENT_RECORDED,
            CaseEvent.Kind.NOTICE_ISSUED,
        ):
            assert kind in kinds, f"no {kind} event"
        expect(manager.locator("#timeline .event")).to_have_count(case.events.count())
        manager_context.close()
