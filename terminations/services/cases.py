"""Opening a case and moving it through its stages (DESIGN.md "The case workflow").

Every function: role check, `transaction.atomic`, lock the row, re-read and guard the stage and
the preconditions (raising `TransitionError`), change, `save(update_fields=...)`, append a
`CaseEvent`, and schedule any mail with `transaction.on_commit`.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import roles
from core.file_hashes import sha256_of
from partners.models import Contract, Partner
from terminations.models import (
    FINAL_STAGES,
    OPEN_STAGES,
    Basis,
    CaseCounter,
    CaseEvent,
    CureOutcome,
    EvidenceFile,
    HandoverItem,
    NegotiationEntry,
    Notice,
    ReasonCategory,
    Stage,
    TerminationCase,
)
from terminations.rules.clauses import normalise_clause
from terminations.services._base import (
    Refusal,
    TransitionError,
    case_warnings,
    local_today,
    lock_case,
    record_event,
    record_replacement,
    require_editor,
    require_text,
    set_warnings,
    stored_file_replacement,
)
from terminations.services.deliveries import (
    TERMINATION_KINDS,
    case_recompute_end_date,
    end_date_for_case,
)
from terminations.services.handover import handover_checklist_create
from terminations.services.settlement import settlement_recorded
from terminations.transitions import TRANSITIONS, role_refusal, stage_refusal

logger = logging.getLogger(__name__)

__all__ = [
    "ASSESSMENT_FIELDS",
    "agreement_record",
    "case_add_evidence",
    "case_advance_to_handover",
    "case_advance_to_negotiation",
    "case_advance_to_notice",
    "case_advance_to_review",
    "case_close",
    "case_open",
    "case_reassign",
    "case_reopen",
    "case_skip_negotiation",
    "case_update_assessment",
    "case_withdraw",
    "cases_open_for_creators",
    "contractual_basis_refusal",
    "evidence_describe_in_english",
    "negotiation_log",
    "precondition_errors",
]

# What the assessment may set, at opening or later.
# An agreed end date further off than this is a typo (and due dates counted from it would
# overflow the calendar).
AGREED_END_MAX_DAYS = 3660

ASSESSMENT_FIELDS = frozenset(
    {
        "reason_category",
        "facts",
        "learned_on",
        "decision_demanded_on",
        "decision_demand_channel",
        "decision_demand_evidence",
        "basis",
        "prior_demand_on",
        "prior_demand_until",
        "agreed_cause",
        "agreed_cause_en",
        "agreed_cause_clause",
        "agreed_cause_evidence",
        "entrustment_confirmed",
        "reasonable_notice_days",
        "cure_period_days",
        "cure_ground",
        "gmv_share_percent",
        "open_orders",
        "open_after_sales",
        "ad_spend_running",
        "live_streams_scheduled",
        "account_control",
        "partner_holds_credentials",
        "prepaid_at_risk",
        "known_loss",
        "risk_notes",
    }
)


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            label = field
            try:
                label = str(TerminationCase._meta.get_field(field).verbose_name)
            except Exception:  # a non-field key such as __all__
                label = ""
            text = " ".join(errors)
            parts.append(f"{label}: {text}" if label else text)
        return " ".join(parts)
    return " ".join(error.messages)


def _clean_case_fields(case: TerminationCase, fields: Iterable[str]) -> None:
    fields = set(fields)
    exclude = [f.name for f in TerminationCase._meta.fields if f.name not in fields]
    try:
        case.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise TransitionError(_validation_message(error)) from error


# --- opening ------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    counter = CaseCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another request created this year's counter first
        counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"TC-{year}-{counter.last:05d}"


def _open_case_exists(partner, contract) -> TerminationCase | None:
    qs = TerminationCase.objects.open().filter(partner=partner)
    qs = qs.filter(contract=contract) if contract is not None else qs.filter(contract__isnull=True)
    return qs.first()


def _one_open_case_message(existing: TerminationCase | None) -> str:
    if existing is not None:
        return _(
            "Case %(reference)s is already open for this partner and contract: "
            "continue it instead of opening another."
        ) % {"reference": existing.reference}
    return _("A case is already open for this partner and contract.")


@transaction.atomic
def case_open(
    *,
    partner,
    contract=None,
    reason_category: str,
    opened_by,
    facts: str = "",
    learned_on: date | None = None,
    owner=None,
    **assessment: Any,
) -> TerminationCase:
    require_editor(opened_by)
    unknown = set(assessment) - ASSESSMENT_FIELDS
    if unknown:
        raise TransitionError(
            _("Unknown assessment fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if partner.is_archived:
        raise TransitionError(_("The partner is archived: restore it before opening a case."))
    if contract is not None and contract.partner_id != partner.pk:
        raise TransitionError(_("The contract belongs to another partner."))
    if reason_category not in ReasonCategory.values:
        raise TransitionError(_("Choose why the case is opened."))
    owner = owner or opened_by
    if not roles.can_edit(owner):
        raise TransitionError(_("A case can only be owned by staff or managers."))
    existing = _open_case_exists(partner, contract)
    if existing is not None:
        raise TransitionError(_one_open_case_message(existing))

    case = TerminationCase(
        partner=partner,
        contract=contract,
        owner=owner,
        opened_by=opened_by,
        reason_category=reason_category,
        facts=(facts or "").strip(),
        learned_on=learned_on,
        **assessment,
    )
    case.agreed_cause_clause = normalise_clause(case.agreed_cause_clause)
    _clean_case_fields(case, {"reason_category", "facts", "learned_on", *assessment})
    if case.basis == Basis.CONTRACTUAL:
        refusal = contractual_basis_refusal(case)
        if refusal:
            raise TransitionError(refusal, anchor=refusal.anchor)
    case.reference = _next_reference(local_today().year)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        # The partial unique constraints decide when two people open the same case at once.
        raise TransitionError(_one_open_case_message(_open_case_exists(partner, contract))) from (
            error
        )
    items = handover_checklist_create(case=case)
    record_event(
        case=case,
        actor=opened_by,
        kind=CaseEvent.Kind.OPENED,
        to_stage=case.stage,
        message=case.reference,
        data={
            "reference": case.reference,
            "partner": partner.pk,
            "contract": contract.pk if contract else None,
            "reason_category": reason_category,
            "handover_items": len(items),
            "warnings": case_warnings(case),
        },
    )
    return set_warnings(case, case_warnings(case))


@transaction.atomic
def cases_open_for_creators(
    *, partners: Iterable, reason_category: str, facts: str, opened_by
) -> list[TerminationCase]:
    """One case per creator, without contracts; all or nothing."""
    require_editor(opened_by)
    partners = list(partners)
    if not partners:
        raise TransitionError(_("Choose at least one creator."))
    not_creators = [p.name for p in partners if p.kind not in ("creator",)]
    if not_creators:
        raise TransitionError(
            _("Only creators can be ended together; not: %(names)s.")
            % {"names": ", ".join(not_creators)}
        )
    cases = []
    for partner in partners:
        try:
            cases.append(
                case_open(
                    partner=partner,
                    contract=None,
                    reason_category=reason_category,
                    facts=facts,
                    opened_by=opened_by,
                )
            )
        except TransitionError as error:
            raise TransitionError(f"{partner.name}: {error}") from error
    return cases


# --- preconditions (read by the services and by transitions.available_actions) -------------


def _termination_letter_issued(case: TerminationCase) -> bool:
    return Notice.objects.filter(
        case=case,
        kind__in=TERMINATION_KINDS,
        status__in=[Notice.Status.ISSUED, Notice.Status.SUPERSEDED],
    ).exists()


def _basis_errors(case: TerminationCase, *, skipping: bool) -> list[str]:
    if not case.basis:
        return [Refusal(_("Choose the basis for ending the cooperation first."), "assessment")]
    errors = []
    if case.basis == Basis.MUTUAL:
        if skipping:
            errors.append(
                Refusal(
                    _("Mutual agreement is reached by negotiating: it cannot skip negotiation."),
                    "assessment",
                )
            )
        elif not case.agreed_end_date:
            errors.append(
                Refusal(_("Record the agreement and its agreed end date first."), "agreement")
            )
    elif case.basis == Basis.BREACH:
        demand_recorded = bool(case.prior_demand_on) or bool(case.no_demand_confirmed_at)
        cure_notice = (
            bool(case.cure_period_days)
            or Notice.objects.filter(case=case, kind=Notice.Kind.CURE)
            .exclude(status=Notice.Status.DRAFT)
            .exists()
        )
        if not (demand_recorded or cure_notice):
            errors.append(
                Refusal(
                    _(
                        "Termination for breach needs a recorded prior demand (催告), a cure "
                        "period so that the first letter is a cure notice, or a manager's "
                        "confirmation that no demand is needed (art. 563 ¶1(二) or (四))."
                    ),
                    "assessment",
                )
            )
    elif case.basis == Basis.ENTRUSTMENT:
        if not case.entrustment_confirmed:
            errors.append(
                Refusal(
                    _(
                        "The entrustment basis needs staff to confirm that the contract is an "
                        "entrustment contract (courts often treat agency contracts otherwise)."
                    ),
                    "assessment",
                )
            )
    elif case.basis == Basis.CONTRACTUAL:
        refusal = contractual_basis_refusal(case)
        if refusal:
            errors.append(refusal)
    return errors


def contractual_basis_refusal(case: TerminationCase) -> Refusal | None:
    """The contractual-right basis (art. 562 ¶2) needs a contract that gives the shop a right
    to end it for convenience, or an agreed cause recorded on the case (DOMAIN.md §3). The
    refusal names the bases that fit this case instead."""
    contract = case.contract
    if contract is not None and (contract.convenience_termination or case.agreed_cause.strip()):
        return None
    fitting = [str(Basis.MUTUAL.label), str(Basis.BREACH.label)]
    if contract is None or contract.end_date is None:
        fitting.append(str(Basis.OPEN_ENDED.label))
    if case.partner.kind == Partner.Kind.AGENCY and contract is not None:
        fitting.append(str(Basis.ENTRUSTMENT.label))
    if contract is None:
        text = _(
            "A contractual right needs a contract: link the contract, or choose a basis that "
            "fits: %(bases)s."
        )
    else:
        text = _(
            "Contract %(number)s gives the shop no right to end it for convenience, and no "
            "agreed cause (约定解除事由) is recorded. Record the agreed cause that occurred, its "
            "clause and evidence, or choose a basis that fits: %(bases)s."
        )
    return Refusal(
        text % {"number": contract.number if contract else "", "bases": "; ".join(fitting)},
        "assessment",
    )


def _handover_errors(case: TerminationCase) -> list[str]:
    if case.basis == Basis.MUTUAL:
        errors = []
        if not case.agreed_end_date:
            errors.append(Refusal(_("Record the agreed end date first."), "agreement"))
        if not case.countersigned_confirmation:
            errors.append(
                Refusal(
                    _("Upload the confirmation countersigned by both sides first."), "agreement"
                )
            )
        return errors
    if not case.basis:
        return [Refusal(_("Choose the basis for ending the cooperation first."), "assessment")]
    if end_date_for_case(case) is None:
        return [
            Refusal(
                _(
                    "No end date yet: record the arrival of an issued termination letter "
                    "(or its refusal) first."
                ),
                "letters",
            )
        ]
    return []


def _handover_done_errors(case: TerminationCase) -> list[str]:
    """The handover is finished: every required item done or waived, and a settlement recorded
    (at least one line, or a line saying there is nothing to settle)."""
    errors = []
    open_items = list(
        HandoverItem.objects.filter(
            case=case, required=True, status=HandoverItem.Status.OPEN
        ).values_list("title", flat=True)
    )
    if open_items:
        errors.append(
            Refusal(
                ngettext(
                    "%(count)d required handover item is still open: %(titles)s.",
                    "%(count)d required handover items are still open: %(titles)s.",
                    len(open_items),
                )
                % {"count": len(open_items), "titles": "; ".join(open_items)},
                "handover",
            )
        )
    if not settlement_recorded(case):
        errors.append(
            Refusal(
                _(
                    "Record the settlement: at least one line, or a line saying there is "
                    "nothing to settle."
                ),
                "settlement",
            )
        )
    return errors


def _close_errors(case: TerminationCase) -> list[str]:
    errors = []
    today = local_today()
    if not case.end_date:
        errors.append(Refusal(_("The case has no end date yet."), "letters"))
    elif case.end_date >= today:
        errors.append(
            Refusal(
                _("The end date %(date)s has not passed yet.")
                % {"date": case.end_date.isoformat()},
                "deadline",
            )
        )
    errors.extend(_handover_done_errors(case))
    if not _has_plan(case):
        errors.append(Refusal(_("Record the plan for afterwards."), "plan"))
    return errors


def _has_plan(case: TerminationCase) -> bool:
    from terminations.models import FollowUpPlan

    return FollowUpPlan.objects.filter(case=case).exists()


def _withdraw_errors(case: TerminationCase) -> list[str]:
    """Until a notice has arrived; a dispatched letter that has not arrived needs a withdrawal
    letter arriving no later than it (Civil Code art. 141)."""
    letters = list(
        Notice.objects.filter(
            case=case, status__in=[Notice.Status.ISSUED, Notice.Status.SUPERSEDED]
        )
        .prefetch_related("deliveries")
        .order_by("sequence", "version")
    )
    withdrawals = [n for n in letters if n.kind == Notice.Kind.WITHDRAWAL]
    errors = []
    for letter in letters:
        if letter.kind == Notice.Kind.WITHDRAWAL:
            continue
        if letter.kind == Notice.Kind.CURE and case.cure_outcome == CureOutcome.CURED:
            continue  # the partner cured: the conditional termination never took effect
        deliveries = list(letter.deliveries.all())
        if not deliveries:
            continue  # issued but never sent: nothing reached the partner
        reached = [d.arrived_on or d.refused_on for d in deliveries if d.arrived_on or d.refused_on]
        first_reached = min(reached) if reached else None
        withdrawal_deliveries = [
            d for w in withdrawals if w.withdraws_id == letter.pk for d in w.deliveries.all()
        ]
        withdrawal_arrivals = [d.arrived_on for d in withdrawal_deliveries if d.arrived_on]
        first_withdrawal = min(withdrawal_arrivals) if withdrawal_arrivals else None
        number = letter.number_or_draft
        if first_reached:
            if first_withdrawal and first_withdrawal <= first_reached:
                continue
            errors.append(
                Refusal(
                    _(
                        "Letter %(number)s reached the partner on %(date)s: a notice that has "
                        "arrived cannot be withdrawn."
                    )
                    % {"number": number, "date": first_reached.isoformat()},
                    "letters",
                )
            )
        elif not withdrawal_deliveries:
            errors.append(
                _(
                    "Letter %(number)s was dispatched and may still arrive: dispatch a withdrawal "
                    "letter that arrives no later than it (Civil Code art. 141) and record its "
                    "arrival first."
                )
                % {"number": number}
            )
        elif not first_withdrawal:
            errors.append(
                _(
                    "Record the arrival of the withdrawal letter for %(number)s: it must arrive "
                    "no later than the letter it withdraws (Civil Code art. 141)."
                )
                % {"number": number}
            )
    return errors


PRECONDITIONS: dict[str, Callable[[TerminationCase], list[str]]] = {
    "advance_to_negotiation": lambda case: [],
    "skip_negotiation": lambda case: _basis_errors(case, skipping=True),
    "advance_to_notice": lambda case: _basis_errors(case, skipping=False),
    "advance_to_handover": _handover_errors,
    "advance_to_review": _handover_done_errors,
    "close": lambda case: _close_errors(case),
    "reopen": lambda case: [],
    "withdraw": _withdraw_errors,
}


def precondition_errors(case: TerminationCase, action: str) -> list[str]:
    """Why the case's data does not allow ``action`` now (empty when it does)."""
    return PRECONDITIONS[action](case)


# --- moves --------------------------------------------------------------------------------


def _move(
    *,
    case: TerminationCase,
    by,
    action: str,
    event_kind: str = CaseEvent.Kind.STAGE_CHANGED,
    message: str = "",
    fields: dict[str, Any] | None = None,
    prepare: Callable[[TerminationCase], TerminationCase] | None = None,
    data: dict[str, Any] | None = None,
) -> TerminationCase:
    transition = TRANSITIONS[action]
    refusal = role_refusal(transition, by) if getattr(by, "is_authenticated", False) else ""
    if not getattr(by, "is_authenticated", False):
        refusal = _("You must be logged in to change a case.")
    if refusal:
        raise TransitionError(refusal)
    with transaction.atomic():
        case = lock_case(case)
        refusal = stage_refusal(transition, case.stage)
        if refusal:
            raise TransitionError(refusal)
        errors = precondition_errors(case, action)
        if errors:
            raise TransitionError(" ".join(errors), anchor=getattr(errors[0], "anchor", ""))
        if prepare is not None:
            case = prepare(case)
        from_stage = case.stage
        case.stage = transition.target
        case.stage_entered_at = timezone.now()
        changed = ["stage", "stage_entered_at", "updated_at"]
        for name, value in (fields or {}).items():
            setattr(case, name, value)
            changed.append(name)
        case.save(update_fields=changed)
        warnings = case_warnings(case)
        record_event(
            case=case,
            actor=by,
            kind=event_kind,
            from_stage=from_stage,
            to_stage=case.stage,
            message=message,
            data={"action": action, **(data or {}), **({"warnings": warnings} if warnings else {})},
        )
    return set_warnings(case, warnings)


def case_advance_to_negotiation(*, case: TerminationCase, by) -> TerminationCase:
    return _move(case=case, by=by, action="advance_to_negotiation")


def case_skip_negotiation(*, case: TerminationCase, by, reason: str) -> TerminationCase:
    reason = require_text(reason, _("Say why negotiation is skipped."))
    return _move(
        case=case,
        by=by,
        action="skip_negotiation",
        message=reason,
        fields={"skip_negotiation_reason": reason},
        data={"skipped_negotiation": True},
    )


def case_advance_to_notice(*, case: TerminationCase, by) -> TerminationCase:
    return _move(case=case, by=by, action="advance_to_notice")


def case_advance_to_handover(*, case: TerminationCase, by) -> TerminationCase:
    def fix_end_date(locked: TerminationCase) -> TerminationCase:
        return case_recompute_end_date(case=locked, by=by)

    return _move(case=case, by=by, action="advance_to_handover", prepare=fix_end_date)


def case_advance_to_review(*, case: TerminationCase, by) -> TerminationCase:
    return _move(case=case, by=by, action="advance_to_review")


def _cooperation_continues(case: TerminationCase) -> bool:
    """Whether the partner still cooperates with the shop apart from this case: another open
    case, or a contract that no closed case ended and whose term has not run out."""
    if (
        TerminationCase.objects.filter(partner_id=case.partner_id, stage__in=OPEN_STAGES)
        .exclude(pk=case.pk)
        .exists()
    ):
        return True
    ended = TerminationCase.objects.filter(
        partner_id=case.partner_id, stage=Stage.CLOSED, contract__isnull=False
    ).values("contract_id")
    return (
        Contract.objects.filter(partner_id=case.partner_id)
        .exclude(pk__in=ended)
        .exclude(pk=case.contract_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=local_today()))
        .exists()
    )


def _set_partner_status(case: TerminationCase, *, by, status: str, reason: str) -> None:
    partner = Partner.objects.select_for_update().get(pk=case.partner_id)
    if partner.status == status:
        return
    previous = partner.status
    partner.status = status
    partner.save(update_fields=["status", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.PARTNER_STATUS,
        message=str(Partner.Status(status).label),
        data={"partner": partner.pk, "status": status, "previous": previous, "reason": reason},
    )


@transaction.atomic
def case_close(*, case: TerminationCase, by) -> TerminationCase:
    """Close the case; when nothing else ties the partner to the shop, the partner's status
    becomes "cooperation ended" in the same transaction."""
    case = _move(
        case=case,
        by=by,
        action="close",
        event_kind=CaseEvent.Kind.CLOSED,
        fields={"closed_at": timezone.now()},
    )
    if not _cooperation_continues(case):
        _set_partner_status(case, by=by, status=Partner.Status.ENDED, reason="closed")
    return case


@transaction.atomic
def case_reopen(*, case: TerminationCase, by, reason: str) -> TerminationCase:
    """Reopen to review; a partner status this case's closing set is restored."""
    reason = require_text(reason, _("Say why the case is reopened."))
    case = _move(
        case=case,
        by=by,
        action="reopen",
        event_kind=CaseEvent.Kind.REOPENED,
        message=reason,
        fields={"closed_at": None},
    )
    last = (
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.PARTNER_STATUS)
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None and last.data.get("reason") == "closed":
        _set_partner_status(case, by=by, status=last.data["previous"], reason="reopened")
    return case


def case_withdraw(*, case: TerminationCase, by, reason: str) -> TerminationCase:
    reason = require_text(reason, _("Say why the case is withdrawn."))
    return _move(
        case=case,
        by=by,
        action="withdraw",
        event_kind=CaseEvent.Kind.WITHDRAWN,
        message=reason,
        fields={"withdrawal_reason": reason, "closed_at": timezone.now()},
    )


# --- changes inside a stage ---------------------------------------------------------------


def _lock_open(case: TerminationCase, *, what: str) -> TerminationCase:
    case = lock_case(case)
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: %(what)s can no longer change.")
            % {"stage": case.get_stage_display(), "what": what}
        )
    return case


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, File):  # an uploaded or stored file: its name
        return value.name or ""
    return value


@transaction.atomic
def case_update_assessment(*, case: TerminationCase, by, **fields: Any) -> TerminationCase:
    require_editor(by)
    unknown = set(fields) - ASSESSMENT_FIELDS
    if unknown:
        raise TransitionError(
            _("Unknown assessment fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    case = _lock_open(case, what=_("the assessment"))
    changed = {name: value for name, value in fields.items() if getattr(case, name) != value}
    if not changed:
        return set_warnings(case, case_warnings(case))
    if "basis" in changed and _termination_letter_issued(case):
        raise TransitionError(
            _(
                "A termination letter has been issued on the current basis: correct or withdraw "
                "it before changing the basis."
            )
        )
    if "agreed_cause_clause" in changed:
        changed["agreed_cause_clause"] = normalise_clause(changed["agreed_cause_clause"])
    previous = {name: _jsonable(getattr(case, name)) for name in changed}
    for name, value in changed.items():
        setattr(case, name, value)
    if {"agreed_cause", "agreed_cause_clause", "agreed_cause_evidence"} & set(changed):
        # A manager's confirmation covers the cause as it stood: a changed cause needs a new one.
        case.agreed_cause_confirmed_by = None
        case.agreed_cause_confirmed_at = None
        changed["agreed_cause_confirmed_by"] = None
        changed["agreed_cause_confirmed_at"] = None
    if case.basis == Basis.CONTRACTUAL and ({"basis", "agreed_cause"} & set(changed)):
        refusal = contractual_basis_refusal(case)
        if refusal:
            raise TransitionError(refusal, anchor=refusal.anchor)
    _clean_case_fields(case, changed)
    case.save(update_fields=[*changed, "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.ASSESSMENT_UPDATED,
        data={
            "changed": {name: _jsonable(getattr(case, name)) for name in changed},
            "previous": previous,
        },
    )
    if case.stage in (Stage.NOTICE, Stage.HANDOVER, Stage.REVIEW) and (
        {"cure_period_days", "reasonable_notice_days"} & set(changed)
    ):
        case = case_recompute_end_date(case=case, by=by)
    return set_warnings(case, case_warnings(case))


@transaction.atomic
def case_add_evidence(
    *,
    case: TerminationCase,
    by,
    description: str,
    file=None,
    link: str = "",
    description_en: str = "",
) -> EvidenceFile:
    require_editor(by)
    description = require_text(description, _("Describe the evidence."))
    if not file and not (link or "").strip():
        raise TransitionError(_("Attach a file or give a link."))
    case = _lock_open(case, what=_("the evidence"))
    evidence = EvidenceFile(
        case=case,
        description=description,
        description_en=(description_en or "").strip(),
        link=(link or "").strip(),
        uploaded_by=by,
    )
    if file:
        evidence.file = file
    try:
        evidence.full_clean()
    except ValidationError as error:
        raise TransitionError(_validation_message(error)) from error
    evidence.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.EVIDENCE_ADDED,
        message=description,
        data={"evidence": evidence.pk, "link": evidence.link, "file": evidence.file.name or ""},
    )
    return evidence


@transaction.atomic
def evidence_describe_in_english(*, evidence: EvidenceFile, by, text: str) -> EvidenceFile:
    """The English description an English or bilingual letter lists the evidence by (letters
    issued before keep what they said)."""
    require_editor(by)
    text = require_text(text, _("Give the English description."))
    case = _lock_open(evidence.case, what=_("the evidence"))
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk, case=case)
    evidence.description_en = text[:300]
    evidence.save(update_fields=["description_en"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.EVIDENCE_DESCRIBED,
        message=_("%(description)s — in English: %(english)s")
        % {"description": evidence.description, "english": evidence.description_en},
        data={"evidence": evidence.pk, "description_en": evidence.description_en},
    )
    return evidence


def _notify_new_owner(case_pk: int, owner_pk: int) -> None:
    """Mail the new owner; runs after commit so that a rolled-back change sends nothing."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    owner = get_user_model().objects.filter(pk=owner_pk).first()
    case = TerminationCase.objects.filter(pk=case_pk).first()
    if owner is None or case is None or not owner.email:
        return
    preference = getattr(owner, "preference", None)  # none yet: the site's default language
    language = getattr(preference, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            send_mail(
                subject=_("Case %(reference)s is now yours") % {"reference": case.reference},
                message=_("You are now the owner of termination case %(reference)s (%(partner)s).")
                % {"reference": case.reference, "partner": case.partner},
                from_email=None,
                recipient_list=[owner.email],
            )
    except (OSError, smtplib.SMTPException):
        # The reassignment stands; the daily reminders will still reach the new owner.
        logger.exception("Could not mail %s about case %s", owner.email, case.reference)


@transaction.atomic
def case_reassign(*, case: TerminationCase, by, owner) -> TerminationCase:
    require_editor(by)
    if owner is None or not roles.can_edit(owner):
        raise TransitionError(_("A case can only be owned by staff or managers."))
    case = _lock_open(case, what=_("the owner"))
    if case.owner_id == owner.pk:
        raise TransitionError(
            _("%(user)s already owns this case.") % {"user": owner.get_username()}
        )
    previous = case.owner
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.OWNER_CHANGED,
        message=owner.get_username(),
        data={
            "from": previous.pk if previous else None,
            "to": owner.pk,
            "from_name": previous.get_username() if previous else "",
            "to_name": owner.get_username(),
        },
    )
    if owner.pk != getattr(by, "pk", None):
        case_pk, owner_pk = case.pk, owner.pk
        transaction.on_commit(lambda: _notify_new_owner(case_pk, owner_pk))
    return case


@transaction.atomic
def agreement_record(
    *,
    case: TerminationCase,
    by,
    agreed_on: date,
    agreed_end_date: date,
    terms: str,
    terms_en: str = "",
    confirmation=None,
) -> TerminationCase:
    require_editor(by)
    terms = require_text(terms, _("Write down the agreed terms (settlement, handover)."))
    if agreed_on is None or agreed_end_date is None:
        raise TransitionError(_("Give the date of the agreement and the agreed end date."))
    if agreed_on > local_today():
        raise TransitionError(
            _("The agreement date %(date)s is in the future.") % {"date": agreed_on}
        )
    if agreed_end_date < agreed_on:
        raise TransitionError(
            _("The agreed end date %(end)s is before the agreement (%(on)s).")
            % {"end": agreed_end_date, "on": agreed_on}
        )
    if (agreed_end_date - agreed_on).days > AGREED_END_MAX_DAYS:
        raise TransitionError(
            _(
                "The agreed end date %(end)s is more than ten years after the agreement: check the year."
            )
            % {"end": agreed_end_date}
        )
    case = lock_case(case)
    if case.stage not in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE):
        raise TransitionError(
            _("An agreement can be recorded up to the notice stage; the case is in %(stage)s.")
            % {"stage": case.get_stage_display()}
        )
    if case.basis and case.basis != Basis.MUTUAL and _termination_letter_issued(case):
        raise TransitionError(
            _(
                "A termination letter has been issued on another basis: correct or withdraw it "
                "before recording a mutual agreement."
            )
        )
    replaced = None
    if confirmation:
        replaced = stored_file_replacement(
            by=by,
            current=case.countersigned_confirmation,
            new=confirmation,
            what=_("countersigned confirmation"),
        )
    previous_basis = case.basis
    case.basis = Basis.MUTUAL
    case.agreed_on = agreed_on
    case.agreed_end_date = agreed_end_date
    case.agreed_terms = terms
    case.agreed_terms_en = terms_en.strip()
    fields = [
        "basis",
        "agreed_on",
        "agreed_end_date",
        "agreed_terms",
        "agreed_terms_en",
        "updated_at",
    ]
    if confirmation:
        case.countersigned_confirmation = confirmation
        fields.append("countersigned_confirmation")
        _clean_case_fields(case, ["countersigned_confirmation"])
    case.save(update_fields=fields)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.AGREEMENT_RECORDED,
        message=terms,
        data={
            "agreed_on": agreed_on.isoformat(),
            "agreed_end_date": agreed_end_date.isoformat(),
            "previous_basis": previous_basis,
            "confirmation": bool(case.countersigned_confirmation),
            **({"confirmation_sha256": sha256_of(confirmation)} if confirmation else {}),
        },
    )
    if replaced:
        record_replacement(
            case=case, by=by, replaced=replaced, new_name=case.countersigned_confirmation.name
        )
    if case.countersigned_confirmation:
        case = case_recompute_end_date(case=case, by=by)
    return set_warnings(case, case_warnings(case))


@transaction.atomic
def negotiation_log(
    *,
    case: TerminationCase,
    by,
    occurred_on: date,
    channel: str,
    kind: str,
    participants: str,
    summary: str,
    outcome: str = "",
    offer_amount: Decimal | None = None,
    next_step: str = "",
    next_step_due: date | None = None,
    attachment=None,
) -> NegotiationEntry:
    require_editor(by)
    participants = require_text(participants, _("Say who took part."))
    summary = require_text(summary, _("Summarise what was said."))
    if occurred_on is None or occurred_on > local_today():
        raise TransitionError(_("The contact date must be today or earlier."))
    if next_step_due and next_step_due < occurred_on:
        raise TransitionError(_("The next step cannot be due before the contact."))
    case = _lock_open(case, what=_("the negotiation log"))
    if case.stage not in OPEN_STAGES:  # pragma: no cover - _lock_open already refuses
        raise TransitionError(_("The case is not open."))
    entry = NegotiationEntry(
        case=case,
        occurred_on=occurred_on,
        channel=channel,
        kind=kind,
        participants=participants,
        summary=summary,
        outcome=(outcome or "").strip(),
        offer_amount=offer_amount,
        next_step=(next_step or "").strip(),
        next_step_due=next_step_due,
        recorded_by=by,
    )
    if attachment:
        entry.attachment = attachment
    try:
        entry.full_clean()
    except ValidationError as error:
        raise TransitionError(_validation_message(error)) from error
    entry.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.NEGOTIATION_LOGGED,
        message=summary,
        data={
            "entry": entry.pk,
            "occurred_on": occurred_on.isoformat(),
            "channel": channel,
            "kind": kind,
            "offer_amount": str(offer_amount) if offer_amount is not None else None,
        },
    )
    return entry
