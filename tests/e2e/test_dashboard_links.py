"""Journey (c): every dashboard figure a manager clicks lists exactly the rows it counted.

The expected references are computed here from the stored rows with plain queries, not through
the dashboard's own code, so a figure and its list cannot agree by sharing a mistake.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD, seed_all
from terminations.demo import seed_demo_cases
from terminations.models import HandoverItem, Notice, Stage, TerminationCase
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPEN_STAGES = [Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE, Stage.HANDOVER, Stage.REVIEW]


def _figure_value(page: Page, name: str) -> int:
    figure = page.locator(f"a[data-figure='{name}'] .fs-3")
    expect(figure).to_have_count(1)
    return int(figure.inner_text().strip().replace(",", ""))


def _follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.click(f"a[data-figure='{name}']")


def _listed_references(page: Page) -> set[str]:
    rows = page.locator("#case-table tr.case-row")
    return {text.strip() for text in rows.locator("td:first-child a").all_inner_texts()}


def _check_case_figure(page: Page, dashboard_url: str, name: str, expected: set[str]) -> int:
    page.goto(dashboard_url)
    value = _figure_value(page, name)
    assert value == len(expected), (
        f"figure {name} says {value}, the stored rows give {len(expected)}: {sorted(expected)}"
    )
    _follow(page, name)
    expect(page.locator("#case-table tr.case-row")).to_have_count(value)
    assert _listed_references(page) == expected, f"figure {name} links to other cases"
    return value


def test_dashboard_figures_link_to_exactly_their_rows(page, live_server):
    today = timezone.localdate()
    register = seed_all(today=today)
    seed_demo_cases(
        staff=register.users["staff"],
        manager=register.users["manager"],
        partners=register.partners,
        contracts=register.contracts,
        today=today,
    )
    page.set_default_timeout(15_000)
    login(page, live_server, "manager", DEMO_PASSWORD)
    dashboard_url = f"{live_server.url}/dashboard/"

    open_cases = TerminationCase.objects.filter(stage__in=OPEN_STAGES)

    def refs(queryset) -> set[str]:
        return set(queryset.values_list("reference", flat=True))

    # All open cases, and open cases by stage.
    shown = {"open": _check_case_figure(page, dashboard_url, "open", refs(open_cases))}
    for stage in OPEN_STAGES:
        name = f"stage-{stage.value}"
        shown[name] = _check_case_figure(
            page, dashboard_url, name, refs(open_cases.filter(stage=stage))
        )
    assert shown["open"] > 0 and sum(1 for s in OPEN_STAGES if shown[f"stage-{s.value}"]) >= 3

    # Notice periods ending in the next 30 days.
    ending = open_cases.filter(end_date__gte=today, end_date__lte=today + timedelta(days=30))
    shown["ending_30"] = _check_case_figure(page, dashboard_url, "ending_30", refs(ending))

    # Cases with overdue handover items.
    overdue = open_cases.filter(
        handover_items__status=HandoverItem.Status.OPEN, handover_items__due_date__lt=today
    ).distinct()
    shown["handover_overdue"] = _check_case_figure(
        page, dashboard_url, "handover_overdue", refs(overdue)
    )

    # Cases with letters awaiting approval.
    awaiting = open_cases.filter(notices__status=Notice.Status.DRAFT).distinct()
    shown["awaiting_approval"] = _check_case_figure(
        page, dashboard_url, "awaiting_approval", refs(awaiting)
    )

    # The demo data has something behind each of these figures (else the check proves little).
    for name in ("ending_30", "handover_overdue"):
        assert shown[name] > 0, f"the demo data gives no {name} case"

    # Auto-renewal cut-offs: the contract list shows the contracts of the dashboard's table.
    page.goto(dashboard_url)
    renewals = _figure_value(page, "renewals")
    table_numbers = {
        text.strip()
        for text in page.locator(
            "section[aria-labelledby=h-due] table tbody tr td:nth-child(2) a"
        ).all_inner_texts()
    }
    _follow(page, "renewals")
    rows = page.locator("tr.contract-row")
    expect(rows).to_have_count(renewals)
    assert renewals > 0, "the demo data has an auto-renewing contract with a cut-off ahead"
    listed = {text.strip() for text in rows.locator("td:first-child a").all_inner_texts()}
    assert listed == table_numbers
