"""Malformed query strings and path parameters: a normal page, a 400 or a 404 in our layout,
never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terminations.models import Stage
from tests.factories import ContractFactory
from tests.terminations.factories import issue_letter

from .conftest import open_case

pytestmark = pytest.mark.django_db

COMMON = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=99999",
    "page=1e9",
    "page=99999999999999999999999999",
    "page=1&page=2",
    "o=__class__",
    "o=password",
    "o=-",
    "o=owner__password",
    "o=name&o=-name&o=__dict__",
    "q=" + "a" * 5000,
    "q=%00",
    "q=a%00b",
    "q=%ff%fe",
    "q=%",
    "%00=%00",
    "q[]=x&q[]=y",
    "&&&==&=",
]

# (url name, the list's own filters gone wrong)
LISTS = {
    "partners:list": [
        "kind=<script>",
        "status=%00",
        "status=archived&status=active",
        "kind=agency&kind=creator",
    ],
    "partners:contract_list": [
        "partner_kind=xx",
        "channel=%00",
        "auto_renews=maybe",
        "renewal_cutoff_after=2026-13-45",
        "renewal_cutoff_before=abc",
        "responsible=abc",
        "responsible=-1",
        "responsible=1e400",
        "responsible=99999999999999999999999999",
    ],
    "terminations:case_list": [
        "stage=<script>",
        "stage=open&stage=closed&stage=nonsense",
        "stage=%00",
        "owner=abc",
        "owner=-1",
        "owner=99999999999999999999999999",
        "owner=me&owner=abc",
        "end_before=2026-13-45",
        "end_after=2026-02-30",
        "end_before=%00",
        "lapse_before=abc",
        "basis=%00",
        "reason=<b>",
        "overdue=2",
        "awaiting_approval=x",
        "handover_overdue=x",
        "money=x",
        "partner_kind=x",
    ],
    "terminations:case_export_csv": [
        "stage=<script>",
        "owner=abc",
        "end_before=2026-13-45",
    ],
    "terminations:case_export_xlsx": [
        "stage=<script>",
        "owner=abc",
        "end_before=2026-13-45",
    ],
    "dashboard": [
        "owner=abc",
        "owner=-1",
        "owner=99999999999999999999999999",
        "period=abc",
        "period=-1",
        "period=99999999",
        "partner_kind=x",
    ],
    "terminations:my_work": [],
    "terminations:calculator": [
        "arrival=2026-02-30&period=30&unit=days",
        "arrival=2026-13-45",
        "arrival=%00&period=%00&unit=%00",
        "arrival=2026-06-01&period=-5&unit=days",
        "arrival=2026-06-01&period=0&unit=days",
        "arrival=2026-06-01&period=abc&unit=days",
        "arrival=2026-06-01&period=99999999&unit=days",
        "arrival=2026-06-01&period=99999999&unit=months",
        "arrival=2026-06-01&period=99999999&unit=workdays",
        "arrival=2026-06-01&period=99999999999999999999999&unit=days",
        "arrival=9999-12-31&period=30&unit=days",
        "arrival=0001-01-01&period=30&unit=workdays&counted_from=dispatch",
        "arrival=2026-06-01&period=30&unit=years",
        "arrival=2026-06-01&period=30&unit=days&counted_from=moon&roll=maybe",
        "arrival=2026-06-01&contract=abc",
        "arrival=2026-06-01&contract=99999999999999999999999999",
        "arrival=2026-06-01&contract=-1",
        "contract=abc",
        "contract=%00",
        "arrival=2026-06-01&arrival=2026-06-02&period=30&unit=days",
    ],
    "terminations:case_open": [
        "partner=abc",
        "partner=99999999999999999999999999",
        "contract=%00",
        "contract=99999999999999999999999999",
        "partner=-1&contract=-1",
    ],
    "terminations:notice_verify": ["code=<script>", "code=%00"],
}

CASES = [(name, qs) for name, own in LISTS.items() for qs in [*own, *COMMON]]


def assert_no_500(response) -> None:
    assert response.status_code in (200, 400, 404), response.status_code
    if response.streaming:
        b"".join(response.streaming_content)
    elif response.status_code in (400, 404) or "html" in response.get("Content-Type", ""):
        content = response.content.decode()
        if response.status_code != 200:
            assert 'class="navbar' in content  # our layout, not a bare error


@pytest.fixture
def some_data(staff_user):
    contract = ContractFactory(auto_renews=True)
    open_case(by=staff_user, contract=contract, stage=Stage.NOTICE)
    return contract


@pytest.mark.parametrize(("name", "qs"), CASES, ids=[f"{n}?{q[:40]}" for n, q in CASES])
def test_malformed_query_strings_never_give_500(manager_client, some_data, name, qs):
    response = manager_client.get(reverse(name) + "?" + qs)
    assert_no_500(response)


def test_calculator_with_a_contract_and_hostile_terms(manager_client, some_data):
    url = reverse("terminations:calculator")
    for qs in (
        f"arrival=2026-06-01&contract={some_data.pk}&period=-1&unit=x",
        f"arrival=9999-12-31&contract={some_data.pk}",
        f"arrival=0001-01-01&contract={some_data.pk}",
    ):
        assert_no_500(manager_client.get(f"{url}?{qs}"))


@pytest.mark.parametrize(
    "path",
    [
        "/cases/TC-2026-99999/",
        "/cases/..%2F..%2Fetc%2Fpasswd/",
        "/cases/%2e%2e/",
        "/cases/" + "A" * 5000 + "/",
        "/cases/%00/",
        "/cases/<script>/",
        "/cases/TC-2026-99999/bundle.zip",
        "/cases/..%2F..%2Fetc%2Fpasswd/bundle.zip",
        "/cases/TC-2026-99999/letters/new/",
        "/cases/%00/letters/new/",
        "/cases/%00/letters/external/",
        "/cases/%00/bundle.zip",
        "/cases/TC-2026-99999/letters/external/",
        "/partners/99999999999999999999999999/",
        "/partners/9223372036854775808/",
        "/partners/9223372036854775807/edit/",
        "/partners/contracts/99999999999999999999999999/",
        "/partners/contracts/99999999999999999999999999/edit/",
        "/partners/99999999999999999999999999/contracts/new/",
        "/partners/import/template/..%2F..%2Fetc%2Fpasswd.csv",
        "/partners/import/template/nope.csv",
        "/letters/99999999999999999999999999/",
        "/letters/9223372036854775808/pdf/",
        "/letters/9223372036854775808/scan/download/",
        "/letters/9223372036854775808/edit/",
        "/letters/9223372036854775808/deliveries/new/",
    ],
)
def test_malformed_path_parameters_are_404_in_our_layout(manager_client, path):
    response = manager_client.get(path)
    assert response.status_code == 404, response.status_code
    assert 'class="navbar' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/cases/TC-2026-99999/actions/advance_to_negotiation/",
        "/cases/TC-2026-99999/assessment/",
        "/cases/TC-2026-99999/handover/9223372036854775808/complete/",
        "/cases/TC-2026-99999/settlement/9223372036854775808/paid/",
        "/letters/9223372036854775808/approve/",
        "/letters/9223372036854775808/issue/",
        "/deliveries/9223372036854775808/arrival/",
        "/partners/9223372036854775808/archive/",
    ],
)
def test_malformed_path_parameters_on_posts_are_404(manager_client, path):
    response = manager_client.post(path)
    assert response.status_code == 404, response.status_code


def test_huge_pks_on_an_existing_case(manager_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    for tail in (
        "handover/9223372036854775808/complete/",
        "handover/99999999999999999999/waive/",
        "settlement/9223372036854775808/paid/",
        "actions/<script>/",
        "actions/..%2F/",
    ):
        response = manager_client.post(f"/cases/{case.reference}/{tail}")
        assert response.status_code == 404, (tail, response.status_code)


def test_letter_of_a_case_reached_by_its_own_pk_only(manager_client, staff_user, shop):
    case = open_case(by=staff_user, stage=Stage.NOTICE)
    notice = issue_letter(case)
    response = manager_client.get(reverse("terminations:notice_preview", args=[notice.pk]))
    assert response.status_code == 200


def test_hostile_headers_never_give_500(manager_client, some_data):
    for headers in (
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "<script>"},
        {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
        {"HTTP_REFERER": "javascript:alert(1)"},
    ):
        response = manager_client.get(reverse("terminations:case_list"), **headers)
        assert response.status_code == 200, headers
    for language in ("\x00", "x" * 5000, "../../etc"):
        manager_client.cookies["django_language"] = language
        assert manager_client.get(reverse("terminations:case_list")).status_code == 200


def test_bad_host_header_is_400_not_500():
    response = Client().get("/accounts/login/", HTTP_HOST="evil.example.com:99999")
    assert response.status_code == 400
