"""A closed case changes only as the money-and-gates rules allow (issue 15): a payment of an
agreed line, a platform's commission settlement or refund, the plan's review. Every other write
service — run by a manager, so that only the stage can refuse it — is refused with a message,
and nothing in the case, its children or its partner changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Contract, Partner
from terminations import services
from terminations.models import (
    CaseEvent,
    Delivery,
    EvidenceFile,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    NoDemandGround,
    Notice,
    SettlementLine,
    Stage,
    TerminationCase,
)
from tests.terminations.factories import (
    PDF_BYTES,
    deliver,
    issue_letter,
    make_ready_to_close,
    place_in_stage,
)

from .conftest import english, flashed, open_case

pytestmark = pytest.mark.django_db


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _closed_case(staff_user) -> dict:
    """A closed case holding one of everything a write could touch."""
    case = open_case(by=staff_user, basis="contractual")
    make_ready_to_close(case, by=staff_user)
    issued = issue_letter(case, issued_on=date(2026, 4, 1))
    # A letter stating an earlier end date than the case's (2026-05-01): a gate to accept.
    Notice.objects.filter(pk=issued.pk).update(scanned_copy="", stated_end_date=date(2026, 4, 15))
    approved = issue_letter(case, status=Notice.Status.APPROVED)
    draft = issue_letter(case, status=Notice.Status.DRAFT)
    delivery = deliver(issued, dispatched_on=date(2026, 4, 2))
    claim = SettlementLine.objects.create(
        case=case,
        kind=SettlementLine.Kind.PENALTY,
        direction=SettlementLine.Direction.TO_SHOP,
        amount=Decimal("500.00"),
        is_claim=True,
        description="claimed penalty",
    )
    done = case.handover_items.order_by("pk").first()
    still_open = case.handover_items.order_by("pk").last()
    HandoverItem.objects.filter(pk=still_open.pk).update(status=HandoverItem.Status.OPEN)
    place_in_stage(case, Stage.CLOSED)
    return {
        "case": case,
        "issued": Notice.objects.get(pk=issued.pk),
        "approved": approved,
        "draft": draft,
        "delivery": delivery,
        "claim": claim,
        "done": done,
        "open_item": HandoverItem.objects.get(pk=still_open.pk),
    }


def snapshot(case: TerminationCase) -> dict:
    """Everything a write to the case could change, as plain values."""
    return {
        "case": TerminationCase.objects.filter(pk=case.pk).values().get(),
        "partner": Partner.objects.filter(pk=case.partner_id).values().get(),
        "contract": list(Contract.objects.filter(pk=case.contract_id).values()),
        **{
            model.__name__: list(model.objects.filter(case=case).order_by("pk").values())
            for model in (
                CaseEvent,
                Notice,
                HandoverItem,
                SettlementLine,
                EvidenceFile,
                NegotiationEntry,
                FollowUpPlan,
            )
        },
        "Delivery": list(Delivery.objects.filter(notice__case=case).order_by("pk").values()),
    }


D = date(2026, 5, 20)
# (name, call(ctx, manager)) for every write that a closed case must refuse.
WRITES: list[tuple[str, Callable]] = [
    (
        "advance to negotiation",
        lambda c, m: services.case_advance_to_negotiation(case=c["case"], by=m),
    ),
    (
        "skip negotiation",
        lambda c, m: services.case_skip_negotiation(case=c["case"], by=m, reason="x"),
    ),
    ("advance to notice", lambda c, m: services.case_advance_to_notice(case=c["case"], by=m)),
    ("advance to handover", lambda c, m: services.case_advance_to_handover(case=c["case"], by=m)),
    ("advance to review", lambda c, m: services.case_advance_to_review(case=c["case"], by=m)),
    ("close again", lambda c, m: services.case_close(case=c["case"], by=m)),
    ("withdraw", lambda c, m: services.case_withdraw(case=c["case"], by=m, reason="x")),
    (
        "assessment",
        lambda c, m: services.case_update_assessment(case=c["case"], by=m, facts="changed"),
    ),
    (
        "evidence",
        lambda c, m: services.case_add_evidence(case=c["case"], by=m, description="x", file=pdf()),
    ),
    (
        "evidence link",
        lambda c, m: services.case_add_evidence(
            case=c["case"], by=m, description="x", link="https://example.com"
        ),
    ),
    (
        "negotiation",
        lambda c, m: services.negotiation_log(
            case=c["case"],
            by=m,
            occurred_on=D,
            channel="phone",
            kind="contact",
            participants="A",
            summary="S",
        ),
    ),
    (
        "agreement",
        lambda c, m: services.agreement_record(
            case=c["case"],
            by=m,
            agreed_on=D,
            agreed_end_date=date(2026, 6, 30),
            terms="T",
            confirmation=pdf(),
        ),
    ),
    ("reassign", lambda c, m: services.case_reassign(case=c["case"], by=m, owner=m)),
    (
        "no demand",
        lambda c, m: services.case_confirm_no_demand(
            case=c["case"], by=m, ground=NoDemandGround.values[0], reason="x"
        ),
    ),
    (
        "cure outcome",
        lambda c, m: services.case_record_cure_outcome(
            case=c["case"], by=m, outcome="cured", note="x"
        ),
    ),
    (
        "letters before items",
        lambda c, m: services.case_confirm_letters_before_items(case=c["case"], by=m, reason="x"),
    ),
    (
        "keep earlier letters",
        lambda c, m: services.case_keep_earlier_letters(case=c["case"], by=m, note="x"),
    ),
    ("letter draft", lambda c, m: services.notice_draft(case=c["case"], by=m, kind="termination")),
    ("letter edit", lambda c, m: services.notice_update_draft(notice=c["draft"], by=m, facts="x")),
    ("letter approve", lambda c, m: services.notice_approve(notice=c["draft"], by=m)),
    ("letter issue", lambda c, m: services.notice_issue(notice=c["approved"], by=m)),
    ("letter correct", lambda c, m: services.notice_correct(notice=c["issued"], by=m)),
    (
        "letter external",
        lambda c, m: services.notice_record_external(
            case=c["case"], by=m, kind="termination", issued_on=D, scanned_copy=pdf()
        ),
    ),
    ("letter scan", lambda c, m: services.notice_upload_scan(notice=c["issued"], by=m, file=pdf())),
    (
        "dispatch",
        lambda c, m: services.delivery_record_dispatch(
            notice=c["issued"], by=m, method="courier", dispatched_on=D
        ),
    ),
    (
        "arrival",
        lambda c, m: services.delivery_record_arrival(delivery=c["delivery"], by=m, arrived_on=D),
    ),
    (
        "refusal",
        lambda c, m: services.delivery_record_refusal(delivery=c["delivery"], by=m, refused_on=D),
    ),
    ("item complete", lambda c, m: services.handover_item_complete(item=c["open_item"], by=m)),
    ("item waive", lambda c, m: services.handover_item_waive(item=c["open_item"], by=m, note="x")),
    ("item reopen", lambda c, m: services.handover_item_reopen(item=c["done"], by=m)),
    ("item assign", lambda c, m: services.handover_item_assign(item=c["open_item"], by=m, owner=m)),
    (
        "settlement line",
        lambda c, m: services.settlement_line_add(
            case=c["case"], by=m, kind="other", direction="to_shop", amount="10", description="x"
        ),
    ),
    (
        "settlement suggestion",
        lambda c, m: services.settlement_suggestion_add(case=c["case"], by=m, key="penalty"),
    ),
    (
        "claim paid",
        lambda c, m: services.settlement_line_mark_paid(line=c["claim"], by=m, paid_on=D),
    ),
    (
        "plan",
        lambda c, m: services.plan_record(
            case=c["case"],
            by=m,
            next_step="self_operate",
            details="x",
            review_on=date(2026, 9, 1),
            engage_again=True,
        ),
    ),
    (
        "commission",
        lambda c, m: services.commission_add(
            case=c["case"], by=m, ordered_on=D, estimated_commission="1"
        ),
    ),
]


@pytest.mark.parametrize(("name", "write"), WRITES, ids=[name for name, _w in WRITES])
def test_every_other_write_to_a_closed_case_is_refused_and_changes_nothing(
    name, write, staff_user, manager_user, settings, tmp_path
):
    settings.LANGUAGE_CODE = "en"
    ctx = _closed_case(staff_user)
    before = snapshot(ctx["case"])
    with pytest.raises(services.TransitionError) as refused:
        write(ctx, manager_user)
    assert str(refused.value).strip(), name
    assert snapshot(ctx["case"]) == before, name


def test_what_a_closed_case_still_allows_is_recorded(staff_user, manager_user):
    ctx = _closed_case(staff_user)
    line = SettlementLine.objects.filter(case=ctx["case"], is_claim=False).first()
    services.settlement_line_mark_paid(line=line, by=manager_user, paid_on=D)
    services.plan_record_review(case=ctx["case"], by=manager_user, reviewed_on=D, outcome="ok")
    assert (
        CaseEvent.objects.filter(
            case=ctx["case"],
            kind__in=[CaseEvent.Kind.SETTLEMENT_RECORDED, CaseEvent.Kind.PLAN_REVIEWED],
        ).count()
        == 2
    )


def _posts(ctx: dict) -> list[tuple[str, dict]]:
    case, ref = ctx["case"], ctx["case"].reference
    return [
        (reverse("terminations:case_assessment", args=[ref]), {"facts": "changed"}),
        (
            reverse("terminations:case_evidence_add", args=[ref]),
            {"description": "x", "file": pdf()},
        ),
        (
            reverse("terminations:case_agreement", args=[ref]),
            {"agreed_on": "2026-05-20", "agreed_end_date": "2026-06-30", "terms": "T"},
        ),
        (reverse("terminations:case_reassign", args=[ref]), {"owner": case.owner_id}),
        (
            reverse("terminations:settlement_add", args=[ref]),
            {"kind": "other", "direction": "to_shop", "amount": "10", "description": "x"},
        ),
        (
            reverse("terminations:plan_record", args=[ref]),
            {
                "next_step": "self_operate",
                "details": "x",
                "review_on": "2026-09-01",
                "engage_again": "on",
            },
        ),
        (reverse("terminations:notice_new", args=[ref]), {"kind": "termination", "language": "zh"}),
        (reverse("terminations:notice_approve", args=[ctx["draft"].pk]), {}),
        (reverse("terminations:notice_issue", args=[ctx["approved"].pk]), {}),
        (reverse("terminations:notice_correct", args=[ctx["issued"].pk]), {}),
        (reverse("terminations:notice_scan_upload", args=[ctx["issued"].pk]), {"file": pdf()}),
        (
            reverse("terminations:delivery_add", args=[ctx["issued"].pk]),
            {"method": "courier", "dispatched_on": "2026-05-20"},
        ),
        (
            reverse("terminations:delivery_arrival", args=[ctx["delivery"].pk]),
            {"arrived_on": "2026-05-20"},
        ),
        (
            reverse("terminations:delivery_refusal", args=[ctx["delivery"].pk]),
            {"refused_on": "2026-05-20"},
        ),
    ]


def test_the_pages_refuse_every_other_write_to_a_closed_case_with_a_message(
    manager_client, staff_user
):
    ctx = _closed_case(staff_user)
    before = snapshot(ctx["case"])
    for url, data in _posts(ctx):
        response = english(manager_client).post(url, data)
        assert response.status_code in (200, 302, 400, 403, 409), (url, response.status_code)
        if response.status_code == 302:
            assert any(flashed(response)), url
        assert snapshot(ctx["case"]) == before, url
