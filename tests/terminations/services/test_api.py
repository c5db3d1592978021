"""The agreed names others build on, and one event for every change along a whole case."""

import inspect
from datetime import date

from terminations import services
from terminations.models import Basis, CaseEvent, Notice
from terminations.transitions import TRANSITIONS, ActionState, available_actions
from tests.terminations.factories import issue_letter, open_case

AGREED = {
    "case_open": [
        "partner",
        "contract",
        "reason_category",
        "opened_by",
        "facts",
        "learned_on",
        "owner",
    ],
    "cases_open_for_creators": ["partners", "reason_category", "facts", "opened_by"],
    "case_update_assessment": ["case", "by"],
    "case_add_evidence": ["case", "by", "description", "file", "link"],
    "case_advance_to_negotiation": ["case", "by"],
    "case_skip_negotiation": ["case", "by", "reason"],
    "case_advance_to_notice": ["case", "by"],
    "case_advance_to_handover": ["case", "by"],
    "case_advance_to_review": ["case", "by"],
    "case_close": ["case", "by"],
    "case_reopen": ["case", "by", "reason"],
    "case_withdraw": ["case", "by", "reason"],
    "case_reassign": ["case", "by", "owner"],
    "agreement_record": ["case", "by", "agreed_on", "agreed_end_date", "terms", "confirmation"],
    "negotiation_log": [
        "case",
        "by",
        "occurred_on",
        "channel",
        "kind",
        "participants",
        "summary",
        "outcome",
        "offer_amount",
        "next_step",
        "next_step_due",
        "attachment",
    ],
    "handover_item_complete": ["item", "by", "note"],
    "handover_item_waive": ["item", "by", "note"],
    "handover_item_reopen": ["item", "by"],
    "handover_item_assign": ["item", "by", "owner"],
    "settlement_suggest": ["case"],
    "settlement_line_add": [
        "case",
        "by",
        "kind",
        "direction",
        "amount",
        "description",
        "due_on",
        "is_claim",
    ],
    "settlement_line_mark_paid": ["line", "by", "paid_on"],
    "settlement_net": ["case"],
    "settlement_suggestion_add": ["case", "by", "key"],
    "commission_add": [
        "case",
        "by",
        "ordered_on",
        "estimated_commission",
        "order_number",
        "description",
    ],
    "commission_advance": ["commission", "by", "status", "on", "settled_commission"],
    "commissions_import": ["case", "by", "rows", "mapping"],
    "commissions_check": ["case", "rows"],
    "plan_record": ["case", "by", "next_step", "details", "review_on", "engage_again"],
    "delivery_record_dispatch": [
        "notice",
        "by",
        "method",
        "dispatched_on",
        "reference",
        "address",
        "evidence",
    ],
    "delivery_record_arrival": ["delivery", "by", "arrived_on", "evidence"],
    "delivery_record_refusal": ["delivery", "by", "refused_on", "evidence"],
    "case_recompute_end_date": ["case", "by"],
    "record_event": ["case", "actor", "kind", "message", "from_stage", "to_stage", "data"],
}


def test_agreed_service_names_take_keyword_only_arguments():
    for name, parameters in AGREED.items():
        function = getattr(services, name)
        signature = inspect.signature(function)
        for parameter in parameters:
            assert parameter in signature.parameters, (name, parameter)
            assert signature.parameters[parameter].kind == inspect.Parameter.KEYWORD_ONLY
    for transition in TRANSITIONS.values():
        assert callable(getattr(services, transition.service))
    assert issubclass(services.TransitionError, Exception)
    assert callable(services.lock_case) and callable(services.require_manager)


def test_each_change_appends_an_event(staff_user, manager_user):
    case = open_case(by=staff_user)
    item = case.handover_items.first()

    def count():
        return CaseEvent.objects.filter(case=case).count()

    steps = [
        lambda: services.case_update_assessment(case=case, by=staff_user, basis=Basis.OPEN_ENDED),
        lambda: services.case_add_evidence(
            case=case, by=staff_user, description="link", link="https://example.com/a"
        ),
        lambda: services.case_reassign(case=case, by=staff_user, owner=manager_user),
        lambda: services.handover_item_complete(item=item, by=staff_user),
        lambda: services.handover_item_assign(item=item, by=staff_user, owner=staff_user),
        lambda: services.case_advance_to_negotiation(case=case, by=staff_user),
        lambda: services.negotiation_log(
            case=case,
            by=staff_user,
            occurred_on=date(2026, 5, 29),
            channel="phone",
            kind="contact",
            participants="A, B",
            summary="Called.",
        ),
        lambda: services.case_advance_to_notice(case=case, by=staff_user),
        lambda: services.settlement_line_add(
            case=case, by=staff_user, kind="fee", direction="to_partner", amount="100"
        ),
    ]
    for step in steps:
        before = count()
        step()
        assert count() == before + 1, step
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 29))
    before = count()
    services.case_confirm_letters_before_items(
        case=case, by=manager_user, reason="Accounts already handed back."
    )
    assert count() == before + 1
    before = count()
    delivery = services.delivery_record_dispatch(
        notice=letter, by=staff_user, method="email", dispatched_on=date(2026, 5, 29)
    )
    assert count() == before + 1
    services.delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 29))
    assert count() == before + 3  # ARRIVED, END_DATE_SET
    states = available_actions(case, staff_user)
    assert all(isinstance(s, ActionState) for s in states)
