"""Journeys of issue 16 in Chromium: a manager e-mails an issued letter from the case page to
the address the contract designates (a real SMTP server on loopback receives it); the partner
opens the personal link without an account and presses "确认收到"; the clerk takes the
acknowledgment as the arrival and the end date follows. A mutual confirmation is accepted online
with the one-time code and counts as countersigned once the manager confirms the signer's
authority. A message the server refuses is given up on, and the manager sends it again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from core.models import ShopProfile
from partners.models import Contract
from terminations.models import Basis, LetterEmail, Stage, TerminationCase
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    accept_confirms,
    expect_no_server_error,
    expect_success,
    reveal,
    submit,
)
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTICE_EMAIL = "legal@yunqi.example.com"


def _setup(live_server, settings, *, basis: str = Basis.CONTRACTUAL):
    settings.SITE_URL = live_server.url
    ShopProfileFactory(sender_email="notices@qinghe.example.com")
    clerk = _user("clerk", "staff")
    boss = _user("boss", "managers")
    partner = PartnerFactory(name="杭州云启代运营有限公司", company_name="杭州云启网络有限公司")
    contract = ContractFactory(
        partner=partner,
        number="HT-2026-0600",
        clause_notice="12.3",
        notice_email=NOTICE_EMAIL,
        clause_notice_channels="15.2",
    )
    case = open_case(by=clerk, partner=partner, contract=contract)
    extra = {}
    if basis == Basis.MUTUAL:
        extra = {
            "agreed_on": date.today(),
            "agreed_end_date": date(2027, 1, 31),
            "agreed_terms": "双方同意于2027年1月31日解除合同，互不追究。",
        }
    TerminationCase.objects.filter(pk=case.pk).update(basis=basis, **extra)
    case = place_in_stage(before_letter_done(case, by=clerk), Stage.NOTICE)
    kind = "mutual" if basis == Basis.MUTUAL else "termination"
    notice = notice_draft(case=case, by=boss, kind=kind)
    notice_approve(notice=notice, by=boss)
    notice = notice_issue(notice=notice, by=boss)
    return case, notice


def _send_from_case_page(page: Page, live_server, case, notice, *, check: bool = True) -> None:
    login(page, live_server, "boss", "pw-boss")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    link = f"a[href$='/letters/{notice.pk}/email/']"
    reveal(page, link)
    page.click(link)
    expect(page.locator("#designated")).to_contain_text(NOTICE_EMAIL)
    expect(page.locator("#designated")).to_contain_text("15.2")
    with page.expect_navigation():
        page.click("#send-email")
    if check:
        expect_success(page)


def _partner_link(smtp_server, live_server) -> str:
    body = smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content()
    return re.search(re.escape(live_server.url) + r"/p/[A-Za-z0-9_-]+/", body).group(0)


def test_send_acknowledge_and_take_as_arrival(
    page: Page, live_server, settings, smtp_server, new_context
):
    case, notice = _setup(live_server, settings)
    accept_confirms(page)
    _send_from_case_page(page, live_server, case, notice)
    email = LetterEmail.objects.get()
    assert email.status == LetterEmail.Status.SENT
    card = page.locator(f"#email-{email.pk}")
    reveal(page, f"#email-{email.pk}")
    expect(card).to_contain_text(email.message_id)
    expect(card).to_contain_text(email.eml_sha256)
    assert smtp_server.received[0].rcpt_tos == [NOTICE_EMAIL]

    # The partner, with no account, opens the link and acknowledges receipt.
    partner = new_context().new_page()
    partner.goto(_partner_link(smtp_server, live_server))
    expect(partner.locator("#letter-number")).to_have_text(notice.letter_number)
    expect(partner.locator("#privacy")).to_contain_text("IP 地址")
    email.refresh_from_db()
    assert email.acknowledged_at is None
    with partner.expect_navigation():
        partner.click("#acknowledge")
    expect(partner.locator("#ack-done")).to_be_visible()
    expect_no_server_error(partner)

    # The clerk takes the acknowledgment as the arrival; the end date follows.
    page.context.clear_cookies()
    login(page, live_server, "clerk", "pw-clerk")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    button = f"#confirm-arrival-{email.pk}"
    reveal(page, button)
    with page.expect_navigation():
        page.click(button)
    expect_success(page)
    case.refresh_from_db()
    email.refresh_from_db()
    assert email.delivery.arrived_on is not None
    assert case.end_date is not None and case.end_date > email.delivery.arrived_on


def test_mutual_confirmation_accepted_online(
    page: Page, live_server, settings, smtp_server, new_context
):
    case, notice = _setup(live_server, settings, basis=Basis.MUTUAL)
    accept_confirms(page)
    _send_from_case_page(page, live_server, case, notice)
    partner = new_context().new_page()
    partner.goto(_partner_link(smtp_server, live_server))
    expect(partner.locator("#agreed-terms")).to_contain_text("双方同意于2027年1月31日解除合同")
    partner.fill("#signer_name", "陈明")
    partner.fill("#signer_position", "法定代表人")
    partner.fill("#signer_company", "杭州云启网络有限公司")
    partner.check("#agreed")
    with partner.expect_navigation():
        partner.click("#accept-code")
    code = re.search(
        r"验证码：(\d{6})",
        smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content(),
    ).group(1)
    partner.fill("#code", code)
    with partner.expect_navigation():
        partner.click("#accept-confirm")
    expect(partner.locator("#accepted")).to_contain_text("陈明")

    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    acceptance = LetterEmail.objects.get().acceptances.get()
    note = f"#authority-note-{acceptance.pk}"
    reveal(page, note)
    page.fill(note, "营业执照载明陈明为法定代表人")
    with page.expect_navigation():
        page.click(f"#confirm-authority-{acceptance.pk}")
    expect_success(page)
    case.refresh_from_db()
    assert case.countersigned_confirmation
    assert case.end_date == date(2027, 1, 31)


def test_a_refused_message_is_given_up_and_sent_again(
    page: Page, live_server, settings, smtp_server
):
    settings.LETTER_EMAIL_RETRY_MINUTES = []
    smtp_server.handler.refuse.add(NOTICE_EMAIL)
    case, notice = _setup(live_server, settings)
    accept_confirms(page)
    _send_from_case_page(page, live_server, case, notice, check=False)
    expect(page.locator(".alert-success")).to_contain_text(NOTICE_EMAIL)
    first = LetterEmail.objects.get()
    assert first.status == LetterEmail.Status.GAVE_UP
    reveal(page, f"#resend-{first.pk}")
    expect(page.locator(f"#email-{first.pk}")).to_contain_text("550")
    smtp_server.handler.refuse.clear()
    with page.expect_navigation():
        page.click(f"#resend-{first.pk}")
    expect_success(page)
    second = LetterEmail.objects.exclude(pk=first.pk).get()
    assert second.status == LetterEmail.Status.SENT and second.resends_id == first.pk
    assert len(smtp_server.received) == 1
    assert Contract.objects.count() == 1


def test_the_contract_decides_whether_an_email_is_a_notice(
    page: Page, live_server, settings, smtp_server
):
    """The manager sets the sender address on the shop profile and records on the contract the
    clause naming its notice e-mail: the letter may then go as a notice. Once the contract is
    marked as excluding e-mail notices, the page says so and only a courtesy copy can go, which
    creates no delivery."""
    case, notice = _setup(live_server, settings)
    ShopProfile.objects.update(sender_email="")
    Contract.objects.update(clause_notice_channels="")
    contract = case.contract
    accept_confirms(page)
    login(page, live_server, "boss", "pw-boss")
    send_page = f"{live_server.url}/letters/{notice.pk}/email/"
    page.goto(send_page)
    expect(page.locator("#no-sender")).to_be_visible()
    expect(page.locator("#no-designated")).to_be_visible()

    page.goto(f"{live_server.url}/shop/")
    page.fill("[name=sender_email]", "notices@qinghe.example.com")
    submit(page, "form:has([name=sender_email])")
    expect_success(page)

    page.goto(f"{live_server.url}/partners/contracts/{contract.pk}/edit/")
    page.fill("[name=clause_notice_channels]", "15.2")
    submit(page, "form:has([name=clause_notice_channels])")
    expect_success(page)
    page.goto(send_page)
    expect(page.locator("#designated")).to_contain_text(NOTICE_EMAIL)
    expect(page.locator("#designated")).to_contain_text("15.2")

    page.goto(f"{live_server.url}/partners/contracts/{contract.pk}/edit/")
    page.check("[name=email_notices_excluded]")
    submit(page, "form:has([name=email_notices_excluded])")
    expect_success(page)
    page.goto(send_page)
    expect(page.locator("#no-designated")).to_be_visible()
    expect(page.locator("#designated")).to_have_count(0)
    page.locator("#send-form input[type=radio]").first.check()
    with page.expect_navigation():
        page.click("#send-email")
    expect_success(page)
    email = LetterEmail.objects.get()
    assert email.purpose == LetterEmail.Purpose.COURTESY and email.delivery is None
    body = smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content()
    assert "不构成合同约定方式的通知送达" in body
