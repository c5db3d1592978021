"""A claim of the shop's, as finance follows it (settlement): the clerk records that the partner
accepted the penalty claim, which then counts in the net and can be paid; the manager drops a
small claim the shop will not pursue, which then counts nowhere."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from terminations.models import SettlementLine, Stage
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import accept_confirms, expect_success, reveal, submit
from tests.terminations.factories import open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_claim_accepted_by_the_partner_and_one_dropped(page: Page, live_server):
    clerk = _user("clerk", "staff")
    _user("boss", "managers")
    case = place_in_stage(open_case(by=clerk, basis="breach"), Stage.HANDOVER)
    penalty, small = (
        SettlementLine.objects.create(
            case=case,
            kind=SettlementLine.Kind.PENALTY,
            direction=SettlementLine.Direction.TO_SHOP,
            amount=Decimal(amount),
            is_claim=True,
            description=text,
        )
        for amount, text in (("40000.00", "违约金"), ("800.00", "逾期周报违约金"))
    )
    url = f"{live_server.url}{case.get_absolute_url()}"
    accept_confirms(page)

    login(page, live_server, "clerk", "pw-clerk")
    page.goto(url)
    reveal(page, f"#settlement-claims #line-{penalty.pk}")
    expect(page.locator(f"#settlement-claims #line-{penalty.pk}")).to_be_visible()
    expect(page.locator(f"#claim-drop-{penalty.pk}")).to_have_count(0)  # a manager's call
    form = f"#claim-accept-{penalty.pk}"
    reveal(page, form)
    page.fill(f"{form} [name=accepted_on]", date.today().isoformat())
    page.fill(f"{form} [name=note]", "乙方邮件确认同意支付违约金")
    submit(page, form)
    expect_success(page)
    reveal(page, f"#settlement-open #line-{penalty.pk}")
    expect(page.locator(f"#settlement-open #line-{penalty.pk} .claim-outcome")).to_contain_text(
        "乙方邮件确认同意支付违约金"
    )
    penalty.refresh_from_db()
    assert not penalty.is_claim and penalty.claim_accepted_on == date.today()

    page.context.clear_cookies()
    login(page, live_server, "boss", "pw-boss")
    page.goto(url)
    form = f"#claim-drop-{small.pk}"
    reveal(page, form)
    page.fill(f"{form} [name=note]", "金额小，不再追究")
    submit(page, form)
    expect_success(page)
    expect(page.locator(f"#settlement-dropped #line-{small.pk}")).to_contain_text(
        "金额小，不再追究"
    )
    expect(page.locator("#settlement-claims")).to_have_count(0)
    small.refresh_from_db()
    assert small.claim_dropped_on == date.today()
