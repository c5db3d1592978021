from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from terminations.models import HandoverItem, Stage, TerminationCase
from tests.factories import ContractFactory, CreatorFactory

from .conftest import open_case

URL = reverse("terminations:case_list")


def refs(response) -> set[str]:
    return {c.reference for c in response.context["page"].object_list}


def test_anonymous_redirected_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_no_group_forbidden(nogroup_client):
    assert nogroup_client.get(URL).status_code == 403


def test_post_not_allowed(staff_client):
    assert staff_client.post(URL).status_code == 405


def test_viewer_reads_the_list(viewer_client, staff_user):
    case = open_case(by=staff_user)
    response = viewer_client.get(URL)
    assert response.status_code == 200
    assert case.reference in response.content.decode()


@pytest.fixture
def cases(staff_user, manager_user):
    agency = open_case(
        by=staff_user,
        stage=Stage.NOTICE,
        basis="contractual",
        end_date=date(2026, 7, 1),
    )
    creator = open_case(
        by=manager_user,
        partner=CreatorFactory(name="达人阿花"),
        stage=Stage.HANDOVER,
        basis="open_ended",
        end_date=date(2026, 5, 20),
        reason_category="fraud",
    )
    closed = open_case(by=staff_user, stage=Stage.CLOSED, basis="mutual", end_date=date(2026, 3, 1))
    fresh = open_case(by=staff_user)
    TerminationCase.objects.filter(pk=fresh.pk).update(owner=None)
    return {"agency": agency, "creator": creator, "closed": closed, "fresh": fresh}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=notice", {"agency"}),
        ("stage=notice&stage=handover", {"agency", "creator"}),
        ("stage=open", {"agency", "creator", "fresh"}),
        ("stage=closed", {"closed"}),
        ("basis=open_ended", {"creator"}),
        ("partner_kind=creator", {"creator"}),
        ("partner_kind=agency", {"agency", "fresh"}),  # open cases by default
        ("partner_kind=agency&stage=all", {"agency", "closed", "fresh"}),
        ("reason=fraud", {"creator"}),
        ("owner=mine", {"agency"}),
        ("owner=mine&stage=all", {"agency", "closed"}),
        ("owner=none", {"fresh"}),
        ("end_before=2026-06-30&stage=all", {"creator", "closed"}),
        ("end_after=2026-06-01", {"agency"}),
        ("end_after=2026-03-01&end_before=2026-05-20&stage=all", {"creator", "closed"}),
        ("q=阿花", {"creator"}),
    ],
)
def test_filters_narrow(staff_client, cases, query, expected):
    response = staff_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert refs(response) == {cases[name].reference for name in expected}


def test_filter_by_owner_id_and_contract_number(staff_client, cases, manager_user):
    response = staff_client.get(f"{URL}?owner={manager_user.pk}")
    assert refs(response) == {cases["creator"].reference}
    number = cases["agency"].contract.number
    response = staff_client.get(f"{URL}?q={number}")
    assert refs(response) == {cases["agency"].reference}


def test_overdue_includes_overdue_handover_items(staff_client, cases):
    # The creator's cooperation ended on 20 May and it is in handover: that alone is not late.
    assert refs(staff_client.get(f"{URL}?overdue=1")) == set()
    HandoverItem.objects.filter(case=cases["agency"]).update(due_date=date(2026, 5, 1))
    response = staff_client.get(f"{URL}?overdue=1")
    assert refs(response) == {cases["agency"].reference}


def test_a_passed_end_date_is_overdue_only_before_the_handover(staff_client, staff_user):
    ended = date(2026, 5, 20)  # today is 1 June 2026
    stuck = open_case(by=staff_user, stage=Stage.NOTICE, basis="contractual", end_date=ended)
    reviewing = open_case(
        by=staff_user,
        partner=CreatorFactory(),
        stage=Stage.REVIEW,
        basis="open_ended",
        end_date=ended,
    )
    assert refs(staff_client.get(f"{URL}?overdue=1")) == {stuck.reference}
    page = staff_client.get(URL).content.decode()
    rows = {
        ref: page.split(ref, 1)[1].split("</tr>", 1)[0]
        for ref in (stuck.reference, reviewing.reference)
    }
    assert "bi-exclamation-triangle" in rows[stuck.reference]
    assert "bi-exclamation-triangle" not in rows[reviewing.reference]


def test_dashboard_link_combination(staff_client, cases, staff_user):
    response = staff_client.get(
        f"{URL}?stage=notice&end_before=2026-12-01&partner_kind=agency&owner={staff_user.pk}"
    )
    assert refs(response) == {cases["agency"].reference}


@pytest.mark.parametrize("order", ["reference", "-reference", "partner", "-end", "stage", "opened"])
def test_ordering(staff_client, cases, order):
    response = staff_client.get(f"{URL}?o={order}")
    assert response.status_code == 200
    listed = [c.reference for c in response.context["page"].object_list]
    if order == "reference":
        assert listed == sorted(listed)
    if order == "-reference":
        assert listed == sorted(listed, reverse=True)


def test_stage_order_follows_the_workflow(staff_client, staff_user):
    from terminations.filters import WORKFLOW_ORDER

    for stage in reversed(WORKFLOW_ORDER):
        open_case(by=staff_user, stage=stage)
    for order, expected in (
        ("stage", list(WORKFLOW_ORDER)),
        ("-stage", list(WORKFLOW_ORDER)[::-1]),
    ):
        response = staff_client.get(f"{URL}?o={order}&stage=all")
        assert [c.stage for c in response.context["page"].object_list] == expected


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=9999",
        "page=-1",
        "o=bogus",
        "o=__class__",
        "stage=nonsense",
        "end_before=not-a-date",
        "end_after=2026-13-45",
        "owner=abc",
        "owner=99999",
        "overdue=yes",
        "basis=%00",
        "q=" + "x" * 500,
    ],
)
def test_malformed_querystrings_give_a_normal_page(staff_client, cases, query):
    response = staff_client.get(f"{URL}?{query}")
    assert response.status_code == 200


def test_pagination_25_a_page(staff_client, staff_user):
    for _ in range(27):
        open_case(by=staff_user)
    first = staff_client.get(URL)
    second = staff_client.get(f"{URL}?page=2")
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow(staff_client, staff_user):
    for _ in range(5):
        open_case(by=staff_user, end_date=date(2026, 7, 1))
    few = _count_queries(staff_client, URL)
    for _ in range(45):
        open_case(by=staff_user, partner=CreatorFactory(), end_date=date(2026, 5, 1))
    many = _count_queries(staff_client, URL)
    assert few == many


def test_partner_cases_partial_is_one_query(staff_user, django_assert_num_queries, rf):
    from django.template.loader import render_to_string

    contract = ContractFactory()
    for _ in range(3):
        case = open_case(by=staff_user, contract=contract)
        TerminationCase.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    partner = Partner.objects.get(pk=contract.partner_id)
    with django_assert_num_queries(1):
        html = render_to_string(
            "terminations/_partner_cases.html", {"partner": partner, "can_edit": True}
        )
    assert html.count("/cases/TC-") == 3
    assert f"?partner={partner.pk}" in html


def test_the_list_shows_open_cases_unless_asked_for_all(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    open_case(by=staff_user, stage=Stage.NOTICE)
    closed = open_case(by=staff_user, stage=Stage.CLOSED)
    response = staff_client.get(URL)
    listed = [c.pk for c in response.context["cases"]]
    assert closed.pk not in listed and len(listed) == 1
    assert response.context["filter"].form["stage"].value() == ["open"]
    every = staff_client.get(URL, {"stage": "all"})
    assert closed.pk in [c.pk for c in every.context["cases"]]
    html = every.content.decode()
    assert 'size="9"' in html  # every stage choice visible, none cut off
