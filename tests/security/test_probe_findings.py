"""Findings of the hostile probe (issue 15) fixed here: each answered 500 or broke a daily job."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from partners.models import Contract
from terminations.reminders import send_reminders
from terminations.services import TransitionError, agreement_record
from tests.factories import ContractFactory, PartnerFactory
from tests.partners.data import contract_data
from tests.terminations.factories import open_case

pytestmark = pytest.mark.django_db


def test_f2_an_absurd_notice_period_is_refused_and_an_old_one_does_not_crash_the_dashboard(
    staff_client, manager_client, staff_user
):
    partner = PartnerFactory()
    staff_client.cookies["django_language"] = "en"
    data = contract_data(notice_period="32767", notice_unit="months")
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 200
    assert "A period of at most 120 months" in response.content.decode()
    assert not Contract.objects.filter(partner=partner).exists()
    # A row stored before the check: the dashboard, the contract list and the reminders still run.
    contract = ContractFactory(auto_renews=True, end_date=date(2027, 3, 1))
    Contract.objects.filter(pk=contract.pk).update(notice_period=32767, notice_unit="months")
    assert manager_client.get(reverse("dashboard")).status_code == 200
    listed = staff_client.get(
        reverse("partners:contract_list"),
        {"renewal_cutoff_after": "2026-01-01", "renewal_cutoff_before": "9999-12-31"},
    )
    assert listed.status_code == 200
    send_reminders(today=date(2026, 6, 1))


def test_f4_an_agreed_end_date_in_the_year_9999_is_refused(staff_user):
    case = open_case(by=staff_user)
    with pytest.raises(TransitionError):
        agreement_record(
            case=case,
            by=staff_user,
            agreed_on=date(2026, 5, 1),
            agreed_end_date=date(9999, 12, 31),
            terms="Ends.",
        )
    case.refresh_from_db()
    assert case.agreed_end_date is None


def test_f6_a_partner_number_too_large_for_the_database_is_a_form_error(staff_client):
    response = staff_client.post(
        reverse("terminations:case_open"),
        {"partner": "99999999999999999999999", "reason_category": "poor_results"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["partner"]
    huge = "99999999999999999999999"
    page = staff_client.get(reverse("terminations:case_open"), {"partner": huge, "contract": huge})
    assert page.status_code == 200


def test_f7_a_line_break_in_a_partners_name_does_not_stop_the_reminders(staff_user):
    partner = PartnerFactory(name="恶意\r\nBcc: victim@example.com")
    case = open_case(by=staff_user, partner=partner)
    from terminations.models import TerminationCase

    TerminationCase.objects.filter(pk=case.pk).update(end_date=date(2026, 6, 2), stage="notice")
    mail.outbox.clear()
    counts = send_reminders(today=date(2026, 6, 1))
    assert counts["email"] >= 1
    [message] = [m for m in mail.outbox if m.to == [staff_user.email]]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []


def test_f1_a_stamped_copy_is_kept_not_replaced_and_its_hash_recorded(staff_user):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from terminations.models import CaseEvent, Notice, Stage
    from terminations.services import notice_upload_scan
    from tests.terminations.factories import PDF_BYTES, issue_letter, place_in_stage

    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case)
    Notice.objects.filter(pk=letter.pk).update(scanned_copy="")
    letter.refresh_from_db()

    def scan(name: str = "scan.pdf"):
        return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")

    notice_upload_scan(notice=letter, by=staff_user, file=scan())
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SCAN_UPLOADED)
    assert event.data["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    kept = Notice.objects.get(pk=letter.pk).scanned_copy.name
    with pytest.raises(TransitionError):
        notice_upload_scan(notice=letter, by=staff_user, file=scan("other.pdf"))
    assert Notice.objects.get(pk=letter.pk).scanned_copy.name == kept
    # A closed case's evidence no longer changes at all.
    other = issue_letter(case)
    Notice.objects.filter(pk=other.pk).update(scanned_copy="")
    place_in_stage(case, Stage.CLOSED)
    with pytest.raises(TransitionError):
        notice_upload_scan(notice=other, by=staff_user, file=scan())
