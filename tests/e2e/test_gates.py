"""Journey: the gates between stages as a clerk and a manager meet them in the browser.

A manager lets a letter go out before the security items (with a reason); a refused move says
what is missing and links to the section where it is done; the partner's demand for a decision
is entered on the assessment form and brings the lapse of the right to terminate forward.
"""

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, expect_success, reveal, submit, tiny_pdf, upload
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import (
    before_letter_done,
    deliver,
    issue_letter,
    make_ready_to_close,
    open_case,
    place_in_stage,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_gates_in_the_browser(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        staff = _user("clerk", "staff")
        _user("boss", "managers")
        partner = PartnerFactory(name="杭州云启代运营有限公司")
        contract = ContractFactory(partner=partner, end_date=date(2026, 12, 31))
        case = open_case(
            by=staff,
            partner=partner,
            contract=contract,
            basis="breach",
            learned_on=date(2026, 3, 1),
            prior_demand_on=date(2026, 4, 1),
        )
        case = place_in_stage(case, Stage.NOTICE)
        url = f"{live_server.url}{case.get_absolute_url()}"

        # The clerk enters the partner's demand for a decision, with its evidence.
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(url)
        form = "form[action$='/assessment/']"
        reveal(page, form)
        page.fill(f"{form} [name=decision_demanded_on]", "2026-05-25")
        page.fill(f"{form} [name=decision_demand_channel]", "微信")
        page.set_input_files(
            f"{form} [name=decision_demand_evidence]",
            upload("demand.pdf", tiny_pdf(), "application/pdf"),
        )
        submit(page, form)
        expect_success(page)
        # 2026-05-25 + 30 days: the right lapses on 2026-06-24, before 2027-03-01.
        expect(page.locator("#status .alert-warning").first).to_contain_text("2026-06-24")
        case.refresh_from_db()
        assert case.decision_demand_evidence

        # A clerk cannot let the letter go out before the security items; the page says so.
        expect(page.locator("#before-letter-items")).to_contain_text("只有主管")
        expect(page.locator("#before-letter-items form")).to_have_count(0)
        page.context.clear_cookies()

        # The manager records why it may, after an empty reason is refused.
        login(page, live_server, "boss", "pw-boss")
        page.goto(url)
        page.fill("#before-letter-reason", " ")
        submit(page, "#before-letter-items form")
        expect(page.locator("#before-letter-error")).to_be_visible()
        page.fill("#before-letter-reason", "对方已于 5 月 30 日交回全部账号，密码已由本店修改。")
        submit(page, "#before-letter-items form")
        expect_success(page)
        expect(page.locator("#before-letter-items")).to_have_count(0)
        expect(page.locator("#timeline")).to_contain_text("对方已于 5 月 30 日交回全部账号")
        assert CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.BEFORE_LETTER_CONFIRMED
        ).exists()

        # In the handover, "go to the review" says what is missing and links to it.
        TerminationCase.objects.filter(pk=case.pk).update(
            stage=Stage.HANDOVER, end_date=date(2026, 6, 1)
        )
        page.goto(url)
        review = page.locator("form[action$='/actions/advance_to_review/']")
        expect(review.locator("button")).to_be_disabled()
        expect(review).to_contain_text("结算")
        review.locator("a[href='#settlement']").click()
        expect(page).to_have_url(re.compile("#settlement$"))


def test_breach_forms_in_the_browser(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        ShopProfileFactory()
        staff = _user("clerk", "staff")
        _user("boss", "managers")
        # A breach case with no demand yet: the manager confirms none is needed.
        plain = place_in_stage(
            open_case(by=staff, basis="breach", learned_on=date(2026, 5, 1)), Stage.NEGOTIATION
        )
        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}{plain.get_absolute_url()}")
        reveal(page, "#no-demand form")
        page.select_option("#no-demand [name=ground]", "refusal")
        page.fill("#no-demand [name=reason]", "2026-05-20 对方书面声明不再履行直播排期。")
        submit(page, "#no-demand form")
        expect_success(page)
        expect(page.locator("#assessment")).to_contain_text("对方明确表示或以行为表明不履行")
        submit(page, "form[action$='/actions/advance_to_notice/']")
        expect_success(page)
        page.context.clear_cookies()

        # A cure notice that arrived on 5/12 with ten days: the clerk records "not cured".
        cured = before_letter_done(open_case(by=staff, basis="breach", cure_period_days=10))
        cured = place_in_stage(cured, Stage.NOTICE)
        letter = issue_letter(
            cured, kind=Notice.Kind.CURE, cure_period_days=10, issued_on=date(2026, 5, 11)
        )
        deliver(letter, dispatched_on=date(2026, 5, 11), arrived_on=date(2026, 5, 12))
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}{cured.get_absolute_url()}")
        block = page.locator("#cure-outcome")
        expect(block).to_contain_text("2026-05-22")
        block.locator("input[name=outcome][value=not_cured]").check()
        block.locator("[name=note]").fill("截至 5 月 22 日未补播约定场次。")
        block.locator("[name=evidence]").set_input_files(
            upload("chat.pdf", tiny_pdf(), "application/pdf")
        )
        submit(page, "#cure-outcome form")
        expect_success(page)
        expect(page.locator("#deadline")).to_contain_text("2026-05-22")
        expect(page.locator("#cure-outcome")).to_have_count(0)
        cured.refresh_from_db()
        assert (cured.cure_outcome, cured.end_date) == ("not_cured", date(2026, 5, 22))


def test_the_plan_review_after_closing_in_the_browser(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        staff = _user("clerk", "staff")
        case = open_case(by=staff)
        make_ready_to_close(case, by=staff)
        case = place_in_stage(case, Stage.CLOSED)
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        reveal(page, "#plan-review form")
        page.fill("#plan-review [name=reviewed_on]", "2026-06-01")
        page.fill("#plan-review [name=outcome]", "自营三个月 GMV 回升 18%，不再引入代运营。")
        submit(page, "#plan-review form")
        expect_success(page)
        expect(page.locator("#plan")).to_contain_text("GMV 回升 18%")
        expect(page.locator("#timeline")).to_contain_text("GMV 回升 18%")
