"""Markup and template syntax typed into every free-text field, through the real forms, is shown
escaped and never evaluated on every page that shows it."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from partners.models import Contract, Partner
from terminations.models import (
    FollowUpPlan,
    NegotiationEntry,
    Notice,
    SettlementLine,
    Stage,
    TerminationCase,
)
from tests.partners.data import contract_data, partner_data

from .conftest import CURLY, IMG, PAYLOAD, SCRIPT, TAG, english, first_item, flashed

pytestmark = pytest.mark.django_db

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_inert(content: str, *, shown: bool = True) -> None:
    """No payload is live; where the field is shown it is there as escaped text."""
    assert SCRIPT not in content
    assert "<img src=x onerror" not in content
    assert "onerror=alert(1)>" not in content
    if shown:
        assert ESCAPED_SCRIPT in content
        # Template syntax typed by a user stays literal text (an evaluated {{7*7}} would be 49).
        assert CURLY in content
        assert TAG in content


def _ok(response, *, status: int = 302):
    assert response.status_code == status, (
        response.status_code,
        flashed(response),
        getattr(response, "context", None) and response.context.get("form").errors,
    )
    return response


@pytest.fixture
def world(shop, staff_client, manager_client, staff_user, manager_user):
    """Everything staff can type, typed through the real forms: a partner, a contract, a case
    with its assessment, a negotiation contact, an agreement, evidence, a handover note, a
    settlement line, a plan and a letter draft."""
    english(staff_client)
    english(manager_client)
    _ok(
        staff_client.post(
            reverse("partners:create"),
            partner_data(
                name=PAYLOAD,
                contact_name=PAYLOAD,
                notes=PAYLOAD,
                notice_address=PAYLOAD,
                category=PAYLOAD,
            ),
        )
    )
    partner = Partner.objects.get(name=PAYLOAD)
    _ok(
        staff_client.post(
            reverse("partners:contract_create", args=[partner.pk]),
            contract_data(title=PAYLOAD, number="HT-<b>1</b>", clause_notice="<i>12</i>"),
        )
    )
    contract = Contract.objects.get(partner=partner)
    _ok(
        staff_client.post(
            reverse("terminations:case_open"),
            {
                "partner": partner.pk,
                "contract": contract.pk,
                "reason_category": "poor_results",
                "facts": PAYLOAD,
                "learned_on": "2026-05-20",
                "account_control": "shop",
            },
        )
    )
    case = TerminationCase.objects.get(partner=partner)
    # Assign the case to the staff member so "my work" lists it.
    case_url = case.get_absolute_url()
    _ok(
        staff_client.post(
            reverse("terminations:case_assessment", args=[case.reference]),
            {
                "reason_category": "poor_results",
                "facts": PAYLOAD,
                "learned_on": "2026-05-20",
                "basis": "contractual",
                # The contract made through the page gives no convenience right: the
                # contractual basis rests on an agreed cause, typed as a payload too.
                "agreed_cause": PAYLOAD,
                "agreed_cause_en": PAYLOAD,
                "agreed_cause_clause": "9.2",
                "account_control": "shop",
                "risk_notes": PAYLOAD,
                "reasonable_notice_days": "30",
            },
        )
    )
    assert TerminationCase.objects.filter(pk=case.pk, risk_notes=PAYLOAD).exists(), flashed(
        staff_client.get(case_url)
    )
    TerminationCase.objects.filter(pk=case.pk).update(stage=Stage.NEGOTIATION)
    _ok(
        staff_client.post(
            reverse("terminations:case_negotiation_add", args=[case.reference]),
            {
                "occurred_on": "2026-05-28",
                "channel": "phone",
                "kind": "contact",
                "participants": PAYLOAD,
                "summary": PAYLOAD,
                "outcome": PAYLOAD,
                "next_step": PAYLOAD,
                "next_step_due": "2026-06-10",
            },
        )
    )
    assert NegotiationEntry.objects.filter(case=case, summary=PAYLOAD).exists()
    _ok(
        staff_client.post(
            reverse("terminations:case_evidence_add", args=[case.reference]),
            {"description": PAYLOAD, "link": "https://example.com/chat"},
        )
    )
    item = first_item(case)
    _ok(
        staff_client.post(
            reverse("terminations:handover_complete", args=[case.reference, item.pk]),
            {"note": PAYLOAD},
        )
    )
    item.refresh_from_db()
    assert item.note == PAYLOAD, flashed(staff_client.get(case_url))
    TerminationCase.objects.filter(pk=case.pk).update(stage=Stage.NOTICE)
    _ok(
        staff_client.post(
            reverse("terminations:notice_new", args=[case.reference]),
            {"kind": "termination", "language": "bilingual", "facts": PAYLOAD, "demands": PAYLOAD},
        )
    )
    notice = Notice.objects.get(case=case)
    TerminationCase.objects.filter(pk=case.pk).update(stage=Stage.REVIEW)
    _ok(
        staff_client.post(
            reverse("terminations:settlement_add", args=[case.reference]),
            {"kind": "other", "direction": "to_shop", "amount": "12.50", "description": PAYLOAD},
        )
    )
    assert SettlementLine.objects.filter(case=case, description=PAYLOAD).exists(), flashed(
        staff_client.get(case_url)
    )
    _ok(
        staff_client.post(
            reverse("terminations:plan_record", args=[case.reference]),
            {
                "next_step": "other",
                "details": PAYLOAD,
                "review_on": "2026-09-01",
                "engage_again": "no",
            },
        )
    )
    assert FollowUpPlan.objects.filter(case=case, details=PAYLOAD).exists(), flashed(
        staff_client.get(case_url)
    )
    case.refresh_from_db()
    return {"partner": partner, "contract": contract, "case": case, "notice": notice}


def test_every_free_text_field_was_stored_as_typed(world):
    partner, contract, case = world["partner"], world["contract"], world["case"]
    assert (partner.name, partner.contact_name, partner.notes) == (PAYLOAD,) * 3
    assert contract.title == PAYLOAD
    assert (case.facts, case.risk_notes) == (PAYLOAD, PAYLOAD)
    assert (case.agreed_cause, case.agreed_cause_en) == (PAYLOAD, PAYLOAD)
    assert (world["notice"].facts, world["notice"].demands) == (PAYLOAD, PAYLOAD)


PAGES = [
    ("partners:list", lambda w: [], True),
    ("partners:list", lambda w: [], "q"),
    ("partners:detail", lambda w: [w["partner"].pk], True),
    ("partners:edit", lambda w: [w["partner"].pk], True),
    ("partners:contract_list", lambda w: [], True),
    ("partners:contract_detail", lambda w: [w["contract"].pk], True),
    ("partners:contract_edit", lambda w: [w["contract"].pk], True),
    ("terminations:case_list", lambda w: [], True),
    ("terminations:case_detail", lambda w: [w["case"].reference], True),
    ("terminations:notice_preview", lambda w: [w["notice"].pk], True),
    ("terminations:notice_edit", lambda w: [w["notice"].pk], True),
    ("terminations:notice_new", lambda w: [w["case"].reference], False),
    ("terminations:my_work", lambda w: [], False),
    ("terminations:calculator", lambda w: [], "contract"),
]


@pytest.mark.parametrize(("name", "args", "shown"), PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_pages_show_payloads_escaped(world, staff_client, name, args, shown):
    url = reverse(name, args=args(world))
    if shown == "q":
        url += "?q=" + PAYLOAD.replace("%", "%25").replace("#", "%23").replace("&", "%26")
    if shown == "contract":
        url += f"?contract={world['contract'].pk}&arrival=2026-06-01"
    response = staff_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert_inert(content, shown=bool(shown))
    assert "sql_queries" not in content  # {% debug %} was not run


def test_dashboard_shows_payloads_escaped(world, manager_client):
    response = manager_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert_inert(response.content.decode(), shown=False)


def test_my_work_of_the_owner_shows_payloads_escaped(world, staff_user, staff_client):
    TerminationCase.objects.filter(pk=world["case"].pk).update(owner=staff_user)
    response = staff_client.get(reverse("terminations:my_work"))
    assert response.status_code == 200
    assert_inert(response.content.decode(), shown=False)


def test_case_page_of_each_stage_shows_payloads_escaped(world, staff_client):
    case = world["case"]
    for stage in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE, Stage.HANDOVER):
        TerminationCase.objects.filter(pk=case.pk).update(stage=stage)
        response = staff_client.get(case.get_absolute_url())
        assert response.status_code == 200, stage
        assert_inert(response.content.decode())


def test_htmx_handover_row_shows_note_escaped(world, staff_client):
    case = world["case"]
    item = first_item(case)
    response = staff_client.post(
        reverse("terminations:handover_reopen", args=[case.reference, item.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert_inert(response.content.decode(), shown=False)


def test_flashed_form_errors_echoing_input_are_escaped(world, staff_client):
    case = world["case"]
    response = staff_client.post(
        reverse("terminations:case_reassign", args=[case.reference]),
        {"owner": PAYLOAD},
        follow=True,
    )
    assert response.status_code == 200
    assert_inert(response.content.decode(), shown=False)


@pytest.mark.parametrize("name", ["terminations:case_export_csv", "terminations:case_export_xlsx"])
def test_exports_are_downloads_not_pages(world, manager_client, name):
    response = manager_client.get(reverse(name))
    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if name.endswith("csv"):
        # The partner's name is data in a cell, exactly as typed, in a file that is not a page.
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert PAYLOAD in rows[1]


def test_bundle_index_shows_payloads_escaped(world, manager_client):
    response = manager_client.get(
        reverse("terminations:case_bundle", args=[world["case"].reference])
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            assert ".." not in name and not name.startswith("/")
            if name.endswith((".html", ".htm")):
                assert_inert(archive.read(name).decode(), shown=False)


def test_payload_in_a_letter_preview_in_each_language(world, staff_client):
    notice = world["notice"]
    for language in ("zh", "en", "bilingual"):
        Notice.objects.filter(pk=notice.pk).update(language=language)
        response = staff_client.get(reverse("terminations:notice_preview", args=[notice.pk]))
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_img_payload_constant_is_what_we_think():
    assert IMG.startswith('">')
