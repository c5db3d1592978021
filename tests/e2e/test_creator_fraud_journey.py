"""Journey (a): a creator without a written contract is ended for dishonest selling.

Staff registers the creator and its chat agreement (with the chat records uploaded), opens a
case from the partner page, assesses it (breach), skips negotiation with a reason and drafts a
Chinese termination notice; a manager approves and issues it and the PDF is read back; staff
records dispatch and arrival, completes the handover, records the settlement and the plan and
moves to the review; days later the manager closes the case.
"""

import re

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_all
from partners.models import Contract
from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_success,
    pdf_text,
    reveal,
    submit,
    tiny_png,
    upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CREATOR = "测试达人小米粒"
CONTRACT_NUMBER = "CHAT-2026-077"


def test_creator_fraud_journey(page, live_server, new_context, tmp_path):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        seed_all(today=at(2026, 6, 1).date())
        accept_confirms(page)
        page.set_default_timeout(15_000)
        base = live_server.url

        # --- Staff registers the creator -------------------------------------------------
        login(page, live_server, "staff", DEMO_PASSWORD)
        page.goto(f"{base}/partners/new/")
        page.select_option("#id_kind", "creator")
        page.fill("#id_name", CREATOR)
        # A letter to a person names her real name: issuing is refused without it.
        page.fill("#id_real_name", "米莉")
        page.fill("#id_douyin_id", "xiaomili_2026")
        page.fill("#id_notice_messaging", "微信 xiaomili2026")
        submit(page, "form.js-partner-form")
        expect_success(page)
        assert re.search(r"/partners/\d+/$", page.url), page.url
        partner_url = page.url

        # ... and the chat agreement, with the chat records as the document.
        page.click("a[href$='/contracts/new/']")
        page.fill("#id_number", CONTRACT_NUMBER)
        page.fill("#id_title", "直播带货口头约定（微信聊天）")
        page.uncheck("#id_written")
        page.fill("#id_start_date", "2026-03-01")
        page.set_input_files("#id_signed_document", upload("chat.png", tiny_png(), "image/png"))
        submit(page, "form.js-contract-form")
        expect_success(page)
        expect(page.locator("body")).to_contain_text(CONTRACT_NUMBER)

        # --- A case for dishonest selling, opened from the partner page ------------------
        page.goto(partner_url)
        with page.expect_navigation():
            page.locator("a[href*='/cases/new/?partner=']").first.click()
        contract = Contract.objects.get(partner__name=CREATOR, number=CONTRACT_NUMBER)
        assert not contract.written
        assert contract.signed_document, "the chat records were uploaded"
        page.select_option("#id_contract", str(contract.pk))
        page.select_option("#id_reason_category", "fraud")
        page.fill("#id_facts", "2026-05-20 直播中虚假宣传产品功效，5 月 25 日被平台处罚。")
        page.fill("#id_learned_on", "2026-05-25")
        submit(page, "form:has(#id_reason_category)")
        expect_success(page)
        case = TerminationCase.objects.get(partner__name=CREATOR)
        assert case.reason_category == "fraud"
        assert case.contract.number == CONTRACT_NUMBER
        case_url = f"{base}/cases/{case.reference}/"
        assert page.url.startswith(case_url), page.url

        # The assessment: breach, with the date the shop learned of it.
        form = f"form[action$='/cases/{case.reference}/assessment/']"
        page.select_option(f"{form} [name=basis]", "breach")
        page.fill(f"{form} [name=learned_on]", "2026-05-25")
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert case.basis == "breach"
        assert str(case.learned_on) == "2026-05-25"

        # Breach without a prior demand: skipping to the notice is refused, saying why, until a
        # manager confirms that dishonest selling defeats the contract's purpose (art. 563 ¶1(四)).
        refused = page.locator("form[action$='/actions/skip_negotiation/']")
        expect(refused.locator("button")).to_be_disabled()
        expect(refused).to_contain_text("主管确认无需催告")
        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "manager", DEMO_PASSWORD)
        manager.goto(case_url)
        reveal(manager, "#no-demand form")
        manager.select_option("#no-demand [name=ground]", "purpose")
        manager.fill("#no-demand [name=reason]", "2026-05-20 直播虚假宣传，5 月 25 日被平台处罚。")
        submit(manager, "#no-demand form")
        expect_success(manager)
        case.refresh_from_db()
        assert case.no_demand_ground == "purpose"

        # Negotiation is skipped, with a reason.
        page.reload()
        form = "form[action$='/actions/skip_negotiation/']"
        page.fill(f"{form} [name=reason]", "欺诈性销售，无协商余地。")
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.NOTICE
        assert case.skip_negotiation_reason == "欺诈性销售，无协商余地。"

        # A termination notice in Chinese.
        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        page.select_option("#id_kind", "termination")
        page.select_option("#id_language", "zh")
        page.fill("#id_demands", "请于收到本通知后 3 日内交回店铺样品。")
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        notice = Notice.objects.get(case=case)
        assert notice.status == Notice.Status.DRAFT
        preview_url = f"{base}/letters/{notice.pk}/"
        assert page.url == preview_url

        # --- A manager approves and issues it ---------------------------------------------
        manager.goto(preview_url)
        submit(manager, f"form[action$='/letters/{notice.pk}/approve/']")
        expect_success(manager)
        submit(manager, f"form[action$='/letters/{notice.pk}/issue/']", timeout=ISSUE_TIMEOUT)
        expect_success(manager)
        notice.refresh_from_db()
        assert notice.status == Notice.Status.ISSUED
        assert notice.letter_number

        with manager.expect_download() as download_info:
            manager.click(f"a[href$='/letters/{notice.pk}/pdf/']")
        pdf_path = tmp_path / "letter.pdf"
        download_info.value.save_as(pdf_path)
        text = pdf_text(pdf_path)
        for expected in (CREATOR, notice.letter_number, CONTRACT_NUMBER):
            assert expected in text, f"{expected!r} is not in the PDF text:\n{text}"

        # --- Staff records dispatch and arrival ---------------------------------------------
        page.goto(preview_url)
        with page.expect_navigation():
            page.click(f"a[href$='/letters/{notice.pk}/deliveries/new/']")
        page.select_option("#id_method", "platform")
        page.fill("#id_dispatched_on", "2026-06-01")
        page.fill("#id_reference", "抖音私信 2026-06-01 10:30")
        submit(page, "form:has(#id_method)")
        expect_success(page)
        form = "form[action*='/deliveries/'][action$='/arrival/']"
        page.fill(f"{form} [name=arrived_on]", "2026-06-01")
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert case.end_date is not None, "the arrival of a breach notice sets the end date"

        # The handover.
        submit(page, "form[action$='/actions/advance_to_handover/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.HANDOVER

        open_items = page.locator("tr.handover-row form[action$='/complete/']")
        remaining = open_items.count()
        assert remaining > 0, "a case has a handover checklist"
        while remaining:
            open_items.first.locator("[name=note]").fill("已完成")
            open_items.first.locator("button[type=submit]").click()
            remaining -= 1
            expect(open_items).to_have_count(remaining)
        assert not case.handover_items.filter(status="open").exists()

        # The settlement: nothing to settle, said explicitly.
        page.reload()
        form = "#settlement form[action$='/settlement/']"
        reveal(page, form)
        page.select_option(f"{form} [name=kind]", "other")
        page.select_option(f"{form} [name=direction]", "to_shop")
        page.fill(f"{form} [name=amount]", "0")
        page.fill(f"{form} [name=description]", "无需结算：无预付款、无保证金、无未结佣金。")
        page.fill(f"{form} [name=description_en]", "Nothing to settle.")
        submit(page, form)
        expect_success(page)
        assert case.settlement_lines.count() == 1
        assert case.settlement_lines.get().description_en == "Nothing to settle."

        # The plan.
        form = "#plan form[action$='/plan/']"
        reveal(page, form)
        page.select_option(f"{form} [name=next_step]", "new_creators")
        page.fill(f"{form} [name=details]", "改与两位新达人合作。")
        page.fill(f"{form} [name=review_on]", "2026-09-01")
        page.check(f"{form} [name=engage_again][value=no]")
        submit(page, form)
        expect_success(page)

        submit(page, "form[action$='/actions/advance_to_review/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.REVIEW

        # --- Days later (the end date has passed) the manager closes the case -------------
        with time_machine.travel(at(2026, 6, 8), tick=True):
            manager.goto(case_url)
            submit(manager, "form[action$='/actions/close/']")
            expect_success(manager)
            case.refresh_from_db()
            assert case.stage == Stage.CLOSED

            with translation.override("zh-hans"):
                closed_label = str(Stage.CLOSED.label)
            expect(manager.locator("#status [aria-current=step]")).to_have_text(closed_label)
            events = list(case.events.all())
            expect(manager.locator("#timeline .event")).to_have_count(len(events))
            kinds = {event.kind for event in events}
            for kind in (
                CaseEvent.Kind.OPENED,
                CaseEvent.Kind.ASSESSMENT_UPDATED,
                CaseEvent.Kind.STAGE_CHANGED,
                CaseEvent.Kind.NOTICE_DRAFTED,
                CaseEvent.Kind.NOTICE_APPROVED,
                CaseEvent.Kind.NOTICE_ISSUED,
                CaseEvent.Kind.DISPATCHED,
                CaseEvent.Kind.HANDOVER_DONE,
            ):
                assert kind in kinds, f"no {kind} event in the timeline"
            timeline = manager.locator("#timeline")
            expect(timeline).to_contain_text(notice.letter_number)
        manager_context.close()
