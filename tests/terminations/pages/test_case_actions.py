from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from terminations import services
from terminations.models import (
    CaseEvent,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    Notice,
    SettlementLine,
    Stage,
    TerminationCase,
)
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.terminations.factories import PDF_BYTES

from .conftest import open_case


def action_url(case, action: str) -> str:
    return reverse("terminations:case_action", args=[case.reference, action])


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the per-view checklist on a stage move -----------------------------------------------


def test_action_get_refused(staff_client, staff_user):
    case = open_case(by=staff_user)
    assert staff_client.get(action_url(case, "advance_to_negotiation")).status_code == 405


def test_action_anonymous_redirected(anon_client, staff_user):
    case = open_case(by=staff_user)
    response = anon_client.post(action_url(case, "advance_to_negotiation"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT


@pytest.mark.parametrize("client_name", ["nogroup_client", "viewer_client"])
def test_action_refused_to_readers(request, staff_user, client_name):
    case = open_case(by=staff_user)
    response = request.getfixturevalue(client_name).post(action_url(case, "advance_to_negotiation"))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT


def test_unknown_action_is_404(staff_client, staff_user):
    case = open_case(by=staff_user)
    assert staff_client.post(action_url(case, "teleport")).status_code == 404


def test_staff_refused_manager_action(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    case = open_case(by=staff_user, stage=Stage.CLOSED)
    response = staff_client.post(action_url(case, "reopen"), {"reason": "new facts"})
    assert response.status_code == 302
    assert "Only a manager may do this." in flashed(response)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED, flashed(response)


def test_wrong_stage_refused_with_no_change(staff_client, staff_user):
    case = open_case(by=staff_user)
    events = CaseEvent.objects.filter(case=case).count()
    response = staff_client.post(action_url(case, "advance_to_review"))
    assert response.status_code == 302
    assert response["Location"].startswith(case.get_absolute_url())
    assert flashed(response)
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    assert CaseEvent.objects.filter(case=case).count() == events


def test_close_too_early_flashes_reason_and_changes_nothing(manager_client, staff_user):
    manager_client.cookies["django_language"] = "en"
    case = open_case(by=staff_user, stage=Stage.REVIEW, end_date=date(2026, 7, 1))
    events = CaseEvent.objects.filter(case=case).count()
    response = manager_client.post(action_url(case, "close"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end date 2026-07-01 has not passed yet." in html
    case.refresh_from_db()
    assert case.stage == Stage.REVIEW
    assert CaseEvent.objects.filter(case=case).count() == events


def test_happy_path_move_writes_event(staff_client, staff_user):
    case = open_case(by=staff_user)
    response = staff_client.post(action_url(case, "advance_to_negotiation"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.NEGOTIATION
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert (event.from_stage, event.to_stage, event.actor) == (
        Stage.ASSESSMENT,
        Stage.NEGOTIATION,
        staff_user,
    )


def test_move_needing_a_reason_refused_without_one(staff_client, staff_user):
    case = open_case(by=staff_user, basis="contractual")
    response = staff_client.post(action_url(case, "skip_negotiation"), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["reason_action"] == "skip_negotiation"
    assert "reason" in response.context["reason_form"].errors
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    response = staff_client.post(
        action_url(case, "skip_negotiation"), {"reason": "They refuse to talk."}
    )
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE
    assert case.skip_negotiation_reason == "They refuse to talk."


# --- opening cases ------------------------------------------------------------------------


def test_open_get_prefills_partner_and_contract(staff_client):
    contract = ContractFactory()
    url = reverse("terminations:case_open")
    response = staff_client.get(f"{url}?partner={contract.partner_id}&contract={contract.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["partner"] == contract.partner
    assert form.initial["contract"] == contract
    # malformed prefill values are ignored
    assert staff_client.get(f"{url}?partner=abc&contract=-1").status_code == 200


@pytest.mark.parametrize(
    ("client_name", "status"), [("nogroup_client", 403), ("viewer_client", 403)]
)
def test_open_refused_to_readers(db, request, client_name, status):
    contract = ContractFactory()
    client = request.getfixturevalue(client_name)
    url = reverse("terminations:case_open")
    assert client.get(url).status_code == status
    response = client.post(url, {"partner": contract.partner_id, "reason_category": "poor_results"})
    assert response.status_code == status
    assert not TerminationCase.objects.exists()


def test_open_anonymous_redirected(anon_client):
    response = anon_client.get(reverse("terminations:case_open"))
    assert response.status_code == 302


def _open_data(contract, /, **extra):
    return {
        "partner": contract.partner_id,
        "contract": contract.pk,
        "reason_category": "poor_results",
        "facts": "GMV fell 40% from March to May 2026.",
        "learned_on": "2026-05-20",
        "account_control": "shared",
        "partner_holds_credentials": "on",
        **extra,
    }


def test_open_happy_path(staff_client, staff_user):
    contract = ContractFactory()
    response = staff_client.post(reverse("terminations:case_open"), _open_data(contract))
    case = TerminationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.partner, case.contract, case.opened_by) == (contract.partner, contract, staff_user)
    assert case.partner_holds_credentials and case.account_control == "shared"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OPENED).exists()
    assert HandoverItem.objects.filter(case=case).exists()


def test_open_bad_input_shows_errors_and_creates_nothing(staff_client):
    contract = ContractFactory()
    other = ContractFactory()
    response = staff_client.post(
        reverse("terminations:case_open"),
        _open_data(contract, contract=other.pk, learned_on="2030-01-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TerminationCase.objects.exists()


def test_open_second_case_refused_by_service(staff_client, staff_user):
    contract = ContractFactory()
    open_case(by=staff_user, contract=contract)
    response = staff_client.post(reverse("terminations:case_open"), _open_data(contract))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert TerminationCase.objects.count() == 1


def test_open_creators_all_or_nothing(staff_client, staff_user):
    a, b = CreatorFactory(), CreatorFactory()
    url = reverse("terminations:case_open_creators")
    assert staff_client.get(url).status_code == 200
    open_case(by=staff_user, partner=b)  # b already has an open case without contract
    data = {"partners": [a.pk, b.pk], "reason_category": "fraud", "facts": "Fake reviews."}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert TerminationCase.objects.count() == 1
    TerminationCase.objects.filter(partner=b).update(stage=Stage.WITHDRAWN)
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert TerminationCase.objects.filter(stage=Stage.ASSESSMENT).count() == 2


def test_open_creators_refused_to_viewer(viewer_client):
    a = CreatorFactory()
    url = reverse("terminations:case_open_creators")
    response = viewer_client.post(
        url, {"partners": [a.pk], "reason_category": "fraud", "facts": "x"}
    )
    assert response.status_code == 403
    assert not TerminationCase.objects.exists()


# --- forms on the case page -------------------------------------------------------------


ASSESSMENT = {
    "reason_category": "poor_results",
    "facts": "Results fell.",
    "basis": "contractual",
    "reasonable_notice_days": "30",
    "account_control": "shop",
}


def test_assessment_checklist(staff_client, viewer_client, anon_client, staff_user):
    case = open_case(by=staff_user)
    url = reverse("terminations:case_assessment", args=[case.reference])
    assert staff_client.get(url).status_code == 405
    assert anon_client.post(url, ASSESSMENT).status_code == 302
    assert viewer_client.post(url, ASSESSMENT).status_code == 403
    # bad input: nothing changed
    staff_client.post(url, {**ASSESSMENT, "prior_demand_on": "2031-01-01"})
    case.refresh_from_db()
    assert case.basis == ""
    response = staff_client.post(url, ASSESSMENT)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.basis == "contractual"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSESSMENT_UPDATED).exists()


def test_assessment_refused_on_closed_case(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.CLOSED)
    response = staff_client.post(
        reverse("terminations:case_assessment", args=[case.reference]), ASSESSMENT
    )
    assert response.status_code == 302
    assert flashed(response)
    case.refresh_from_db()
    assert case.basis == ""


def test_negotiation_log_with_attachment(staff_client, viewer_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION)
    url = reverse("terminations:case_negotiation_add", args=[case.reference])
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "occurred_on": "2026-05-30",
        "channel": "wechat",
        "kind": "contact",
        "participants": "王丽, 李经理",
        "summary": "Told them we are ending it.",
        "next_step": "Send the offer",
        "next_step_due": "2026-06-05",
    }
    assert viewer_client.post(url, data).status_code == 403
    assert staff_client.get(url).status_code == 405
    bad = staff_client.post(url, {**data, "next_step_due": "2026-05-01"})
    assert bad.status_code == 200 and not NegotiationEntry.objects.exists()
    assert "next_step_due" in bad.context["negotiation_form"].errors
    pdf = SimpleUploadedFile("chat.pdf", PDF_BYTES, content_type="application/pdf")
    response = staff_client.post(url, {**data, "attachment": pdf})
    assert response.status_code == 302
    entry = NegotiationEntry.objects.get()
    assert entry.attachment and entry.recorded_by == staff_user
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NEGOTIATION_LOGGED).exists()


def test_agreement_and_evidence(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION, basis="mutual")
    response = staff_client.post(
        reverse("terminations:case_agreement", args=[case.reference]),
        {"agreed_on": "2026-05-30", "agreed_end_date": "2026-06-30", "terms": "No penalty."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.agreed_end_date == date(2026, 6, 30)
    evidence_url = reverse("terminations:case_evidence_add", args=[case.reference])
    staff_client.post(evidence_url, {"description": "nothing attached"})
    assert not case.evidence.exists()
    staff_client.post(evidence_url, {"description": "chat", "link": "https://example.com/x"})
    assert case.evidence.get().link == "https://example.com/x"


def test_reassign(staff_client, viewer_client, staff_user, manager_user):
    case = open_case(by=staff_user)
    url = reverse("terminations:case_reassign", args=[case.reference])
    assert viewer_client.post(url, {"owner": manager_user.pk}).status_code == 403
    staff_client.post(url, {"owner": "999999"})
    case.refresh_from_db()
    assert case.owner == staff_user
    staff_client.post(url, {"owner": manager_user.pk})
    case.refresh_from_db()
    assert case.owner == manager_user
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OWNER_CHANGED).exists()


# --- handover ----------------------------------------------------------------------------


def _item(case) -> HandoverItem:
    return HandoverItem.objects.filter(case=case).order_by("position", "pk").first()


def test_handover_complete_without_javascript(staff_client, viewer_client, staff_user):
    case = open_case(by=staff_user)
    item = _item(case)
    url = reverse("terminations:handover_complete", args=[case.reference, item.pk])
    assert staff_client.get(url).status_code == 405
    assert viewer_client.post(url, {"note": "x"}).status_code == 403
    response = staff_client.post(url, {"note": "passwords changed"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (
        item.status == "done"
        and item.completed_by == staff_user
        and item.note == "passwords changed"
    )
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.HANDOVER_DONE).exists()


def test_handover_complete_with_htmx_swaps_the_row(staff_client, staff_user):
    case = open_case(by=staff_user)
    item = _item(case)
    url = reverse("terminations:handover_complete", args=[case.reference, item.pk])
    response = staff_client.post(url, {"note": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="item-{item.pk}"')
    assert "<html" not in html
    item.refresh_from_db()
    assert item.status == "done"


def test_handover_item_of_another_case_is_404(staff_client, staff_user):
    case = open_case(by=staff_user)
    other = open_case(by=staff_user)
    url = reverse("terminations:handover_complete", args=[case.reference, _item(other).pk])
    assert staff_client.post(url).status_code == 404


def test_handover_waive_is_a_managers_call(staff_client, manager_client, staff_user):
    case = open_case(by=staff_user)
    item = _item(case)
    url = reverse("terminations:handover_waive", args=[case.reference, item.pk])
    response = staff_client.post(url, {"note": "not needed"})
    assert response.status_code == 302 and flashed(response)
    item.refresh_from_db()
    assert item.status == "open"
    manager_client.post(url, {"note": ""})
    item.refresh_from_db()
    assert item.status == "open"
    manager_client.post(url, {"note": "no sub-accounts exist"})
    item.refresh_from_db()
    assert item.status == "waived"
    reopen = reverse("terminations:handover_reopen", args=[case.reference, item.pk])
    staff_client.post(reopen)  # reopening a waived item is a manager's call too
    item.refresh_from_db()
    assert item.status == "waived"
    manager_client.post(reopen)
    item.refresh_from_db()
    assert item.status == "open"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.HANDOVER_REOPENED).exists()


# --- settlement and plan ------------------------------------------------------------------


def test_settlement_line_and_payment(staff_client, viewer_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW, end_date=date(2026, 5, 1))
    url = reverse("terminations:settlement_add", args=[case.reference])
    line = {"kind": "fee", "direction": "to_partner", "amount": "2000.00", "description": "May fee"}
    assert viewer_client.post(url, line).status_code == 403
    staff_client.post(url, {**line, "amount": "-5"})
    assert not SettlementLine.objects.exists()
    assert staff_client.post(url, line).status_code == 302
    saved = SettlementLine.objects.get()
    paid_url = reverse("terminations:settlement_paid", args=[case.reference, saved.pk])
    staff_client.post(paid_url, {"paid_on": "2099-01-01"})
    saved.refresh_from_db()
    assert not saved.paid
    staff_client.post(paid_url, {"paid_on": "2026-05-31"})
    saved.refresh_from_db()
    assert saved.paid and saved.paid_on == date(2026, 5, 31)
    page = staff_client.get(case.get_absolute_url())
    # The net counts open agreed lines only: the paid line is listed apart.
    assert page.context["net"]["amount"] == 0
    assert page.context["net"]["paid"] == [saved]
    assert 'id="settlement-paid"' in page.content.decode()


def test_plan_record_sets_partner_flag(staff_client, viewer_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW)
    url = reverse("terminations:plan_record", args=[case.reference])
    data = {
        "next_step": "self_operate",
        "details": "In-house team",
        "review_on": "2026-09-01",
        "engage_again": "no",
    }
    assert viewer_client.post(url, data).status_code == 403
    staff_client.post(url, {**data, "engage_again": ""})
    assert not FollowUpPlan.objects.exists()
    assert staff_client.post(url, data).status_code == 302
    case.partner.refresh_from_db()
    assert FollowUpPlan.objects.get(case=case).engage_again is False
    assert case.partner.engage_again is False
    # recording it again changes the plan
    staff_client.post(url, {**data, "engage_again": "yes"})
    assert FollowUpPlan.objects.get(case=case).engage_again is True


# --- from opening to closing, through the views ------------------------------------------


def test_staff_and_manager_take_a_case_from_open_to_closed(
    staff_client, manager_client, staff_user, manager_user
):
    contract = ContractFactory(partner=PartnerFactory(), convenience_termination=True)
    staff_client.post(reverse("terminations:case_open"), _open_data(contract))
    case = TerminationCase.objects.get()
    ref = case.reference
    staff_client.post(reverse("terminations:case_assessment", args=[ref]), ASSESSMENT)
    staff_client.post(action_url(case, "advance_to_negotiation"))
    staff_client.post(
        reverse("terminations:case_negotiation_add", args=[ref]),
        {
            "occurred_on": "2026-06-01",
            "channel": "phone",
            "kind": "contact",
            "participants": "A",
            "summary": "No deal.",
        },
    )
    staff_client.post(action_url(case, "advance_to_notice"))
    case.refresh_from_db()
    assert case.stage == Stage.NOTICE

    # The accounts are secured before the letter goes out (DOMAIN.md §7).
    for item in HandoverItem.objects.filter(case=case, due_rule="before_letter"):
        staff_client.post(
            reverse("terminations:handover_complete", args=[ref, item.pk]), {"note": "ok"}
        )
    # The letter: recorded as drafted outside the desk, then dispatched and arrived.
    if hasattr(services, "notice_record_external"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        notice = services.notice_record_external(
            case=case,
            by=manager_user,
            kind=Notice.Kind.TERMINATION,
            issued_on=date(2026, 5, 28),
            scanned_copy=SimpleUploadedFile("scan.pdf", PDF_BYTES),
        )
    else:
        notice = Notice.objects.create(
            case=case,
            kind=Notice.Kind.TERMINATION,
            origin=Notice.Origin.EXTERNAL,
            sequence=1,
            status=Notice.Status.ISSUED,
            issued_at=datetime(2026, 5, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
            drafted_by=staff_user,
            issued_by=staff_user,
        )
    delivery = services.delivery_record_dispatch(
        notice=notice,
        by=staff_user,
        method="courier",
        dispatched_on=date(2026, 5, 28),
        reference="EMS1",
    )
    services.delivery_record_arrival(delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 30))
    case.refresh_from_db()
    assert case.end_date is not None

    staff_client.post(action_url(case, "advance_to_handover"))
    case.refresh_from_db()
    assert case.stage == Stage.HANDOVER
    for item in HandoverItem.objects.filter(case=case):
        staff_client.post(
            reverse("terminations:handover_complete", args=[ref, item.pk]), {"note": "ok"}
        )
    assert not HandoverItem.objects.filter(case=case, status="open").exists()
    # The review needs a settlement, even one saying there is nothing to settle.
    staff_client.post(action_url(case, "advance_to_review"))
    case.refresh_from_db()
    assert case.stage == Stage.HANDOVER
    staff_client.post(
        reverse("terminations:settlement_add", args=[ref]),
        {
            "kind": "other",
            "direction": "to_shop",
            "amount": "0.00",
            "description": "Nothing to settle",
        },
    )
    staff_client.post(action_url(case, "advance_to_review"))
    staff_client.post(
        reverse("terminations:plan_record", args=[ref]),
        {"next_step": "new_agency", "details": "", "review_on": "2026-09-01", "engage_again": "no"},
    )
    case.refresh_from_db()
    assert case.stage == Stage.REVIEW

    # Staff cannot close; the manager can once the end date has passed.
    staff_client.post(action_url(case, "close"))
    case.refresh_from_db()
    assert case.stage == Stage.REVIEW
    day_after_end = datetime.combine(
        case.end_date + timedelta(days=1), time(10), tzinfo=ZoneInfo("Asia/Shanghai")
    )
    with time_machine.travel(day_after_end, tick=False):
        manager_client.force_login(manager_user)  # the earlier session has expired by then
        response = manager_client.post(action_url(case, "close"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED, flashed(response)
    case.partner.refresh_from_db()
    assert case.partner.status == "ended"  # nothing else ties the partner to the shop
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[0] == CaseEvent.Kind.OPENED
    assert CaseEvent.Kind.CLOSED in kinds or kinds[-1] == CaseEvent.Kind.STAGE_CHANGED
    assert manager_client.get(case.get_absolute_url()).status_code == 200


# --- handover item owner ------------------------------------------------------------------


def _assign_url(case, item) -> str:
    return reverse("terminations:handover_assign", args=[case.reference, item.pk])


def test_handover_assign_checklist(
    staff_client, viewer_client, nogroup_client, anon_client, staff_user, manager_user
):
    case = open_case(by=staff_user)
    item = _item(case)
    url = _assign_url(case, item)
    assert staff_client.get(url).status_code == 405
    response = anon_client.post(url, {"owner": manager_user.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert nogroup_client.post(url, {"owner": manager_user.pk}).status_code == 403
    assert viewer_client.post(url, {"owner": manager_user.pk}).status_code == 403
    item.refresh_from_db()
    assert item.owner == staff_user  # items start with the case's owner
    response = staff_client.post(url, {"owner": manager_user.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.owner == manager_user
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OWNER_CHANGED).last()
    assert event.data["item"] == item.pk and event.data["to"] == manager_user.pk
    # An empty choice takes the owner away again.
    staff_client.post(url, {"owner": ""})
    item.refresh_from_db()
    assert item.owner is None


def test_handover_assign_refuses_a_viewer_as_owner(staff_client, staff_user, viewer_user):
    case = open_case(by=staff_user)
    item = _item(case)
    events = CaseEvent.objects.filter(case=case).count()
    response = staff_client.post(_assign_url(case, item), {"owner": viewer_user.pk})
    assert response.status_code == 200
    assert "owner" in response.context["handover_form"].errors
    item.refresh_from_db()
    assert item.owner == staff_user
    assert CaseEvent.objects.filter(case=case).count() == events


def test_handover_assign_with_htmx_swaps_the_row(staff_client, staff_user, manager_user):
    case = open_case(by=staff_user)
    item = _item(case)
    response = staff_client.post(
        _assign_url(case, item), {"owner": manager_user.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="item-{item.pk}"') and "<html" not in html
    assert f'<option value="{manager_user.pk}" selected>' in html
    item.refresh_from_db()
    assert item.owner == manager_user


def test_handover_assign_wrong_stage_and_other_case(staff_client, staff_user, manager_user):
    case = open_case(by=staff_user, stage=Stage.CLOSED)
    item = _item(case)
    response = staff_client.post(_assign_url(case, item), {"owner": manager_user.pk})
    assert response.status_code == 302 and flashed(response)
    item.refresh_from_db()
    assert item.owner == staff_user
    other = open_case(by=staff_user)
    url = reverse("terminations:handover_assign", args=[other.reference, item.pk])
    assert staff_client.post(url, {"owner": manager_user.pk}).status_code == 404


def test_case_page_offers_the_owner_select_to_editors_only(staff_client, viewer_client, staff_user):
    case = open_case(by=staff_user)
    item = _item(case)
    assert _assign_url(case, item) in staff_client.get(case.get_absolute_url()).content.decode()
    assert (
        _assign_url(case, item) not in viewer_client.get(case.get_absolute_url()).content.decode()
    )
