"""Every form fed invalid values answers with an error message and saves nothing.

Pages with their own form answer 200 with the error beside the field; the case page's action
forms redirect back with a flashed error. Either way the row counts and the object are unchanged.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from core.models import ShopProfile
from partners.models import Contract, Partner
from terminations.models import (
    CaseEvent,
    Delivery,
    EvidenceFile,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    Notice,
    SettlementLine,
    Stage,
    TerminationCase,
)
from tests.factories import ContractFactory, PartnerFactory
from tests.partners.data import contract_data, partner_data
from tests.terminations.factories import deliver, issue_letter

from .conftest import english, first_item, open_case, refusal_messages

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000
MISSING = "999999999"


def row(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def counts() -> dict[str, int]:
    models = (
        Partner,
        Contract,
        TerminationCase,
        CaseEvent,
        NegotiationEntry,
        EvidenceFile,
        SettlementLine,
        FollowUpPlan,
        Notice,
        Delivery,
    )
    return {m.__name__: m.objects.count() for m in models}


def assert_form_refused(response, *, field: str | None = None) -> None:
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors, "the form accepted the data"
    if field is not None:
        assert field in form.errors, form.errors
    content = response.content.decode()
    first = next(iter(form.errors.values()))[0]
    assert escape(first) in content, first


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def assert_flash_refused(response) -> None:
    """A redirect back with a flashed error, or the page again with the bound form's errors."""
    assert refusal_messages(response), "no error message was shown"


def _id(values: dict) -> str:
    return ",".join(f"{k}={str(v)[:12]}" for k, v in values.items())


# --- Partner form ---------------------------------------------------------------------------

PARTNER_BAD = [
    {"name": ""},
    {"name": LONG},
    {"kind": ""},
    {"kind": "pirate"},
    {"status": "gone"},
    {"mcn": MISSING},
    {"mcn": "abc"},
    {"notice_email": "not-an-email"},
    {"contact_name": LONG},
    {"credit_code": LONG},
    {"followers": "-1"},
    {"followers": "1.5"},
    {"conversion_rate": "101"},
    {"conversion_rate": "-0.01"},
    {"conversion_rate": "1.234"},
    {"reputation": "-5"},
]


@pytest.mark.parametrize("bad", PARTNER_BAD, ids=_id)
def test_partner_create_refuses(staff_client, bad):
    before = counts()
    response = staff_client.post(reverse("partners:create"), partner_data(**bad))
    assert_form_refused(response, field=next(iter(bad)))
    assert counts() == before


@pytest.mark.parametrize("bad", PARTNER_BAD, ids=_id)
def test_partner_edit_refuses(staff_client, bad):
    partner = PartnerFactory()
    before = row(partner)
    response = staff_client.post(reverse("partners:edit", args=[partner.pk]), partner_data(**bad))
    assert_form_refused(response, field=next(iter(bad)))
    assert row(partner) == before


# --- Contract form --------------------------------------------------------------------------

CONTRACT_BAD = [
    ({"number": ""}, "number"),
    ({"number": LONG}, "number"),
    ({"title": ""}, "title"),
    ({"title": LONG}, "title"),
    ({"contract_value": "-1"}, "contract_value"),
    ({"contract_value": "1.234"}, "contract_value"),
    ({"contract_value": "abc"}, "contract_value"),
    ({"contract_value": "NaN"}, "contract_value"),
    ({"contract_value": "1e400"}, "contract_value"),
    ({"contract_value": "9" * 20}, "contract_value"),
    ({"monthly_fee": "-0.01"}, "monthly_fee"),
    ({"prepaid_amount": "-5"}, "prepaid_amount"),
    ({"deposit_amount": "0.001"}, "deposit_amount"),
    ({"end_date": "2026-01-01"}, "end_date"),
    ({"start_date": "2026-02-30"}, "start_date"),
    ({"signed_on": "2026-13-45"}, "signed_on"),
    ({"end_date": "tomorrow"}, "end_date"),
    ({"signed_on": "2027-02-01"}, "signed_on"),
    ({"penalty_type": "percent", "penalty_value": "101"}, "penalty_value"),
    ({"penalty_value": "-1"}, "penalty_value"),
    ({"channel": "tv"}, "channel"),
    ({"fee_model": "barter"}, "fee_model"),
    ({"notice_unit": "years"}, "notice_unit"),
    ({"notice_counted_from": "moon"}, "notice_counted_from"),
    ({"responsible": MISSING}, "responsible"),
    ({"responsible": "abc"}, "responsible"),
    ({"notice_period": "0"}, "notice_period"),
    ({"notice_period": "-3"}, "notice_period"),
    ({"notice_period": "abc"}, "notice_period"),
    ({"non_renewal_period": "0"}, "non_renewal_period"),
    ({"termination_right_limit_days": "-1"}, "termination_right_limit_days"),
    (
        {"prepaid_amount": "100", "prepaid_from": "2026-03-01", "prepaid_to": "2026-02-01"},
        "prepaid_to",
    ),
    ({"deposit_kind": "earnest", "deposit_amount": "100000"}, "deposit_amount"),
    ({"deposit_kind": "none", "deposit_amount": "10"}, "deposit_kind"),
    ({"notice_email": "nope"}, "notice_email"),
    ({"clause_notice": LONG}, "clause_notice"),
]


@pytest.mark.parametrize(("bad", "field"), CONTRACT_BAD, ids=[_id(b) for b, _ in CONTRACT_BAD])
def test_contract_create_refuses(staff_client, bad, field):
    partner = PartnerFactory()
    before = counts()
    response = staff_client.post(
        reverse("partners:contract_create", args=[partner.pk]), contract_data(**bad)
    )
    assert_form_refused(response, field=field)
    assert counts() == before


@pytest.mark.parametrize(("bad", "field"), CONTRACT_BAD, ids=[_id(b) for b, _ in CONTRACT_BAD])
def test_contract_edit_refuses(staff_client, bad, field):
    contract = ContractFactory()
    before = row(contract)
    response = staff_client.post(
        reverse("partners:contract_edit", args=[contract.pk]), contract_data(**bad)
    )
    assert_form_refused(response, field=field)
    assert row(contract) == before


# --- Opening cases --------------------------------------------------------------------------


def _open_data(partner, contract, overrides=None) -> dict:
    data = {
        "partner": partner.pk,
        "contract": contract.pk,
        "reason_category": "poor_results",
        "facts": "GMV fell.",
        "learned_on": "2026-05-20",
        "account_control": "shop",
    }
    data.update(overrides or {})
    return data


CASE_OPEN_BAD = [
    ({"partner": ""}, "partner"),
    ({"partner": MISSING}, "partner"),
    ({"partner": "abc"}, "partner"),
    ({"contract": MISSING}, "contract"),
    ({"contract": "OTHER"}, "contract"),
    ({"reason_category": ""}, "reason_category"),
    ({"reason_category": "boredom"}, "reason_category"),
    ({"learned_on": "2026-02-30"}, "learned_on"),
    ({"learned_on": "2026-06-02"}, "learned_on"),
    ({"gmv_share_percent": "101"}, "gmv_share_percent"),
    ({"gmv_share_percent": "1.234"}, "gmv_share_percent"),
    ({"ad_spend_running": "-5"}, "ad_spend_running"),
    ({"prepaid_at_risk": "1.005"}, "prepaid_at_risk"),
    ({"open_orders": "-1"}, "open_orders"),
    ({"account_control": "nobody"}, "account_control"),
]


@pytest.mark.parametrize(("bad", "field"), CASE_OPEN_BAD, ids=[_id(b) for b, _ in CASE_OPEN_BAD])
def test_case_open_refuses(staff_client, bad, field):
    contract = ContractFactory()
    if bad.get("contract") == "OTHER":
        bad = {"contract": ContractFactory().pk}
    before = counts()
    response = staff_client.post(
        reverse("terminations:case_open"), _open_data(contract.partner, contract, bad)
    )
    assert_form_refused(response, field=field)
    assert counts() == before


def test_case_open_refuses_an_archived_partner(staff_client):
    contract = ContractFactory(partner=PartnerFactory(status=Partner.Status.ARCHIVED))
    before = counts()
    response = staff_client.post(
        reverse("terminations:case_open"), _open_data(contract.partner, contract)
    )
    assert_form_refused(response, field="partner")
    assert counts() == before


@pytest.mark.parametrize(
    "bad",
    [
        {"partners": []},
        {"partners": [MISSING]},
        {"partners": ["abc"]},
        {"partners": ["AGENCY"]},
        {"reason_category": "boredom"},
        {"facts": ""},
    ],
    ids=_id,
)
def test_case_open_creators_refuses(staff_client, bad):
    from tests.factories import CreatorFactory

    creator = CreatorFactory()
    data = {"partners": [creator.pk], "reason_category": "poor_results", "facts": "Stopped."}
    if bad.get("partners") == ["AGENCY"]:
        bad = {"partners": [PartnerFactory().pk]}
    data.update(bad)
    before = counts()
    response = staff_client.post(reverse("terminations:case_open_creators"), data)
    assert_form_refused(response, field=next(iter(bad)))
    assert counts() == before


# --- The case page's action forms (redirect back with a flashed error) ----------------------

ASSESSMENT_OK = {
    "reason_category": "poor_results",
    "facts": "GMV fell.",
    "learned_on": "2026-05-20",
    "basis": "contractual",
    "account_control": "shop",
    "reasonable_notice_days": "30",
}
NEGOTIATION_OK = {
    "occurred_on": "2026-05-28",
    "channel": "phone",
    "kind": "contact",
    "participants": "Li",
    "summary": "Talked.",
}
AGREEMENT_OK = {"agreed_on": "2026-05-30", "agreed_end_date": "2026-06-30", "terms": "Terms."}
SETTLEMENT_OK = {"kind": "other", "direction": "to_shop", "amount": "10.00", "description": "d"}
PLAN_OK = {"next_step": "self_operate", "review_on": "2026-09-01", "engage_again": "no"}

# (url name, stage of the case, valid data, the bad values)
CASE_FORMS = [
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"basis": "magic"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"reason_category": ""}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"learned_on": "2026-02-30"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"learned_on": "2026-06-05"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"prior_demand_on": "2026-13-45"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"gmv_share_percent": "101"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"known_loss": "-1"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"known_loss": "1.001"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"reasonable_notice_days": "-1"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"cure_period_days": "5"}),
    ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK, {"account_control": "x"}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"summary": ""}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"participants": LONG}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"next_step": LONG}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"occurred_on": "2026-02-30"}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"occurred_on": "2026-06-02"}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"channel": "pigeon"}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"offer_amount": "-1"}),
    ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK, {"offer_amount": "1.234"}),
    (
        "case_negotiation_add",
        Stage.NEGOTIATION,
        NEGOTIATION_OK,
        {"next_step": "Call", "next_step_due": "2026-05-01"},
    ),
    ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK, {"agreed_on": ""}),
    ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK, {"agreed_on": "2026-02-30"}),
    ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK, {"agreed_on": "2026-06-05"}),
    ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK, {"agreed_end_date": "2026-05-01"}),
    ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK, {"terms": ""}),
    ("case_evidence_add", Stage.ASSESSMENT, {"description": "d"}, {}),
    (
        "case_evidence_add",
        Stage.ASSESSMENT,
        {"description": "d"},
        {"link": "javascript:alert(1)"},
    ),
    ("case_evidence_add", Stage.ASSESSMENT, {"link": "https://e.com"}, {"description": LONG}),
    ("case_evidence_add", Stage.ASSESSMENT, {"link": "https://e.com"}, {"description": ""}),
    ("case_reassign", Stage.ASSESSMENT, {}, {"owner": MISSING}),
    ("case_reassign", Stage.ASSESSMENT, {}, {"owner": "abc"}),
    ("case_reassign", Stage.ASSESSMENT, {}, {"owner": ""}),
    ("case_reassign", Stage.ASSESSMENT, {}, {"owner": "VIEWER"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"amount": "-1"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"amount": "1.234"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"amount": ""}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"amount": "abc"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"amount": "1" * 20}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"kind": "bribe"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"direction": "sideways"}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"description": LONG}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"description": ""}),
    ("settlement_add", Stage.REVIEW, SETTLEMENT_OK, {"due_on": "2026-02-30"}),
    (
        "settlement_add",
        Stage.REVIEW,
        SETTLEMENT_OK,
        {"is_claim": "on", "direction": "to_partner"},
    ),
    ("plan_record", Stage.REVIEW, PLAN_OK, {"next_step": "nap"}),
    ("plan_record", Stage.REVIEW, PLAN_OK, {"review_on": ""}),
    ("plan_record", Stage.REVIEW, PLAN_OK, {"review_on": "2026-02-30"}),
    ("plan_record", Stage.REVIEW, PLAN_OK, {"engage_again": "maybe"}),
    ("plan_record", Stage.REVIEW, PLAN_OK, {"next_step": "other", "details": ""}),
]


@pytest.mark.parametrize(
    ("name", "stage", "valid", "bad"),
    CASE_FORMS,
    ids=[f"{n}-{_id(b) or 'nothing'}" for n, _, _, b in CASE_FORMS],
)
def test_case_page_forms_refuse(staff_client, staff_user, viewer_user, name, stage, valid, bad):
    case = open_case(by=staff_user, stage=stage)
    if bad.get("owner") == "VIEWER":
        bad = {"owner": viewer_user.pk}
    data = {**valid, **bad}
    before_rows, before_case = counts(), row(case)
    response = staff_client.post(reverse(f"terminations:{name}", args=[case.reference]), data)
    assert_flash_refused(response)
    assert counts() == before_rows
    assert row(case) == before_case


def test_valid_case_page_forms_do_save(staff_client, staff_user):
    """The tables above change one value of data that is otherwise accepted."""
    for name, stage, valid in [
        ("case_assessment", Stage.ASSESSMENT, ASSESSMENT_OK),
        ("case_negotiation_add", Stage.NEGOTIATION, NEGOTIATION_OK),
        ("case_agreement", Stage.NEGOTIATION, AGREEMENT_OK),
        ("case_evidence_add", Stage.ASSESSMENT, {"description": "d", "link": "https://e.com"}),
        ("settlement_add", Stage.REVIEW, SETTLEMENT_OK),
        ("plan_record", Stage.REVIEW, PLAN_OK),
    ]:
        case = open_case(by=staff_user, stage=stage)
        events = CaseEvent.objects.filter(case=case).count()
        response = staff_client.post(reverse(f"terminations:{name}", args=[case.reference]), valid)
        assert response.status_code == 302
        assert not error_messages(response), (name, error_messages(response))
        assert CaseEvent.objects.filter(case=case).count() > events, name


@pytest.mark.parametrize("reason", ["", "   ", LONG])
def test_stage_move_with_a_bad_reason_is_refused(staff_client, staff_user, reason):
    case = open_case(by=staff_user, basis="contractual")
    before_rows, before_case = counts(), row(case)
    response = staff_client.post(
        reverse("terminations:case_action", args=[case.reference, "skip_negotiation"]),
        {"reason": reason},
    )
    assert_flash_refused(response)
    assert counts() == before_rows and row(case) == before_case


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_handover_waive_with_a_bad_note_is_refused(manager_client, staff_user, note):
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    item = first_item(case)
    before_item, before_rows = row(item), counts()
    response = manager_client.post(
        reverse("terminations:handover_waive", args=[case.reference, item.pk]), {"note": note}
    )
    assert_flash_refused(response)
    assert row(item) == before_item and counts() == before_rows
    # The htmx variant answers the row with the error in it.
    response = manager_client.post(
        reverse("terminations:handover_waive", args=[case.reference, item.pk]),
        {"note": note},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert row(item) == before_item
    assert item.status == HandoverItem.Status.OPEN


@pytest.mark.parametrize("paid_on", ["", "2026-02-30", "2026-06-02", "abc"])
def test_settlement_paid_with_a_bad_date_is_refused(staff_client, staff_user, paid_on):
    case = open_case(by=staff_user, stage=Stage.REVIEW)
    line = SettlementLine.objects.create(
        case=case, kind="other", direction="to_shop", amount="10.00", description="d"
    )
    before_line, before_rows = row(line), counts()
    response = staff_client.post(
        reverse("terminations:settlement_paid", args=[case.reference, line.pk]),
        {"paid_on": paid_on},
    )
    assert_flash_refused(response)
    assert row(line) == before_line and counts() == before_rows


def test_child_rows_of_another_case_are_not_found(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    other = open_case(by=staff_user, stage=Stage.HANDOVER)
    item = first_item(other)
    before = row(item)
    response = staff_client.post(
        reverse("terminations:handover_complete", args=[case.reference, item.pk]), {"note": "x"}
    )
    assert response.status_code == 404
    assert row(item) == before


# --- Letter forms -----------------------------------------------------------------------------


@pytest.fixture
def notice_case(shop, staff_user):
    return open_case(by=staff_user, stage=Stage.NOTICE, basis="contractual")


NOTICE_NEW_BAD = [
    ({"kind": "spam"}, "kind"),
    ({"kind": ""}, "kind"),
    ({"language": "klingon"}, "language"),
    ({"kind": "cure", "cure_period_days": "0"}, "cure_period_days"),
    ({"kind": "cure", "cure_period_days": "366"}, "cure_period_days"),
    ({"kind": "cure", "cure_period_days": "-1"}, "cure_period_days"),
    ({"kind": "cure", "cure_period_days": "abc"}, "cure_period_days"),
    ({"kind": "withdrawal", "withdraws": MISSING}, "withdraws"),
    ({"kind": "withdrawal"}, "withdraws"),
]


@pytest.mark.parametrize(("bad", "field"), NOTICE_NEW_BAD, ids=[_id(b) for b, _ in NOTICE_NEW_BAD])
def test_notice_new_refuses(staff_client, notice_case, bad, field):
    data = {"kind": "termination", "language": "zh", "facts": "f", **bad}
    before = counts()
    response = staff_client.post(
        reverse("terminations:notice_new", args=[notice_case.reference]), data
    )
    assert_form_refused(response, field=field)
    assert counts() == before


def test_notice_new_in_the_assessment_stage_says_so_before_the_form(staff_client, staff_user, shop):
    case = open_case(by=staff_user, stage=Stage.ASSESSMENT)
    english(staff_client)
    before = counts()
    url = reverse("terminations:notice_new", args=[case.reference])
    for response in (
        staff_client.get(url),
        staff_client.post(url, {"kind": "termination", "language": "zh"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url() + "#actions"
        page = staff_client.get(response["Location"]).content.decode()
        assert "Letters are drafted from the notice stage on" in page
    assert counts() == before


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"language": "xx"}, "language"),
        ({"language": ""}, "language"),
        ({"cure_period_days": "0"}, "cure_period_days"),
        ({"cure_period_days": "1.5"}, "cure_period_days"),
    ],
    ids=lambda v: str(v),
)
def test_notice_edit_refuses(staff_client, staff_user, notice_case, bad, field):
    from terminations.services import notice_draft

    notice = notice_draft(case=notice_case, by=staff_user, kind="termination", facts="f")
    before_notice, before_rows = row(notice), counts()
    data = {"language": "zh", "facts": "changed", "demands": "changed", **bad}
    response = staff_client.post(reverse("terminations:notice_edit", args=[notice.pk]), data)
    assert_form_refused(response, field=field)
    assert row(notice) == before_notice and counts() == before_rows


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"issued_on": "2026-02-30"}, "issued_on"),
        ({"issued_on": ""}, "issued_on"),
        ({"kind": "withdrawal"}, "kind"),
        ({"kind": "spam"}, "kind"),
        ({"scanned_copy": None}, "scanned_copy"),
    ],
    ids=lambda v: str(v),
)
def test_notice_record_external_refuses(staff_client, notice_case, bad, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.terminations.factories import PDF_BYTES

    data = {
        "kind": "termination",
        "issued_on": "2026-05-20",
        "scanned_copy": SimpleUploadedFile("scan.pdf", PDF_BYTES, "application/pdf"),
        **bad,
    }
    data = {k: v for k, v in data.items() if v is not None}
    before = counts()
    response = staff_client.post(
        reverse("terminations:notice_record_external", args=[notice_case.reference]), data
    )
    assert_form_refused(response, field=field)
    assert counts() == before


@pytest.fixture
def issued_notice(notice_case):
    return issue_letter(notice_case, issued_on=date(2026, 5, 20))


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"method": "pigeon"}, "method"),
        ({"method": ""}, "method"),
        ({"dispatched_on": "2026-02-30"}, "dispatched_on"),
        ({"dispatched_on": ""}, "dispatched_on"),
        ({"reference": LONG}, "reference"),
        ({"address": LONG}, "address"),
    ],
    ids=lambda v: str(v),
)
def test_delivery_add_refuses(staff_client, issued_notice, bad, field):
    data = {"method": "courier", "dispatched_on": "2026-05-21", "reference": "EMS1", **bad}
    before = counts()
    response = staff_client.post(
        reverse("terminations:delivery_add", args=[issued_notice.pk]), data
    )
    assert_form_refused(response, field=field)
    assert counts() == before


def test_delivery_in_the_future_is_refused_by_the_service(staff_client, issued_notice):
    before = counts()
    response = staff_client.post(
        reverse("terminations:delivery_add", args=[issued_notice.pk]),
        {"method": "courier", "dispatched_on": "2026-07-01"},
    )
    assert_form_refused(response)
    assert counts() == before


@pytest.mark.parametrize("name", ["delivery_arrival", "delivery_refusal"])
@pytest.mark.parametrize("day", ["", "2026-02-30", "abc", "2026-05-01"])
def test_arrival_and_refusal_with_a_bad_date_are_refused(staff_client, issued_notice, name, day):
    delivery = deliver(issued_notice, dispatched_on=date(2026, 5, 21))
    field = "arrived_on" if name == "delivery_arrival" else "refused_on"
    before_delivery, before_rows = row(delivery), counts()
    response = staff_client.post(reverse(f"terminations:{name}", args=[delivery.pk]), {field: day})
    assert_flash_refused(response)
    assert row(delivery) == before_delivery and counts() == before_rows


def test_scan_upload_without_a_file_is_refused(staff_client, issued_notice):
    before = row(issued_notice)
    response = staff_client.post(
        reverse("terminations:notice_scan_upload", args=[issued_notice.pk])
    )
    assert_flash_refused(response)
    assert row(issued_notice) == before


@pytest.mark.parametrize("data", [{}, {"code": LONG}, {"code": "<script>"}], ids=str)
def test_verify_refuses_or_finds_nothing(staff_client, data):
    response = staff_client.post(reverse("terminations:notice_verify"), data)
    assert response.status_code == 200
    assert response.context["form"].errors or response.context.get("notice") is None


# --- Shop profile and import --------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"legal_name": ""},
        {"legal_name": LONG},
        {"contact_email": "nope"},
        {"credit_code": LONG},
        {"shop_name": LONG},
    ],
    ids=_id,
)
def test_shop_profile_refuses(manager_client, shop, bad):
    data = {
        k: v
        for k, v in ShopProfile.objects.filter(pk=shop.pk).values().get().items()
        if isinstance(v, str) and k != "seal_image"
    }
    data.update(bad)
    before = row(shop)
    response = manager_client.post(reverse("shop_profile"), data)
    assert_form_refused(response, field=next(iter(bad)))
    assert row(shop) == before


@pytest.mark.parametrize("data", [{}, {"kind": "aliens"}, {"kind": "partners"}], ids=str)
def test_import_refuses_without_a_valid_kind_and_file(staff_client, data):
    before = counts()
    response = staff_client.post(reverse("partners:import"), data)
    assert response.status_code == 200
    assert response.context["upload_form"].errors
    assert counts() == before


def test_import_confirm_with_a_forged_token_saves_nothing(staff_client):
    before = counts()
    response = staff_client.post(
        reverse("partners:import"), {"action": "confirm", "token": "forged"}
    )
    assert_flash_refused(response)
    assert counts() == before
