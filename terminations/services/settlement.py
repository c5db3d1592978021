"""The settlement of a case (DOMAIN.md §5) and the plan for afterwards (§8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Contract, Partner
from terminations.models import (
    FINAL_STAGES,
    Basis,
    CaseEvent,
    FollowUpPlan,
    SettlementLine,
    TerminationCase,
)
from terminations.rules.choices import PenaltyDirection, PenaltyType
from terminations.rules.dates import RulesError
from terminations.rules.money import (
    NetResult,
    earnest_money_effective,
    net_settlement,
    penalty_exceeds_loss,
    penalty_for_contract,
    penalty_or_earnest,
    prepaid_refund,
    yuan,
)
from terminations.services._base import (
    TransitionError,
    local_today,
    lock_case,
    record_event,
    require_editor,
    require_text,
)

__all__ = [
    "plan_record",
    "settlement_line_add",
    "settlement_line_mark_paid",
    "settlement_net",
    "settlement_suggest",
]

TO_SHOP = SettlementLine.Direction.TO_SHOP
TO_PARTNER = SettlementLine.Direction.TO_PARTNER


def _suggestion(
    *,
    kind: str,
    direction: str,
    amount: Decimal,
    description: str,
    explanation_zh: str,
    explanation_en: str,
    is_claim: bool = False,
    warnings: list[str] | None = None,
    rule: str = "",
) -> dict[str, Any]:
    return {
        "kind": kind,
        "direction": direction,
        "amount": amount,
        "is_claim": is_claim,
        "description": description,
        "explanation_zh": explanation_zh,
        "explanation_en": explanation_en,
        "rule": rule,
        "warnings": warnings or [],
    }


def _penalty_suggestion(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    if contract.penalty_type == PenaltyType.NONE:
        return None
    if case.basis == Basis.BREACH:
        direction, line_direction, is_claim = PenaltyDirection.PARTNER_OWES, TO_SHOP, True
    elif case.basis in (Basis.CONTRACTUAL, Basis.ENTRUSTMENT):
        direction, line_direction, is_claim = PenaltyDirection.SHOP_OWES, TO_PARTNER, False
    else:
        # Mutual agreement: what the agreement says; open-ended: no early end, so no penalty.
        return None
    result = penalty_for_contract(contract, direction=direction)
    if result.amount <= 0:
        return None
    warnings = []
    if case.known_loss is not None and penalty_exceeds_loss(
        penalty=result.amount, loss=case.known_loss
    ):
        warnings.append(
            _(
                "The penalty exceeds the known loss of %(loss)s yuan by more than 30%%: a court "
                "may reduce it on request (2023 interpretation art. 65). It is not reduced here."
            )
            % {"loss": yuan(case.known_loss)}
        )
    if (
        contract.deposit_kind == Contract.DepositKind.EARNEST
        and contract.deposit_amount > 0
        and is_claim
    ):
        choice = penalty_or_earnest(
            penalty=result.amount,
            earnest=contract.deposit_amount,
            contract_value=contract.contract_value,
        )
        warnings.append(choice.explanation_en)
    return _suggestion(
        kind=SettlementLine.Kind.PENALTY,
        direction=line_direction,
        amount=result.amount,
        is_claim=is_claim,
        description=_("Penalty claimed from the partner for breach")
        if is_claim
        else _("Early-termination penalty owed by the shop"),
        explanation_zh=result.explanation_zh,
        explanation_en=result.explanation_en,
        rule=result.rule,
        warnings=warnings,
    )


def _refund_suggestion(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    if (
        contract.prepaid_amount <= 0
        or not contract.prepaid_from
        or not contract.prepaid_to
        or not case.end_date
    ):
        return None
    result = prepaid_refund(
        prepaid=contract.prepaid_amount,
        covers_from=contract.prepaid_from,
        covers_to=contract.prepaid_to,
        end_date=case.end_date,
    )
    if result.amount <= 0:
        return None
    return _suggestion(
        kind=SettlementLine.Kind.REFUND,
        direction=TO_SHOP,
        amount=result.amount,
        description=_("Refund of fees prepaid for service after the end date"),
        explanation_zh=result.explanation_zh,
        explanation_en=result.explanation_en,
        rule=result.rule,
    )


def _deposit_suggestion(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    if contract.deposit_kind == Contract.DepositKind.NONE or contract.deposit_amount <= 0:
        return None
    amount = yuan(contract.deposit_amount)
    warnings = []
    if contract.deposit_kind == Contract.DepositKind.EARNEST:
        effective = earnest_money_effective(earnest=amount, contract_value=contract.contract_value)
        if effective.amount < amount:
            warnings.append(effective.explanation_en)
    if contract.deposit_holder == Contract.DepositHolder.PARTNER:
        direction = TO_SHOP
        zh = (
            f"合作方持有的保证金/定金{amount}元，按合同约定退还本店（如合同允许扣除，以约定为准）。"
        )
        en = (
            f"The deposit of {amount} yuan held by the partner is returned to the shop as the "
            "contract provides (less any deduction the contract allows)."
        )
        description = _("Deposit held by the partner, returned to the shop")
    else:
        direction = TO_PARTNER
        zh = (
            f"本店持有的保证金/定金{amount}元，按合同约定退还合作方（违约时按合同约定扣除或主张）。"
        )
        en = (
            f"The deposit of {amount} yuan held by the shop is returned to the partner as the "
            "contract provides (or kept/claimed on breach as the contract provides)."
        )
        description = _("Deposit held by the shop, returned to the partner")
    return _suggestion(
        kind=SettlementLine.Kind.DEPOSIT,
        direction=direction,
        amount=amount,
        description=description,
        explanation_zh=zh,
        explanation_en=en,
        rule="民法典第586条" if contract.deposit_kind == Contract.DepositKind.EARNEST else "",
        warnings=warnings,
    )


def settlement_suggest(*, case: TerminationCase) -> list[dict[str, Any]]:
    """Lines the contract suggests, each with its explanation; nothing is stored.

    Each dict: kind, direction, amount (Decimal), is_claim, description, explanation_zh,
    explanation_en, rule, warnings.
    """
    contract = case.contract
    if contract is None:
        return []
    try:
        suggestions = [
            _penalty_suggestion(case, contract),
            _refund_suggestion(case, contract),
            _deposit_suggestion(case, contract),
        ]
    except RulesError as error:
        raise TransitionError(str(error)) from error
    return [s for s in suggestions if s is not None]


def _lock_for_settlement(case: TerminationCase) -> TerminationCase:
    case = lock_case(case)
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: its settlement can no longer change.")
            % {"stage": case.get_stage_display()}
        )
    return case


@transaction.atomic
def settlement_line_add(
    *,
    case: TerminationCase,
    by,
    kind: str,
    direction: str,
    amount: Decimal | str | int,
    description: str = "",
    due_on: date | None = None,
    is_claim: bool = False,
) -> SettlementLine:
    require_editor(by)
    if kind not in SettlementLine.Kind.values:
        raise TransitionError(_("Choose the kind of settlement line."))
    if direction not in SettlementLine.Direction.values:
        raise TransitionError(_("Say who pays whom."))
    try:
        amount = yuan(amount)
    except RulesError as error:
        raise TransitionError(str(error)) from error
    if amount < 0:
        raise TransitionError(_("The amount cannot be negative: choose who pays whom instead."))
    case = _lock_for_settlement(case)
    line = SettlementLine(
        case=case,
        kind=kind,
        direction=direction,
        amount=amount,
        description=(description or "").strip(),
        due_on=due_on,
        is_claim=is_claim,
        recorded_by=by,
    )
    try:
        line.full_clean()
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from error
    line.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message=line.description or line.get_kind_display(),
        data={
            "line": line.pk,
            "kind": kind,
            "direction": direction,
            "amount": str(amount),
            "is_claim": is_claim,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
    return line


@transaction.atomic
def settlement_line_mark_paid(*, line: SettlementLine, by, paid_on: date) -> SettlementLine:
    require_editor(by)
    case = lock_case(line.case_id)
    line = SettlementLine.objects.select_for_update().get(pk=line.pk)
    if line.paid:
        raise TransitionError(_("This line is already paid (%(date)s).") % {"date": line.paid_on})
    if paid_on is None or paid_on > local_today():
        raise TransitionError(_("The payment date must be today or earlier."))
    line.paid = True
    line.paid_on = paid_on
    line.save(update_fields=["paid", "paid_on"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message=_("Paid: %(line)s") % {"line": line.description or line.get_kind_display()},
        data={"line": line.pk, "paid_on": paid_on.isoformat(), "amount": str(line.amount)},
    )
    return line


def settlement_net(*, case: TerminationCase) -> dict[str, Any]:
    """Who pays whom and how much, over the agreed lines; claims not yet accepted are netted
    separately, so a disputed penalty does not hide what is certainly owed.

    Returns {"agreed": NetResult, "with_claims": NetResult, "outstanding": NetResult,
    "claims": Decimal, "payer", "payee", "amount", "explanation"} — the last four from "agreed".
    """
    lines = list(case.settlement_lines.all())
    agreed: NetResult = net_settlement(line for line in lines if not line.is_claim)
    with_claims: NetResult = net_settlement(lines)
    outstanding: NetResult = net_settlement(
        line for line in lines if not line.is_claim and not line.paid
    )
    claims = sum((yuan(line.amount) for line in lines if line.is_claim), Decimal("0.00"))
    return {
        "agreed": agreed,
        "with_claims": with_claims,
        "outstanding": outstanding,
        "claims": claims,
        "payer": agreed.payer,
        "payee": agreed.payee,
        "amount": agreed.amount,
        "explanation": agreed.explanation,
    }


@transaction.atomic
def plan_record(
    *,
    case: TerminationCase,
    by,
    next_step: str,
    details: str,
    review_on: date,
    engage_again: bool,
) -> FollowUpPlan:
    require_editor(by)
    if next_step not in FollowUpPlan.NextStep.values:
        raise TransitionError(_("Choose what comes next."))
    if review_on is None:
        raise TransitionError(_("Give a date to review the plan."))
    if not isinstance(engage_again, bool):
        raise TransitionError(_("Say whether this partner may be engaged again."))
    if next_step == FollowUpPlan.NextStep.OTHER:
        details = require_text(details, _("Describe the plan."))
    case = _lock_for_settlement(case)
    plan = FollowUpPlan.objects.filter(case=case).first()
    created = plan is None
    if created:
        plan = FollowUpPlan(case=case)
    plan.next_step = next_step
    plan.details = (details or "").strip()
    plan.review_on = review_on
    plan.engage_again = engage_again
    plan.recorded_by = by
    if created:
        plan.save()
    else:
        plan.save(
            update_fields=["next_step", "details", "review_on", "engage_again", "recorded_by"]
        )
    partner = Partner.objects.select_for_update().get(pk=case.partner_id)
    partner.engage_again = engage_again
    partner.save(update_fields=["engage_again", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.PLAN_RECORDED,
        message=plan.get_next_step_display(),
        data={
            "next_step": next_step,
            "review_on": review_on.isoformat(),
            "engage_again": engage_again,
            "updated": not created,
        },
    )
    return plan
