"""Nothing stored is replaced (issue 15): an agreement's countersigned confirmation, a delivery's
evidence, a letter's stamped copy and a contract's signed document are added once; replacing one
needs a manager, keeps the old file in storage and records both files' SHA-256."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Contract, ContractDocumentReplacement
from terminations.models import CaseEvent, Delivery, Notice, Stage, TerminationCase
from terminations.services import TransitionError, agreement_record, notice_upload_scan
from terminations.services.deliveries import delivery_record_arrival, delivery_record_refusal
from tests.factories import ContractFactory
from tests.partners.data import contract_data
from tests.terminations.factories import deliver, issue_letter, one_page_pdf, place_in_stage

from .conftest import english, flashed, open_case

pytestmark = pytest.mark.django_db

OLD = one_page_pdf(72, 72)
NEW = one_page_pdf(100, 100)

# The refusal, in whichever language the request or the test runs.
REFUSED = r"Only a manager can replace it|仅主管可以替换"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(data: bytes, name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def assert_replaced(case, *, old_name: str, new_name: str) -> CaseEvent:
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.FILE_REPLACED)
    assert event.data["old_name"] == old_name
    assert event.data["new_name"] == new_name != old_name
    assert event.data["old_sha256"] == sha(OLD)
    assert event.data["new_sha256"] == sha(NEW)
    with default_storage.open(old_name, "rb") as kept:
        assert kept.read() == OLD
    return event


def _agree(case, by, **extra):
    return agreement_record(
        case=case,
        by=by,
        agreed_on=date(2026, 5, 20),
        agreed_end_date=date(2026, 6, 30),
        terms=extra.pop("terms", "Ends on 30 June."),
        **extra,
    )


def test_a_countersigned_confirmation_is_added_once_and_replaced_only_by_a_manager(
    staff_user, manager_user
):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION)
    _agree(case, staff_user, confirmation=upload(OLD, "confirmation.pdf"))
    recorded = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.AGREEMENT_RECORDED)
    assert recorded.data["confirmation_sha256"] == sha(OLD)
    old_name = TerminationCase.objects.get(pk=case.pk).countersigned_confirmation.name
    # Staff: refused, and nothing changed — not even the terms sent with the file.
    with pytest.raises(TransitionError, match=REFUSED):
        _agree(case, staff_user, terms="Other terms.", confirmation=upload(NEW, "other.pdf"))
    stored = TerminationCase.objects.get(pk=case.pk)
    assert stored.countersigned_confirmation.name == old_name
    assert stored.agreed_terms == "Ends on 30 June."
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.FILE_REPLACED).exists()
    # Staff may still change the terms without a file.
    _agree(case, staff_user, terms="Ends on 30 June, deposit returned.")
    # A manager replaces it; the old file stays in storage.
    _agree(case, manager_user, confirmation=upload(NEW, "corrected.pdf"))
    new_name = TerminationCase.objects.get(pk=case.pk).countersigned_confirmation.name
    event = assert_replaced(case, old_name=old_name, new_name=new_name)
    assert event.actor == manager_user


def test_the_agreement_form_tells_staff_why_the_confirmation_is_not_replaced(
    staff_client, staff_user
):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION)
    _agree(case, staff_user, confirmation=upload(OLD, "confirmation.pdf"))
    old_name = TerminationCase.objects.get(pk=case.pk).countersigned_confirmation.name
    response = english(staff_client).post(
        reverse("terminations:case_agreement", args=[case.reference]),
        {
            "agreed_on": "2026-05-20",
            "agreed_end_date": "2026-06-30",
            "terms": "Changed.",
            "confirmation": upload(NEW, "other.pdf"),
        },
    )
    assert response.status_code == 302
    assert any(re.search(REFUSED, m) for m in flashed(response))
    stored = TerminationCase.objects.get(pk=case.pk)
    assert stored.countersigned_confirmation.name == old_name
    assert stored.agreed_terms != "Changed."


@pytest.mark.parametrize("step", ["arrival", "refusal"])
def test_a_deliverys_evidence_is_added_once_and_replaced_only_by_a_manager(
    step, staff_user, manager_user
):
    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case, issued_on=date(2026, 5, 1))
    delivery = deliver(letter, dispatched_on=date(2026, 5, 2))
    delivery.evidence.save("receipt.pdf", upload(OLD), save=True)
    old_name = delivery.evidence.name
    record = delivery_record_arrival if step == "arrival" else delivery_record_refusal
    day = {"arrived_on" if step == "arrival" else "refused_on": date(2026, 5, 4)}
    with pytest.raises(TransitionError, match=REFUSED):
        record(delivery=delivery, by=staff_user, evidence=upload(NEW, "proof.pdf"), **day)
    stored = Delivery.objects.get(pk=delivery.pk)
    assert stored.evidence.name == old_name
    assert stored.arrived_on is None and not stored.refused
    record(delivery=delivery, by=manager_user, evidence=upload(NEW, "proof.pdf"), **day)
    stored = Delivery.objects.get(pk=delivery.pk)
    event = assert_replaced(case, old_name=old_name, new_name=stored.evidence.name)
    assert event.data["delivery"] == delivery.pk


def test_a_first_delivery_evidence_needs_no_manager_and_its_hash_is_recorded(staff_user):
    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    delivery = deliver(
        issue_letter(case, issued_on=date(2026, 5, 1)), dispatched_on=date(2026, 5, 2)
    )
    delivery_record_arrival(
        delivery=delivery, by=staff_user, arrived_on=date(2026, 5, 4), evidence=upload(OLD)
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ARRIVED)
    assert event.data["evidence_sha256"] == sha(OLD)


def test_a_stamped_copy_is_replaced_only_by_a_manager(staff_user, manager_user):
    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case)
    Notice.objects.filter(pk=letter.pk).update(scanned_copy="")
    letter.refresh_from_db()
    notice_upload_scan(notice=letter, by=staff_user, file=upload(OLD, "scan.pdf"))
    old_name = Notice.objects.get(pk=letter.pk).scanned_copy.name
    with pytest.raises(TransitionError, match=REFUSED):
        notice_upload_scan(notice=letter, by=staff_user, file=upload(NEW, "scan2.pdf"))
    assert Notice.objects.get(pk=letter.pk).scanned_copy.name == old_name
    notice_upload_scan(notice=letter, by=manager_user, file=upload(NEW, "scan2.pdf"))
    new_name = Notice.objects.get(pk=letter.pk).scanned_copy.name
    assert_replaced(case, old_name=old_name, new_name=new_name)


def test_a_contracts_signed_document_is_replaced_only_by_a_manager(
    staff_client, manager_client, manager_user
):
    contract = ContractFactory()
    contract.signed_document.save("signed.pdf", upload(OLD), save=True)
    old_name = contract.signed_document.name
    url = reverse("partners:contract_edit", args=[contract.pk])
    data = contract_data(number=contract.number, title="Changed title")
    refused = english(staff_client).post(url, {**data, "signed_document": upload(NEW, "new.pdf")})
    assert refused.status_code == 200
    assert re.search(REFUSED, str(refused.context["form"].errors))
    stored = Contract.objects.get(pk=contract.pk)
    assert stored.signed_document.name == old_name and stored.title != "Changed title"
    # Nothing to clear: the form offers no "clear" box, and a clear flag posted changes nothing.
    english(staff_client).post(url, {**data, "signed_document-clear": "on"})
    assert Contract.objects.get(pk=contract.pk).signed_document.name == old_name
    # Staff edit the rest of the contract freely.
    assert english(staff_client).post(url, data).status_code == 302
    assert (
        manager_client.post(url, {**data, "signed_document": upload(NEW, "new.pdf")}).status_code
        == 302
    )
    stored = Contract.objects.get(pk=contract.pk)
    [record] = ContractDocumentReplacement.objects.filter(contract=contract)
    assert record.old_name == old_name and record.new_name == stored.signed_document.name
    assert (record.old_sha256, record.new_sha256) == (sha(OLD), sha(NEW))
    assert record.replaced_by == manager_user
    with default_storage.open(old_name, "rb") as kept:
        assert kept.read() == OLD
    page = manager_client.get(reverse("partners:contract_detail", args=[contract.pk]))
    assert sha(OLD) in page.content.decode()
