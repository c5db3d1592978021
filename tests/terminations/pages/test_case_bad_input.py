"""Bad input on the case page's forms: the page again (200) with the bound form in place of the
blank one, the error beside the field, what was typed kept, and nothing changed."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from terminations.models import (
    CaseEvent,
    EvidenceFile,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    SettlementLine,
    Stage,
    TerminationCase,
)

from .conftest import add_events, open_case

TYPED = "Typed-and-kept 王丽"


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            CaseEvent,
            NegotiationEntry,
            EvidenceFile,
            SettlementLine,
            FollowUpPlan,
            TerminationCase,
        )
    )


def _row(obj) -> dict:
    obj.refresh_from_db()
    return model_to_dict(obj)


def _assert_shown_again(response, form_name: str, field: str) -> None:
    assert response.status_code == 200, response.status_code
    assert response.templates[0].name == "terminations/case_detail.html"
    form = response.context[form_name]
    assert form.is_bound and field in form.errors, form.errors
    html = response.content.decode()
    assert escape(form.errors[field][0]) in html
    assert 'id="form-errors"' in html
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "success"]


ASSESSMENT = {
    "reason_category": "poor_results",
    "facts": TYPED,
    "basis": "contractual",
    "reasonable_notice_days": "30",
    "account_control": "shop",
}
NEGOTIATION = {
    "occurred_on": "2026-05-28",
    "channel": "phone",
    "kind": "contact",
    "participants": "Li",
    "summary": TYPED,
}
AGREEMENT = {"agreed_on": "2026-05-30", "agreed_end_date": "2026-06-30", "terms": TYPED}
SETTLEMENT = {"kind": "other", "direction": "to_shop", "amount": "10.00", "description": TYPED}
PLAN = {
    "next_step": "self_operate",
    "details": TYPED,
    "review_on": "2026-09-01",
    "engage_again": "no",
}

# (url name, stage, form's context name, data, the field in error)
CASES = [
    (
        "case_assessment",
        Stage.ASSESSMENT,
        "assessment_form",
        {**ASSESSMENT, "learned_on": "2031-01-01"},
        "learned_on",
    ),
    (
        "case_negotiation_add",
        Stage.NEGOTIATION,
        "negotiation_form",
        {**NEGOTIATION, "channel": "pigeon"},
        "channel",
    ),
    (
        "case_agreement",
        Stage.NEGOTIATION,
        "agreement_form",
        {**AGREEMENT, "agreed_end_date": "2026-05-01"},
        "agreed_end_date",
    ),
    (
        "case_evidence_add",
        Stage.ASSESSMENT,
        "evidence_form",
        {"description": TYPED, "link": "not a link"},
        "link",
    ),
    ("settlement_add", Stage.REVIEW, "settlement_form", {**SETTLEMENT, "amount": "-1"}, "amount"),
    ("plan_record", Stage.REVIEW, "plan_form", {**PLAN, "review_on": "2026-02-30"}, "review_on"),
    ("case_reassign", Stage.ASSESSMENT, "reassign_form", {"owner": "999999"}, "owner"),
]


@pytest.mark.parametrize(("name", "stage", "form_name", "data", "field"), CASES)
def test_bad_input_shows_the_form_again_and_changes_nothing(
    staff_client, staff_user, name, stage, form_name, data, field
):
    case = open_case(by=staff_user, stage=stage)
    before_rows, before_case = _counts(), _row(case)
    response = staff_client.post(reverse(f"terminations:{name}", args=[case.reference]), data)
    _assert_shown_again(response, form_name, field)
    if TYPED in data.values():
        assert TYPED in response.content.decode(), "what was typed is kept"
    assert _counts() == before_rows
    assert _row(case) == before_case


def test_bad_reason_is_shown_beside_the_move(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION)
    before_rows, before_case = _counts(), _row(case)
    url = reverse("terminations:case_action", args=[case.reference, "withdraw"])
    response = staff_client.post(url, {"reason": "x" * 2001})
    _assert_shown_again(response, "reason_form", "reason")
    assert response.context["reason_action"] == "withdraw"
    assert 'id="reason-error-withdraw"' in response.content.decode()
    assert ("x" * 2001) in response.content.decode()
    assert _counts() == before_rows and _row(case) == before_case


def test_bad_payment_date_is_shown_on_its_line(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW)
    line = SettlementLine.objects.create(
        case=case, kind="other", direction="to_shop", amount="10.00", description="d"
    )
    before_rows, before_line = _counts(), _row(line)
    url = reverse("terminations:settlement_paid", args=[case.reference, line.pk])
    response = staff_client.post(url, {"paid_on": "2099-01-01"})
    _assert_shown_again(response, "paid_form", "paid_on")
    assert response.context["paid_line"] == line.pk
    html = response.content.decode()
    assert f'id="paid-error-{line.pk}"' in html and 'value="2099-01-01"' in html
    assert _counts() == before_rows and _row(line) == before_line


@pytest.mark.parametrize(("client_name", "url_name"), [("manager_client", "handover_waive")])
def test_bad_handover_note_without_javascript(request, staff_user, client_name, url_name):
    client = request.getfixturevalue(client_name)
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    item = HandoverItem.objects.filter(case=case).order_by("position", "pk").first()
    before_rows, before_item = _counts(), _row(item)
    url = reverse(f"terminations:{url_name}", args=[case.reference, item.pk])
    response = client.post(url, {"note": "   "})
    _assert_shown_again(response, "handover_form", "note")
    assert response.context["handover_item"] == item.pk
    assert _counts() == before_rows and _row(item) == before_item


def test_bad_handover_note_with_htmx_answers_the_row(manager_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    item = HandoverItem.objects.filter(case=case).order_by("position", "pk").first()
    url = reverse("terminations:handover_waive", args=[case.reference, item.pk])
    response = manager_client.post(url, {"note": "y" * 2001}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="item-{item.pk}"')
    assert 'role="alert"' in html and ("y" * 2001) in html
    item.refresh_from_db()
    assert item.status == HandoverItem.Status.OPEN


def test_service_refusal_stays_a_flashed_message(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.CLOSED)
    response = staff_client.post(
        reverse("terminations:case_assessment", args=[case.reference]), ASSESSMENT
    )
    assert response.status_code == 302
    assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def _post_count(client, url, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_shown_again_in_a_fixed_number_of_queries(staff_client, staff_user):
    small = open_case(by=staff_user, stage=Stage.REVIEW)
    big = open_case(by=staff_user, contract=None, partner=None, stage=Stage.REVIEW)
    add_events(big, 30, actor=staff_user)
    for i in range(8):
        SettlementLine.objects.create(
            case=big, kind="other", direction="to_shop", amount="1.00", description=f"l{i}"
        )
    bad = {**SETTLEMENT, "amount": "abc"}
    counts = [
        _post_count(staff_client, reverse("terminations:settlement_add", args=[c.reference]), bad)
        for c in (small, big)
    ]
    assert counts[0] == counts[1]
