"""How letters were sent and what is proven of their arrival; the end date that follows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.file_hashes import sha256_of
from terminations.models import (
    FINAL_STAGES,
    Basis,
    CaseEvent,
    CureOutcome,
    Delivery,
    Notice,
    TerminationCase,
)
from terminations.rules.dates import (
    DateResult,
    RulesError,
    notice_end_for_contract,
    notice_period_end,
)
from terminations.services._base import (
    TransitionError,
    case_warnings,
    local_today,
    lock_case,
    record_event,
    record_replacement,
    require_editor,
    set_warnings,
    stored_file_replacement,
)
from terminations.services.handover import (
    handover_recompute_due_dates,
    require_before_letter_items,
)

__all__ = [
    "FIXED_DATE_KINDS",
    "TERMINATION_KINDS",
    "case_recompute_end_date",
    "cure_period_end",
    "delivery_record_arrival",
    "delivery_record_dispatch",
    "delivery_record_refusal",
    "end_date_for_case",
    "rule_end",
]

# Letters whose arrival ends the cooperation (a mutual confirmation and a withdrawal do not).
TERMINATION_KINDS = (Notice.Kind.TERMINATION, Notice.Kind.CURE, Notice.Kind.OPEN_ENDED)
# Letters that may fix a termination date (a cure notice's date depends on the cure).
FIXED_DATE_KINDS = (Notice.Kind.TERMINATION, Notice.Kind.OPEN_ENDED)


def _check_date(day: date, *, label: str) -> None:
    if day > local_today():
        raise TransitionError(
            _("The %(what)s date %(date)s is in the future.") % {"what": label, "date": day}
        )


def _lock_notice_case(notice: Notice) -> TerminationCase:
    case = lock_case(notice.case_id)
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: deliveries can no longer be recorded.")
            % {"stage": case.get_stage_display()}
        )
    return case


@transaction.atomic
def delivery_record_dispatch(
    *,
    notice: Notice,
    by,
    method: str,
    dispatched_on: date,
    reference: str = "",
    address: str = "",
    evidence=None,
    system: bool = False,
) -> Delivery:
    """Record how an issued letter was sent. ``system``: the desk itself sent it (an e-mail the
    mail server accepted, on behalf of the manager who asked); the checks made when it was asked
    are not repeated, since the letter has already gone."""
    if not system:
        require_editor(by)
    case = _lock_notice_case(notice)
    notice = Notice.objects.get(pk=notice.pk)
    if notice.status != Notice.Status.ISSUED:
        raise TransitionError(
            _("Only an issued letter can be dispatched; %(number)s is %(status)s.")
            % {"number": notice.number_or_draft, "status": notice.get_status_display()}
        )
    if method not in Delivery.Method.values:
        raise TransitionError(_("Choose how the letter was sent."))
    if not system:
        require_before_letter_items(case=case, notice=notice)
    _check_date(dispatched_on, label=_("dispatch"))
    if notice.issued_at and dispatched_on < timezone.localtime(notice.issued_at).date():
        raise TransitionError(
            _("The letter cannot be dispatched on %(date)s, before it was issued (%(issued)s).")
            % {"date": dispatched_on, "issued": timezone.localtime(notice.issued_at).date()}
        )
    delivery = Delivery(
        notice=notice,
        method=method,
        dispatched_on=dispatched_on,
        reference=(reference or "").strip(),
        address=(address or "").strip(),
        recorded_by=by,
    )
    if evidence:
        delivery.evidence = evidence
    delivery.full_clean()
    delivery.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.DISPATCHED,
        message=notice.number_or_draft,
        data={
            "notice": notice.pk,
            "delivery": delivery.pk,
            "method": method,
            "dispatched_on": dispatched_on.isoformat(),
            "reference": delivery.reference,
            **({"sent_by_desk": True} if system else {}),
            **_evidence_data(evidence),
        },
    )
    handover_recompute_due_dates(case=case)
    return delivery


def _evidence_data(evidence) -> dict[str, str]:
    return {"evidence_sha256": sha256_of(evidence)} if evidence else {}


def _evidence_replacement(*, delivery: Delivery, by, evidence) -> dict[str, str] | None:
    """A delivery's evidence is added once: a second file replaces it only at a manager's hand."""
    if not evidence:
        return None
    return stored_file_replacement(
        by=by, current=delivery.evidence, new=evidence, what=_("delivery's evidence")
    )


def _record_evidence_replacement(
    *, case: TerminationCase, by, delivery: Delivery, replaced: dict[str, str] | None
) -> None:
    if replaced:
        record_replacement(
            case=case,
            by=by,
            replaced=replaced,
            new_name=delivery.evidence.name,
            notice=delivery.notice_id,
            delivery=delivery.pk,
        )


def _lock_delivery(delivery: Delivery) -> tuple[TerminationCase, Delivery]:
    case = _lock_notice_case(delivery.notice)
    delivery = Delivery.objects.select_for_update().select_related("notice").get(pk=delivery.pk)
    return case, delivery


@transaction.atomic
def delivery_record_arrival(
    *, delivery: Delivery, by, arrived_on: date, evidence=None, source: dict | None = None
) -> Delivery:
    require_editor(by)
    case, delivery = _lock_delivery(delivery)
    if delivery.arrived_on:
        raise TransitionError(
            _("Its arrival is already recorded (%(date)s).") % {"date": delivery.arrived_on}
        )
    _check_date(arrived_on, label=_("arrival"))
    if arrived_on < delivery.dispatched_on:
        raise TransitionError(
            _("A letter cannot arrive (%(arrived)s) before it was dispatched (%(dispatched)s).")
            % {"arrived": arrived_on, "dispatched": delivery.dispatched_on}
        )
    replaced = _evidence_replacement(delivery=delivery, by=by, evidence=evidence)
    delivery.arrived_on = arrived_on
    fields = ["arrived_on"]
    if evidence:
        delivery.evidence = evidence
        fields.append("evidence")
    delivery.save(update_fields=fields)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.ARRIVED,
        message=delivery.notice.number_or_draft,
        data={
            "notice": delivery.notice_id,
            "delivery": delivery.pk,
            "arrived_on": arrived_on.isoformat(),
            **(source or {}),
            **_evidence_data(evidence),
        },
    )
    _record_evidence_replacement(case=case, by=by, delivery=delivery, replaced=replaced)
    case_recompute_end_date(case=case, by=by)
    return delivery


@transaction.atomic
def delivery_record_refusal(*, delivery: Delivery, by, refused_on: date, evidence=None) -> Delivery:
    require_editor(by)
    case, delivery = _lock_delivery(delivery)
    if delivery.refused:
        raise TransitionError(_("The refusal is already recorded."))
    if delivery.arrived_on:
        raise TransitionError(
            _("Its arrival is already recorded (%(date)s).") % {"date": delivery.arrived_on}
        )
    _check_date(refused_on, label=_("refusal"))
    if refused_on < delivery.dispatched_on:
        raise TransitionError(
            _("A letter cannot be refused (%(refused)s) before it was dispatched (%(dispatched)s).")
            % {"refused": refused_on, "dispatched": delivery.dispatched_on}
        )
    replaced = _evidence_replacement(delivery=delivery, by=by, evidence=evidence)
    delivery.refused = True
    delivery.refused_on = refused_on
    fields = ["refused", "refused_on"]
    if evidence:
        delivery.evidence = evidence
        fields.append("evidence")
    delivery.save(update_fields=fields)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.REFUSED,
        message=_(
            "Delivery refused: a refusal is a risk, not a certainty. Prove arrival another way "
            "if you can."
        ),
        data={
            "notice": delivery.notice_id,
            "delivery": delivery.pk,
            "refused_on": refused_on.isoformat(),
            "risk": True,
            **_evidence_data(evidence),
        },
    )
    _record_evidence_replacement(case=case, by=by, delivery=delivery, replaced=replaced)
    case_recompute_end_date(case=case, by=by)
    return delivery


# --- the end date -------------------------------------------------------------------------


@dataclass(frozen=True)
class EndDate:
    result: DateResult
    notice: Notice | None
    refused_only: bool


def _same_day(day: date, *, zh: str, en: str, rule: str) -> DateResult:
    return DateResult(
        end=day,
        nominal=day,
        rolled=False,
        confirmed=True,
        rule=rule,
        explanation_zh=zh + f"合同于{day.isoformat()}解除。",
        explanation_en=en + f" The contract ends on {day.isoformat()}.",
    )


def _proof(notice: Notice) -> tuple[date, date, bool] | None:
    """(proven day, dispatch day of that delivery, refused only) for a letter, or None."""
    deliveries = list(notice.deliveries.all())
    arrived = [d for d in deliveries if d.arrived_on]
    if arrived:
        best = min(arrived, key=lambda d: (d.arrived_on, d.dispatched_on))
        return best.arrived_on, best.dispatched_on, False
    refused = [d for d in deliveries if d.refused and d.refused_on]
    if refused:
        best = min(refused, key=lambda d: (d.refused_on, d.dispatched_on))
        return best.refused_on, best.dispatched_on, True
    return None


def cure_period_end(case: TerminationCase) -> tuple[Notice, DateResult] | None:
    """The end of the cure period of the case's issued cure notice that reached the partner
    first: arrival + the period, rolled like any period (art. 203). None before it arrived."""
    if case.basis != Basis.BREACH:
        return None
    proven = [
        (proof, notice)
        for notice in Notice.objects.filter(
            case=case, status=Notice.Status.ISSUED, kind=Notice.Kind.CURE
        ).prefetch_related("deliveries")
        if (proof := _proof(notice))
    ]
    if not proven:
        return None
    (arrival, _dispatched, _refused), notice = min(proven, key=lambda pair: pair[0][0])
    result = _cure_period(case, notice, arrival)
    return (notice, result) if result is not None else None


def _cure_period(case: TerminationCase, notice: Notice, arrival: date) -> DateResult | None:
    """A cure notice's period counted from its arrival (the notice's days, else the case's)."""
    days = notice.cure_period_days or case.cure_period_days
    if not days:
        return None
    roll = case.contract.roll_over_rest_days if case.contract_id else True
    return notice_period_end(start=arrival, period=days, unit="days", roll=roll)


def rule_end(
    case: TerminationCase,
    notice: Notice,
    *,
    arrival: date,
    dispatched: date,
    refused_only: bool = False,
) -> DateResult | None:
    """When ``notice`` ends the cooperation by the rule its basis applies, had it been sent on
    ``dispatched`` and reached the partner (or been refused) on ``arrival``. No fixed date."""
    proof_zh = "拒收日" if refused_only else "到达日"
    proof_en = "Refused" if refused_only else "Arrival"
    basis = case.basis
    if basis == Basis.CONTRACTUAL and case.contract_id:
        start = dispatched if case.contract.notice_counted_from == "dispatch" else arrival
        result = notice_end_for_contract(contract=case.contract, start=start)
    elif basis == Basis.BREACH:
        cure = _cure_period(case, notice, arrival) if notice.kind == Notice.Kind.CURE else None
        if cure is not None:
            result = replace(
                cure,
                rule="民法典第563条、第565条；" + cure.rule,
                explanation_zh="对方在催告通知给予的履行期限内未履行（已记录），合同自期限届满时"
                "解除（民法典第563条、第565条第1款）。" + cure.explanation_zh,
                explanation_en="The partner did not cure within the period the cure notice "
                "gave (recorded), so the contract ends when that period runs out (Civil Code "
                "arts. 563, 565 ¶1). " + cure.explanation_en,
            )
        else:
            result = _same_day(
                arrival,
                zh=f"因对方违约解除合同，通知到达对方时合同解除（民法典第565条）：{proof_zh}{arrival.isoformat()}。",
                en=f"Termination for breach takes effect when the notice arrives (Civil Code art. 565): {proof_en.lower()} {arrival.isoformat()}.",
                rule="民法典第563条、第565条",
            )
    elif basis == Basis.OPEN_ENDED:
        result = notice_period_end(
            start=arrival, period=case.reasonable_notice_days, unit="days", roll=True
        )
        result = replace(
            result,
            rule="民法典第563条第2款；" + result.rule,
            explanation_zh=f"不定期继续性合同可随时解除，但应在合理期限之前通知对方（民法典第563条第2款），本案合理期限为{case.reasonable_notice_days}日。"
            + result.explanation_zh,
            explanation_en="An open-ended cooperation may be ended at any time after a "
            f"reasonable period of notice (Civil Code art. 563 ¶2); here {case.reasonable_notice_days} days. "
            + result.explanation_en,
        )
    elif basis == Basis.ENTRUSTMENT:
        result = _same_day(
            arrival,
            zh=f"委托合同当事人可以随时解除（民法典第933条），通知到达时解除：{proof_zh}{arrival.isoformat()}。解除方应赔偿对方的直接损失及可以获得的利益（有偿委托）。",
            en=f"An entrustment contract may be ended at any time (Civil Code art. 933), effective on arrival: {arrival.isoformat()}. The shop owes the agency's direct loss and, for a paid contract, its lost profit.",
            rule="民法典第933条",
        )
    else:
        return None
    return result


def _with_fixed_date(result: DateResult, fixed: date) -> DateResult:
    """A letter that fixes a termination date ends the cooperation on that date, or at the end
    of the rule's period if that is later (DOMAIN.md §6: the later one governs)."""
    if fixed > result.end:
        return replace(
            result,
            end=fixed,
            nominal=fixed,
            rolled=False,
            confirmed=True,
            explanation_zh=result.explanation_zh
            + f"函件载明的解除日{fixed.isoformat()}晚于上述日期，以较晚者{fixed.isoformat()}为准。",
            explanation_en=result.explanation_en
            + f" The letter fixes {fixed.isoformat()}, which is later: the later date governs.",
        )
    return replace(
        result,
        explanation_zh=result.explanation_zh
        + f"函件载明的解除日{fixed.isoformat()}早于上述日期（通知到达较晚），以较晚者"
        f"{result.end.isoformat()}为准。",
        explanation_en=result.explanation_en
        + f" The letter fixes {fixed.isoformat()}, but the notice arrived too late for it: the "
        f"later date {result.end.isoformat()} governs.",
    )


def end_date_for_case(case: TerminationCase) -> EndDate | None:
    """The end of the cooperation as the facts recorded so far prove it, or None."""
    if case.basis == Basis.MUTUAL:
        if not case.agreed_end_date or not case.countersigned_confirmation:
            return None
        day = case.agreed_end_date
        return EndDate(
            _same_day(
                day,
                zh=f"双方协商一致解除合同（民法典第562条第1款），约定终止日为{day.isoformat()}。",
                en=f"Ended by mutual agreement (Civil Code art. 562 ¶1) on the agreed date {day.isoformat()}.",
                rule="民法典第562条第1款",
            ),
            None,
            False,
        )
    letters = (
        Notice.objects.filter(case=case, status=Notice.Status.ISSUED, kind__in=TERMINATION_KINDS)
        .prefetch_related("deliveries")
        .order_by("sequence", "version")
    )
    if case.cure_outcome != CureOutcome.NOT_CURED:
        # A cure notice is a conditional termination: it ends the contract only once staff
        # record that the partner did not cure within the period (DOMAIN.md §3).
        letters = letters.exclude(kind=Notice.Kind.CURE)
    proven = [(p, n) for n in letters if (p := _proof(n))]
    if not proven:
        return None
    # The earliest proven arrival wins; a real arrival beats a refusal on the same day.
    (arrival, dispatched, refused_only), notice = min(
        proven, key=lambda pair: (pair[0][0], pair[0][2], pair[1].sequence)
    )
    result = rule_end(
        case, notice, arrival=arrival, dispatched=dispatched, refused_only=refused_only
    )
    if result is None:
        return None
    if notice.fixed_end_date and notice.kind in FIXED_DATE_KINDS:
        result = _with_fixed_date(result, notice.fixed_end_date)
    if refused_only:
        result = replace(
            result,
            explanation_zh=result.explanation_zh
            + "注意：仅有拒收记录作为到达证明，存在风险，并非确定。",
            explanation_en=result.explanation_en
            + " Note: the only proof of arrival is a refused delivery — a risk, not a certainty.",
        )
    return EndDate(result, notice, refused_only)


@transaction.atomic
def case_recompute_end_date(*, case: TerminationCase, by=None) -> TerminationCase:
    """Fix the end date from what is proven; appends END_DATE_SET when it changes."""
    case = lock_case(case)
    try:
        computed = end_date_for_case(case)
    except RulesError as error:
        raise TransitionError(str(error)) from error
    if computed is not None:
        apply_end_date(case=case, computed=computed, by=by)
    return set_warnings(case, case_warnings(case))


def apply_end_date(
    *,
    case: TerminationCase,
    computed: EndDate,
    by=None,
    event_kind: str = CaseEvent.Kind.END_DATE_SET,
    reason: str = "",
) -> bool:
    """Store a computed end date on a locked case: the date, its rule and calendar status, an
    event (``event_kind``, with ``reason`` in its data) and the handover due dates that follow.
    Returns whether anything changed. For the services of this package only."""
    result = computed.result
    values = {
        "end_date": result.end,
        "end_date_nominal": result.nominal,
        "end_date_confirmed": result.confirmed,
        "end_date_rule": result.rule[:100],
        "end_date_explanation_zh": result.explanation_zh,
        "end_date_explanation_en": result.explanation_en,
    }
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    if not changed:
        return False
    previous = case.end_date
    previous_confirmed = case.end_date_confirmed
    for name in changed:
        setattr(case, name, values[name])
    case.save(update_fields=[*changed, "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=event_kind,
        message=result.explanation_en,
        data={
            **result.as_dict(),
            # Both languages, so the timeline shows the reader's (the message is English).
            "explanation_zh": result.explanation_zh,
            "explanation_en": result.explanation_en,
            "previous": previous.isoformat() if previous else None,
            "previous_confirmed": previous_confirmed,
            "notice": computed.notice.pk if computed.notice else None,
            "refused_only": computed.refused_only,
            **({"reason": reason} if reason else {}),
        },
    )
    handover_recompute_due_dates(case=case)
    return True
