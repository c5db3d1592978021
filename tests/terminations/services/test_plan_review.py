"""The review of the plan for afterwards, the one thing besides payments recorded after closing."""

from datetime import date

import pytest

from terminations.models import CaseEvent, Stage
from terminations.services import TransitionError, plan_record_review, settlement_line_add
from tests.terminations.factories import make_ready_to_close, open_case, place_in_stage

pytestmark = pytest.mark.django_db

# Today is 2026-06-01 (tests/terminations/services/conftest.py).


def test_the_review_is_recorded_on_a_closed_case_and_nothing_else_changes(staff_user, viewer_user):
    case = open_case(by=staff_user)
    make_ready_to_close(case, by=staff_user)
    case = place_in_stage(case, Stage.CLOSED)
    with pytest.raises(TransitionError):
        plan_record_review(case=case, by=viewer_user, reviewed_on=date(2026, 6, 1), outcome="x")
    with pytest.raises(TransitionError):
        plan_record_review(case=case, by=staff_user, reviewed_on=date(2026, 6, 2), outcome="x")
    with pytest.raises(TransitionError):
        plan_record_review(case=case, by=staff_user, reviewed_on=date(2026, 6, 1), outcome=" ")
    plan = plan_record_review(
        case=case,
        by=staff_user,
        reviewed_on=date(2026, 6, 1),
        outcome="自营三个月 GMV 回升 18%，不再引入代运营。",
    )
    assert plan.reviewed_by == staff_user and plan.review_outcome.startswith("自营")
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.PLAN_REVIEWED)
    assert event.data == {"reviewed_on": "2026-06-01", "after_closing": True}
    # The settlement of a closed case does not change (a manager reopens it first).
    with pytest.raises(TransitionError):
        settlement_line_add(
            case=case, by=staff_user, kind="fee", direction="to_partner", amount="100"
        )


def test_no_review_before_the_review_stage_or_without_a_plan(staff_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        plan_record_review(case=case, by=staff_user, reviewed_on=date(2026, 6, 1), outcome="x")
    case = place_in_stage(case, Stage.REVIEW)
    with pytest.raises(TransitionError) as refused:
        plan_record_review(case=case, by=staff_user, reviewed_on=date(2026, 6, 1), outcome="x")
    assert "plan" in str(refused.value)
