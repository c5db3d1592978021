"""Staff pages of letters sent from the desk by e-mail: send, decide an unknown outcome, take an
acknowledgment as arrival, confirm an online acceptance's signer; and their downloads.

Every view: access-checked getter, one service, flash, redirect (as in views/letters.py)."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.downloads import bytes_download, stored_file_response
from core.models import ShopProfile
from terminations.models import LetterEmail, OnlineAcceptance
from terminations.services import acceptance as acceptance_services
from terminations.services import emails as email_services
from terminations.services._base import TransitionError
from terminations.views.letters import _attempt, _case_url, _notice, _posted


class SendForm(forms.Form):
    """One address per submission: the choice is "purpose:address" from the plan."""

    recipient = forms.ChoiceField(label=gettext_lazy("send to"), widget=forms.RadioSelect)

    def __init__(self, *args, plan: email_services.EmailPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for r in [plan.notice, *plan.copies, *plan.courtesy]:
            if r is None:
                continue
            label = f"{r.email} — {r.name} ({LetterEmail.Purpose(r.purpose).label}; {r.source})"
            choices.append((f"{r.purpose}:{r.email}", label))
        self.fields["recipient"].choices = choices
        if plan.notice is not None:
            self.initial.setdefault("recipient", f"{plan.notice.purpose}:{plan.notice.email}")


def _require_manager(request: HttpRequest) -> None:
    if not roles.is_manager(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def letter_email_new(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, edit=True)
    _require_manager(request)
    plan = email_services.email_plan(notice)
    form = SendForm(_posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        purpose, _sep, address = form.cleaned_data["recipient"].partition(":")
        try:
            email_services.letter_email_send(
                notice=notice, by=request.user, purpose=purpose, email=address
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The e-mail to %(email)s is being sent; its outcome shows on the case.")
                % {"email": address},
            )
            return HttpResponseRedirect(_case_url(notice.case))
    profile = ShopProfile.load()
    return render(
        request,
        "terminations/letter_email_new.html",
        {
            "notice": notice,
            "case": notice.case,
            "plan": plan,
            "form": form,
            "sender": profile.sender_email if profile else "",
            "sent": notice.emails.all(),
        },
    )


def _email(request: HttpRequest, pk: int) -> LetterEmail:
    if not roles.can_edit(request.user):
        raise PermissionDenied
    return get_object_or_404(
        LetterEmail.objects.select_related("notice", "notice__case", "delivery"), pk=pk
    )


@require_POST
def letter_email_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    email = _email(request, pk)
    _require_manager(request)
    decision = request.POST.get("decision", "")
    _attempt(
        request,
        lambda: email_services.letter_email_resolve(
            email=email, by=request.user, decision=decision
        ),
        _("Decision recorded."),
    )
    return HttpResponseRedirect(_case_url(email.notice.case))


@require_POST
def letter_email_confirm_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    email = _email(request, pk)
    _attempt(
        request,
        lambda: email_services.letter_email_confirm_arrival(email=email, by=request.user),
        _("Arrival recorded from the partner's acknowledgment."),
    )
    return HttpResponseRedirect(_case_url(email.notice.case))


@require_POST
def acceptance_confirm_authority(request: HttpRequest, pk: int) -> HttpResponse:
    if not roles.can_edit(request.user):
        raise PermissionDenied
    acceptance = get_object_or_404(
        OnlineAcceptance.objects.select_related("email__notice__case"), pk=pk
    )
    _require_manager(request)
    _attempt(
        request,
        lambda: acceptance_services.acceptance_confirm_authority(
            acceptance=acceptance, by=request.user, note=request.POST.get("note", "")
        ),
        _(
            "The signer's authority is confirmed: the accepted confirmation counts as countersigned."
        ),
    )
    return HttpResponseRedirect(_case_url(acceptance.email.notice.case))


@require_GET
def letter_email_eml(request: HttpRequest, pk: int) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    email = get_object_or_404(LetterEmail, pk=pk)
    return stored_file_response(email.eml)


@require_GET
def letter_email_timestamp(request: HttpRequest, pk: int) -> HttpResponse:
    """The RFC 3161 timestamp token over the .eml's SHA-256 (DER), for `openssl ts -verify
    -token_in -digest <SHA-256> -in <file>`."""
    if not roles.can_view(request.user):
        raise PermissionDenied
    email = get_object_or_404(LetterEmail.objects.select_related("notice"), pk=pk)
    try:
        token = base64.b64decode(email.eml_timestamp, validate=True)
    except ValueError:
        token = b""
    if not token:
        raise Http404
    return bytes_download(
        token,
        filename=f"{email.notice.letter_number}-email-{email.pk}.tst",
        content_type="application/octet-stream",
    )


@require_GET
def acceptance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    acceptance = get_object_or_404(OnlineAcceptance, pk=pk)
    return stored_file_response(acceptance.pdf)
