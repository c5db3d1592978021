"""Settlement suggestions from the contract, lines, the net, and the plan for afterwards."""

from datetime import date
from decimal import Decimal

import pytest

from partners.models import Contract
from terminations.models import Basis, CaseEvent, FollowUpPlan, SettlementLine, TerminationCase
from terminations.rules.choices import PenaltyType
from terminations.services import (
    TransitionError,
    plan_record,
    settlement_line_add,
    settlement_line_mark_paid,
    settlement_net,
    settlement_suggest,
)
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.factories import open_case


def case_with(staff_user, *, basis, end_date=date(2026, 6, 30), known_loss=None, **contract_kw):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner, **contract_kw)
    case = open_case(by=staff_user, partner=partner, contract=contract, basis=basis)
    TerminationCase.objects.filter(pk=case.pk).update(end_date=end_date, known_loss=known_loss)
    case.refresh_from_db()
    return case


def by_kind(suggestions):
    return {s["kind"]: s for s in suggestions}


def test_penalty_owed_by_shop_on_contractual_right(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        penalty_type=PenaltyType.PERCENT,
        penalty_value=Decimal("10"),
        contract_value=Decimal("240000"),
    )
    penalty = by_kind(settlement_suggest(case=case))["penalty"]
    assert penalty["amount"] == Decimal("24000.00")
    assert penalty["direction"] == SettlementLine.Direction.TO_PARTNER
    assert penalty["is_claim"] is False
    assert penalty["explanation_en"]


def test_penalty_claimed_from_partner_on_breach_with_court_reduction_flag(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.BREACH,
        penalty_type=PenaltyType.MONTHS,
        penalty_value=Decimal("2"),
        monthly_fee=Decimal("20000"),
        known_loss=Decimal("10000"),
    )
    penalty = by_kind(settlement_suggest(case=case))["penalty"]
    assert penalty["amount"] == Decimal("40000.00")
    assert penalty["direction"] == SettlementLine.Direction.TO_SHOP
    assert penalty["is_claim"] is True
    assert any("30%" in w for w in penalty["warnings"])


def test_no_penalty_on_open_ended_or_mutual(staff_user):
    for basis in (Basis.OPEN_ENDED, Basis.MUTUAL):
        case = case_with(
            staff_user, basis=basis, penalty_type=PenaltyType.FIXED, penalty_value=Decimal("5000")
        )
        assert "penalty" not in by_kind(settlement_suggest(case=case))


def test_prepaid_refund_pro_rata_and_deposit(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        end_date=date(2026, 6, 20),
        prepaid_amount=Decimal("30000"),
        prepaid_from=date(2026, 6, 1),
        prepaid_to=date(2026, 6, 30),
        deposit_kind=Contract.DepositKind.SECURITY,
        deposit_amount=Decimal("10000"),
        deposit_holder=Contract.DepositHolder.PARTNER,
    )
    suggestions = by_kind(settlement_suggest(case=case))
    refund = suggestions["refund"]
    assert refund["amount"] == Decimal("10000.00")  # 10 of 30 days unserved
    assert refund["direction"] == SettlementLine.Direction.TO_SHOP
    deposit = suggestions["deposit"]
    assert deposit["amount"] == Decimal("10000.00")
    assert deposit["direction"] == SettlementLine.Direction.TO_SHOP


def test_no_contract_no_suggestions(staff_user):
    case = open_case(by=staff_user, with_contract=False)
    assert settlement_suggest(case=case) == []


def test_lines_and_net(staff_user, viewer_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        settlement_line_add(
            case=case, by=viewer_user, kind="refund", direction="to_shop", amount="1"
        )
    with pytest.raises(TransitionError):
        settlement_line_add(case=case, by=staff_user, kind="refund", direction="to_shop", amount=-5)
    with pytest.raises(TransitionError):
        settlement_line_add(case=case, by=staff_user, kind="refund", direction="up", amount="5")
    with pytest.raises(TransitionError):
        settlement_line_add(
            case=case, by=staff_user, kind="refund", direction="to_shop", amount=0.1
        )
    refund = settlement_line_add(
        case=case, by=staff_user, kind="refund", direction="to_shop", amount="10000.005"
    )
    assert refund.amount == Decimal("10000.01")
    settlement_line_add(
        case=case, by=staff_user, kind="commission", direction="to_partner", amount="2500"
    )
    settlement_line_add(
        case=case,
        by=staff_user,
        kind="penalty",
        direction="to_shop",
        amount="40000",
        is_claim=True,
    )
    net = settlement_net(case=case)
    assert net["payer"] == "partner"
    assert net["amount"] == Decimal("7500.01")
    assert net["claims"] == Decimal("40000.00")
    assert net["with_claims"].amount == Decimal("47500.01")
    settlement_line_mark_paid(line=refund, by=staff_user, paid_on=date(2026, 5, 30))
    assert settlement_net(case=case)["outstanding"].payer == "shop"
    with pytest.raises(TransitionError):
        settlement_line_mark_paid(line=refund, by=staff_user, paid_on=date(2026, 5, 30))
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SETTLEMENT_RECORDED).count() == 4


def test_plan_sets_partner_engage_again(staff_user):
    case = open_case(by=staff_user)
    assert case.partner.engage_again is None
    plan = plan_record(
        case=case,
        by=staff_user,
        next_step=FollowUpPlan.NextStep.NEW_AGENCY,
        details="Tender among three agencies.",
        review_on=date(2026, 9, 1),
        engage_again=False,
    )
    case.partner.refresh_from_db()
    assert case.partner.engage_again is False
    plan = plan_record(
        case=case,
        by=staff_user,
        next_step=FollowUpPlan.NextStep.SELF_OPERATE,
        details="",
        review_on=date(2026, 10, 1),
        engage_again=True,
    )
    assert FollowUpPlan.objects.filter(case=case).count() == 1
    assert plan.next_step == FollowUpPlan.NextStep.SELF_OPERATE
    case.partner.refresh_from_db()
    assert case.partner.engage_again is True
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.PLAN_RECORDED).count() == 2
    with pytest.raises(TransitionError):
        plan_record(
            case=case,
            by=staff_user,
            next_step="whatever",
            details="",
            review_on=date(2026, 10, 1),
            engage_again=True,
        )
