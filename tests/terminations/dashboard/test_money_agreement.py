"""The dashboard's money agrees line by line with the settlements, and a creator's commission
settled by the platform is never counted as the shop's debt."""

import datetime
from decimal import Decimal

from django.urls import reverse

from terminations.dashboard import dashboard_figures
from terminations.models import Commission, SettlementLine, Stage
from terminations.services import settlement_net
from tests.factories import CreatorFactory

from .conftest import NOW, TODAY, make_case

LINES = [
    # (kind, direction, amount, is_claim, paid)
    ("penalty", "to_partner", "5000.00", False, False),
    ("termination_fee", "to_partner", "2000.00", False, False),
    ("fee", "to_partner", "300.00", False, False),
    ("commission", "to_partner", "700.00", False, False),  # an agency's commission: its fee
    ("refund", "to_shop", "1200.50", False, False),
    ("refund", "to_shop", "999.00", False, True),
    ("penalty", "to_shop", "40000.00", True, False),
    ("deposit", "to_shop", "800.00", False, False),
]


def test_dashboard_money_agrees_with_each_cases_net(staff_client, manager_client):
    cases = [
        make_case(stage=Stage.REVIEW),
        make_case(stage=Stage.CLOSED),
        make_case(stage=Stage.HANDOVER),
    ]
    for index, (kind, direction, amount, claim, paid) in enumerate(LINES):
        SettlementLine.objects.create(
            case=cases[index % 3],
            kind=kind,
            direction=direction,
            amount=Decimal(amount),
            is_claim=claim,
            paid=paid,
            paid_on=TODAY if paid else None,
        )
    # A claim the shop dropped counts nowhere: not in the claims, not in the money.
    SettlementLine.objects.create(
        case=cases[1],
        kind="penalty",
        direction="to_shop",
        amount=Decimal("3000.00"),
        is_claim=True,
        claim_dropped_on=TODAY,
        claim_note="not worth a lawsuit",
    )
    creator = make_case(stage=Stage.CLOSED, partner=CreatorFactory())
    for status, amount in (("paid", "39.80"), ("confirmed", "17.98"), ("settled", "59.85")):
        Commission.objects.create(
            case=creator,
            order_number=f"69{amount}",
            ordered_at=NOW - datetime.timedelta(days=10),
            estimated_commission=Decimal(amount),
            status=status,
            settled_on=TODAY if status == "settled" else None,
        )
    f = dashboard_figures(today=TODAY)
    nets = [settlement_net(case=case) for case in [*cases, creator]]
    to_shop = sum((n["net"].to_shop_total for n in nets), Decimal("0"))
    to_partner = sum((n["net"].to_partner_total for n in nets), Decimal("0"))
    assert f["unsettled_to_shop"].value == to_shop == Decimal("2000.50")
    assert f["unsettled_to_partner"].value == to_partner == Decimal("8000.00")
    assert f["net_unsettled"] == to_shop - to_partner
    claims = sum((n["claims_total"] for n in nets), Decimal("0"))
    assert f["claims_open"].value == claims == Decimal("40000.00")
    money = {m.name: m.value for m in f["money"]}
    assert money == {
        "penalty_owed": Decimal("7000.00"),
        "refund_due": Decimal("1200.50"),
        "fees_owed": Decimal("1000.00"),
    }
    # The platform's: shown apart, counted nowhere above.
    assert f["commission_platform"].value == Decimal("57.78")
    assert f["commission_platform"].extra["orders"] == 2

    page = manager_client.get(reverse("dashboard")).content.decode()
    assert 'data-figure="commission_platform"' in page and "按精选联盟规则结算" in page
    # The figure's link lists exactly the case with commissions still to be settled.
    listed = staff_client.get(f["commission_platform"].url)
    assert [c.pk for c in listed.context["cases"]] == [creator.pk]
    listed = staff_client.get(f["claims_open"].url)
    assert [c.pk for c in listed.context["cases"]] == [cases[0].pk]


def test_dashboard_query_count_does_not_grow_with_commissions(db, django_assert_max_num_queries):
    creator = make_case(stage=Stage.REVIEW, partner=CreatorFactory())
    dashboard_figures(today=TODAY)  # warm the caches of the date rules
    with django_assert_max_num_queries(12):
        dashboard_figures(today=TODAY)
    Commission.objects.bulk_create(
        Commission(
            case=creator,
            order_number=f"69{i:017d}",
            ordered_at=NOW - datetime.timedelta(days=3),
            estimated_commission=Decimal("1.00"),
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(12):
        f = dashboard_figures(today=TODAY)
    assert f["commission_platform"].value == Decimal("200.00")
