"""The review of the plan for afterwards (DOMAIN.md §8): one of the few things that happen after
a case is closed, so it may be recorded on a closed case too."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from terminations.models import CaseEvent, FollowUpPlan, Stage, TerminationCase
from terminations.services._base import (
    TransitionError,
    local_today,
    lock_case,
    record_event,
    require_editor,
    require_text,
)

__all__ = ["plan_record_review"]


@transaction.atomic
def plan_record_review(
    *, case: TerminationCase, by, reviewed_on: date, outcome: str
) -> FollowUpPlan:
    """Record how the plan's review went, in the review stage or after the case closed."""
    require_editor(by)
    outcome = require_text(outcome, _("Write down what the review found."))
    if reviewed_on is None:
        raise TransitionError(_("Give the date of the review."))
    if reviewed_on > local_today():
        raise TransitionError(
            _("The review date %(date)s is in the future.") % {"date": reviewed_on.isoformat()}
        )
    case = lock_case(case)
    if case.stage not in (Stage.REVIEW, Stage.CLOSED):
        raise TransitionError(
            _("The plan is reviewed in the review stage or after closing; the case is %(stage)s.")
            % {"stage": case.get_stage_display()}
        )
    plan = FollowUpPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise TransitionError(_("Record the plan for afterwards first."))
    plan.reviewed_on = reviewed_on
    plan.review_outcome = outcome
    plan.reviewed_by = by
    plan.save(update_fields=["reviewed_on", "review_outcome", "reviewed_by"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.PLAN_REVIEWED,
        message=outcome,
        data={"reviewed_on": reviewed_on.isoformat(), "after_closing": case.stage == Stage.CLOSED},
    )
    return plan
