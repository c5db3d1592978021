"""Settlement suggestions from the contract, lines, the net, and the plan for afterwards."""

from datetime import date
from decimal import Decimal

import pytest

from partners.models import Contract
from terminations.models import Basis, CaseEvent, FollowUpPlan, SettlementLine, TerminationCase
from terminations.rules.choices import PenaltyType
from terminations.services import (
    TransitionError,
    commission_add,
    plan_record,
    settlement_claim_accept,
    settlement_claim_drop,
    settlement_line_add,
    settlement_line_mark_paid,
    settlement_net,
    settlement_recorded,
    settlement_suggest,
    settlement_suggestion_add,
)
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.factories import open_case


def case_with(staff_user, *, basis, end_date=date(2026, 6, 30), known_loss=None, **contract_kw):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner, **contract_kw)
    cause = {}
    if basis == Basis.CONTRACTUAL and not contract.convenience_termination:
        cause = {"agreed_cause": "连续三个月GMV低于保底。"}
    case = open_case(by=staff_user, partner=partner, contract=contract, basis=basis, **cause)
    TerminationCase.objects.filter(pk=case.pk).update(end_date=end_date, known_loss=known_loss)
    case.refresh_from_db()
    return case


def by_kind(suggestions):
    return {s["kind"]: s for s in suggestions}


def test_convenience_fee_is_an_exposure_named_by_its_clause_not_a_penalty(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        convenience_termination=True,
        convenience_fee_name="解约补偿",
        clause_termination="12.3",
        penalty_type=PenaltyType.PERCENT,
        penalty_value=Decimal("10"),
        contract_value=Decimal("240000"),
    )
    fee = by_kind(settlement_suggest(case=case))["termination_fee"]
    assert fee["amount"] == Decimal("24000.00")
    assert fee["direction"] == SettlementLine.Direction.TO_PARTNER
    assert fee["exposure"] is True and fee["is_claim"] is False
    assert fee["clause"] == "12.3" and fee["key"] == "termination_fee"
    assert fee["description"] == "解约补偿"
    assert "clause 12.3" in fee["who"] and "shop may owe the partner" in fee["who"]
    assert "违约金" not in fee["explanation_zh"] and "解约补偿" in fee["explanation_zh"]
    assert fee["explanation_zh"].startswith("依据合同第12.3条")
    assert "penalty" not in fee["explanation_en"].lower()


def test_contractual_right_for_an_agreed_cause_suggests_no_penalty_either_way(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        convenience_termination=False,
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("5000"),
    )
    kinds = by_kind(settlement_suggest(case=case))
    assert "penalty" not in kinds and "termination_fee" not in kinds


def test_entrustment_compensation_is_an_exposure(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.ENTRUSTMENT,
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("8000"),
        clause_penalty="9",
    )
    suggestion = by_kind(settlement_suggest(case=case))["termination_fee"]
    assert suggestion["exposure"] and suggestion["key"] == "entrustment"
    assert suggestion["rule"] == "民法典第933条"
    assert "art. 933" in suggestion["who"]


def test_an_exposure_becomes_a_debt_only_when_a_manager_confirms_it(staff_user, manager_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        convenience_termination=True,
        clause_termination="12.3",
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("6000"),
    )
    with pytest.raises(TransitionError, match="Only a manager"):
        settlement_suggestion_add(case=case, by=staff_user, key="termination_fee")
    # Nor can staff book it by hand as a debt of the shop.
    with pytest.raises(TransitionError, match="Only a manager"):
        settlement_line_add(
            case=case, by=staff_user, kind="termination_fee", direction="to_partner", amount="6000"
        )
    with pytest.raises(TransitionError, match="Only a manager"):
        settlement_line_add(
            case=case, by=staff_user, kind="penalty", direction="to_partner", amount="6000"
        )
    assert not SettlementLine.objects.exists()
    line = settlement_suggestion_add(case=case, by=manager_user, key="termination_fee")
    assert (line.kind, line.direction, line.amount, line.clause, line.suggestion) == (
        "termination_fee",
        "to_partner",
        Decimal("6000.00"),
        "12.3",
        "termination_fee",
    )
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SETTLEMENT_RECORDED).get()
    assert event.actor == manager_user and event.data["confirmed_exposure"] is True
    # Added once: no longer offered, and refused if posted again.
    assert "termination_fee" not in by_kind(settlement_suggest(case=case))
    with pytest.raises(TransitionError, match="already added"):
        settlement_suggestion_add(case=case, by=manager_user, key="termination_fee")
    assert SettlementLine.objects.count() == 1


def test_a_suggestion_entered_by_hand_is_not_offered_again(staff_user):
    case = case_with(
        staff_user,
        basis=Basis.CONTRACTUAL,
        end_date=date(2026, 6, 20),
        prepaid_amount=Decimal("30000"),
        prepaid_from=date(2026, 6, 1),
        prepaid_to=date(2026, 6, 30),
    )
    assert "refund" in by_kind(settlement_suggest(case=case))
    settlement_line_add(case=case, by=staff_user, kind="refund", direction="to_shop", amount="9000")
    assert "refund" not in by_kind(settlement_suggest(case=case))
    with pytest.raises(TransitionError, match="already added"):
        settlement_suggestion_add(case=case, by=staff_user, key="refund")


def test_suggestion_keys_are_recomputed_not_trusted(staff_user):
    case = case_with(staff_user, basis=Basis.OPEN_ENDED)
    with pytest.raises(TransitionError, match="no such line"):
        settlement_suggestion_add(case=case, by=staff_user, key="penalty")
    assert not SettlementLine.objects.exists()


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
    assert penalty["is_claim"] is True and penalty["exposure"] is False
    assert "partner owes the shop" in penalty["who"]
    assert any("30%" in w for w in penalty["warnings"])
    # Staff add a claim from the suggestion: the service recomputes it.
    line = settlement_suggestion_add(case=case, by=staff_user, key="penalty")
    assert line.is_claim and line.amount == Decimal("40000.00")
    assert settlement_suggest(case=case) == []


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
    # An agency's commission under its contract is the shop's own debt.
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
    assert (net["payer"], net["amount"]) == ("partner", Decimal("7500.01"))
    assert net["claims_total"] == Decimal("40000.00") and len(net["claims"]) == 1
    assert (
        "1 claim the partner has not accepted (40000.00 yuan) is not counted"
        in (net["explanation"])
    )
    settlement_line_mark_paid(line=refund, by=staff_user, paid_on=date(2026, 5, 30))
    net = settlement_net(case=case)
    # Open agreed lines only: the paid refund and the claim are listed apart.
    assert (net["payer"], net["amount"]) == ("shop", Decimal("2500.00"))
    assert net["paid"] == [refund] and net["paid_total"] == Decimal("10000.01")
    assert "already paid (10000.01 yuan) is not counted" in net["explanation"]
    with pytest.raises(TransitionError):
        settlement_line_mark_paid(line=refund, by=staff_user, paid_on=date(2026, 5, 30))
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SETTLEMENT_RECORDED).count() == 4


def test_a_claim_cannot_be_owed_by_the_shop(staff_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError, match="claim"):
        settlement_line_add(
            case=case,
            by=staff_user,
            kind="other",
            direction="to_partner",
            amount="10",
            description="x",
            is_claim=True,
        )


def test_a_creators_commission_is_never_booked_as_the_shops_debt(staff_user):
    case = open_case(by=staff_user, creator=True)
    with pytest.raises(TransitionError, match="settled by the platform"):
        settlement_line_add(
            case=case, by=staff_user, kind="commission", direction="to_partner", amount="2575"
        )
    assert not SettlementLine.objects.exists()
    # A fee paid off the platform (坑位费) stays the shop's debt.
    settlement_line_add(
        case=case,
        by=staff_user,
        kind="fee",
        direction="to_partner",
        amount="3000",
        description="坑位费",
    )
    assert settlement_net(case=case)["payer"] == "shop"


def test_settlement_recorded(staff_user):
    case = open_case(by=staff_user, creator=True)
    assert settlement_recorded(case) is False
    commission_add(
        case=case, by=staff_user, ordered_on=date(2026, 5, 20), estimated_commission="120"
    )
    assert settlement_recorded(case) is True
    agency = open_case(by=staff_user)
    assert settlement_recorded(agency) is False
    settlement_line_add(
        case=agency,
        by=staff_user,
        kind="other",
        direction="to_shop",
        amount="0",
        description="Nothing to settle",
    )
    assert settlement_recorded(agency) is True


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


def test_a_claim_the_partner_accepts_is_counted_and_one_the_shop_drops_is_not(
    staff_user, manager_user
):
    case = open_case(by=staff_user)
    penalty, fee = (
        settlement_line_add(
            case=case,
            by=staff_user,
            kind="penalty",
            direction="to_shop",
            amount=amount,
            is_claim=True,
            description=text,
        )
        for amount, text in (("40000", "违约金"), ("5000", "逾期报告违约金"))
    )
    assert settlement_net(case=case)["claims_total"] == Decimal("45000.00")
    # The partner's acceptance needs its proof and a date that has passed.
    with pytest.raises(TransitionError):
        settlement_claim_accept(line=penalty, by=staff_user, accepted_on=date(2026, 6, 1), note="")
    with pytest.raises(TransitionError):
        settlement_claim_accept(
            line=penalty, by=staff_user, accepted_on=date(2099, 1, 1), note="邮件"
        )
    settlement_claim_accept(
        line=penalty, by=staff_user, accepted_on=date(2026, 5, 28), note="乙方5月28日邮件确认"
    )
    penalty.refresh_from_db()
    assert not penalty.is_claim and penalty.claim_accepted_on == date(2026, 5, 28)
    net = settlement_net(case=case)
    assert (net["payer"], net["amount"]) == ("partner", Decimal("40000.00"))
    assert net["open"] == [penalty] and net["claims"] == [fee]
    # Accepted is accepted: it cannot be accepted or dropped again; it is paid like any line.
    with pytest.raises(TransitionError):
        settlement_claim_drop(line=penalty, by=manager_user, note="x")
    # Dropping a claim is a manager's decision, with a reason.
    with pytest.raises(TransitionError):
        settlement_claim_drop(line=fee, by=staff_user, note="不值得诉讼")
    with pytest.raises(TransitionError):
        settlement_claim_drop(line=fee, by=manager_user, note=" ")
    settlement_claim_drop(line=fee, by=manager_user, note="金额小，不值得诉讼")
    net = settlement_net(case=case)
    assert net["claims"] == [] and net["dropped"] == [fee] and net["claims_total"] == 0
    assert (net["payer"], net["amount"]) == ("partner", Decimal("40000.00"))
    with pytest.raises(TransitionError):
        settlement_line_mark_paid(line=fee, by=staff_user, paid_on=date(2026, 5, 30))
    settlement_line_mark_paid(line=penalty, by=staff_user, paid_on=date(2026, 5, 30))
    outcomes = [
        e.data.get("claim")
        for e in CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SETTLEMENT_RECORDED)
    ]
    assert outcomes.count("accepted") == 1 and outcomes.count("dropped") == 1


def test_a_claim_the_partner_pays_is_accepted_by_paying(staff_user):
    case = open_case(by=staff_user)
    claim = settlement_line_add(
        case=case, by=staff_user, kind="penalty", direction="to_shop", amount="900", is_claim=True
    )
    settlement_line_mark_paid(line=claim, by=staff_user, paid_on=date(2026, 5, 30))
    claim.refresh_from_db()
    assert not claim.is_claim and claim.claim_accepted_on == date(2026, 5, 30)
    net = settlement_net(case=case)
    assert net["claims"] == [] and net["claims_total"] == 0
    assert net["paid"] == [claim] and net["paid_total"] == Decimal("900.00")


def test_a_claims_outcome_with_bad_input_says_why_and_changes_nothing(
    staff_user, staff_client, manager_client
):
    from django.urls import reverse

    case = open_case(by=staff_user)
    claim = settlement_line_add(
        case=case, by=staff_user, kind="penalty", direction="to_shop", amount="900", is_claim=True
    )
    accept = reverse("terminations:settlement_claim_accept", args=[case.reference, claim.pk])
    drop = reverse("terminations:settlement_claim_drop", args=[case.reference, claim.pk])
    for client, url, data in (
        (staff_client, accept, {"accepted_on": "", "note": "邮件"}),
        (staff_client, accept, {"accepted_on": "2099-01-01", "note": "邮件"}),
        (staff_client, drop, {"note": "不追究"}),  # staff may not drop a claim
        (manager_client, drop, {"note": ""}),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    claim.refresh_from_db()
    assert claim.is_claim and claim.claim_accepted_on is None and claim.claim_dropped_on is None
