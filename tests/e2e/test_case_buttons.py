"""The case page's smaller buttons, pressed by the role that uses them (issue 14): evidence,
reassigning the owner, giving a checklist item to someone, marking a payment made, a manager
waiving an item and reopening it, a clerk withdrawing a case, a manager reopening a closed one."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import (
    CaseEvent,
    HandoverItem,
    SettlementLine,
    Stage,
    TerminationCase,
)
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import accept_confirms, at, expect_success, reveal, submit
from tests.terminations.factories import make_ready_to_close, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _named(username: str, group: str, first: str, last: str):
    user = _user(username, group)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def test_the_clerk_and_the_manager_work_a_case_in_handover(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _named("clerk", "staff", "Wei", "Zhang")
        boss = _named("boss", "managers", "Li", "Wang")
        case = place_in_stage(open_case(by=clerk, basis="contractual"), Stage.HANDOVER)
        line = SettlementLine.objects.create(
            case=case,
            kind=SettlementLine.Kind.OTHER,
            direction=SettlementLine.Direction.TO_SHOP,
            amount=Decimal("1200.00"),
            description="Deposit returned",
        )
        first, second = case.handover_items.filter(status="open").order_by("position")[:2]
        url = f"{live_server.url}{case.get_absolute_url()}"
        accept_confirms(page)

        login(page, live_server, "clerk", "pw-clerk")
        page.goto(url)

        # Evidence: a link to the chat record.
        form = "form[action$='/evidence/']"
        reveal(page, form)
        page.fill(f"{form} [name=description]", "Chat record of 2026-05-30")
        page.fill(f"{form} [name=link]", "https://example.com/chat/0530")
        submit(page, form)
        expect_success(page)
        assert case.evidence.filter(description="Chat record of 2026-05-30").exists()

        # The owner of the case passes to the manager.
        form = "form[action$='/owner/']"
        page.select_option(f"{form} [name=owner]", str(boss.pk))
        submit(page, form)
        expect_success(page)
        case.refresh_from_db()
        assert case.owner == boss

        # A checklist item is given to the clerk: choosing the name posts it (htmx).
        row = page.locator(f"#item-{first.pk}")
        with page.expect_response(lambda r: r.url.endswith(f"/handover/{first.pk}/owner/")):
            row.locator("select[name=owner]").select_option(str(clerk.pk))
        first.refresh_from_db()
        assert first.owner == clerk

        # The deposit came back.
        form = f"#line-{line.pk} form[action$='/paid/']"
        reveal(page, form)
        page.fill(f"{form} [name=paid_on]", "2026-05-31")
        submit(page, form)
        expect_success(page)
        line.refresh_from_db()
        assert line.paid_on == date(2026, 5, 31)
        page.context.clear_cookies()

        # The manager waives an item, then thinks better of it and reopens it.
        login(page, live_server, "boss", "pw-boss")
        page.goto(url)
        row = page.locator(f"#item-{second.pk}")
        row.locator("form[action$='/waive/'] [name=note]").fill("Not used by this shop")
        row.locator("form[action$='/waive/'] button[type=submit]").click()
        expect(page.locator(f"#item-{second.pk} .badge.text-bg-secondary")).to_be_visible()
        second.refresh_from_db()
        assert second.status == HandoverItem.Status.WAIVED
        page.locator(f"#item-{second.pk} form[action$='/reopen/'] button[type=submit]").click()
        expect(page.locator(f"#item-{second.pk} form[action$='/complete/']")).to_be_visible()
        second.refresh_from_db()
        assert second.status == HandoverItem.Status.OPEN


def test_a_clerk_withdraws_and_a_manager_reopens(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        _user("boss", "managers")
        early = open_case(by=clerk)
        closed = open_case(by=clerk)
        make_ready_to_close(closed, by=clerk)
        closed = place_in_stage(closed, Stage.CLOSED)
        accept_confirms(page)

        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}{early.get_absolute_url()}")
        form = "form[action$='/actions/withdraw/']"
        page.fill(f"{form} [name=reason]", "The agency met its targets in May after all.")
        submit(page, form)
        expect_success(page)
        early.refresh_from_db()
        assert early.stage == Stage.WITHDRAWN
        page.context.clear_cookies()

        login(page, live_server, "boss", "pw-boss")
        page.goto(f"{live_server.url}{closed.get_absolute_url()}")
        form = "form[action$='/actions/reopen/']"
        page.fill(f"{form} [name=reason]", "The refund was never paid.")
        submit(page, form)
        expect_success(page)
        closed = TerminationCase.objects.get(pk=closed.pk)
        assert closed.stage == Stage.REVIEW
        assert closed.events.filter(kind=CaseEvent.Kind.REOPENED).exists()
