"""What every workflow service shares: the domain error, the row lock, the event writer and the
role checks. Services refuse on the server; a hidden button is never the only guard."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from core.file_hashes import sha256_of, stored_sha256
from terminations.models import CaseEvent, TerminationCase
from terminations.rules.dates import (
    DateResult,
    RulesError,
    right_to_terminate_applies,
    right_to_terminate_lapses,
)


class TransitionError(Exception):
    """A refused change. ``str(error)`` is the translated message shown to the user; ``anchor``
    names the section of the case page where what is missing can be done, if there is one."""

    def __init__(self, message: str, *, anchor: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.anchor = anchor or getattr(message, "anchor", "")

    def __str__(self) -> str:
        return self.message


class Refusal(str):
    """Why a move is refused (translated), with the section of the case page where what is
    missing is done ("handover", "settlement", …): the page links to it."""

    anchor: str

    def __new__(cls, text: str, anchor: str = "") -> Refusal:
        refusal = super().__new__(cls, text)
        refusal.anchor = anchor
        return refusal


def local_today() -> date:
    """'Today' is the date in Asia/Shanghai (settings.TIME_ZONE), not in UTC."""
    return timezone.localdate()


def lock_case(case: TerminationCase | int) -> TerminationCase:
    """Re-read the case with its row locked until the end of the transaction.

    Call inside ``transaction.atomic``. Guards must look at the returned object, never at the
    caller's (possibly stale) instance: that is what gives two concurrent requests one result.
    """
    pk = case if isinstance(case, int) else case.pk
    return TerminationCase.objects.select_for_update().get(pk=pk)


def record_event(
    *,
    case: TerminationCase,
    actor,
    kind: str,
    message: str = "",
    from_stage: str = "",
    to_stage: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        message=str(message),
        from_stage=from_stage,
        to_stage=to_stage,
        data=data or {},
    )


def require_editor(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise TransitionError(_("You must be logged in to change a case."))
    if not roles.can_edit(user):
        raise TransitionError(
            _("You may not change cases: only staff and managers can. Viewers read only.")
        )


def require_manager(user) -> None:
    require_editor(user)
    if not roles.is_manager(user):
        raise TransitionError(_("Only a manager may do this."))


def stored_file_replacement(*, by, current, new, what: str) -> dict[str, str] | None:
    """Stored files are added once (issue 15). None when nothing is stored yet; else refuse
    anyone but a manager, and return what the FILE_REPLACED event records: the old name and the
    SHA-256 of the old and the new file. The old file stays in storage: the field only points to
    the new one (Django never deletes a replaced file)."""
    if not current:
        return None
    if not roles.is_manager(by):
        raise TransitionError(
            _(
                "The %(what)s is already stored: evidence is kept, not replaced. Only a manager "
                "can replace it; the old file is then kept and both files' SHA-256 recorded."
            )
            % {"what": what}
        )
    return {
        "what": str(what),
        "old_name": current.name,
        "old_sha256": stored_sha256(current),
        "new_sha256": sha256_of(new),
    }


def record_replacement(*, case: TerminationCase, by, replaced: dict[str, Any], **data) -> None:
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.FILE_REPLACED,
        message=_("%(what)s replaced; the old file is kept (%(name)s)")
        % {"what": replaced["what"], "name": replaced["old_name"]},
        data={**replaced, **data},
    )


def require_text(value: str | None, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise TransitionError(message)
    return text


def set_warnings(case: TerminationCase, warnings: list[str]) -> TerminationCase:
    """Attach warnings to the returned instance (not stored: they are recomputed each time)."""
    case.warnings = list(warnings)
    return case


LAPSE_WARNING_DAYS = 30


def case_lapse(case: TerminationCase) -> DateResult | None:
    """When the shop's right to terminate lapses (art. 564, DOMAIN.md §3), or None where that
    does not concern the case: mutual agreement, a right that may be used at any time (open-ended
    cooperation, entrustment, a convenience right), or neither a cause date nor a demand known."""
    from terminations.models import Basis

    if case.basis == Basis.MUTUAL or not (case.learned_on or case.decision_demanded_on):
        return None
    contract = case.contract if case.contract_id else None
    convenience = bool(contract and contract.convenience_termination)
    if not right_to_terminate_applies(basis=case.basis, convenience_right=convenience):
        return None
    try:
        return right_to_terminate_lapses(
            known_on=case.learned_on,
            limit_days=contract.termination_right_limit_days if contract else None,
            demanded_on=case.decision_demanded_on,
        )
    except RulesError:
        return None


# Seed 001 (the creator article): "按照合同规定的流程进行，一般来说需要提前三个月通知达人".
CREATOR_ADVISED_NOTICE_MONTHS = 3


def creator_notice_advice(case: TerminationCase, *, today: date) -> str:
    """For a creator under a contract whose notice is shorter than the three months the creator
    article advises: that advice, with both dates for a notice arriving today. The contract's
    own rule still decides. Empty once a letter has arrived or the case has an end date."""
    from partners.models import Partner
    from terminations.rules.dates import notice_end_for_contract, notice_period_end

    if (
        case.partner.kind != Partner.Kind.CREATOR
        or not case.contract_id
        or case.end_date
        or not case.is_open
    ):
        return ""
    try:
        contract_end = notice_end_for_contract(contract=case.contract, start=today).end
        advised_end = notice_period_end(
            start=today, period=CREATOR_ADVISED_NOTICE_MONTHS, unit="months"
        ).end
    except RulesError:
        return ""
    if contract_end >= advised_end:
        return ""
    return _(
        "Creators under contract are usually given three months' notice (按照合同规定的流程进行，"
        "一般来说需要提前三个月通知达人). This contract gives less: notice arriving today ends it "
        "on %(contract)s; three months from today would be %(advised)s. The contract's rule "
        "decides; a longer notice may keep the relationship and the creator's fans on side."
    ) % {"contract": contract_end.isoformat(), "advised": advised_end.isoformat()}


def case_warnings(case: TerminationCase) -> list[str]:
    """What staff should see before they act: the right to terminate running out (art. 564),
    a refused delivery as the only proof of arrival, the entrustment basis's exposure."""
    from terminations.models import Basis, Delivery, Notice

    warnings: list[str] = []
    today = local_today()
    deliveries = Delivery.objects.filter(notice__case=case).exclude(
        notice__kind=Notice.Kind.WITHDRAWAL
    )
    arrived = deliveries.filter(arrived_on__isnull=False).exists()
    refused = deliveries.filter(refused=True).exists()
    if case.is_open and not arrived:
        lapse = case_lapse(case)
        if lapse is not None:
            if lapse.end < today:
                warnings.append(
                    _(
                        "The right to terminate may have lapsed on %(date)s (Civil Code art. 564): "
                        "check before relying on it."
                    )
                    % {"date": lapse.end.isoformat()}
                )
            elif (lapse.end - today).days <= LAPSE_WARNING_DAYS:
                warnings.append(
                    _(
                        "The right to terminate lapses on %(date)s (Civil Code art. 564): "
                        "%(days)s days left to exercise it."
                    )
                    % {"date": lapse.end.isoformat(), "days": (lapse.end - today).days}
                )
    if refused and not arrived:
        warnings.append(
            _(
                "The only proof of arrival is a refused delivery: a refusal is a risk, not a "
                "certainty. Try another channel the contract names."
            )
        )
    advice = creator_notice_advice(case, today=today)
    if advice:
        warnings.append(advice)
    if case.basis == Basis.ENTRUSTMENT:
        warnings.append(
            _(
                "On the entrustment basis (art. 933) the shop owes the agency's direct loss and, "
                "for a paid contract, its lost profit."
            )
        )
    return warnings
