"""The allowed moves of a case, written once as data. Services enforce them; pages read them
(through `available_actions`) to show each button and, when it is refused, why."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import roles
from terminations.models import Stage


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: Promise
    manager_only: bool = False
    needs_reason: bool = False
    # The name of the service function in terminations.services that performs the move.
    service: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "advance_to_negotiation",
            (Stage.ASSESSMENT,),
            Stage.NEGOTIATION,
            gettext_lazy("Start negotiation"),
            service="case_advance_to_negotiation",
        ),
        Transition(
            "skip_negotiation",
            (Stage.ASSESSMENT,),
            Stage.NOTICE,
            gettext_lazy("Skip negotiation and go to the notice"),
            needs_reason=True,
            service="case_skip_negotiation",
        ),
        Transition(
            "advance_to_notice",
            (Stage.NEGOTIATION,),
            Stage.NOTICE,
            gettext_lazy("Go to the notice"),
            service="case_advance_to_notice",
        ),
        Transition(
            "advance_to_handover",
            (Stage.NOTICE,),
            Stage.HANDOVER,
            gettext_lazy("Start the handover"),
            service="case_advance_to_handover",
        ),
        Transition(
            "advance_to_review",
            (Stage.HANDOVER,),
            Stage.REVIEW,
            gettext_lazy("Go to the review"),
            service="case_advance_to_review",
        ),
        Transition(
            "close",
            (Stage.REVIEW,),
            Stage.CLOSED,
            gettext_lazy("Close the case"),
            manager_only=True,
            service="case_close",
        ),
        Transition(
            "reopen",
            (Stage.CLOSED,),
            Stage.REVIEW,
            gettext_lazy("Reopen the case"),
            manager_only=True,
            needs_reason=True,
            service="case_reopen",
        ),
        Transition(
            "withdraw",
            (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE),
            Stage.WITHDRAWN,
            gettext_lazy("Withdraw the case"),
            needs_reason=True,
            service="case_withdraw",
        ),
    )
}

ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)


@dataclass(frozen=True)
class ActionState:
    action: str
    label: str
    allowed: bool
    reason: str
    manager_only: bool
    needs_reason: bool = False
    target: str = ""
    # Where on the case page what is missing is done: (anchor, section name) pairs.
    fixes: tuple[tuple[str, str], ...] = ()
    # What the case still lacks for the move, whoever may make it (a clerk waiting for a manager
    # to close sees that the end date has not passed yet).
    missing: str = ""


# The sections of the case page a refusal can send the reader to.
SECTIONS = {
    "assessment": gettext_lazy("Assessment"),
    "agreement": gettext_lazy("Record the agreement"),
    "letters": gettext_lazy("Letters"),
    "handover": gettext_lazy("Handover checklist"),
    "settlement": gettext_lazy("Settlement"),
    "plan": gettext_lazy("Plan for afterwards"),
    "deadline": gettext_lazy("End date"),
}


def fixes_for(errors: list[str]) -> tuple[tuple[str, str], ...]:
    """The sections, in order and once each, where the refusals ``errors`` are put right."""
    anchors = dict.fromkeys(getattr(e, "anchor", "") for e in errors)
    return tuple((a, str(SECTIONS[a])) for a in anchors if a in SECTIONS)


def actions_from(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if stage in t.sources]


def role_refusal(transition: Transition, user) -> str:
    """Why ``user`` may not perform ``transition`` at all, or ""."""
    if not roles.can_edit(user):
        return _("You may not change cases: only staff and managers can. Viewers read only.")
    if transition.manager_only and not roles.is_manager(user):
        return _("Only a manager may do this.")
    return ""


def stage_refusal(transition: Transition, stage: str) -> str:
    if stage in transition.sources:
        return ""
    if stage == transition.target:
        return _("The case is already in the %(stage)s stage.") % {"stage": Stage(stage).label}
    return _("This is not possible in the %(stage)s stage, only from %(allowed)s.") % {
        "stage": Stage(stage).label,
        "allowed": ", ".join(str(Stage(s).label) for s in transition.sources),
    }


def available_actions(case, user) -> list[ActionState]:
    """The moves possible from the case's stage, each allowed or refused with its reason.

    Only moves whose source stage matches are listed; the page shows the refused ones disabled
    with the reason (a staff member sees "Close" greyed out with "Only a manager may do this.").
    """
    from terminations.services.cases import precondition_errors

    states = []
    for transition in actions_from(case.stage):
        errors = precondition_errors(case, transition.action)
        missing, fixes = " ".join(errors), fixes_for(errors)
        reason = role_refusal(transition, user) or missing
        states.append(
            ActionState(
                action=transition.action,
                label=str(transition.label),
                allowed=not reason,
                reason=reason,
                manager_only=transition.manager_only,
                needs_reason=transition.needs_reason,
                target=transition.target,
                fixes=fixes,
                missing=missing,
            )
        )
    return states
