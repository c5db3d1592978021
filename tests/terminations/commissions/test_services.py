"""Commissions as the platform settles them, and what may still happen on a closed case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from terminations import commission_import as ci
from terminations.models import (
    CaseEvent,
    Commission,
    CommissionColumnMapping,
    FollowUpPlan,
    HandoverItem,
    SettlementLine,
    Stage,
)
from terminations.services import (
    COMMISSIONS_ITEM_CODE,
    CommissionImportRejected,
    TransitionError,
    commission_add,
    commission_advance,
    commission_mapping_remembered,
    commissions_import,
    plan_record,
    settlement_line_add,
    settlement_line_mark_paid,
    settlement_suggestion_add,
)
from tests.terminations.commissions.conftest import END, SAMPLE, SAMPLE_ORDERS, place
from tests.terminations.commissions.test_reading import SAMPLE_MAPPING


def sample_rows() -> list[dict[str, str]]:
    table = ci.read_table(SAMPLE.name, SAMPLE.read_bytes())
    return ci.mapped_rows(table, SAMPLE_MAPPING)


def events(case, kind) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=kind))


# --- by hand --------------------------------------------------------------------------------


def test_the_commissions_item_is_in_the_creator_checklist(creator_case):
    assert creator_case.handover_items.filter(code=COMMISSIONS_ITEM_CODE).exists()


def test_a_commission_entered_by_hand_is_tracked_and_completes_the_checklist_item(
    creator_case, staff_user
):
    item = creator_case.handover_items.get(code=COMMISSIONS_ITEM_CODE)
    assert item.status == HandoverItem.Status.OPEN
    commission = commission_add(
        case=creator_case,
        by=staff_user,
        ordered_on=date(2026, 5, 20),
        estimated_commission="2575.005",
        order_number="6900000000000000009",
    )
    assert commission.estimated_commission == Decimal("2575.01")
    assert (commission.status, commission.source) == ("paid", "manual")
    assert not SettlementLine.objects.exists()  # never a debt of the shop
    [event] = events(creator_case, CaseEvent.Kind.COMMISSION_RECORDED)
    assert event.actor == staff_user and event.data["amount"] == "2575.01"
    item.refresh_from_db()
    assert item.status == HandoverItem.Status.DONE and item.completed_by == staff_user
    assert "settles" in item.note
    done = events(creator_case, CaseEvent.Kind.HANDOVER_DONE)
    assert len(done) == 1 and done[0].data["automatic"] is True
    # A second commission does not complete it again.
    commission_add(
        case=creator_case, by=staff_user, ordered_on=date(2026, 5, 21), estimated_commission="1"
    )
    assert len(events(creator_case, CaseEvent.Kind.HANDOVER_DONE)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ordered_on": END + timedelta(days=1)}, "after the end date"),
        ({"estimated_commission": "0"}, "above zero"),
        ({"estimated_commission": "abc"}, "not an amount"),
    ],
)
def test_refused_commissions_change_nothing(creator_case, staff_user, kwargs, message):
    data = {"ordered_on": date(2026, 5, 20), "estimated_commission": "10", **kwargs}
    with pytest.raises(TransitionError, match=message):
        commission_add(case=creator_case, by=staff_user, **data)
    assert not Commission.objects.exists()
    assert not events(creator_case, CaseEvent.Kind.COMMISSION_RECORDED)


def test_the_same_order_cannot_be_tracked_twice(creator_case, staff_user):
    data = {"ordered_on": date(2026, 5, 20), "estimated_commission": "10", "order_number": "A1"}
    commission_add(case=creator_case, by=staff_user, **data)
    with pytest.raises(TransitionError, match="already tracked"):
        commission_add(case=creator_case, by=staff_user, **data)
    assert Commission.objects.count() == 1


def test_only_creator_cases_track_commissions_and_only_editors_record_them(
    agency_case, creator_case, viewer_user, staff_user
):
    with pytest.raises(TransitionError, match="creator cases only"):
        commission_add(
            case=agency_case, by=staff_user, ordered_on=date(2026, 5, 20), estimated_commission=1
        )
    with pytest.raises(TransitionError, match="Viewers read only"):
        commission_add(
            case=creator_case, by=viewer_user, ordered_on=date(2026, 5, 20), estimated_commission=1
        )
    assert not Commission.objects.exists()


def test_paid_confirmed_settled_with_the_expected_settlement_date_from_the_setting(
    creator_case, staff_user, settings
):
    settings.COMMISSION_SETTLEMENT_DAYS = 10
    commission = commission_add(
        case=creator_case, by=staff_user, ordered_on=date(2026, 5, 10), estimated_commission="50"
    )
    commission = commission_advance(
        commission=commission, by=staff_user, status="confirmed", on=date(2026, 5, 15)
    )
    assert commission.received_on == date(2026, 5, 15)
    assert commission.expected_settlement_on == date(2026, 5, 25)  # + the setting's 10 days
    commission = commission_advance(
        commission=commission,
        by=staff_user,
        status="settled",
        on=date(2026, 5, 26),
        settled_commission="48.5",
    )
    commission.refresh_from_db()
    assert (commission.status, commission.settled_on, commission.settled_commission) == (
        "settled",
        date(2026, 5, 26),
        Decimal("48.50"),
    )
    moves = [e.data["to"] for e in events(creator_case, CaseEvent.Kind.COMMISSION_UPDATED)]
    assert moves == ["confirmed", "settled"]
    with pytest.raises(TransitionError, match="cannot become"):
        commission_advance(
            commission=commission, by=staff_user, status="paid", on=date(2026, 5, 27)
        )
    with pytest.raises(TransitionError, match="cannot become"):
        commission_advance(
            commission=commission, by=staff_user, status="confirmed", on=date(2026, 5, 27)
        )


def test_a_date_in_the_future_or_before_the_order_is_refused(creator_case, staff_user):
    commission = commission_add(
        case=creator_case, by=staff_user, ordered_on=date(2026, 5, 10), estimated_commission="50"
    )
    for day in (date(2026, 6, 2), date(2026, 5, 9)):
        with pytest.raises(TransitionError):
            commission_advance(commission=commission, by=staff_user, status="settled", on=day)
    commission.refresh_from_db()
    assert commission.status == "paid"


# --- the import -----------------------------------------------------------------------------


def test_import_the_sample_then_reimport_updates_by_order_number(creator_case, staff_user):
    summary = commissions_import(
        case=creator_case, by=staff_user, rows=sample_rows(), mapping=SAMPLE_MAPPING
    )
    assert (summary.created, summary.updated, summary.unchanged) == (5, 0, 0)
    stored = {c.order_number: c for c in Commission.objects.filter(case=creator_case)}
    assert sorted(stored) == SAMPLE_ORDERS
    settled = stored[SAMPLE_ORDERS[2]]
    assert (settled.status, settled.settled_commission, settled.settled_on) == (
        "settled",
        Decimal("59.85"),
        date(2026, 5, 30),
    )
    assert stored[SAMPLE_ORDERS[0]].paid_amount == Decimal("199.00")
    assert stored[SAMPLE_ORDERS[0]].source == "import"
    assert commission_mapping_remembered() == SAMPLE_MAPPING
    assert creator_case.handover_items.get(code=COMMISSIONS_ITEM_CODE).status == "done"
    # The platform settles the first order: the next export says so.
    rows = sample_rows()
    rows[0].update(status="已结算", settled_commission="39.80", settled_at="2026-06-01 02:00:00")
    summary = commissions_import(
        case=creator_case, by=staff_user, rows=rows, mapping=SAMPLE_MAPPING
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 4)
    assert Commission.objects.count() == 5
    first = Commission.objects.get(order_number=SAMPLE_ORDERS[0])
    assert (first.status, first.settled_on) == ("settled", date(2026, 6, 1))
    imported = events(creator_case, CaseEvent.Kind.COMMISSIONS_IMPORTED)
    assert [e.data["created"] for e in imported] == [5, 0]


def test_one_bad_row_saves_nothing(creator_case, staff_user):
    rows = sample_rows()
    rows[3]["ordered_at"] = "2026-06-01 08:00:00"  # after the end date
    with pytest.raises(CommissionImportRejected) as rejected:
        commissions_import(case=creator_case, by=staff_user, rows=rows, mapping=SAMPLE_MAPPING)
    bad = [row for row in rejected.value.rows if not row.ok]
    assert [row.line for row in bad] == [5]
    assert "after the end date" in bad[0].errors[0][1]
    assert not Commission.objects.exists()
    assert not CommissionColumnMapping.objects.exists()
    assert not events(creator_case, CaseEvent.Kind.COMMISSIONS_IMPORTED)


def test_a_status_cannot_go_back_on_reimport(creator_case, staff_user):
    commissions_import(case=creator_case, by=staff_user, rows=sample_rows(), mapping=SAMPLE_MAPPING)
    rows = sample_rows()
    rows[2].update(status="已付款", settled_at="")  # was settled
    with pytest.raises(CommissionImportRejected):
        commissions_import(case=creator_case, by=staff_user, rows=rows, mapping=SAMPLE_MAPPING)
    assert Commission.objects.get(order_number=SAMPLE_ORDERS[2]).status == "settled"


# --- after closing: only what happens later -------------------------------------------------


@pytest.fixture
def closed_case(creator_case, staff_user):
    commissions_import(case=creator_case, by=staff_user, rows=sample_rows(), mapping=SAMPLE_MAPPING)
    settlement_line_add(
        case=creator_case,
        by=staff_user,
        kind="fee",
        direction="to_partner",
        amount="3000",
        description="坑位费",
    )
    settlement_line_add(
        case=creator_case,
        by=staff_user,
        kind="penalty",
        direction="to_shop",
        amount="5000",
        is_claim=True,
    )
    return place(creator_case, Stage.CLOSED)


def test_a_closed_case_records_the_payment_of_an_agreed_line(closed_case, staff_user):
    fee = closed_case.settlement_lines.get(kind="fee")
    settlement_line_mark_paid(line=fee, by=staff_user, paid_on=date(2026, 6, 1))
    fee.refresh_from_db()
    assert fee.paid and fee.paid_on == date(2026, 6, 1)
    last = CaseEvent.objects.filter(case=closed_case).last()
    assert last.kind == CaseEvent.Kind.SETTLEMENT_RECORDED and last.data["after_closing"] is True


def test_a_closed_case_refuses_the_payment_of_a_claim(closed_case, staff_user):
    claim = closed_case.settlement_lines.get(is_claim=True)
    before = CaseEvent.objects.filter(case=closed_case).count()
    with pytest.raises(TransitionError, match="claim"):
        settlement_line_mark_paid(line=claim, by=staff_user, paid_on=date(2026, 6, 1))
    claim.refresh_from_db()
    assert not claim.paid
    assert CaseEvent.objects.filter(case=closed_case).count() == before


def test_a_closed_case_records_the_platforms_settlement_and_refund(closed_case, staff_user):
    pending = Commission.objects.get(order_number=SAMPLE_ORDERS[0])
    commission_advance(commission=pending, by=staff_user, status="settled", on=date(2026, 6, 1))
    other = Commission.objects.get(order_number=SAMPLE_ORDERS[4])
    commission_advance(commission=other, by=staff_user, status="refunded", on=date(2026, 6, 1))
    updates = events(closed_case, CaseEvent.Kind.COMMISSION_UPDATED)
    assert [(e.data["to"], e.data["after_closing"]) for e in updates] == [
        ("settled", True),
        ("refunded", True),
    ]
    # ... but not the buyer's receipt: only the platform's settlement or refund.
    confirmed = Commission.objects.get(order_number=SAMPLE_ORDERS[1])
    with pytest.raises(TransitionError, match="closed"):
        commission_advance(
            commission=confirmed, by=staff_user, status="confirmed", on=date(2026, 6, 1)
        )


def test_a_closed_case_imports_only_settlements_of_tracked_orders(closed_case, staff_user):
    rows = sample_rows()
    rows[0].update(status="已结算", settled_commission="39.80", settled_at="2026-06-01 02:00:00")
    summary = commissions_import(case=closed_case, by=staff_user, rows=rows, mapping=SAMPLE_MAPPING)
    assert (summary.created, summary.updated) == (0, 1)
    new_order = [*sample_rows(), {**sample_rows()[0], "order_number": "6999999999999999999"}]
    with pytest.raises(CommissionImportRejected):
        commissions_import(case=closed_case, by=staff_user, rows=new_order, mapping=SAMPLE_MAPPING)
    changed_amount = sample_rows()
    changed_amount[1]["estimated_commission"] = "99.00"
    with pytest.raises(CommissionImportRejected):
        commissions_import(
            case=closed_case, by=staff_user, rows=changed_amount, mapping=SAMPLE_MAPPING
        )
    assert Commission.objects.count() == 5
    assert Commission.objects.get(order_number=SAMPLE_ORDERS[1]).estimated_commission == Decimal(
        "17.98"
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda case, user: settlement_line_add(
                case=case, by=user, kind="fee", direction="to_partner", amount="1"
            ),
            id="add-line",
        ),
        pytest.param(
            lambda case, user: commission_add(
                case=case, by=user, ordered_on=date(2026, 5, 20), estimated_commission="1"
            ),
            id="add-commission",
        ),
        pytest.param(
            lambda case, user: settlement_suggestion_add(case=case, by=user, key="refund"),
            id="add-suggestion",
        ),
        pytest.param(
            lambda case, user: plan_record(
                case=case,
                by=user,
                next_step=FollowUpPlan.NextStep.NEW_CREATORS,
                details="",
                review_on=date(2026, 9, 1),
                engage_again=False,
            ),
            id="plan",
        ),
    ],
)
def test_everything_else_is_refused_on_a_closed_case(closed_case, manager_user, change):
    before = (
        CaseEvent.objects.filter(case=closed_case).count(),
        SettlementLine.objects.count(),
        Commission.objects.count(),
    )
    with pytest.raises(TransitionError, match="closed"):
        change(closed_case, manager_user)
    after = (
        CaseEvent.objects.filter(case=closed_case).count(),
        SettlementLine.objects.count(),
        Commission.objects.count(),
    )
    assert after == before


def test_the_migration_turns_creator_commission_lines_into_tracked_commissions(
    creator_case, agency_case, staff_user
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("terminations.migrations.0008_commissions")
    # As before the fix: a creator's commission booked as the shop's debt, one paid.
    owed = SettlementLine.objects.create(
        case=creator_case,
        kind="commission",
        direction="to_partner",
        amount=Decimal("2575.00"),
        description="达人佣金",
        recorded_by=staff_user,
    )
    SettlementLine.objects.create(
        case=creator_case,
        kind="commission",
        direction="to_partner",
        amount=Decimal("715.00"),
        paid=True,
        paid_on=date(2026, 5, 31),
    )
    agency_line = SettlementLine.objects.create(
        case=agency_case, kind="commission", direction="to_partner", amount=Decimal("900.00")
    )
    migration.creator_commission_lines_to_tracking(apps, None)
    assert list(SettlementLine.objects.all()) == [agency_line]  # an agency's fee stays
    tracked = Commission.objects.filter(case=creator_case).order_by("estimated_commission")
    assert [(c.estimated_commission, c.status, c.settled_on) for c in tracked] == [
        (Decimal("715.00"), "settled", date(2026, 5, 31)),
        (Decimal("2575.00"), "paid", None),
    ]
    assert tracked[1].description == "达人佣金" and tracked[1].recorded_by == staff_user
    assert all(c.ordered_at.date() <= END for c in tracked)
    notes = CaseEvent.objects.filter(case=creator_case, kind=CaseEvent.Kind.NOTE)
    assert {e.data["converted_settlement_line"] for e in notes} >= {owed.pk}
    assert notes.count() == 2
