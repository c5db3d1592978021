"""Downloads of the files stored with a case: the evidence of the partner's demand, the
countersigned confirmation, evidence files, negotiation attachments, the letters, their stamped
copies and the delivery evidence.

Each is read by whoever may read the case page that links to it (staff, managers, viewers), found
through the case or the letter it belongs to (anything else is a 404), and sent by
`core.downloads.stored_file_response` (attachment, nosniff, no cache; never a storage address).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core import roles
from core.downloads import stored_file_response
from terminations.models import (
    Delivery,
    EvidenceFile,
    NegotiationEntry,
    Notice,
    TerminationCase,
)


def _require_view(request: HttpRequest) -> None:
    if not roles.can_view(request.user):
        raise PermissionDenied


def _case(request: HttpRequest, reference: str) -> TerminationCase:
    _require_view(request)
    return get_object_or_404(TerminationCase, reference=reference)


def _notice(request: HttpRequest, pk: int) -> Notice:
    _require_view(request)
    return get_object_or_404(Notice.objects.select_related("case"), pk=pk)


@require_GET
def case_demand_evidence(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    return stored_file_response(case.decision_demand_evidence)


@require_GET
def case_agreed_cause_evidence(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    return stored_file_response(case.agreed_cause_evidence)


@require_GET
def case_confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    return stored_file_response(case.countersigned_confirmation)


@require_GET
def evidence_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _require_view(request)
    item = get_object_or_404(EvidenceFile, pk=pk, case__reference=reference)
    return stored_file_response(item.file)


@require_GET
def negotiation_attachment(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    _require_view(request)
    entry = get_object_or_404(NegotiationEntry, pk=pk, case__reference=reference)
    return stored_file_response(entry.attachment)


@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored bytes of an issued letter, never a new rendering."""
    notice = _notice(request, pk)
    if not notice.is_issued:
        raise Http404
    return stored_file_response(notice.pdf, filename=f"{notice.letter_number}.pdf")


@require_GET
def notice_scan(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    return stored_file_response(notice.scanned_copy)


@require_GET
def delivery_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    return stored_file_response(delivery.evidence)
