"""The state machine as one table: every (stage, action, role) is allowed or refused, and a
refusal changes nothing."""

from datetime import date

import pytest

from terminations import services
from terminations.models import Basis, CaseEvent, Notice, Stage, TerminationCase
from terminations.services import TransitionError
from terminations.transitions import TRANSITIONS, available_actions
from tests.terminations.factories import (
    deliver,
    issue_letter,
    make_ready_to_close,
    open_case,
    place_in_stage,
)

ROLES = {
    "staff": "staff_user",
    "manager": "manager_user",
    "viewer": "viewer_user",
    "nogroup": "nogroup_user",
}
EDITORS = {"staff", "manager"}


def expected_allowed(stage: str, action: str, role: str) -> bool:
    transition = TRANSITIONS[action]
    if stage not in transition.sources:
        return False
    if transition.manager_only:
        return role == "manager"
    return role in EDITORS


def prepare(case: TerminationCase, action: str, by) -> TerminationCase:
    """Satisfy the action's data preconditions so that only stage and role decide."""
    TerminationCase.objects.filter(pk=case.pk).update(basis=Basis.OPEN_ENDED)
    if action == "advance_to_handover":
        letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
        deliver(letter, dispatched_on=date(2026, 4, 1), arrived_on=date(2026, 4, 2))
    if action in ("close", "advance_to_review"):
        make_ready_to_close(case, by=by)
    case.refresh_from_db()
    return case


def perform(action: str, case: TerminationCase, by) -> TerminationCase:
    function = getattr(services, TRANSITIONS[action].service)
    if TRANSITIONS[action].needs_reason:
        return function(case=case, by=by, reason="The partner cured the breach.")
    return function(case=case, by=by)


TABLE = [
    (stage, action, role) for stage in Stage.values for action in TRANSITIONS for role in ROLES
]


@pytest.mark.parametrize(("stage", "action", "role"), TABLE)
def test_transition_table(request, staff_user, stage, action, role):
    user = request.getfixturevalue(ROLES[role])
    case = open_case(by=staff_user)
    case = prepare(case, action, staff_user)
    case = place_in_stage(case, stage)
    events_before = CaseEvent.objects.filter(case=case).count()
    allowed = expected_allowed(stage, action, role)

    if allowed:
        result = perform(action, case, user)
        assert result.stage == TRANSITIONS[action].target
        case.refresh_from_db()
        assert case.stage == TRANSITIONS[action].target
        event = CaseEvent.objects.filter(case=case, from_stage=stage).latest("pk")
        assert event.to_stage == TRANSITIONS[action].target
        assert event.actor == user
    else:
        with pytest.raises(TransitionError) as excinfo:
            perform(action, case, user)
        assert str(excinfo.value)
        case.refresh_from_db()
        assert case.stage == stage
        assert CaseEvent.objects.filter(case=case).count() == events_before

    # The buttons the page shows agree with the services.
    states = {s.action: s for s in available_actions(case, user)}
    if not allowed and stage in TRANSITIONS[action].sources:
        assert states[action].allowed is False
        assert states[action].reason


def test_available_actions_explain_refusals(staff_user, manager_user):
    case = open_case(by=staff_user)
    make_ready_to_close(case, by=staff_user)
    case = place_in_stage(case, Stage.REVIEW)
    staff_view = {s.action: s for s in available_actions(case, staff_user)}
    assert set(staff_view) == {"close"}
    assert staff_view["close"].allowed is False
    assert staff_view["close"].manager_only is True
    manager_view = {s.action: s for s in available_actions(case, manager_user)}
    assert manager_view["close"].allowed is True
    assert manager_view["close"].reason == ""


def test_available_actions_show_precondition_reason(staff_user):
    case = open_case(by=staff_user)  # no basis chosen yet
    states = {s.action: s for s in available_actions(case, staff_user)}
    assert states["advance_to_negotiation"].allowed is True
    assert states["skip_negotiation"].allowed is False
    assert "basis" in states["skip_negotiation"].reason
    assert states["withdraw"].allowed is True
