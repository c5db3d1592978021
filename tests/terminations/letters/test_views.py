"""The STYLE.md checklist for every letter view, plus downloads and verification."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from terminations.models import CaseEvent, Delivery, Notice, Stage
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.terminations.factories import PDF_BYTES


@pytest.fixture
def draft(agency_case, staff_user):
    return notice_draft(case=agency_case, by=staff_user, kind="termination")


@pytest.fixture
def approved(draft, manager_user):
    return notice_approve(notice=draft, by=manager_user)


@pytest.fixture
def issued_notice(approved, manager_user):
    return notice_issue(notice=approved, by=manager_user)


POST_VIEWS = ["notice_approve", "notice_issue", "notice_correct", "notice_scan_upload"]


@pytest.mark.parametrize("name", POST_VIEWS)
def test_get_refused_where_post_is_needed(manager_client, draft, name):
    assert manager_client.get(reverse(f"terminations:{name}", args=[draft.pk])).status_code == 405


@pytest.mark.parametrize("name", [*POST_VIEWS, "notice_pdf", "notice_preview", "notice_edit"])
def test_anonymous_is_sent_to_log_in(anon_client, draft, name):
    response = anon_client.get(reverse(f"terminations:{name}", args=[draft.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["notice_pdf", "notice_preview"])
def test_no_group_user_gets_403(nogroup_client, issued_notice, name):
    assert (
        nogroup_client.get(reverse(f"terminations:{name}", args=[issued_notice.pk])).status_code
        == 403
    )


def test_no_group_user_cannot_verify_or_draft(nogroup_client, agency_case):
    assert nogroup_client.get(reverse("terminations:notice_verify")).status_code == 403
    url = reverse("terminations:notice_new", args=[agency_case.reference])
    assert nogroup_client.post(url, {"kind": "termination", "language": "zh"}).status_code == 403


@pytest.mark.parametrize("name", POST_VIEWS)
def test_viewer_gets_403_on_changes(viewer_client, approved, name):
    assert (
        viewer_client.post(reverse(f"terminations:{name}", args=[approved.pk])).status_code == 403
    )
    approved.refresh_from_db()
    assert approved.status == Notice.Status.APPROVED


def test_viewer_cannot_draft(viewer_client, agency_case):
    url = reverse("terminations:notice_new", args=[agency_case.reference])
    assert viewer_client.post(url, {"kind": "termination", "language": "zh"}).status_code == 403
    assert not Notice.objects.exists()


def test_staff_refused_approve_and_issue(staff_client, draft, manager_user):
    response = staff_client.post(reverse("terminations:notice_approve", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Notice.Status.DRAFT
    notice_approve(notice=draft, by=manager_user)
    staff_client.post(reverse("terminations:notice_issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Notice.Status.APPROVED and not draft.sha256


def test_issue_of_a_draft_is_refused_with_a_message(manager_client, draft):
    manager_client.cookies["django_language"] = "en"
    response = manager_client.post(
        reverse("terminations:notice_issue", args=[draft.pk]), follow=True
    )
    assert response.status_code == 200
    assert b"must approve" in response.content
    draft.refresh_from_db()
    assert draft.status == Notice.Status.DRAFT


def test_draft_refused_at_the_wrong_stage(staff_client, agency_case):
    agency_case.stage = Stage.ASSESSMENT
    agency_case.save(update_fields=["stage"])
    url = reverse("terminations:notice_new", args=[agency_case.reference])
    response = staff_client.post(url, {"kind": "termination", "language": "zh"})
    # Refused before the form is filled in: back to the case, saying why.
    assert response.status_code == 302
    assert response["Location"].endswith("#actions")
    assert not Notice.objects.exists()


def test_bad_input_is_a_form_error(staff_client, agency_case):
    url = reverse("terminations:notice_new", args=[agency_case.reference])
    response = staff_client.post(url, {"kind": "nonsense", "language": "zh"})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert not Notice.objects.exists()


def test_happy_path_through_the_pages(staff_client, manager_client, agency_case):
    url = reverse("terminations:notice_new", args=[agency_case.reference])
    response = staff_client.post(
        url, {"kind": "termination", "language": "bilingual", "facts": "<b>事实</b>", "demands": ""}
    )
    notice = Notice.objects.get()
    assert response["Location"] == reverse("terminations:notice_preview", args=[notice.pk])
    preview = staff_client.get(response["Location"])
    assert preview.status_code == 200
    assert "&lt;b&gt;事实&lt;/b&gt;".encode() in preview.content
    response = staff_client.post(
        reverse("terminations:notice_edit", args=[notice.pk]),
        {"language": "zh", "facts": "新事实", "demands": "七日内交还账号"},
    )
    assert response.status_code == 302
    manager_client.post(reverse("terminations:notice_approve", args=[notice.pk]))
    manager_client.post(reverse("terminations:notice_issue", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED
    kinds = set(CaseEvent.objects.filter(case=agency_case).values_list("kind", flat=True))
    assert {"notice_drafted", "notice_edited", "notice_approved", "notice_issued"} <= kinds
    # The scan of the stamped copy.
    upload = SimpleUploadedFile("stamped.pdf", PDF_BYTES, content_type="application/pdf")
    staff_client.post(
        reverse("terminations:notice_scan_upload", args=[notice.pk]), {"file": upload}
    )
    notice.refresh_from_db()
    assert notice.scanned_copy
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.SCAN_UPLOADED).exists()


def test_scan_upload_refuses_a_non_document(staff_client, issued_notice):
    upload = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    staff_client.post(
        reverse("terminations:notice_scan_upload", args=[issued_notice.pk]), {"file": upload}
    )
    issued_notice.refresh_from_db()
    assert not issued_notice.scanned_copy


@pytest.mark.parametrize("client_name", ["staff_client", "manager_client", "viewer_client"])
def test_download_serves_the_stored_bytes(request, client_name, issued_notice):
    client = request.getfixturevalue(client_name)
    response = client.get(reverse("terminations:notice_pdf", args=[issued_notice.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == issued_notice.sha256
    assert f'filename="{issued_notice.letter_number}.pdf"' in response["Content-Disposition"]


def test_download_of_a_draft_is_404(staff_client, draft):
    assert staff_client.get(reverse("terminations:notice_pdf", args=[draft.pk])).status_code == 404


def test_verify_by_file_and_by_code(viewer_client, issued_notice):
    url = reverse("terminations:notice_verify")
    good = SimpleUploadedFile("a.pdf", issued_notice.pdf.read(), content_type="application/pdf")
    response = viewer_client.post(url, {"file": good})
    assert response.context["notice"] == issued_notice
    bad = SimpleUploadedFile("b.pdf", b"%PDF-1.7 changed", content_type="application/pdf")
    assert viewer_client.post(url, {"file": bad}).context["notice"] is None
    code = issued_notice.verification_code.lower().replace("-", " ")
    assert viewer_client.post(url, {"code": code}).context["notice"] == issued_notice
    assert viewer_client.post(url, {"code": "AAAA-BBBB-CCCC"}).context["notice"] is None
    assert viewer_client.post(url, {}).context["form"].errors


def test_external_letter_manager_only(staff_client, manager_client, agency_case):
    url = reverse("terminations:notice_record_external", args=[agency_case.reference])
    data = lambda: {  # noqa: E731
        "kind": "termination",
        "issued_on": "2026-05-01",
        "scanned_copy": SimpleUploadedFile("sent.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    staff_client.post(url, data())
    assert not Notice.objects.exists()
    response = manager_client.post(url, data())
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert (notice.origin, notice.status) == (Notice.Origin.EXTERNAL, Notice.Status.ISSUED)
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTICE_RECORDED).exists()


def test_dispatch_arrival_and_refusal(staff_client, issued_notice, viewer_client):
    url = reverse("terminations:delivery_add", args=[issued_notice.pk])
    today = timezone.localdate().isoformat()
    assert viewer_client.post(url, {"method": "email", "dispatched_on": today}).status_code == 403
    response = staff_client.post(
        url, {"method": "courier", "dispatched_on": today, "reference": "EMS1"}
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    staff_client.post(
        reverse("terminations:delivery_refusal", args=[delivery.pk]), {"refused_on": today}
    )
    delivery.refresh_from_db()
    assert delivery.refused
    assert (
        staff_client.get(reverse("terminations:delivery_arrival", args=[delivery.pk])).status_code
        == 405
    )
    staff_client.post(
        reverse("terminations:delivery_arrival", args=[delivery.pk]), {"arrived_on": "bad"}
    )
    delivery.refresh_from_db()
    assert delivery.arrived_on is None
    staff_client.post(
        reverse("terminations:delivery_arrival", args=[delivery.pk]), {"arrived_on": today}
    )
    delivery.refresh_from_db()
    assert delivery.arrived_on == date.fromisoformat(today)
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.ARRIVED).exists()


def test_letters_partial_does_not_query_per_row(
    staff_client, issued_notice, manager_user, django_assert_max_num_queries
):
    from django.template.loader import render_to_string

    from terminations.models import TerminationCase

    case = issued_notice.case
    for _ in range(3):
        n = notice_draft(case=case, by=manager_user, kind="termination")
    case = TerminationCase.objects.prefetch_related(
        "notices__deliveries", "notices__emails__delivery", "notices__emails__acceptances"
    ).get(pk=case.pk)
    with django_assert_max_num_queries(0):
        html = render_to_string(
            "terminations/_letters.html", {"case": case, "can_edit": True, "is_manager": True}
        )
    assert issued_notice.letter_number in html and str(n.pk) in html
