import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from terminations.dashboard import dashboard_figures, stage_medians
from terminations.models import CaseEvent, HandoverItem, Notice, SettlementLine, Stage
from terminations.services import case_advance_to_negotiation, case_withdraw
from tests.factories import ContractFactory, CreatorFactory
from tests.terminations.factories import open_case

from .conftest import NOW, TODAY, make_case, make_item

D = datetime.timedelta


@pytest.fixture
def dataset(staff_user, manager_user):
    """A small shop: each case is built to land in exactly one or two figures."""
    c = {}
    c["ends_in_3"] = make_case(stage=Stage.NOTICE, owner=staff_user, end_date=TODAY + D(days=3))
    c["ends_in_20"] = make_case(
        stage=Stage.HANDOVER, owner=manager_user, end_date=TODAY + D(days=20)
    )
    c["ends_in_60"] = make_case(stage=Stage.HANDOVER, end_date=TODAY + D(days=60))
    c["draft"] = make_case(
        stage=Stage.NOTICE, owner=staff_user, partner=CreatorFactory(), reason_category="fraud"
    )
    Notice.objects.create(case=c["draft"], kind=Notice.Kind.TERMINATION, sequence=1)
    c["overdue"] = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY - D(days=5))
    make_item(c["overdue"], due=TODAY - D(days=1))
    make_item(c["overdue"], due=TODAY - D(days=2))
    make_item(c["overdue"], due=TODAY - D(days=3), status=HandoverItem.Status.DONE)
    c["lapsing"] = make_case(stage=Stage.ASSESSMENT, learned_on=datetime.date(2025, 6, 20))
    c["not_lapsing"] = make_case(stage=Stage.ASSESSMENT, learned_on=datetime.date(2026, 3, 1))
    c["closed"] = make_case(stage=Stage.CLOSED, end_date=TODAY + D(days=2))
    SettlementLine.objects.create(
        case=c["closed"], kind="penalty", direction="to_partner", amount=Decimal("5000.00")
    )
    SettlementLine.objects.create(
        case=c["overdue"],
        kind="refund",
        direction="to_shop",
        amount=Decimal("1200.50"),
        paid=True,
        paid_on=TODAY,
    )
    SettlementLine.objects.create(
        case=c["overdue"], kind="fee", direction="to_partner", amount=Decimal("300.00")
    )
    # Auto-renewal: ends 2026-07-31, 30 days' notice → must arrive by 2026-07-01 (a Wednesday).
    c["renewing"] = ContractFactory(
        auto_renews=True,
        start_date=datetime.date(2025, 8, 1),
        end_date=datetime.date(2026, 7, 31),
        responsible=staff_user,
    )
    ContractFactory(
        auto_renews=True, start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2026, 12, 31)
    )
    return c


def test_figures_on_a_crafted_dataset(dataset):
    f = dashboard_figures(today=TODAY)
    assert f["open"].value == 7
    assert {s.name: s.value for s in f["stages"]} == {
        "assessment": 2,
        "negotiation": 0,
        "notice": 2,
        "handover": 3,
        "review": 0,
    }
    assert f["ending_7"].value == 1
    assert f["ending_30"].value == 2
    assert f["awaiting_approval"].value == 1 and f["awaiting_approval"].extra["letters"] == 1
    assert f["handover_overdue"].value == 1 and f["handover_overdue"].extra["items"] == 2
    assert f["lapsing"].value == 1 and f["lapsing"].extra["dates"] == [datetime.date(2026, 6, 20)]
    rows = f["renewals"].extra["rows"]
    assert [(r.contract.pk, r.cutoff) for r in rows] == [
        (dataset["renewing"].pk, datetime.date(2026, 7, 1))
    ]
    assert f["renewals"].extra["without_case"] == 1
    money = {m.name: m.value for m in f["money"]}
    assert money == {
        "penalty_owed": Decimal("5000.00"),
        "refund_due": Decimal("0.00"),  # the refund was paid: nothing is due any more
        "fees_owed": Decimal("300.00"),
    }
    assert f["unsettled_to_partner"].value == Decimal("5300.00")
    assert f["unsettled_to_shop"].value == Decimal("0.00")
    assert {k.name: k.value for k in f["kinds"]}["creator"] == 1
    assert {r.name: r.value for r in f["reasons"]}["fraud"] == 1


def test_filters_narrow_every_figure(dataset, staff_user):
    f = dashboard_figures(today=TODAY, owner=staff_user.pk)
    assert f["open"].value == 3
    assert f["renewals"].value == 1
    f = dashboard_figures(today=TODAY, partner_kind=Partner.Kind.CREATOR)
    assert f["open"].value == 1 and f["renewals"].value == 0
    f = dashboard_figures(today=TODAY, period_days=7)
    assert f["renewals"].value == 0 and f["lapsing"].value == 0


def test_links_carry_the_agreed_filter_names(dataset, staff_user):
    f = dashboard_figures(today=TODAY, owner=staff_user.pk)
    query = parse_qs(urlsplit(f["ending_7"].url).query)
    assert query == {
        "owner": [str(staff_user.pk)],
        "stage": ["open"],
        "end_after": ["2026-06-01"],
        "end_before": ["2026-06-08"],
    }
    assert urlsplit(f["ending_7"].url).path == reverse("terminations:case_list")
    assert parse_qs(urlsplit(f["lapsing"].url).query)["lapse_before"] == ["2026-07-01"]


def _listed_references(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return (
        {c.reference for c in response.context["page"].object_list}
        if "page" in response.context
        else set()
    )


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("ending_7", {"ends_in_3"}),
        ("ending_30", {"ends_in_3", "ends_in_20"}),
        ("awaiting_approval", {"draft"}),
        ("handover_overdue", {"overdue"}),
        ("lapsing", {"lapsing"}),
        (
            "open",
            {"ends_in_3", "ends_in_20", "ends_in_60", "draft", "overdue", "lapsing", "not_lapsing"},
        ),
    ],
)
def test_each_link_lists_exactly_its_cases(dataset, manager_client, figure, expected):
    f = dashboard_figures(today=TODAY)
    url = f[figure].url
    response = manager_client.get(url)
    assert response.status_code == 200
    listed = {c.reference for c in response.context["page"].object_list}
    assert listed == {dataset[name].reference for name in expected}
    assert f[figure].value == len(expected)


def test_money_link_lists_cases_with_such_lines(dataset, manager_client):
    f = dashboard_figures(today=TODAY)
    penalty = next(m for m in f["money"] if m.name == "penalty_owed")
    response = manager_client.get(penalty.url)
    assert {c.reference for c in response.context["page"].object_list} == {
        dataset["closed"].reference
    }


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(ctx)


def _bulk(n, owner):
    for i in range(n):
        case = make_case(
            stage=[Stage.ASSESSMENT, Stage.NOTICE, Stage.HANDOVER][i % 3],
            owner=owner,
            end_date=TODAY + D(days=i % 40),
            learned_on=TODAY - D(days=300 + i),
        )
        make_item(case, due=TODAY - D(days=1))
        Notice.objects.create(case=case, kind=Notice.Kind.TERMINATION, sequence=1)
        SettlementLine.objects.create(
            case=case, kind="penalty", direction="to_partner", amount=Decimal("10")
        )
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.STAGE_CHANGED, from_stage="assessment", to_stage="notice"
        )
        ContractFactory(
            auto_renews=True,
            start_date=datetime.date(2025, 1, 1),
            end_date=TODAY + D(days=30 + i),
            responsible=owner,
        )


def test_query_count_does_not_grow_with_rows(manager_client, staff_user):
    _bulk(5, staff_user)
    small = _count_queries(manager_client)
    _bulk(45, staff_user)
    large = _count_queries(manager_client)
    assert small == large
    assert large <= 16  # 15, and one for the reminders that stopped retrying (issue 15)
    with CaptureQueriesContext(connection) as ctx:
        manager_client.get(
            reverse("dashboard"), {"owner": staff_user.pk, "partner_kind": "agency", "period": "90"}
        )
    assert len(ctx) == large


def test_stage_medians_from_events(staff_user):
    case = make_case(stage=Stage.HANDOVER)
    case.opened_at = NOW - D(days=20)
    case.save(update_fields=["opened_at"])
    CaseEvent.objects.create(
        case=case,
        kind="stage_changed",
        from_stage="assessment",
        to_stage="notice",
        created_at=NOW - D(days=16),
    )
    CaseEvent.objects.create(
        case=case,
        kind="stage_changed",
        from_stage="notice",
        to_stage="handover",
        created_at=NOW - D(days=6),
    )
    other = make_case(stage=Stage.NOTICE)
    other.opened_at = NOW - D(days=10)
    other.save(update_fields=["opened_at"])
    CaseEvent.objects.create(
        case=other,
        kind="stage_changed",
        from_stage="assessment",
        to_stage="notice",
        created_at=NOW - D(days=8),
    )
    medians = stage_medians(today=TODAY)
    assert medians["assessment"]["median"] == 3.0 and medians["assessment"]["count"] == 2
    assert medians["notice"]["median"] == 10.0
    assert medians["handover"]["median"] is None


def test_each_stage_change_stores_its_stay_and_the_medians_follow_at_once(staff_user):
    with time_machine.travel(NOW - D(days=10), tick=False):
        case = open_case(by=staff_user)
    with time_machine.travel(NOW - D(days=6), tick=False):
        case = case_advance_to_negotiation(case=case, by=staff_user)
    change = CaseEvent.objects.get(case=case, to_stage=Stage.NEGOTIATION)
    assert change.stay_days == 4.0  # opened ten days ago, moved on six days ago
    assert dashboard_figures(today=TODAY)["medians"]["assessment"]["median"] == 4.0

    with time_machine.travel(NOW - D(days=1, hours=12), tick=False):
        case_withdraw(case=case, by=staff_user, reason="对方已整改")
    medians = dashboard_figures(today=TODAY)["medians"]
    assert (medians["negotiation"]["median"], medians["negotiation"]["count"]) == (4.5, 1)


def test_dashboard_page_renders_with_charts_and_tables(dataset, manager_client):
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get(reverse("dashboard"), {"period": "30"})
    content = response.content.decode()
    assert 'id="dashboard-data"' in content and "js/dashboard.js" in content
    assert "<script>" not in content and "style=" not in content
    assert 'data-figure="ending_7"' in content
    assert dataset["renewing"].number in content


def test_bad_filter_values_are_ignored(manager_client):
    response = manager_client.get(
        reverse("dashboard"), {"owner": "x", "period": "999", "partner_kind": "zzz"}
    )
    assert response.status_code == 200


def test_access(anon_client, nogroup_client, viewer_client, staff_client, manager_client):
    url = reverse("dashboard")
    assert anon_client.get(url).status_code == 302
    assert "login" in anon_client.get(url)["Location"]
    assert nogroup_client.get(url).status_code == 403
    assert viewer_client.get(url).status_code == 200  # the lawyer and finance read it
    response = staff_client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("terminations:my_work")
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url).status_code == 405


def test_the_migration_fills_the_stays_of_existing_histories(staff_user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("terminations.migrations.0005_case_event_stay_days")
    with time_machine.travel(NOW - D(days=10), tick=False):
        case = open_case(by=staff_user)
    with time_machine.travel(NOW - D(days=7), tick=False):
        case = case_advance_to_negotiation(case=case, by=staff_user)
    with time_machine.travel(NOW - D(days=2), tick=False):
        case_withdraw(case=case, by=staff_user, reason="对方已整改")
    CaseEvent.objects.update(stay_days=None)  # as before the migration

    migration.fill_stay_days(apps, None)
    stays = dict(
        CaseEvent.objects.filter(case=case)
        .exclude(from_stage="")
        .values_list("from_stage", "stay_days")
    )
    assert stays == {"assessment": 3.0, "negotiation": 5.0}
