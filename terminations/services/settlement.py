"""The settlement of a case (DOMAIN.md §5) and the plan for afterwards (§8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.models import Contract, Partner
from terminations.models import (
    Basis,
    CaseEvent,
    Commission,
    FollowUpPlan,
    SettlementLine,
    Stage,
    TerminationCase,
)
from terminations.rules.choices import PenaltyDirection, PenaltyType
from terminations.rules.dates import RulesError
from terminations.rules.money import (
    NetResult,
    earnest_money_effective,
    net_settlement,
    penalty_amount,
    penalty_exceeds_loss,
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
    require_manager,
    require_text,
)

__all__ = [
    "plan_record",
    "settlement_claim_accept",
    "settlement_claim_drop",
    "settlement_line_add",
    "settlement_line_mark_paid",
    "settlement_net",
    "settlement_recorded",
    "settlement_suggest",
    "settlement_suggestion_add",
]

TO_SHOP = SettlementLine.Direction.TO_SHOP
TO_PARTNER = SettlementLine.Direction.TO_PARTNER


def _suggestion(
    *,
    key: str,
    kind: str,
    direction: str,
    amount: Decimal,
    description: str,
    explanation_zh: str,
    explanation_en: str,
    who: str,
    clause: str = "",
    is_claim: bool = False,
    exposure: bool = False,
    warnings: list[str] | None = None,
    rule: str = "",
) -> dict[str, Any]:
    """A line the contract suggests. `who` says who owes whom under which clause; an `exposure`
    is what the shop may owe: shown to staff as such, booked only when a manager confirms it."""
    return {
        "key": key,
        "kind": kind,
        "direction": direction,
        "amount": amount,
        "is_claim": is_claim,
        "exposure": exposure,
        "clause": clause,
        "who": who,
        "description": description,
        "explanation_zh": explanation_zh,
        "explanation_en": explanation_en,
        "rule": rule,
        "warnings": warnings or [],
    }


def _clause_prefix(clause: str) -> tuple[str, str]:
    if not clause:
        return "依据合同（未记录条款编号）：", "Under the contract (no clause number recorded): "
    return f"依据合同第{clause}条：", f"Under clause {clause} of the contract: "


def _under(clause: str, sentence_with_clause: str, sentence_without: str) -> str:
    return sentence_with_clause % {"clause": clause} if clause else sentence_without


def _contract_penalty(contract: Contract, direction: str):
    return penalty_amount(
        penalty_type=contract.penalty_type,
        value=contract.penalty_value,
        contract_value=contract.contract_value,
        monthly_fee=contract.monthly_fee,
        direction=direction,
    )


def _loss_warning(case: TerminationCase, amount: Decimal) -> list[str]:
    if case.known_loss is not None and penalty_exceeds_loss(penalty=amount, loss=case.known_loss):
        return [
            _(
                "The penalty exceeds the known loss of %(loss)s yuan by more than 30%%: a court "
                "may reduce it on request (2023 interpretation art. 65). It is not reduced here."
            )
            % {"loss": yuan(case.known_loss)}
        ]
    return []


def _breach_claim(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    """Ending for the partner's breach: the penalty clause gives the shop a claim."""
    result = _contract_penalty(contract, PenaltyDirection.PARTNER_OWES)
    if result.amount <= 0:
        return None
    clause = contract.clause_penalty
    warnings = _loss_warning(case, result.amount)
    if contract.deposit_kind == Contract.DepositKind.EARNEST and contract.deposit_amount > 0:
        choice = penalty_or_earnest(
            penalty=result.amount,
            earnest=contract.deposit_amount,
            contract_value=contract.contract_value,
        )
        warnings.append(choice.explanation)
    zh, en = _clause_prefix(clause)
    return _suggestion(
        key="penalty",
        kind=SettlementLine.Kind.PENALTY,
        direction=TO_SHOP,
        amount=result.amount,
        is_claim=True,
        clause=clause,
        who=_under(
            clause,
            _(
                "Under clause %(clause)s the partner owes the shop this penalty for its breach: "
                "a claim until the partner accepts it."
            ),
            _(
                "Under the contract's penalty clause the partner owes the shop this penalty for "
                "its breach: a claim until the partner accepts it."
            ),
        ),
        description=_("Penalty (违约金) claimed from the partner for breach"),
        explanation_zh=zh + result.explanation_zh,
        explanation_en=en + result.explanation_en,
        rule=result.rule,
        warnings=warnings,
    )


EXPOSURE_ZH = "本店可能需向合作方支付（风险敞口，主管确认后方记为本店债务）。"
EXPOSURE_EN = " The shop may owe it (an exposure: a debt only once a manager confirms it)."


def _renamed(result, name_zh: str, name_en: str) -> tuple[str, str]:
    """The amount's wording with the clause's own name in place of "penalty" (违约金)."""
    zh = result.explanation_zh.replace("违约金", name_zh).rstrip("。")
    en = (
        result.explanation_en.replace("a fixed penalty", f"a fixed {name_en}")
        .replace("The penalty", f"The {name_en}")
        .replace("penalty", name_en)
    )
    return f"{zh}，{EXPOSURE_ZH}", en + EXPOSURE_EN


def _convenience_fee(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    """Ending for convenience under the contract: what the clause attaches to it is the shop's
    exposure, named as the clause names it, never 违约金 (that would concede a breach)."""
    result = _contract_penalty(contract, "")
    if result.amount <= 0:
        return None
    clause = contract.clause_termination or contract.clause_penalty
    name = contract.convenience_fee_name.strip()
    zh, en = _clause_prefix(clause)
    body_zh, body_en = _renamed(
        result, name or "解除费用", name or "fee for ending for convenience"
    )
    return _suggestion(
        key="termination_fee",
        kind=SettlementLine.Kind.TERMINATION_FEE,
        direction=TO_PARTNER,
        amount=result.amount,
        exposure=True,
        clause=clause,
        who=_under(
            clause,
            _(
                "Under clause %(clause)s the shop may owe the partner this fee for ending the "
                "contract for convenience: an exposure, booked as a debt only when a manager "
                "confirms it."
            ),
            _(
                "Under the contract the shop may owe the partner this fee for ending the contract "
                "for convenience: an exposure, booked as a debt only when a manager confirms it."
            ),
        ),
        description=name
        or _("Fee the contract attaches to ending for convenience (not a penalty)"),
        explanation_zh=zh + body_zh,
        explanation_en=en + body_en,
        rule="民法典第562条第2款",
        warnings=_loss_warning(case, result.amount),
    )


def _entrustment_compensation(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    """Ending an entrustment contract at any time (art. 933): the shop owes the agency's direct
    loss (and, for a paid contract, its lost profit); an agreed sum is the exposure."""
    result = _contract_penalty(contract, "")
    if result.amount <= 0:
        return None
    clause = contract.clause_penalty
    zh, en = _clause_prefix(clause)
    body_zh, body_en = _renamed(result, "赔偿", "compensation")
    return _suggestion(
        key="entrustment",
        kind=SettlementLine.Kind.TERMINATION_FEE,
        direction=TO_PARTNER,
        amount=result.amount,
        exposure=True,
        clause=clause,
        who=_under(
            clause,
            _(
                "Under clause %(clause)s and Civil Code art. 933 the shop may owe the agency "
                "compensation for ending an entrustment contract: an exposure, booked as a debt "
                "only when a manager confirms it."
            ),
            _(
                "Under Civil Code art. 933 the shop may owe the agency compensation for ending an "
                "entrustment contract: an exposure, booked as a debt only when a manager "
                "confirms it."
            ),
        ),
        description=_("Compensation for ending an entrustment contract (art. 933)"),
        explanation_zh=zh + body_zh,
        explanation_en=en + body_en,
        rule="民法典第933条",
        warnings=_loss_warning(case, result.amount),
    )


def _penalty_suggestion(case: TerminationCase, contract: Contract) -> dict[str, Any] | None:
    """Who owes whom under the penalty or termination clause depends on the basis: the partner
    owes it for its breach (a claim); the shop may owe a convenience fee or an entrustment's
    compensation (exposures); an agreed cause, a mutual agreement or an open-ended cooperation
    gives neither side a sum from the clause."""
    if contract.penalty_type == PenaltyType.NONE:
        return None
    if case.basis == Basis.BREACH:
        return _breach_claim(case, contract)
    if case.basis == Basis.CONTRACTUAL and contract.convenience_termination:
        return _convenience_fee(case, contract)
    if case.basis == Basis.ENTRUSTMENT:
        return _entrustment_compensation(case, contract)
    return None


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
        key="refund",
        kind=SettlementLine.Kind.REFUND,
        direction=TO_SHOP,
        amount=result.amount,
        who=_("The partner owes the shop the fees prepaid for service after the end date."),
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
            warnings.append(effective.explanation)
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
        who = _("The partner returns the deposit it holds to the shop, as the contract provides.")
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
        who = _("The shop returns the deposit it holds to the partner, as the contract provides.")
    return _suggestion(
        key="deposit",
        kind=SettlementLine.Kind.DEPOSIT,
        direction=direction,
        amount=amount,
        who=who,
        description=description,
        explanation_zh=zh,
        explanation_en=en,
        rule="民法典第586条" if contract.deposit_kind == Contract.DepositKind.EARNEST else "",
        warnings=warnings,
    )


def _already_added(suggestion: dict[str, Any], lines: list[SettlementLine]) -> bool:
    """A suggestion is not offered again once a line was added from it, or once a line of the
    same kind and direction was entered by hand."""
    return any(
        line.suggestion == suggestion["key"]
        or (line.kind == suggestion["kind"] and line.direction == suggestion["direction"])
        for line in lines
    )


def _all_suggestions(case: TerminationCase) -> list[dict[str, Any]]:
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


def settlement_suggest(*, case: TerminationCase) -> list[dict[str, Any]]:
    """Lines the contract suggests and that are not on the case yet, each with its clause, who
    owes whom under it and its explanation; nothing is stored.

    Each dict: key, kind, direction, amount (Decimal), is_claim, exposure, clause, who,
    description, explanation_zh, explanation_en, rule, warnings.
    """
    lines = list(case.settlement_lines.all())
    return [s for s in _all_suggestions(case) if not _already_added(s, lines)]


def _final_stage_message(case: TerminationCase) -> str:
    if case.stage == Stage.CLOSED:
        return _(
            "The case is closed: only the payment of an agreed settlement line, or the "
            "platform's settlement or refund of a tracked commission, can be recorded. A manager "
            "can reopen the case."
        )
    return _("The case is %(stage)s: its settlement can no longer change.") % {
        "stage": case.get_stage_display()
    }


def _lock_for_settlement(case: TerminationCase) -> TerminationCase:
    case = lock_case(case)
    if not case.is_open:
        raise TransitionError(_final_stage_message(case))
    return case


def _shop_owes_under_clause(kind: str, direction: str) -> bool:
    """A penalty or termination fee the shop pays: a debt only when a manager confirms it."""
    return direction == TO_PARTNER and kind in (
        SettlementLine.Kind.PENALTY,
        SettlementLine.Kind.TERMINATION_FEE,
    )


def _save_line(case: TerminationCase, line: SettlementLine, by, **event_data) -> SettlementLine:
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
            "kind": line.kind,
            "direction": line.direction,
            "amount": str(line.amount),
            "is_claim": line.is_claim,
            "clause": line.clause,
            "due_on": line.due_on.isoformat() if line.due_on else None,
            **event_data,
        },
    )
    return line


@transaction.atomic
def settlement_line_add(
    *,
    case: TerminationCase,
    by,
    kind: str,
    direction: str,
    amount: Decimal | str | int,
    description: str = "",
    description_en: str = "",
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
    if is_claim and direction != TO_SHOP:
        raise TransitionError(_("Only an amount the partner should pay can be a claim."))
    if _shop_owes_under_clause(kind, direction):
        # What the shop may owe under a clause is an exposure until a manager confirms it.
        require_manager(by)
    case = _lock_for_settlement(case)
    if kind == SettlementLine.Kind.COMMISSION and case.partner.kind == Partner.Kind.CREATOR:
        raise TransitionError(
            _(
                "A creator's commission through 精选联盟 is settled by the platform, not paid by "
                "the shop: record it under Commissions for tracking. A fee the shop pays off the "
                "platform (坑位费, service fee) is a “fees owed” line."
            )
        )
    line = SettlementLine(
        case=case,
        kind=kind,
        direction=direction,
        amount=amount,
        description=(description or "").strip(),
        description_en=(description_en or "").strip(),
        due_on=due_on,
        is_claim=is_claim,
        recorded_by=by,
    )
    return _save_line(case, line, by)


def _suggestion_description(case: TerminationCase, key: str, language: str) -> str:
    """A suggested line's description in one language: the letters print the Chinese one, and
    the English one in English letters, whatever language the clerk's page was in."""
    with translation.override(language):
        suggestion = next((s for s in _all_suggestions(case) if s["key"] == key), None)
        return str(suggestion["description"]) if suggestion else ""


@transaction.atomic
def settlement_suggestion_add(*, case: TerminationCase, by, key: str) -> SettlementLine:
    """Add the line the contract suggests, recomputed here (never taken from the form). An
    exposure — what the shop may owe under a clause — becomes a debt only when a manager
    confirms it; a suggestion already added is refused."""
    require_editor(by)
    case = _lock_for_settlement(case)
    case = TerminationCase.objects.select_related("contract", "partner").get(pk=case.pk)
    suggestion = next((s for s in _all_suggestions(case) if s["key"] == key), None)
    if suggestion is None:
        raise TransitionError(_("The contract suggests no such line for this case."))
    if _already_added(suggestion, list(case.settlement_lines.all())):
        raise TransitionError(_("This suggested line was already added."))
    if suggestion["exposure"]:
        require_manager(by)
    line = SettlementLine(
        case=case,
        kind=suggestion["kind"],
        direction=suggestion["direction"],
        amount=suggestion["amount"],
        description=_suggestion_description(case, key, "zh-hans")[:300],
        description_en=_suggestion_description(case, key, "en")[:300],
        clause=(suggestion["clause"] or "")[:100],
        suggestion=key,
        is_claim=suggestion["is_claim"],
        recorded_by=by,
    )
    return _save_line(
        case,
        line,
        by,
        suggestion=key,
        confirmed_exposure=suggestion["exposure"],
        explanation_zh=suggestion["explanation_zh"],
        explanation_en=suggestion["explanation_en"],
    )


@transaction.atomic
def settlement_line_mark_paid(*, line: SettlementLine, by, paid_on: date) -> SettlementLine:
    """Record a payment. On a closed case this is one of the few things that may still happen
    (settlement terms survive the end, art. 567) — for an agreed line, not a claim. A claim the
    partner pays is accepted by that payment: it is then a paid agreed line, listed with the
    paid lines and no longer among the claims."""
    require_editor(by)
    case = lock_case(line.case_id)
    line = SettlementLine.objects.select_for_update().get(pk=line.pk)
    if line.claim_dropped_on:
        raise TransitionError(_("The shop dropped this claim: there is nothing to be paid."))
    if case.stage == Stage.WITHDRAWN:
        raise TransitionError(_final_stage_message(case))
    if case.stage == Stage.CLOSED and line.is_claim:
        raise TransitionError(
            _(
                "The case is closed: a claim the partner never accepted cannot be recorded as "
                "paid. A manager can reopen the case."
            )
        )
    if line.paid:
        raise TransitionError(_("This line is already paid (%(date)s).") % {"date": line.paid_on})
    if paid_on is None or paid_on > local_today():
        raise TransitionError(_("The payment date must be today or earlier."))
    line.paid = True
    line.paid_on = paid_on
    fields = ["paid", "paid_on"]
    accepted_by_paying = line.is_claim
    if accepted_by_paying:
        line.is_claim = False
        line.claim_accepted_on = paid_on
        line.claim_note = _("accepted by paying it")
        fields += ["is_claim", "claim_accepted_on", "claim_note"]
    line.save(update_fields=fields)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message=_("Paid: %(line)s") % {"line": line.description or line.get_kind_display()},
        data={
            "line": line.pk,
            "paid_on": paid_on.isoformat(),
            "amount": str(line.amount),
            "after_closing": case.stage == Stage.CLOSED,
            **({"claim": "accepted_by_paying"} if accepted_by_paying else {}),
        },
    )
    return line


def _open_claim(line: SettlementLine) -> SettlementLine:
    """The line locked, refused unless it is a claim still waiting for the partner's answer."""
    case = _lock_for_settlement(line.case)
    line = SettlementLine.objects.select_for_update().get(pk=line.pk, case=case)
    line.case = case
    if not line.is_open_claim:
        raise TransitionError(
            _("Only a claim still waiting for the partner's answer can be accepted or dropped.")
        )
    return line


@transaction.atomic
def settlement_claim_accept(
    *, line: SettlementLine, by, accepted_on: date, note: str
) -> SettlementLine:
    """The partner accepted the shop's claim: it becomes an agreed line, counted in the net and
    payable like any other. The note says how the acceptance is proven (a signed statement, an
    e-mail, the chat record)."""
    require_editor(by)
    note = require_text(note, _("Say how the partner accepted the claim."))
    if accepted_on is None or accepted_on > local_today():
        raise TransitionError(_("The date of acceptance must be today or earlier."))
    line = _open_claim(line)
    line.is_claim = False
    line.claim_accepted_on = accepted_on
    line.claim_note = note[:500]
    line.save(update_fields=["is_claim", "claim_accepted_on", "claim_note"])
    record_event(
        case=line.case,
        actor=by,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message=_("Claim accepted by the partner on %(date)s: %(line)s (%(amount)s yuan). %(note)s")
        % {
            "date": accepted_on.isoformat(),
            "line": line.description or line.get_kind_display(),
            "amount": line.amount,
            "note": line.claim_note,
        },
        data={
            "line": line.pk,
            "claim": "accepted",
            "accepted_on": accepted_on.isoformat(),
            "amount": str(line.amount),
        },
    )
    return line


@transaction.atomic
def settlement_claim_drop(*, line: SettlementLine, by, note: str) -> SettlementLine:
    """The shop gives up a claim (a manager's decision: it is money the shop will not ask for).
    The line stays on record, counted nowhere."""
    require_manager(by)
    note = require_text(note, _("Say why the claim is dropped."))
    line = _open_claim(line)
    line.claim_dropped_on = local_today()
    line.claim_note = note[:500]
    line.save(update_fields=["claim_dropped_on", "claim_note"])
    record_event(
        case=line.case,
        actor=by,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message=_("Claim dropped: %(line)s (%(amount)s yuan). %(note)s")
        % {
            "line": line.description or line.get_kind_display(),
            "amount": line.amount,
            "note": line.claim_note,
        },
        data={"line": line.pk, "claim": "dropped", "amount": str(line.amount)},
    )
    return line


def _total(lines: list[SettlementLine]) -> Decimal:
    return sum((yuan(line.amount) for line in lines), Decimal("0.00"))


def settlement_net(*, case: TerminationCase) -> dict[str, Any]:
    """The figure finance would sign: who pays whom and how much over the *open agreed* lines
    only. Claims (not agreed) and paid lines are listed apart and not counted.

    Returns {"net": NetResult over the open agreed lines, "payer", "payee", "amount",
    "explanation" (the net's, plus what it leaves out), "open": [lines], "claims": [lines],
    "claims_total", "dropped": [claims the shop dropped], "paid": [lines], "paid_total"}.
    """
    lines = list(case.settlement_lines.all())
    dropped = [line for line in lines if line.is_claim and line.claim_dropped_on]
    claims = [line for line in lines if line.is_claim and not line.claim_dropped_on]
    paid = [line for line in lines if line.paid and not line.is_claim]
    open_lines = [line for line in lines if not line.is_claim and not line.paid]
    net: NetResult = net_settlement(open_lines)
    claims_total, paid_total = _total(claims), _total(paid)
    left_out = []
    if claims:
        left_out.append(
            ngettext(
                "%(count)d claim the partner has not accepted (%(amount)s yuan) is not counted.",
                "%(count)d claims the partner has not accepted (%(amount)s yuan) are not counted.",
                len(claims),
            )
            % {"count": len(claims), "amount": claims_total}
        )
    if paid:
        left_out.append(
            ngettext(
                "%(count)d line already paid (%(amount)s yuan) is not counted.",
                "%(count)d lines already paid (%(amount)s yuan) are not counted.",
                len(paid),
            )
            % {"count": len(paid), "amount": paid_total}
        )
    prefix = _("Open agreed lines:") + " "
    return {
        "net": net,
        "payer": net.payer,
        "payee": net.payee,
        "amount": net.amount,
        "explanation": " ".join([prefix + net.explanation, *left_out]),
        "open": open_lines,
        "claims": claims,
        "claims_total": claims_total,
        "dropped": dropped,
        "paid": paid,
        "paid_total": paid_total,
    }


def settlement_recorded(case: TerminationCase) -> bool:
    """For the review gate: the case has a settlement line (one saying there is nothing to
    settle counts), or — on a creator case — commissions recorded for tracking."""
    # One query whatever the answer, so that a page's query count does not depend on it.
    return (
        TerminationCase.objects.filter(pk=case.pk)
        .filter(
            Exists(SettlementLine.objects.filter(case=OuterRef("pk")))
            | Exists(Commission.objects.filter(case=OuterRef("pk")))
        )
        .exists()
    )


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
