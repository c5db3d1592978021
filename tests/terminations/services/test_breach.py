"""Termination for breach (DOMAIN.md §3): the cure notice as a conditional termination, and the
demand an unconditional termination letter needs."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terminations.models import Basis, CaseEvent, EvidenceFile, Notice, Stage
from terminations.selectors import case_deadline
from terminations.services import (
    TransitionError,
    case_advance_to_notice,
    case_confirm_no_demand,
    case_record_cure_outcome,
    case_update_assessment,
    delivery_record_arrival,
    delivery_record_dispatch,
    notice_draft,
)
from tests.terminations.factories import (
    PDF_BYTES,
    before_letter_done,
    issue_letter,
    open_case,
    place_in_stage,
)

pytestmark = pytest.mark.django_db

# Today is 2026-06-01 (tests/terminations/services/conftest.py).


def breach_case(staff_user, **fields):
    case = before_letter_done(open_case(by=staff_user, basis=Basis.BREACH, **fields))
    return place_in_stage(case, Stage.NOTICE)


def test_no_unconditional_breach_letter_without_a_demand_or_a_reason(staff_user, manager_user):
    case = breach_case(staff_user, cure_period_days=10)
    with pytest.raises(TransitionError) as refused:
        notice_draft(case=case, by=staff_user, kind=Notice.Kind.TERMINATION)
    assert "cure notice" in str(refused.value) and refused.value.anchor == "assessment"
    # The cure notice is always possible: it is the demand.
    notice_draft(case=case, by=staff_user, kind=Notice.Kind.CURE)
    # A demand whose period has not passed is not enough.
    case = case_update_assessment(
        case=case,
        by=staff_user,
        prior_demand_on=date(2026, 5, 25),
        prior_demand_until=date(2026, 6, 5),
    )
    with pytest.raises(TransitionError) as refused:
        notice_draft(case=case, by=staff_user, kind=Notice.Kind.TERMINATION)
    assert "2026-06-05" in str(refused.value)
    case = case_update_assessment(case=case, by=staff_user, prior_demand_until=date(2026, 5, 31))
    notice = notice_draft(case=case, by=staff_user, kind=Notice.Kind.TERMINATION)
    assert notice.kind == Notice.Kind.TERMINATION


def test_a_manager_confirms_why_no_demand_is_needed(staff_user, manager_user):
    case = breach_case(staff_user)
    with pytest.raises(TransitionError):
        case_confirm_no_demand(case=case, by=staff_user, ground="refusal", reason="x")
    with pytest.raises(TransitionError):
        case_confirm_no_demand(case=case, by=manager_user, ground="whim", reason="x")
    with pytest.raises(TransitionError):
        case_confirm_no_demand(case=case, by=manager_user, ground="refusal", reason=" ")
    case = case_confirm_no_demand(
        case=case,
        by=manager_user,
        ground="refusal",
        reason="2026-05-20 对方书面声明不再履行直播排期。",
    )
    assert case.no_demand_confirmed_by == manager_user
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.NO_DEMAND_CONFIRMED)
    assert event.data == {"ground": "refusal"} and "不再履行" in event.message
    notice_draft(case=case, by=staff_user, kind=Notice.Kind.TERMINATION)


def test_breach_without_demand_cure_period_or_reason_cannot_go_to_the_notice(
    staff_user, manager_user
):
    case = open_case(by=staff_user, basis=Basis.BREACH)
    case = place_in_stage(case, Stage.NEGOTIATION)
    with pytest.raises(TransitionError):
        case_advance_to_notice(case=case, by=staff_user)
    case_confirm_no_demand(case=case, by=manager_user, ground="purpose", reason="假货")
    assert case_advance_to_notice(case=case, by=staff_user).stage == Stage.NOTICE


def _arrived_cure_notice(staff_user, case, *, arrived_on=date(2026, 5, 12)):
    cure = issue_letter(case, kind=Notice.Kind.CURE, cure_period_days=10, issued_on=arrived_on)
    delivery = delivery_record_dispatch(
        notice=cure, by=staff_user, method="courier", dispatched_on=arrived_on
    )
    delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=arrived_on)
    case.refresh_from_db()
    return cure


def test_not_cured_ends_the_contract_at_the_end_of_the_period(staff_user):
    case = breach_case(staff_user, cure_period_days=10)
    _arrived_cure_notice(staff_user, case, arrived_on=date(2026, 5, 25))
    assert case.end_date is None
    deadline = case_deadline(case, today=date(2026, 6, 1))
    assert (deadline.kind, deadline.on) == ("cure", date(2026, 6, 4))
    with pytest.raises(TransitionError) as refused:  # the period has not run out
        case_record_cure_outcome(case=case, by=staff_user, outcome="not_cured", note="none")
    assert "2026-06-04" in str(refused.value)
    case.refresh_from_db()
    assert case.cure_outcome == ""

    other = breach_case(staff_user, cure_period_days=10)
    _arrived_cure_notice(staff_user, other)  # 5/12 + 10 days = 5/22, passed
    other = case_record_cure_outcome(
        case=other,
        by=staff_user,
        outcome="not_cured",
        note="截至 5 月 22 日未补播约定场次。",
        evidence=SimpleUploadedFile("chat.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    assert other.end_date == date(2026, 5, 22)
    assert other.stage == Stage.NOTICE
    assert EvidenceFile.objects.filter(case=other).count() == 1
    assert Notice.objects.filter(case=other).count() == 1  # no second letter
    with pytest.raises(TransitionError):  # recorded once
        case_record_cure_outcome(case=other, by=staff_user, outcome="cured", note="x")


def test_cured_withdraws_the_case_although_the_notice_arrived(staff_user):
    case = breach_case(staff_user, cure_period_days=10)
    _arrived_cure_notice(staff_user, case, arrived_on=date(2026, 5, 25))
    case = case_record_cure_outcome(
        case=case, by=staff_user, outcome="cured", note="5 月 28 日已补播全部场次。"
    )
    assert case.stage == Stage.WITHDRAWN and case.end_date is None
    assert case.withdrawal_reason == "5 月 28 日已补播全部场次。"


def test_the_outcome_needs_an_arrived_cure_notice(staff_user, viewer_user):
    case = breach_case(staff_user, cure_period_days=10)
    with pytest.raises(TransitionError) as refused:
        case_record_cure_outcome(case=case, by=staff_user, outcome="cured", note="x")
    assert refused.value.anchor == "letters"
    with pytest.raises(TransitionError):
        case_record_cure_outcome(case=case, by=viewer_user, outcome="cured", note="x")
