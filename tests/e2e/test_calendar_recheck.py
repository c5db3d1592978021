"""Journey: the 2027 holiday arrangement is published; an administrator enters it in the admin, the
desk re-checks the open cases, and a manager decides about a letter that stated an earlier date.

A notice arrived on 2026-11-06 under a three-month notice period: the period's last day,
2027-02-06, is in the Spring Festival, so the best estimate of its end is 2027-02-11 (the law's
statutory days 2/5–2/8 and the estimated make-up days 2/9–2/10). A letter told the partner
2027-02-11. The official arrangement entered here gives the Spring Festival 2/5–2/12, so the end
moves to Monday 2027-02-15 and the letter is now earlier than the law's date.
"""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from terminations.services import case_recompute_end_date
from tests.conftest import _user
from tests.e2e.helpers import at, expect_no_server_error, expect_success, submit
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.rules.test_admin import STATUTORY_2027
from tests.terminations.factories import deliver, issue_letter, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFICIAL = """2027-01-01..2027-01-03 元旦
2027-02-05..2027-02-12 春节
2027-04-03..2027-04-05 清明节
2027-05-01..2027-05-05 劳动节
2027-06-09 端午节
2027-09-15 中秋节
2027-10-01..2027-10-07 国庆节"""


def _case_with_a_letter(staff) -> tuple[TerminationCase, Notice]:
    ShopProfileFactory()
    partner = PartnerFactory(name="杭州星河网络科技有限公司")
    contract = ContractFactory(
        partner=partner, notice_period=3, notice_unit="months", end_date=date(2027, 12, 31)
    )
    case = open_case(by=staff, basis="contractual", partner=partner, contract=contract)
    case = place_in_stage(case, Stage.NOTICE)
    letter = issue_letter(case, issued_on=date(2026, 11, 5))
    deliver(letter, dispatched_on=date(2026, 11, 5), arrived_on=date(2026, 11, 6))
    case = case_recompute_end_date(case=case)
    # The letter states the date the desk gave at the time (as an issued letter of ours would).
    Notice.objects.filter(pk=letter.pk).update(stated_end_date=case.end_date)
    return case, letter


def _admin_login(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_official_arrangement_entered_in_the_admin_is_rechecked_and_decided(
    page: Page, live_server
):
    with time_machine.travel(at(2026, 12, 2), tick=True):
        staff = _user("clerk", "staff")
        manager = _user("boss", "managers")
        admin = _user("root", None)
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        case, letter = _case_with_a_letter(staff)
        assert (case.end_date, case.end_date_confirmed) == (date(2027, 2, 11), False)

        # The case page labels the date a best estimate.
        from tests.e2e.conftest import login

        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        expect(page.locator("#deadline")).to_contain_text("2027-02-11")
        expect(page.locator("[data-testid=best-estimate]")).to_be_visible()
        page.context.clear_cookies()

        _admin_login(page, live_server, "root", "pw-root")
        page.goto(f"{live_server.url}/admin/core/calendaryear/add/")
        page.fill("#id_year", "2027")
        page.fill("#id_source", "国务院办公厅关于2027年部分节假日安排的通知")
        # First without New Year's Day: refused with the reason, nothing saved.
        page.fill("#id_rest_days", STATUTORY_2027.replace("2027-01-01 元旦\n", ""))
        with page.expect_navigation():
            page.click("input[name=_save]")
        expect(page.locator(".errorlist")).to_contain_text("2027-01-01 元旦")
        assert not TerminationCase.objects.filter(end_date=date(2027, 2, 15)).exists()
        page.fill("#id_rest_days", OFFICIAL)
        page.fill("#id_working_days", "2027-02-20 春节调休\n2027-09-26 国庆节调休")
        with page.expect_navigation():
            page.click("input[name=_save]")
        expect(page.locator(".messagelist")).to_be_visible()
        expect_no_server_error(page)

        case.refresh_from_db()
        assert (case.end_date, case.end_date_confirmed) == (date(2027, 2, 15), True)
        page.context.clear_cookies()

        # The manager sees the figure, follows it to the case and decides.
        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}/dashboard/")
        figure = page.locator("a[data-figure='earlier_letters']")
        expect(figure.locator(".fs-3")).to_have_text("1")
        with page.expect_navigation():
            figure.click()
        rows = page.locator("#case-table tr.case-row")
        expect(rows).to_have_count(1)
        with page.expect_navigation():
            rows.first.locator("td:first-child a").click()
        alert = page.locator("#earlier-letters")
        expect(alert).to_contain_text(letter.letter_number)
        expect(alert).to_contain_text("2027-02-11")
        expect(page.locator("#deadline")).to_contain_text("2027-02-15")
        expect(page.locator("[data-testid=best-estimate]")).to_have_count(0)
        # An empty reason is refused in the page, next to the field.
        page.fill("#keep-letters-reason", "   ")
        submit(page, "#earlier-letters form")
        expect(page.locator("#keep-letters-error")).to_be_visible()
        page.fill(
            "#keep-letters-reason", "函件写明以期间届满之日为准，已电话告知对方以2月15日为准。"
        )
        submit(page, "#earlier-letters form")
        expect_success(page)
        expect(page.locator("#earlier-letters")).to_have_count(0)
        expect(page.locator("#timeline")).to_contain_text("已电话告知对方")
        assert CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT, actor=manager
        ).exists()
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator("a[data-figure='earlier_letters']")).to_have_count(0)
