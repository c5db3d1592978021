"""Opening cases, the close gate, withdrawal (art. 141), events, and the other case services."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partners.models import Partner
from terminations.models import (
    Basis,
    CaseCounter,
    CaseEvent,
    HandoverItem,
    Notice,
    ReasonCategory,
    Stage,
    TerminationCase,
    UserPreference,
)
from terminations.services import (
    TransitionError,
    agreement_record,
    case_add_evidence,
    case_advance_to_handover,
    case_advance_to_notice,
    case_close,
    case_open,
    case_reassign,
    case_reopen,
    case_skip_negotiation,
    case_update_assessment,
    case_withdraw,
    cases_open_for_creators,
    negotiation_log,
)
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.terminations.factories import (
    deliver,
    issue_letter,
    make_ready_to_close,
    open_case,
    pdf_file,
    place_in_stage,
)

# --- opening ------------------------------------------------------------------------------


def test_reference_format_and_uniqueness(staff_user):
    first = open_case(by=staff_user)
    second = open_case(by=staff_user)
    assert re.fullmatch(r"TC-2026-\d{5}", first.reference)
    assert first.reference == "TC-2026-00001"
    assert second.reference == "TC-2026-00002"
    assert CaseCounter.objects.get(year=2026).last == 2
    event = CaseEvent.objects.get(case=first, kind=CaseEvent.Kind.OPENED)
    assert event.actor == staff_user
    assert event.to_stage == Stage.ASSESSMENT
    assert first.owner == staff_user


def test_one_open_case_per_partner_and_contract(staff_user):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner)
    first = open_case(by=staff_user, partner=partner, contract=contract)
    with pytest.raises(TransitionError, match=first.reference):
        open_case(by=staff_user, partner=partner, contract=contract)
    # Another contract of the same partner is another case.
    open_case(by=staff_user, partner=partner, contract=ContractFactory(partner=partner))
    # Once the first is final, a new one may be opened.
    place_in_stage(first, Stage.WITHDRAWN)
    again = open_case(by=staff_user, partner=partner, contract=contract)
    assert again.pk != first.pk
    assert TerminationCase.objects.filter(partner=partner).count() == 3


def test_one_open_case_per_partner_without_contract(staff_user):
    creator = CreatorFactory()
    open_case(by=staff_user, partner=creator, with_contract=False)
    with pytest.raises(TransitionError):
        open_case(by=staff_user, partner=creator, with_contract=False)


def test_open_refuses_bad_input_and_roles(staff_user, viewer_user, nogroup_user):
    partner = PartnerFactory()
    other_contract = ContractFactory()
    for user in (viewer_user, nogroup_user):
        with pytest.raises(TransitionError):
            open_case(by=user, partner=partner, with_contract=False)
    with pytest.raises(TransitionError, match="another partner"):
        open_case(by=staff_user, partner=partner, contract=other_contract)
    with pytest.raises(TransitionError):
        open_case(by=staff_user, partner=partner, reason_category="nonsense")
    with pytest.raises(TransitionError):
        open_case(by=staff_user, partner=partner, gmv_share_percent=Decimal("140"))
    partner.status = Partner.Status.ARCHIVED
    partner.save()
    with pytest.raises(TransitionError):
        open_case(by=staff_user, partner=partner)
    assert not TerminationCase.objects.exists()
    assert not CaseCounter.objects.filter(last__gt=0).exists()


def test_open_with_assessment_and_lapse_warning(staff_user):
    case = open_case(
        by=staff_user,
        basis=Basis.BREACH,
        prior_demand_on=date(2026, 5, 20),
        gmv_share_percent=Decimal("35.5"),
        learned_on=None,
    )
    assert case.basis == Basis.BREACH
    assert case.warnings == []
    partner = PartnerFactory()
    lapsing = case_open(
        partner=partner,
        reason_category=ReasonCategory.BREACH,
        opened_by=staff_user,
        learned_on=date(2025, 6, 20),  # lapses 2026-06-20: 19 days left
    )
    assert any("2026-06-20" in w for w in lapsing.warnings)
    past = case_open(
        partner=PartnerFactory(),
        reason_category=ReasonCategory.BREACH,
        opened_by=staff_user,
        learned_on=date(2025, 3, 1),
    )
    assert any("lapsed" in w for w in past.warnings)


def test_cases_open_for_creators_all_or_nothing(staff_user):
    creators = [CreatorFactory(), CreatorFactory(), CreatorFactory()]
    cases = cases_open_for_creators(
        partners=creators,
        reason_category=ReasonCategory.MISMATCH,
        facts="Style no longer fits the brand.",
        opened_by=staff_user,
    )
    assert [c.partner for c in cases] == creators
    assert all(c.contract is None for c in cases)
    # One of them already has an open case: nothing is created for the others.
    newcomers = [CreatorFactory(), creators[0]]
    with pytest.raises(TransitionError, match=creators[0].name):
        cases_open_for_creators(
            partners=newcomers,
            reason_category=ReasonCategory.MISMATCH,
            facts="",
            opened_by=staff_user,
        )
    assert not TerminationCase.objects.filter(partner=newcomers[0]).exists()
    with pytest.raises(TransitionError):
        cases_open_for_creators(
            partners=[PartnerFactory()],
            reason_category=ReasonCategory.MISMATCH,
            facts="",
            opened_by=staff_user,
        )


# --- preconditions of the moves ------------------------------------------------------------


def test_skip_negotiation_needs_reason_and_a_basis_other_than_mutual(staff_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError, match="basis"):
        case_skip_negotiation(case=case, by=staff_user, reason="urgent")
    case_update_assessment(case=case, by=staff_user, basis=Basis.MUTUAL)
    with pytest.raises(TransitionError, match="negotiat"):
        case_skip_negotiation(case=case, by=staff_user, reason="urgent")
    case_update_assessment(case=case, by=staff_user, basis=Basis.OPEN_ENDED)
    with pytest.raises(TransitionError):
        case_skip_negotiation(case=case, by=staff_user, reason="  ")
    case = case_skip_negotiation(case=case, by=staff_user, reason="They hold our passwords.")
    assert case.stage == Stage.NOTICE
    assert case.skip_negotiation_reason == "They hold our passwords."


def test_notice_needs_a_demand_for_breach_and_confirmation_for_entrustment(staff_user):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.BREACH), Stage.NEGOTIATION)
    with pytest.raises(TransitionError, match="prior demand"):
        case_advance_to_notice(case=case, by=staff_user)
    case_update_assessment(case=case, by=staff_user, cure_period_days=15)
    assert case_advance_to_notice(case=case, by=staff_user).stage == Stage.NOTICE

    case = place_in_stage(open_case(by=staff_user, basis=Basis.ENTRUSTMENT), Stage.NEGOTIATION)
    with pytest.raises(TransitionError, match="entrustment"):
        case_advance_to_notice(case=case, by=staff_user)
    case_update_assessment(case=case, by=staff_user, entrustment_confirmed=True)
    moved = case_advance_to_notice(case=case, by=staff_user)
    assert any("lost profit" in w for w in moved.warnings)

    # Without a contract the contractual basis is refused at opening already.
    with pytest.raises(TransitionError, match="contract"):
        open_case(by=staff_user, basis=Basis.CONTRACTUAL, with_contract=False)


def test_handover_needs_an_end_date(staff_user):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.OPEN_ENDED), Stage.NOTICE)
    with pytest.raises(TransitionError, match="arrival"):
        case_advance_to_handover(case=case, by=staff_user)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
    deliver(letter, dispatched_on=date(2026, 5, 4))
    with pytest.raises(TransitionError, match="arrival"):
        case_advance_to_handover(case=case, by=staff_user)
    deliver(letter, dispatched_on=date(2026, 5, 4), arrived_on=date(2026, 5, 6))
    case = case_advance_to_handover(case=case, by=staff_user)
    assert case.stage == Stage.HANDOVER
    assert case.end_date == date(2026, 6, 5)  # 2026-05-06 + 30 days, a Friday


def test_mutual_handover_needs_agreed_date_and_countersigned_confirmation(staff_user):
    case = place_in_stage(open_case(by=staff_user), Stage.NEGOTIATION)
    agreement_record(
        case=case,
        by=staff_user,
        agreed_on=date(2026, 5, 25),
        agreed_end_date=date(2026, 6, 30),
        terms="Fees to 30 June; handover by 30 June.",
    )
    case = case_advance_to_notice(case=case, by=staff_user)
    with pytest.raises(TransitionError, match="countersigned"):
        case_advance_to_handover(case=case, by=staff_user)
    agreement_record(
        case=case,
        by=staff_user,
        agreed_on=date(2026, 5, 25),
        agreed_end_date=date(2026, 6, 30),
        terms="Fees to 30 June; handover by 30 June.",
        confirmation=pdf_file("confirmation.pdf"),
    )
    case = case_advance_to_handover(case=case, by=staff_user)
    assert case.end_date == date(2026, 6, 30)
    assert case.basis == Basis.MUTUAL
    assert "562" in case.end_date_rule


# --- the close gate ------------------------------------------------------------------------


def _ready_case(staff_user) -> TerminationCase:
    case = open_case(by=staff_user)
    make_ready_to_close(case, by=staff_user)
    return place_in_stage(case, Stage.REVIEW)


def test_close_happy_path(staff_user, manager_user):
    case = case_close(case=_ready_case(staff_user), by=manager_user)
    assert case.stage == Stage.CLOSED
    assert case.closed_at is not None
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLOSED, actor=manager_user)


def _missing_end_date(case):
    TerminationCase.objects.filter(pk=case.pk).update(end_date=None)


def _end_date_today(case):
    TerminationCase.objects.filter(pk=case.pk).update(end_date=date(2026, 6, 1))


def _two_items_open(case):
    items = list(case.handover_items.filter(required=True)[:2])
    HandoverItem.objects.filter(pk__in=[i.pk for i in items]).update(
        status=HandoverItem.Status.OPEN, completed_at=None
    )


def _no_settlement(case):
    case.settlement_lines.all().delete()


def _no_plan(case):
    case.plan.delete()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_missing_end_date, "no end date"),
        (_end_date_today, "The end date 2026-06-01 has not passed yet"),
        (_two_items_open, "2 required handover items are still open: "),
        (_no_settlement, "settlement"),
        (_no_plan, "plan"),
    ],
)
def test_close_gate_each_condition_alone_refuses(
    staff_user, manager_user, settings, spoil, message
):
    settings.LANGUAGE_CODE = "en"
    case = _ready_case(staff_user)
    spoil(case)
    case.refresh_from_db()
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(TransitionError) as excinfo:
        case_close(case=case, by=manager_user)
    assert message in str(excinfo.value)
    case.refresh_from_db()
    assert case.stage == Stage.REVIEW
    assert CaseEvent.objects.filter(case=case).count() == events


def test_waived_items_do_not_block_close(staff_user, manager_user):
    case = _ready_case(staff_user)
    case.handover_items.update(status=HandoverItem.Status.WAIVED)
    assert case_close(case=case, by=manager_user).stage == Stage.CLOSED


def test_reopen_returns_to_review_with_reason(staff_user, manager_user):
    case = case_close(case=_ready_case(staff_user), by=manager_user)
    with pytest.raises(TransitionError):
        case_reopen(case=case, by=manager_user, reason="")
    with pytest.raises(TransitionError):
        case_reopen(case=case, by=staff_user, reason="late invoice")
    case = case_reopen(case=case, by=manager_user, reason="A late invoice arrived.")
    assert case.stage == Stage.REVIEW
    assert case.closed_at is None
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REOPENED).get()
    assert event.message == "A late invoice arrived."


# --- withdrawal (art. 141) -----------------------------------------------------------------


def _notice_case(staff_user) -> TerminationCase:
    return place_in_stage(open_case(by=staff_user, basis=Basis.OPEN_ENDED), Stage.NOTICE)


def test_withdraw_before_any_letter_went_out(staff_user):
    case = _notice_case(staff_user)
    issue_letter(case, kind=Notice.Kind.OPEN_ENDED)  # issued but never dispatched
    case = case_withdraw(case=case, by=staff_user, reason="The partner improved.")
    assert case.stage == Stage.WITHDRAWN
    assert case.withdrawal_reason == "The partner improved."


def test_withdraw_refused_once_a_notice_has_arrived(staff_user):
    case = _notice_case(staff_user)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
    deliver(letter, dispatched_on=date(2026, 5, 20), arrived_on=date(2026, 5, 22))
    with pytest.raises(TransitionError, match="2026-05-22"):
        case_withdraw(case=case, by=staff_user, reason="changed our mind")
    assert TerminationCase.objects.get(pk=case.pk).stage == Stage.NOTICE


def test_withdraw_of_dispatched_letter_needs_withdrawal_letter_arriving_first(staff_user):
    case = _notice_case(staff_user)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
    deliver(letter, dispatched_on=date(2026, 5, 28))
    with pytest.raises(TransitionError, match="141"):
        case_withdraw(case=case, by=staff_user, reason="cured")
    withdrawal = issue_letter(
        case, kind=Notice.Kind.WITHDRAWAL, issued_on=date(2026, 5, 29), withdraws=letter
    )
    delivery = deliver(withdrawal, dispatched_on=date(2026, 5, 29), method="email")
    with pytest.raises(TransitionError, match="arrival of the withdrawal"):
        case_withdraw(case=case, by=staff_user, reason="cured")
    delivery.arrived_on = date(2026, 5, 29)
    delivery.save()
    assert case_withdraw(case=case, by=staff_user, reason="cured").stage == Stage.WITHDRAWN


def test_withdrawal_arriving_same_day_is_in_time_later_is_not(staff_user):
    case = _notice_case(staff_user)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
    deliver(letter, dispatched_on=date(2026, 5, 20), arrived_on=date(2026, 5, 22))
    withdrawal = issue_letter(case, kind=Notice.Kind.WITHDRAWAL, withdraws=letter)
    late = deliver(withdrawal, dispatched_on=date(2026, 5, 21), arrived_on=date(2026, 5, 23))
    with pytest.raises(TransitionError, match="cannot be withdrawn"):
        case_withdraw(case=case, by=staff_user, reason="cured")
    late.arrived_on = date(2026, 5, 22)
    late.save()
    assert case_withdraw(case=case, by=staff_user, reason="cured").stage == Stage.WITHDRAWN


# --- other changes -------------------------------------------------------------------------


def test_update_assessment_validates_and_records(staff_user, viewer_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        case_update_assessment(case=case, by=viewer_user, basis=Basis.BREACH)
    with pytest.raises(TransitionError):
        case_update_assessment(case=case, by=staff_user, stage=Stage.CLOSED)
    with pytest.raises(TransitionError):
        case_update_assessment(case=case, by=staff_user, basis="whim")
    case = case_update_assessment(
        case=case, by=staff_user, basis=Basis.BREACH, open_orders=12, risk_notes="ads running"
    )
    assert (case.basis, case.open_orders) == (Basis.BREACH, 12)
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSESSMENT_UPDATED).get()
    assert event.data["changed"]["basis"] == "breach"
    assert event.data["previous"]["basis"] == ""


def test_basis_cannot_change_after_a_termination_letter(staff_user):
    case = _notice_case(staff_user)
    issue_letter(case, kind=Notice.Kind.OPEN_ENDED)
    with pytest.raises(TransitionError, match="basis"):
        case_update_assessment(case=case, by=staff_user, basis=Basis.BREACH)


def test_evidence_and_negotiation_log(staff_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        case_add_evidence(case=case, by=staff_user, description="chat")
    evidence = case_add_evidence(
        case=case, by=staff_user, description="Chat records", file=pdf_file("chat.pdf")
    )
    assert evidence.file.name
    link = case_add_evidence(
        case=case, by=staff_user, description="Live replay", link="https://example.com/replay"
    )
    assert link.link
    entry = negotiation_log(
        case=case,
        by=staff_user,
        occurred_on=date(2026, 5, 30),
        channel="wechat",
        kind="offer",
        participants="王丽, 李经理",
        summary="Offered to end on 30 June with fees pro rata.",
        offer_amount=Decimal("5000"),
        next_step="Await reply",
        next_step_due=date(2026, 6, 5),
    )
    assert entry.offer_amount == Decimal("5000.00")
    with pytest.raises(TransitionError):
        negotiation_log(
            case=case,
            by=staff_user,
            occurred_on=date(2026, 6, 2),
            channel="phone",
            kind="contact",
            participants="x",
            summary="future",
        )
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count(CaseEvent.Kind.EVIDENCE_ADDED) == 2
    assert kinds.count(CaseEvent.Kind.NEGOTIATION_LOGGED) == 1


def test_reassign_mails_new_owner_after_commit(
    staff_user, manager_user, viewer_user, django_capture_on_commit_callbacks, mailoutbox
):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        case_reassign(case=case, by=staff_user, owner=viewer_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = case_reassign(case=case, by=staff_user, owner=manager_user)
    assert case.owner == manager_user
    assert len(callbacks) == 1
    assert mailoutbox and mailoutbox[0].to == [manager_user.email]
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OWNER_CHANGED).exists()
    assert mailoutbox[0].subject == f"案件 {case.reference} 已由您负责"  # no preference: Chinese


def test_reassign_mail_is_in_the_new_owners_language(
    staff_user, manager_user, django_capture_on_commit_callbacks, mailoutbox
):
    UserPreference.objects.create(user=manager_user, language="en")
    case = open_case(by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        case_reassign(case=case, by=staff_user, owner=manager_user)
    assert mailoutbox[0].subject == f"Case {case.reference} is now yours"


def test_a_failing_mail_server_does_not_undo_the_reassignment(
    staff_user, manager_user, django_capture_on_commit_callbacks, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens there
        }
    }
    case = open_case(by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        case_reassign(case=case, by=staff_user, owner=manager_user)
    case.refresh_from_db()
    assert case.owner == manager_user


# --- events --------------------------------------------------------------------------------


def test_every_change_appends_an_event_and_events_are_append_only(staff_user, manager_user):
    case = open_case(by=staff_user, basis=Basis.OPEN_ENDED)
    case_update_assessment(case=case, by=staff_user, open_orders=3)
    case_skip_negotiation(case=case, by=staff_user, reason="urgent")
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [
        CaseEvent.Kind.OPENED,
        CaseEvent.Kind.ASSESSMENT_UPDATED,
        CaseEvent.Kind.STAGE_CHANGED,
    ]
    event = CaseEvent.objects.filter(case=case).first()
    event.message = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert CaseEvent.objects.filter(case=case).count() == 3
