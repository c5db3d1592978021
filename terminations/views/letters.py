"""Pages of the formal notice letters: draft, preview, approve, issue, correct, deliveries,
downloads and verification.

Every view: access-checked getter, validate a form, call ONE service, flash, redirect. A refused
change (TransitionError) is a flashed error and a redirect back, with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import roles
from terminations.letters import forms
from terminations.letters.signing import signature_report
from terminations.models import Delivery, Notice, TerminationCase
from terminations.rules.dates import RulesError
from terminations.services import deliveries as delivery_services
from terminations.services import notices as notice_services
from terminations.services._base import TransitionError
from terminations.services.deliveries import FIXED_DATE_KINDS

# --- Access: every view goes through one of these -----------------------------------------


def _require_view(request: HttpRequest) -> None:
    if not roles.can_view(request.user):
        raise PermissionDenied


def _require_edit(request: HttpRequest) -> None:
    if not roles.can_edit(request.user):
        raise PermissionDenied


def _case(request: HttpRequest, reference: str, *, edit: bool) -> TerminationCase:
    (_require_edit if edit else _require_view)(request)
    if "\x00" in reference:  # PostgreSQL refuses NUL in a query: a 404, not a 500
        raise Http404
    return get_object_or_404(
        TerminationCase.objects.select_related("partner", "partner__mcn", "contract"),
        reference=reference,
    )


def _notice(request: HttpRequest, pk: int, *, edit: bool) -> Notice:
    (_require_edit if edit else _require_view)(request)
    return get_object_or_404(
        Notice.objects.select_related("case", "case__partner", "case__contract"), pk=pk
    )


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    _require_edit(request)
    return get_object_or_404(Delivery.objects.select_related("notice", "notice__case"), pk=pk)


def _case_url(case: TerminationCase) -> str:
    return reverse("terminations:case_detail", args=[case.reference]) + "#letters"


def _preview_url(notice: Notice) -> str:
    return reverse("terminations:notice_preview", args=[notice.pk])


def _posted(request: HttpRequest):
    """The submitted data on POST (even when empty, so the form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except TransitionError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


# --- Drafting ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, edit=True)
    if case.stage not in notice_services.DRAFTING_STAGES:
        # Say so before the form is filled in, not after.
        messages.error(
            request,
            _(
                "Letters are drafted from the notice stage on; the case is at “%(stage)s”. "
                "Finish the assessment and move the case to the notice first."
            )
            % {"stage": case.get_stage_display()},
        )
        return redirect(case.get_absolute_url() + "#actions")
    form = forms.NoticeDraftForm(_posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_services.notice_draft(case=case, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Letter drafted. Check the preview, then ask a manager."))
            return redirect(_preview_url(notice))
    return render(request, "terminations/notice_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    form = forms.NoticeEditForm(_posted(request), initial=forms.NoticeEditForm.initial_for(notice))
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.notice_update_draft(notice=notice, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved."))
            return redirect(_preview_url(notice))
    return render(
        request,
        "terminations/notice_edit.html",
        {"notice": notice, "case": notice.case, "form": form},
    )


def _earliest_fixed_end(notice: Notice):
    """For the preview of a draft that may fix a date: the earliest it may fix, if the rule
    can be applied now (None otherwise; approving then says why)."""
    if notice.is_issued or notice.kind not in FIXED_DATE_KINDS:
        return None
    try:
        return notice_services.earliest_fixed_end(notice)
    except RulesError:
        return None


@require_http_methods(["GET"])
def notice_preview(request: HttpRequest, pk: int) -> HttpResponse:
    from terminations.letters.render import body_template
    from terminations.letters.snapshot import build_snapshot

    notice = _notice(request, pk, edit=False)
    missing: list[str] = []
    attachment_warnings: list[str] = []
    if notice.is_issued:
        snapshot = notice.snapshot if notice.origin == Notice.Origin.GENERATED else None
    else:
        snapshot = build_snapshot(notice)
        missing = notice_services.letter_missing_fields(notice)
        attachment_warnings = notice_services.letter_attachment_warnings(notice)
    return render(
        request,
        "terminations/notice_preview.html",
        {
            "notice": notice,
            "case": notice.case,
            "s": snapshot,
            "body_template": body_template(snapshot) if snapshot else "",
            "missing": missing,
            "attachment_warnings": attachment_warnings,
            "edit_form": forms.NoticeEditForm(initial=forms.NoticeEditForm.initial_for(notice)),
            "approve_form": forms.ApproveForm(),
            "needs_cause_confirmation": notice.kind == Notice.Kind.TERMINATION
            and notice_services.agreed_cause_needed(notice.case),
            "earliest_fixed_end": _earliest_fixed_end(notice),
            "scan_form": forms.FileForm(),
        },
    )


# --- Approval, issue, correction, scan -----------------------------------------------------


@require_POST
def notice_approve(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    form = forms.ApproveForm(request.POST)
    form.is_valid()  # one optional box: always valid
    _attempt(
        request,
        lambda: notice_services.notice_approve(
            notice=notice,
            by=request.user,
            confirm_agreed_cause=form.cleaned_data.get("confirm_agreed_cause", False),
        ),
        _("Letter approved. It can now be issued."),
    )
    return redirect(_preview_url(notice))


@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    _attempt(
        request,
        lambda: notice_services.notice_issue(notice=notice, by=request.user),
        _("Letter issued. The PDF is frozen; download it, stamp it and record its dispatch."),
    )
    return redirect(_preview_url(notice))


@require_POST
def notice_correct(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    result: dict[str, Notice] = {}

    def correct() -> None:
        result["notice"] = notice_services.notice_correct(notice=notice, by=request.user)

    if _attempt(request, correct, _("A new version has been drafted; edit and approve it.")):
        return redirect(_preview_url(result["notice"]))
    return redirect(_preview_url(notice))


@require_POST
def notice_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    form = forms.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(_preview_url(notice))
    _attempt(
        request,
        lambda: notice_services.notice_upload_scan(
            notice=notice, by=request.user, file=form.cleaned_data["file"]
        ),
        _("Signed copy uploaded."),
    )
    return redirect(_preview_url(notice))


@require_http_methods(["GET", "POST"])
def notice_record_external(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, edit=True)
    form = forms.ExternalNoticeForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_services.notice_record_external(
                case=case, by=request.user, **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Letter recorded."))
            return redirect(_preview_url(notice))
    return render(request, "terminations/notice_external.html", {"case": case, "form": form})


# --- Deliveries (the workflow engineer's services) -----------------------------------------


def _notice_addresses(case) -> dict[str, str]:
    """Where each method sends a letter: the channels the contract names, else the partner's."""
    source = case.contract if case.contract_id else None
    partner = case.partner.letter_addressee  # the MCN, when it signed for the creator
    return {
        Delivery.Method.COURIER: (source.effective_notice_address if source else "")
        or partner.notice_address,
        Delivery.Method.EMAIL: (source.effective_notice_email if source else "")
        or partner.notice_email,
        Delivery.Method.PLATFORM: (source.effective_notice_messaging if source else "")
        or partner.notice_messaging,
        Delivery.Method.IN_PERSON: "",
    }


@require_http_methods(["GET", "POST"])
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    addresses = _notice_addresses(notice.case)
    form = forms.DispatchForm(
        _posted(request),
        request.FILES or None,
        initial={
            "method": Delivery.Method.COURIER,
            "address": addresses[Delivery.Method.COURIER],
            "dispatched_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            delivery_services.delivery_record_dispatch(
                notice=notice, by=request.user, **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dispatch recorded."))
            return redirect(_case_url(notice.case))
    return render(
        request,
        "terminations/notice_delivery.html",
        {"notice": notice, "case": notice.case, "form": form, "addresses": addresses},
    )


def _delivery_change(
    request: HttpRequest, pk: int, form_class, action: Callable, success: str
) -> HttpResponse:
    delivery = _delivery(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            lambda: action(delivery=delivery, by=request.user, **form.cleaned_data),
            success,
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return HttpResponseRedirect(_case_url(delivery.notice.case))


@require_POST
def delivery_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    return _delivery_change(
        request,
        pk,
        forms.ArrivalForm,
        delivery_services.delivery_record_arrival,
        _("Arrival recorded."),
    )


@require_POST
def delivery_refusal(request: HttpRequest, pk: int) -> HttpResponse:
    return _delivery_change(
        request,
        pk,
        forms.RefusalForm,
        delivery_services.delivery_record_refusal,
        _("Refusal recorded. A refusal is a risk, not a certainty: try another channel."),
    )


# --- Verification (the downloads are in views/files.py) ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notice_verify(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form = forms.VerifyForm(_posted(request), request.FILES or None)
    result: dict[str, object] = {}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            data = upload.read()
            result["checked"] = "file"
            result["notice"] = notice_services.notice_matching_pdf(data=data)
            result["signatures"] = signature_report(data)
        else:
            result["checked"] = "code"
            result["notice"] = notice_services.notice_by_verification_code(
                form.cleaned_data["code"]
            )
    return render(request, "terminations/notice_verify.html", {"form": form, **result})
