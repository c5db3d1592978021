"""Routes of the letters part (names are part of the terminations namespace)."""

from django.urls import path

import terminations.converters  # noqa: F401  (registers <caseref:…>)
from terminations.views import emails, files, letters

urlpatterns = [
    path("cases/<caseref:reference>/letters/new/", letters.notice_new, name="notice_new"),
    path(
        "cases/<caseref:reference>/letters/external/",
        letters.notice_record_external,
        name="notice_record_external",
    ),
    path("letters/verify/", letters.notice_verify, name="notice_verify"),
    path("letters/<int:pk>/", letters.notice_preview, name="notice_preview"),
    path("letters/<int:pk>/edit/", letters.notice_edit, name="notice_edit"),
    path("letters/<int:pk>/approve/", letters.notice_approve, name="notice_approve"),
    path("letters/<int:pk>/issue/", letters.notice_issue, name="notice_issue"),
    path("letters/<int:pk>/correct/", letters.notice_correct, name="notice_correct"),
    path("letters/<int:pk>/scan/", letters.notice_scan_upload, name="notice_scan_upload"),
    path("letters/<int:pk>/scan/download/", files.notice_scan, name="notice_scan"),
    path("letters/<int:pk>/pdf/", files.notice_pdf, name="notice_pdf"),
    path("letters/<int:pk>/deliveries/new/", letters.delivery_add, name="delivery_add"),
    path("deliveries/<int:pk>/arrival/", letters.delivery_arrival, name="delivery_arrival"),
    path("deliveries/<int:pk>/refusal/", letters.delivery_refusal, name="delivery_refusal"),
    path("deliveries/<int:pk>/evidence/", files.delivery_evidence, name="delivery_evidence"),
    path("letters/<int:pk>/email/", emails.letter_email_new, name="letter_email_new"),
    path("emails/<int:pk>/resolve/", emails.letter_email_resolve, name="letter_email_resolve"),
    path(
        "emails/<int:pk>/arrival/",
        emails.letter_email_confirm_arrival,
        name="letter_email_confirm_arrival",
    ),
    path("emails/<int:pk>/eml/", emails.letter_email_eml, name="letter_email_eml"),
    path(
        "emails/<int:pk>/timestamp/", emails.letter_email_timestamp, name="letter_email_timestamp"
    ),
    path(
        "acceptances/<int:pk>/authority/",
        emails.acceptance_confirm_authority,
        name="acceptance_confirm_authority",
    ),
    path("acceptances/<int:pk>/pdf/", emails.acceptance_pdf, name="acceptance_pdf"),
]
