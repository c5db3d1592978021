"""The notice-period calculator page: personas, querystring, bad input, languages."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

URL = reverse("terminations:calculator")
NATIONAL_DAY = {"arrival": "2026-09-01", "period": "30", "unit": "days"}


def _en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("persona", ["staff_client", "manager_client", "viewer_client"])
def test_every_group_may_use_it(request, persona):
    client = request.getfixturevalue(persona)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="arrival"' in response.content
    assert b'id="result"' not in response.content


def test_user_in_no_group_is_refused(nogroup_client):
    assert nogroup_client.get(URL, NATIONAL_DAY).status_code == 403


def test_anonymous_is_sent_to_log_in(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_post_is_not_allowed(staff_client):
    assert staff_client.post(URL, NATIONAL_DAY).status_code == 405


def test_result_from_the_querystring_in_english(staff_client):
    response = _en(staff_client).get(URL, NATIONAL_DAY)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="end-date">2026-10-08' in body
    assert "2026-10-01" in body  # the nominal date
    assert "rolled to 2026-10-08" in body  # the English explanation is the main one
    assert "民法典第201、203条" in body
    assert 'data-testid="unconfirmed"' not in body
    assert response.context["result"].end == date(2026, 10, 8)
    # The form is read back from the querystring, so the link is shareable.
    assert 'value="2026-09-01"' in body


def test_chinese_by_default_shows_the_chinese_explanation(staff_client):
    response = staff_client.get(URL, NATIONAL_DAY)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-CN"' in body
    assert "顺延至2026-10-08" in body
    # The other language is offered too.
    assert "rolled to 2026-10-08" in body


def test_accept_language_header_selects_english(staff_client):
    response = staff_client.get(URL, NATIONAL_DAY, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in response.content.decode()
    assert "End of the notice period" in response.content.decode()


def test_options_from_the_querystring(staff_client):
    response = staff_client.get(
        URL, {**NATIONAL_DAY, "roll": "0", "counted_from": "dispatch", "first_day_counts": "on"}
    )
    result = response.context["result"]
    assert (result.nominal, result.end, result.rolled) == (
        date(2026, 9, 30),
        date(2026, 9, 30),
        False,
    )
    workdays = staff_client.get(URL, {"arrival": "2026-02-10", "period": "10", "unit": "workdays"})
    assert workdays.context["result"].end == date(2026, 3, 2)


def test_missing_roll_means_the_default_roll(staff_client):
    response = staff_client.get(URL, NATIONAL_DAY)
    assert response.context["result"].rolled


def test_unpublished_year_is_labelled_a_best_estimate(staff_client):
    response = _en(staff_client).get(URL, {"arrival": "2027-09-01", "period": "30", "unit": "days"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="best-estimate"' in body
    assert "Best estimate: the official holiday arrangement for 2027" in body
    assert response.context["result"].end == date(2027, 10, 6)  # not National Day


@pytest.mark.parametrize(
    "params",
    [
        {"arrival": "2026-13-45", "period": "30", "unit": "days"},
        {"arrival": "", "period": "30", "unit": "days"},
        {"arrival": "2026-09-01", "period": "0", "unit": "days"},
        {"arrival": "2026-09-01", "period": "-5", "unit": "days"},
        {"arrival": "2026-09-01", "period": "abc", "unit": "days"},
        {"arrival": "2026-09-01", "period": "30", "unit": "weeks"},
        {"arrival": "2026-09-01", "period": "30", "unit": "days", "counted_from": "moon"},
        {"arrival": "2026-09-01", "period": "30", "unit": "days", "roll": "maybe"},
        {"arrival": "2026-09-01", "period": "5000", "unit": "months"},  # the rules refuse it
        {"arrival": "9999-12-30", "period": "30", "unit": "days"},  # out of range
        {"arrival": "2026-09-01"},  # no terms and no contract
        {"arrival": "2026-09-01", "contract": "999999"},
        {"arrival": "2026-09-01", "contract": "x"},
    ],
)
def test_bad_input_shows_errors_not_a_500(staff_client, params):
    response = _en(staff_client).get(URL, params)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["form"].errors
    assert b"invalid-feedback" in response.content or b"alert-danger" in response.content


def test_missing_terms_message_in_english(staff_client):
    response = _en(staff_client).get(URL, {"arrival": "2026-09-01"})
    assert "Enter the notice period, or choose a contract." in response.content.decode()


def test_contract_terms_are_used(staff_client):
    contract = ContractFactory(
        notice_period=1,
        notice_unit="months",
        first_day_counts=False,
        roll_over_rest_days=True,
        clause_notice="12.1",
        auto_renews=False,
    )
    # The typed terms are ignored when a contract is chosen.
    response = _en(staff_client).get(
        URL, {"arrival": "2026-09-01", "contract": contract.pk, "period": "5", "unit": "days"}
    )
    body = response.content.decode()
    assert response.context["result"].end == date(2026, 10, 8)
    assert contract.number in body
    assert "clause 12.1" in body
    assert response.context["renewal"] is None
    assert 'id="renewal"' not in body


def test_auto_renewing_contract_shows_the_cutoff(staff_client):
    contract = ContractFactory(
        auto_renews=True,
        end_date=date(2026, 10, 31),
        non_renewal_period=30,
        non_renewal_unit="days",
    )
    response = _en(staff_client).get(URL, {"arrival": "2026-09-01", "contract": contract.pk})
    body = response.content.decode()
    assert response.context["renewal"].end == date(2026, 9, 30)
    assert 'data-testid="renewal-date">2026-09-30' in body
    assert "the desk advises the last working day before it" in body
    assert "203" not in response.context["renewal"].rule


def test_a_contract_link_preselects_it(viewer_client):
    contract = ContractFactory()
    response = viewer_client.get(URL, {"contract": contract.pk})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert not response.context["form"].is_bound
    assert f'value="{contract.pk}" selected' in response.content.decode()


def test_query_count_does_not_grow_with_the_register(staff_client, django_assert_max_num_queries):
    contracts = ContractFactory.create_batch(5)
    with django_assert_max_num_queries(8):
        response = staff_client.get(URL, {"arrival": "2026-09-01", "contract": contracts[0].pk})
    assert response.status_code == 200
