"""The handover checklist: made per partner kind and channel, security first, worked item by item."""

from datetime import date, timedelta

import pytest

from partners.models import Contract
from terminations.handover_templates import (
    AGENCY_ITEMS,
    CREATOR_ITEMS,
    LAIKE_AGENCY_ITEMS,
    LAIKE_ITEMS,
)
from terminations.models import Basis, CaseEvent, Delivery, HandoverItem, Notice, Stage
from terminations.services import (
    TransitionError,
    case_confirm_letters_before_items,
    case_recompute_end_date,
    delivery_record_dispatch,
    handover_item_assign,
    handover_item_complete,
    handover_item_reopen,
    handover_item_waive,
)
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.terminations.factories import deliver, issue_letter, open_case, place_in_stage


def codes(case):
    return list(case.handover_items.order_by("position").values_list("code", flat=True))


@pytest.mark.parametrize(
    ("kind", "channel", "expected"),
    [
        ("agency", "doudian", AGENCY_ITEMS),
        ("agency", "laike", AGENCY_ITEMS + LAIKE_AGENCY_ITEMS + LAIKE_ITEMS),
        ("creator", "doudian", CREATOR_ITEMS),
        ("creator", "laike", CREATOR_ITEMS + LAIKE_ITEMS),
        ("creator", None, CREATOR_ITEMS),
    ],
)
def test_checklist_per_kind_and_channel(staff_user, kind, channel, expected):
    partner = (PartnerFactory if kind == "agency" else CreatorFactory)()
    contract = ContractFactory(partner=partner, channel=channel) if channel else None
    case = open_case(by=staff_user, partner=partner, contract=contract, with_contract=False)
    assert sorted(codes(case)) == sorted(t.code for t in expected)
    assert all(item.owner == staff_user for item in case.handover_items.all())


def test_before_the_letter_items_come_first(staff_user):
    case = open_case(by=staff_user)
    items = list(case.handover_items.order_by("position"))
    before = [i for i in items if i.due_rule == HandoverItem.Due.BEFORE_LETTER]
    assert items[: len(before)] == before
    # DOMAIN.md §7: evidence exported before access is revoked, then the accounts.
    assert [i.code for i in before] == [
        "agency_export_evidence",
        "agency_passwords",
        "agency_subaccounts",
        "agency_ad_authorisations",
        "agency_service_market",
        "agency_feige_seats",
        "agency_bank_account",
    ]
    assert all(i.due_date is None for i in items)  # no letter, no end date yet


def test_every_item_of_domain_section_7_is_on_its_checklist(staff_user):
    creator = open_case(by=staff_user, partner=CreatorFactory(), with_contract=False)
    assert "creator_block_alliance" in codes(creator)
    assert "精选联盟" in str(creator.handover_items.get(code="creator_block_alliance").title)
    agency = PartnerFactory()
    laike = open_case(
        by=staff_user, partner=agency, contract=ContractFactory(partner=agency, channel="laike")
    )
    assert {"laike_subaccounts", "laike_vouchers", "laike_unbind_store"} <= set(codes(laike))
    assert codes(laike).index("laike_subaccounts") < codes(laike).index("agency_materials")


def test_due_dates_follow_the_end_date_and_the_first_letter(staff_user):
    case = place_in_stage(
        open_case(by=staff_user, partner=CreatorFactory(), basis=Basis.OPEN_ENDED), Stage.NOTICE
    )
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 4))
    delivery_record_dispatch(
        notice=letter, by=staff_user, method="courier", dispatched_on=date(2026, 5, 4)
    )
    deliver(letter, dispatched_on=date(2026, 5, 4), arrived_on=date(2026, 5, 6))
    case = case_recompute_end_date(case=case, by=staff_user)
    end = case.end_date
    assert end == date(2026, 6, 5)
    plans = case.handover_items.get(code="creator_targeted_plans")
    assert plans.due_date == end - timedelta(days=2)
    commissions = case.handover_items.get(code="creator_commissions")
    assert commissions.due_date == end + timedelta(days=30)


def test_before_letter_items_due_on_first_dispatch(staff_user, manager_user):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.OPEN_ENDED), Stage.NOTICE)
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 20))
    case_confirm_letters_before_items(
        case=case, by=manager_user, reason="The agency handed the accounts over on 5/19."
    )
    delivery_record_dispatch(
        notice=letter, by=staff_user, method="email", dispatched_on=date(2026, 5, 21)
    )
    passwords = case.handover_items.get(code="agency_passwords")
    assert passwords.due_date == date(2026, 5, 20)


@pytest.mark.parametrize("kind", [Notice.Kind.TERMINATION, Notice.Kind.OPEN_ENDED])
def test_no_letter_ending_the_cooperation_goes_out_before_the_security_items(
    staff_user, manager_user, kind
):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.OPEN_ENDED), Stage.NOTICE)
    letter = issue_letter(case, kind=kind, issued_on=date(2026, 5, 20))
    with pytest.raises(TransitionError) as refused:
        delivery_record_dispatch(
            notice=letter, by=staff_user, method="courier", dispatched_on=date(2026, 5, 21)
        )
    assert "Change the passwords" in str(refused.value)
    assert refused.value.anchor == "handover"
    assert not Delivery.objects.exists()
    # Done (or waived) items open the gate.
    for item in case.handover_items.filter(due_rule=HandoverItem.Due.BEFORE_LETTER):
        if item.code == "agency_bank_account":
            handover_item_waive(item=item, by=manager_user, note="No bank account on this shop.")
        else:
            handover_item_complete(item=item, by=staff_user, note="done")
    delivery_record_dispatch(
        notice=letter, by=staff_user, method="courier", dispatched_on=date(2026, 5, 21)
    )
    assert Delivery.objects.count() == 1


def test_a_cure_notice_or_a_withdrawal_is_not_held_back(staff_user):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.BREACH), Stage.NOTICE)
    cure = issue_letter(case, kind=Notice.Kind.CURE, cure_period_days=10)
    delivery_record_dispatch(
        notice=cure, by=staff_user, method="courier", dispatched_on=date(2026, 5, 21)
    )
    withdrawal = issue_letter(case, kind=Notice.Kind.WITHDRAWAL, withdraws=cure)
    delivery_record_dispatch(
        notice=withdrawal, by=staff_user, method="courier", dispatched_on=date(2026, 5, 21)
    )
    assert Delivery.objects.count() == 2


def test_only_a_manager_lets_a_letter_go_out_first_with_a_reason(staff_user, manager_user):
    case = place_in_stage(open_case(by=staff_user, basis=Basis.OPEN_ENDED), Stage.NOTICE)
    with pytest.raises(TransitionError):
        case_confirm_letters_before_items(case=case, by=staff_user, reason="urgent")
    with pytest.raises(TransitionError):
        case_confirm_letters_before_items(case=case, by=manager_user, reason="  ")
    case = case_confirm_letters_before_items(
        case=case, by=manager_user, reason="The partner already returned every account."
    )
    assert case.before_letter_items_confirmed_at is not None
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.BEFORE_LETTER_CONFIRMED)
    assert event.actor == manager_user and "returned every account" in event.message
    assert "Change the passwords and bound phone numbers" in " ".join(event.data["items"])
    with pytest.raises(TransitionError):  # once is enough
        case_confirm_letters_before_items(case=case, by=manager_user, reason="again")


def test_complete_reopen_assign(staff_user, manager_user, viewer_user):
    case = open_case(by=staff_user)
    item = case.handover_items.first()
    with pytest.raises(TransitionError):
        handover_item_complete(item=item, by=viewer_user)
    item = handover_item_complete(item=item, by=staff_user, note="Changed at 10:05")
    assert item.status == HandoverItem.Status.DONE
    assert item.completed_by == staff_user and item.completed_at
    with pytest.raises(TransitionError):
        handover_item_complete(item=item, by=staff_user)
    item = handover_item_reopen(item=item, by=staff_user)
    assert item.status == HandoverItem.Status.OPEN and item.completed_at is None
    item = handover_item_assign(item=item, by=staff_user, owner=manager_user)
    assert item.owner == manager_user
    with pytest.raises(TransitionError):
        handover_item_assign(item=item, by=staff_user, owner=viewer_user)
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {CaseEvent.Kind.HANDOVER_DONE, CaseEvent.Kind.HANDOVER_REOPENED} <= kinds


def test_waiving_is_manager_only_and_needs_a_note(staff_user, manager_user):
    case = open_case(by=staff_user)
    item = case.handover_items.last()
    with pytest.raises(TransitionError, match="manager"):
        handover_item_waive(item=item, by=staff_user, note="not needed")
    item.refresh_from_db()
    assert item.status == HandoverItem.Status.OPEN
    with pytest.raises(TransitionError):
        handover_item_waive(item=item, by=manager_user, note=" ")
    item = handover_item_waive(item=item, by=manager_user, note="No ad account was ever shared.")
    assert item.status == HandoverItem.Status.WAIVED
    assert item.completed_by == manager_user
    # Only a manager may undo a waiver.
    with pytest.raises(TransitionError):
        handover_item_reopen(item=item, by=staff_user)
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.HANDOVER_WAIVED).count() == 1


def test_checklist_frozen_when_case_is_final(staff_user):
    case = place_in_stage(open_case(by=staff_user), Stage.CLOSED)
    with pytest.raises(TransitionError):
        handover_item_complete(item=case.handover_items.first(), by=staff_user)


def test_laike_contract_channel_value():
    assert Contract.Channel.LAIKE == "laike"
