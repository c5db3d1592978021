"""Termination for breach as DOMAIN.md §3 says (Civil Code arts. 563, 565).

* A **cure notice** is a conditional termination and the recorded demand (催告) at once: once its
  period has run out, staff record "not cured" with evidence — the contract then ends when the
  period ran out, with no second letter — or "cured", which withdraws the case.
* An **unconditional termination letter** for breach needs a prior demand made outside the desk
  whose period has passed, or a manager's confirmation that none is needed: the partner declared
  or showed it will not perform (art. 563 ¶1(二)) or the breach defeats the contract's purpose
  (¶1(四)). Without either, the desk offers a cure notice instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.validators import validate_document
from terminations.models import (
    Basis,
    CaseEvent,
    CureGround,
    CureOutcome,
    EvidenceFile,
    NoDemandGround,
    Notice,
    Stage,
    TerminationCase,
)
from terminations.services._base import (
    Refusal,
    TransitionError,
    case_warnings,
    local_today,
    lock_case,
    record_event,
    require_editor,
    require_manager,
    require_text,
    set_warnings,
)
from terminations.services.deliveries import case_recompute_end_date, cure_period_end

__all__ = [
    "breach_letter_errors",
    "case_confirm_no_demand",
    "case_record_cure_outcome",
]


def breach_letter_errors(case: TerminationCase, kind: str) -> list[str]:
    """Why an unconditional termination letter for breach may not be drafted or issued now, or
    why a cure notice resting on the contract's clause cannot cite one."""
    if (
        case.basis == Basis.BREACH
        and kind == Notice.Kind.CURE
        and case.cure_ground == CureGround.CLAUSE
        and not (case.contract_id and case.contract.clause_termination.strip())
    ):
        return [
            Refusal(
                _(
                    "The cure notice rests on the contract's termination clause, but no clause "
                    "is recorded: enter it on the contract, or choose the article the notice "
                    "rests on."
                ),
                "assessment",
            )
        ]
    if case.basis != Basis.BREACH or kind != Notice.Kind.TERMINATION:
        return []
    if case.no_demand_confirmed_at:
        return []
    today = local_today()
    if case.prior_demand_on and case.prior_demand_until and case.prior_demand_until < today:
        return []
    if case.prior_demand_on and case.prior_demand_until:
        return [
            Refusal(
                _(
                    "The prior demand of %(on)s gave the partner until %(until)s, which has not "
                    "passed: the contract can be terminated for breach only after it. Wait, or "
                    "send a cure notice, which ends the contract when its period runs out."
                )
                % {"on": case.prior_demand_on.isoformat(), "until": case.prior_demand_until},
                "assessment",
            )
        ]
    return [
        Refusal(
            _(
                "An unconditional termination for breach needs a prior demand (催告) whose period "
                "has passed — record its date and the date it gave until — or a manager's "
                "confirmation that none is needed (art. 563 ¶1(二) or (四)). Otherwise send a "
                "cure notice: it is the demand and a conditional termination at once."
            ),
            "assessment",
        )
    ]


@transaction.atomic
def case_confirm_no_demand(
    *, case: TerminationCase, by, ground: str, reason: str
) -> TerminationCase:
    """A manager confirms that termination for breach needs no prior demand, and why."""
    require_manager(by)
    if ground not in NoDemandGround.values:
        raise TransitionError(_("Choose why no prior demand is needed."))
    reason = require_text(reason, _("Describe the facts that make a demand unnecessary."))
    case = lock_case(case)
    if not case.is_open:
        raise TransitionError(_("The case is %(stage)s.") % {"stage": case.get_stage_display()})
    if case.basis != Basis.BREACH:
        raise TransitionError(_("Only a termination for breach can do without a demand."))
    case.no_demand_ground = ground
    case.no_demand_confirmed_by = by
    case.no_demand_confirmed_at = timezone.now()
    case.save(
        update_fields=[
            "no_demand_ground",
            "no_demand_confirmed_by",
            "no_demand_confirmed_at",
            "updated_at",
        ]
    )
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NO_DEMAND_CONFIRMED,
        message=reason,
        data={"ground": ground},
    )
    return set_warnings(case, case_warnings(case))


@transaction.atomic
def case_record_cure_outcome(
    *, case: TerminationCase, by, outcome: str, note: str, evidence=None
) -> TerminationCase:
    """Record what happened within a cure notice's period. "Not cured" (with evidence, once the
    period has run out) ends the contract at its end; "cured" withdraws the case."""
    from terminations.services.cases import case_withdraw

    require_editor(by)
    if outcome not in CureOutcome.values:
        raise TransitionError(_("Choose whether the partner cured the breach."))
    note = require_text(note, _("Describe what the partner did or did not do, with dates."))
    if evidence:
        try:
            validate_document(evidence)
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from None
    case = lock_case(case)
    if case.stage != Stage.NOTICE:
        raise TransitionError(
            _(
                "The outcome of a cure notice is recorded in the notice stage; the case is %(stage)s."
            )
            % {"stage": case.get_stage_display()}
        )
    if case.cure_outcome:
        raise TransitionError(
            _("The outcome is already recorded: %(outcome)s.")
            % {"outcome": case.get_cure_outcome_display()}
        )
    cure = cure_period_end(case)
    if cure is None:
        raise TransitionError(
            Refusal(_("Record the arrival of the issued cure notice first."), "letters")
        )
    notice, period = cure
    today = local_today()
    if outcome == CureOutcome.NOT_CURED and period.end >= today:
        raise TransitionError(
            _(
                "The cure period runs until %(end)s 24:00: whether the partner cured can only be "
                "recorded after it."
            )
            % {"end": period.end.isoformat()}
        )
    case.cure_outcome = outcome
    case.cure_outcome_on = period.end
    case.save(update_fields=["cure_outcome", "cure_outcome_on", "updated_at"])
    if evidence:
        EvidenceFile.objects.create(
            case=case, file=evidence, description=note[:300], uploaded_by=by
        )
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.CURE_OUTCOME,
        message=note,
        data={
            "outcome": outcome,
            "notice": notice.pk,
            "period_end": period.end.isoformat(),
            "evidence": bool(evidence),
        },
    )
    if outcome == CureOutcome.CURED:
        return case_withdraw(case=case, by=by, reason=note)
    return case_recompute_end_date(case=case, by=by)
