"""The auto-renewal figure's link (contract list filters), the reminder language recorded by the
language switch, and the admin registrations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.filters import ContractFilter
from partners.models import Contract
from terminations.dashboard import dashboard_figures
from terminations.models import CaseEvent, Notice, Stage, UserPreference
from tests.factories import ContractFactory

from .conftest import TODAY, make_case


def _renewing(end: datetime.date, **fields) -> Contract:
    return ContractFactory(
        auto_renews=True, start_date=end - datetime.timedelta(days=365), end_date=end, **fields
    )


@pytest.fixture
def renewals(staff_user, manager_user):
    return {
        # 30 days' notice: cut-offs 2026-06-10, 2026-06-25, 2026-08-31 (outside 30 days).
        "soon": _renewing(datetime.date(2026, 7, 10), notice_period=30, responsible=staff_user),
        "later": _renewing(datetime.date(2026, 7, 25), notice_period=30, responsible=manager_user),
        "far": _renewing(datetime.date(2026, 9, 30), notice_period=30, responsible=staff_user),
        "fixed_term": ContractFactory(
            auto_renews=False,
            start_date=datetime.date(2025, 7, 10),
            end_date=datetime.date(2026, 7, 10),
        ),
    }


def _listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_renewal_link_lists_exactly_the_contracts_in_the_window(renewals, manager_client):
    figure = dashboard_figures(today=TODAY)["renewals"]
    assert figure.value == 2
    assert _listed(manager_client, figure.url) == {renewals["soon"].pk, renewals["later"].pk}


def test_renewal_link_narrowed_by_owner(renewals, manager_client, staff_user):
    figure = dashboard_figures(today=TODAY, owner=staff_user.pk)["renewals"]
    assert figure.value == 1
    assert _listed(manager_client, figure.url) == {renewals["soon"].pk}


def test_renewal_cutoff_filters_bounds(renewals):
    def pks(**data):
        return {c.pk for c in ContractFilter(data, queryset=Contract.objects.all()).qs}

    assert pks(renewal_cutoff_after="2026-06-11") == {renewals["later"].pk, renewals["far"].pk}
    assert pks(renewal_cutoff_before="2026-06-24") == {renewals["soon"].pk}
    assert pks(renewal_cutoff_after="2026-06-10", renewal_cutoff_before="2026-06-10") == {
        renewals["soon"].pk
    }
    # Existing behaviour unchanged: no cut-off bounds, every contract; bad dates are ignored.
    assert pks() == {c.pk for c in renewals.values()}
    assert pks(auto_renews="false") == {renewals["fixed_term"].pk}


def test_language_switch_records_the_reminder_language(staff_client, staff_user):
    response = staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert UserPreference.objects.get(user=staff_user).language == "en"
    staff_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert UserPreference.objects.get(user=staff_user).language == "zh-hans"
    assert UserPreference.objects.count() == 1


def test_language_switch_ignores_unknown_languages_and_anonymous_users(
    staff_client, staff_user, anon_client
):
    staff_client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert not UserPreference.objects.exists()
    assert anon_client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert not UserPreference.objects.exists()


def test_admin_lists_cases_with_related_columns(admin_client, staff_user):
    case = make_case(stage=Stage.NOTICE, owner=staff_user, end_date=TODAY)
    url = reverse("admin:terminations_terminationcase_changelist")
    response = admin_client.get(url, {"stage__in": "notice,handover", "q": case.reference})
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert admin_client.get(reverse("admin:terminations_terminationcase_add")).status_code == 403


def test_admin_events_are_read_only(admin_client, staff_user):
    case = make_case(stage=Stage.NOTICE, owner=staff_user)
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, message="x")
    assert admin_client.get(reverse("admin:terminations_caseevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:terminations_caseevent_add")).status_code == 403
    change = reverse("admin:terminations_caseevent_change", args=[event.pk])
    assert admin_client.post(change, {"message": "changed"}).status_code == 403
    delete = reverse("admin:terminations_caseevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.message == "x"


def test_admin_issued_letter_is_read_only(admin_client, staff_user):
    case = make_case(stage=Stage.NOTICE, owner=staff_user)
    notice = Notice.objects.create(
        case=case,
        kind=Notice.Kind.TERMINATION,
        sequence=1,
        status=Notice.Status.ISSUED,
        origin=Notice.Origin.EXTERNAL,
        letter_number="T-L-1",
        issued_at=timezone.now(),
        facts="原文",
    )
    url = reverse("admin:terminations_notice_change", args=[notice.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"facts": "改写", "status": "draft"})
    notice.refresh_from_db()
    assert notice.facts == "原文" and notice.status == Notice.Status.ISSUED


@pytest.mark.parametrize(
    "model",
    [
        "handoveritem",
        "settlementline",
        "negotiationentry",
        "delivery",
        "reminder",
        "userpreference",
        "notice",
    ],
)
def test_admin_changelists_open(admin_client, model):
    assert admin_client.get(reverse(f"admin:terminations_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"renewal_cutoff_before": "9999-12-31"},
        {"renewal_cutoff_after": "0001-01-01", "renewal_cutoff_before": "9999-12-31"},
        {"renewal_cutoff_after": "9999-12-31"},
        {"renewal_cutoff_after": "not-a-date"},
    ],
)
def test_extreme_cutoff_bounds_are_not_a_500(renewals, manager_client, query):
    response = manager_client.get(reverse("partners:contract_list"), query)
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extreme_lapse_before_is_not_a_500(manager_client, staff_user, day):
    make_case(stage=Stage.ASSESSMENT, owner=staff_user, learned_on=datetime.date(2025, 6, 20))
    response = manager_client.get(reverse("terminations:case_list"), {"lapse_before": day})
    assert response.status_code == 200
    listed = {c.pk for c in response.context["page"].object_list}
    assert bool(listed) == (day == "9999-12-31")
