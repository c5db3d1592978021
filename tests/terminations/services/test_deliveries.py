"""The end date from deliveries, per basis (DOMAIN.md §3–4)."""

from datetime import date

import pytest

from terminations.models import Basis, CaseEvent, Delivery, Notice, Stage
from terminations.rules.choices import CountedFrom, PeriodUnit
from terminations.services import (
    TransitionError,
    case_recompute_end_date,
    case_record_cure_outcome,
    delivery_record_arrival,
    delivery_record_dispatch,
    delivery_record_refusal,
)
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.factories import (
    before_letter_done,
    issue_letter,
    open_case,
    place_in_stage,
)


def notice_case(staff_user, basis, **kwargs):
    case = before_letter_done(open_case(by=staff_user, basis=basis, **kwargs))
    return place_in_stage(case, Stage.NOTICE)


def send(letter, by, dispatched_on, method="courier"):
    return delivery_record_dispatch(
        notice=letter, by=by, method=method, dispatched_on=dispatched_on, reference="EMS1"
    )


def test_dispatch_needs_an_issued_letter(staff_user, viewer_user):
    case = notice_case(staff_user, Basis.OPEN_ENDED)
    draft = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, status=Notice.Status.ISSUED)
    Notice.objects.filter(pk=draft.pk).update(status=Notice.Status.DRAFT)
    draft.refresh_from_db()
    with pytest.raises(TransitionError):
        send(draft, staff_user, date(2026, 5, 1))
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 1))
    with pytest.raises(TransitionError):
        send(letter, viewer_user, date(2026, 5, 1))
    with pytest.raises(TransitionError):
        send(letter, staff_user, date(2026, 4, 30))  # before it was issued
    with pytest.raises(TransitionError):
        send(letter, staff_user, date(2026, 6, 2))  # in the future
    delivery = send(letter, staff_user, date(2026, 5, 1))
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DISPATCHED).count() == 1
    with pytest.raises(TransitionError):
        delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 4, 30))


def test_contractual_end_date_with_roll(staff_user):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner, notice_period=30, clause_notice="12.2")
    case = notice_case(staff_user, Basis.CONTRACTUAL, partner=partner, contract=contract)
    letter = issue_letter(case, issued_on=date(2026, 3, 5))
    delivery = send(letter, staff_user, date(2026, 3, 5))
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 3, 6))
    case.refresh_from_db()
    # 2026-03-06 + 30 days = 2026-04-05 (Qingming) → rolled to 2026-04-07.
    assert case.end_date == date(2026, 4, 7)
    assert case.end_date_nominal == date(2026, 4, 5)
    assert case.end_date_confirmed is True
    assert "203" in case.end_date_rule
    assert "12.2" in case.end_date_explanation_en
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.END_DATE_SET)
    assert event.data["end"] == "2026-04-07"


def test_earliest_arrival_wins(staff_user):
    case = notice_case(staff_user, Basis.OPEN_ENDED)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 3, 9))
    courier = send(letter, staff_user, date(2026, 3, 9))
    email = send(letter, staff_user, date(2026, 3, 10), method="email")
    delivery_record_arrival(delivery=courier, by=staff_user, arrived_on=date(2026, 3, 12))
    case.refresh_from_db()
    assert case.end_date == date(2026, 4, 13)  # 04-11 is a Saturday: rolled to Monday
    delivery_record_arrival(delivery=email, by=staff_user, arrived_on=date(2026, 3, 10))
    case.refresh_from_db()
    assert case.end_date == date(2026, 4, 9)  # 03-10 + 30 days, a Thursday
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.END_DATE_SET)
    assert [e.data["end"] for e in events] == ["2026-04-13", "2026-04-09"]
    # Recomputing without new facts changes nothing and appends nothing.
    case_recompute_end_date(case=case)
    assert events.count() == 2


def test_from_dispatch_contract(staff_user):
    partner = PartnerFactory()
    contract = ContractFactory(
        partner=partner,
        notice_period=1,
        notice_unit=PeriodUnit.MONTHS,
        notice_counted_from=CountedFrom.DISPATCH,
    )
    case = notice_case(staff_user, Basis.CONTRACTUAL, partner=partner, contract=contract)
    letter = issue_letter(case, issued_on=date(2026, 1, 31))
    delivery = send(letter, staff_user, date(2026, 1, 31))
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 2, 3))
    case.refresh_from_db()
    # Dispatch 2026-01-31 + 1 month → 2026-02-28 (art. 202), a Saturday that is a make-up
    # working day for the Spring Festival: no roll.
    assert case.end_date_nominal == date(2026, 2, 28)
    assert "204" in case.end_date_rule


def test_breach_ends_on_arrival_or_after_the_cure_period(staff_user):
    case = notice_case(staff_user, Basis.BREACH, prior_demand_on=date(2026, 4, 1))
    letter = issue_letter(case, issued_on=date(2026, 5, 11))
    delivery = send(letter, staff_user, date(2026, 5, 11))
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 13))
    case.refresh_from_db()
    assert case.end_date == date(2026, 5, 13)
    assert "565" in case.end_date_rule

    cure_case = notice_case(staff_user, Basis.BREACH, cure_period_days=10)
    cure = issue_letter(cure_case, kind=Notice.Kind.CURE, cure_period_days=10)
    delivery = send(cure, staff_user, date(2026, 5, 11))
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 12))
    cure_case.refresh_from_db()
    # A cure notice is conditional: no end date until staff record "not cured" after its period.
    assert cure_case.end_date is None
    cure_case = case_record_cure_outcome(
        case=cure_case, by=staff_user, outcome="not_cured", note="Nothing delivered by 5/22."
    )
    assert cure_case.end_date == date(2026, 5, 22)  # Friday
    assert "563" in cure_case.end_date_rule


def test_entrustment_ends_on_arrival_with_a_warning(staff_user):
    case = notice_case(staff_user, Basis.ENTRUSTMENT, entrustment_confirmed=True)
    letter = issue_letter(case, issued_on=date(2026, 5, 11))
    delivery = send(letter, staff_user, date(2026, 5, 11))
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 12))
    case = case_recompute_end_date(case=case)
    assert case.end_date == date(2026, 5, 12)
    assert "933" in case.end_date_rule
    assert any("933" in w for w in case.warnings)


def test_refused_delivery_is_flagged(staff_user):
    case = notice_case(staff_user, Basis.OPEN_ENDED)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 4))
    delivery = send(letter, staff_user, date(2026, 5, 4))
    delivery_record_refusal(delivery=delivery, by=staff_user, refused_on=date(2026, 5, 6))
    delivery.refresh_from_db()
    assert delivery.refused and delivery.refused_on == date(2026, 5, 6)
    refused = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REFUSED)
    assert refused.data["risk"] is True
    case = case_recompute_end_date(case=case)
    assert case.end_date == date(2026, 6, 5)
    assert "refused" in case.end_date_explanation_en
    assert any("refused delivery" in w for w in case.warnings)
    end_event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.END_DATE_SET)
    assert end_event.data["refused_only"] is True
    # A real arrival removes the flag.
    other = send(letter, staff_user, date(2026, 5, 7), method=Delivery.Method.EMAIL)
    delivery_record_arrival(delivery=other, by=staff_user, arrived_on=date(2026, 5, 7))
    case = case_recompute_end_date(case=case)
    assert not any("refused delivery" in w for w in case.warnings)


def test_superseded_and_withdrawal_letters_do_not_count(staff_user):
    case = notice_case(staff_user, Basis.OPEN_ENDED)
    old = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 4))
    delivery = send(old, staff_user, date(2026, 5, 4))
    Notice.objects.filter(pk=old.pk).update(status=Notice.Status.SUPERSEDED)
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 5))
    case.refresh_from_db()
    assert case.end_date is None
