"""Journey: a creator whose cooperation was agreed in a chat, with no written contract and no end
date, ended by a notice ending an open-ended cooperation (Civil Code art. 563 ¶2) — and the clerk
switches the pages to English half-way and back (issue 14).

Staff registers the creator and the chat agreement ("written" unticked, no end date), opens a
case from the partner page, chooses the open-ended basis with 30 days' notice and skips
negotiation; then switches to English on the case page and drafts the letter there; the manager
(in Chinese) approves and issues it and the PDF is read back; staff, still in English, records
the dispatch and the arrival, the end date follows 30 days later, and switching back to Chinese
shows the same case in Chinese.
"""

import re
from datetime import date

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD, seed_all
from partners.models import Contract
from terminations.models import Basis, Notice, Stage, TerminationCase
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    ISSUE_TIMEOUT,
    accept_confirms,
    at,
    expect_success,
    open_case_from_partner,
    pdf_text,
    save_assessment,
    skip_negotiation,
    submit,
    tiny_png,
    upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CREATOR = "测试达人阿桃"
REAL_NAME = "桃小雨"
CONTRACT_NUMBER = "CHAT-2026-088"


def _label(label, language: str) -> str:
    with translation.override(language):
        return str(label)


def _switch_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("#language-select", code)
    page.wait_for_load_state("networkidle")


def test_creator_chat_agreement_ended_by_open_ended_notice(
    page: Page, live_server, new_context, tmp_path
):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        seed_all(today=date(2026, 6, 1))
        accept_confirms(page)
        page.set_default_timeout(15_000)
        base = live_server.url

        # --- Staff registers the creator and the chat agreement ---------------------------
        login(page, live_server, "staff", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("nav a[href$='/partners/']")
        with page.expect_navigation():
            page.click("a[href$='/partners/new/']")
        page.select_option("#id_kind", "creator")
        page.fill("#id_name", CREATOR)
        page.fill("#id_real_name", REAL_NAME)
        page.fill("#id_douyin_id", "atao_2026")
        page.fill("#id_notice_messaging", "抖音私信 @atao_2026")
        submit(page, "form.js-partner-form")
        expect_success(page)
        assert re.search(r"/partners/\d+/$", page.url), page.url

        with page.expect_navigation():
            page.click("a[href$='/contracts/new/']")
        page.fill("#id_number", CONTRACT_NUMBER)
        page.fill("#id_title", "直播带货合作（抖音私信约定）")
        page.uncheck("#id_written")
        page.fill("#id_start_date", "2026-02-01")
        expect(page.locator("#id_end_date")).to_have_value("")
        page.set_input_files("#id_signed_document", upload("chat.png", tiny_png(), "image/png"))
        submit(page, "form.js-contract-form")
        expect_success(page)
        contract = Contract.objects.get(partner__name=CREATOR, number=CONTRACT_NUMBER)
        assert not contract.written and contract.end_date is None

        # --- The case, from the partner page ----------------------------------------------
        open_case_from_partner(
            page,
            partner_pk=contract.partner_id,
            contract_pk=contract.pk,
            reason="mismatch",
            facts="2026 年 5 月起店铺转向家居品类，与该达人的美妆定位不再匹配。",
            learned_on="2026-05-30",
        )
        case = TerminationCase.objects.get(partner__name=CREATOR)
        case_url = f"{base}/cases/{case.reference}/"

        save_assessment(page, case.reference, basis="open_ended", reasonable_notice_days="30")
        case.refresh_from_db()
        assert (case.basis, case.reasonable_notice_days) == ("open_ended", 30)

        skip_negotiation(page, "不定期合作，可随时在合理期限前通知终止。")
        case.refresh_from_db()
        assert case.stage == Stage.NOTICE

        for pk in case.handover_items.filter(due_rule="before_letter").values_list("pk", flat=True):
            row = page.locator(f"#item-{pk}")
            row.locator("form[action$='/complete/'] input[name=note]").fill("发函前已完成")
            row.locator("form[action$='/complete/'] button").click()
            expect(page.locator(f"#item-{pk} .badge.text-bg-success")).to_be_visible()
        page.reload()
        expect(page.locator("#before-letter-items")).to_have_count(0)

        # --- Mid-journey, the clerk switches to English on the case page ------------------
        page.goto(case_url)
        _switch_language(page, "en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.url.startswith(case_url), "the switch stays on the case"
        expect(page.locator("#assessment")).to_contain_text(_label(Basis.OPEN_ENDED.label, "en"))
        expect(page.locator("#status [aria-current=step]")).to_have_text(
            _label(Stage.NOTICE.label, "en")
        )

        with page.expect_navigation():
            page.click(f"a[href$='/cases/{case.reference}/letters/new/']")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.select_option("#id_kind", "open_ended")
        page.select_option("#id_language", "zh")
        submit(page, "form:has(#id_kind)")
        expect_success(page)
        notice = Notice.objects.get(case=case)
        assert (notice.kind, notice.language) == (Notice.Kind.OPEN_ENDED, Notice.Language.ZH)

        # --- The manager, in Chinese, approves and issues it -------------------------------
        manager_context = new_context()
        manager = manager_context.new_page()
        accept_confirms(manager)
        manager.set_default_timeout(15_000)
        login(manager, live_server, "manager", DEMO_PASSWORD)
        with manager.expect_navigation():
            manager.click("nav a[href$='/cases/']")
        with manager.expect_navigation():
            manager.click(f"#case-table a[href$='/cases/{case.reference}/']")
        expect(manager.locator("html")).to_have_attribute("lang", "zh-CN")
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
        pdf_path = tmp_path / "open-ended.pdf"
        download_info.value.save_as(pdf_path)
        text = re.sub(r"\s+", "", pdf_text(pdf_path))
        for expected in (
            "终止合作通知函",
            REAL_NAME,
            notice.letter_number,
            "满30日",
            "第五百六十三条第二款",
            "双方确认合作的聊天记录",
        ):
            assert expected in text, f"{expected!r} is not in the PDF:\n{text}"
        manager_context.close()

        # --- The clerk, still in English, records the dispatch and the arrival -------------
        page.goto(case_url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        with page.expect_navigation():
            page.click(f"#letter-{notice.pk} a[href$='/letters/{notice.pk}/deliveries/new/']")
        page.select_option("#id_method", "platform")
        page.fill("#id_dispatched_on", "2026-06-01")
        page.fill("#id_reference", "Douyin message 2026-06-01 11:05")
        submit(page, "form:has(#id_method)")
        expect_success(page)
        delivery = notice.deliveries.get()
        form = f"form[action$='/deliveries/{delivery.pk}/arrival/']"
        page.fill(f"{form} [name=arrived_on]", "2026-06-01")
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        # 2026-06-01 + 30 days = 2026-07-01, a Wednesday.
        assert case.end_date == date(2026, 7, 1)
        expect(page.locator("#deadline")).to_contain_text("2026-07-01")
        expect(page.locator("#deadline")).to_contain_text("30")

        # --- And back to Chinese: the same case, in Chinese --------------------------------
        _switch_language(page, "zh-hans")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        assert page.url.startswith(case_url)
        expect(page.locator("#deadline")).to_contain_text("2026-07-01")
        expect(page.locator("#letters")).to_contain_text(
            _label(Notice.Kind.OPEN_ENDED.label, "zh-hans")
        )
        # What the clerk typed in English is kept as typed.
        expect(page.locator("#letters")).to_contain_text("Douyin message 2026-06-01 11:05")
        submit(page, "form[action$='/actions/advance_to_handover/']")
        expect_success(page)
        case.refresh_from_db()
        assert case.stage == Stage.HANDOVER
