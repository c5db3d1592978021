from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from core import certificates, roles
from core.downloads import stored_file_response
from core.forms import ShopProfileForm, SigningCertificateForm
from core.models import ShopProfile


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Managers and viewers (the lawyer, finance) land on the dashboard, staff on their own
    work; anyone else on the case list."""
    for name, applies in (
        (
            "dashboard",
            roles.is_manager(request.user)
            or (roles.can_view(request.user) and not roles.can_edit(request.user)),
        ),
        ("terminations:my_work", roles.can_edit(request.user)),
        ("terminations:case_list", True),
    ):
        if applies:
            try:
                return redirect(reverse(name))
            except NoReverseMatch:
                continue
    return redirect("partners:list")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, open to the log-in page too; the cookie remembers the choice.
    A signed-in user's choice is also stored as the language of their reminders (dashboard
    part: terminations.UserPreference)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        from terminations.models import UserPreference

        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


@require_http_methods(["GET", "POST"])
def shop_profile_edit(request: HttpRequest) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    profile = ShopProfile.load() or ShopProfile(pk=1)
    editable = roles.is_manager(request.user)
    has_certificate = bool(profile.signing_pkcs12_encrypted)
    certificate_form = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ShopProfileForm(request.POST, request.FILES, instance=profile)
        certificate_form = SigningCertificateForm(
            request.POST, request.FILES, has_stored=has_certificate
        )
        if all([form.is_valid(), certificate_form.is_valid()]):
            try:
                _save_profile(request, form, certificate_form)
            except certificates.CertificateProblem as problem:
                certificate_form.add_error("signing_certificate", str(problem))
            else:
                messages.success(request, _("The shop profile was saved."))
                return redirect("shop_profile")
    else:
        form = ShopProfileForm(instance=profile)
        if editable:
            certificate_form = SigningCertificateForm(has_stored=has_certificate)
    if not editable:
        # Who may not download the seal is not shown a link to it either.
        del form.fields["seal_image"]
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "core/shop_profile.html",
        {
            "form": form,
            "editable": editable,
            "has_seal": bool(profile.seal_image),
            "certificate_form": certificate_form,
            # Managers see what signs (never the file); others only whether letters are signed.
            "certificate": certificates.certificate_status(profile) if editable else None,
            "certificate_history": certificates.certificate_history(profile) if editable else [],
            "letters_signed": (not editable) and bool(certificates.active_source()),
        },
    )


@transaction.atomic
def _save_profile(
    request: HttpRequest, form: ShopProfileForm, certificate_form: SigningCertificateForm
) -> None:
    profile = form.save()
    if certificate_form.pkcs12_data is not None:
        certificates.shop_certificate_store(
            profile=profile,
            pkcs12_data=certificate_form.pkcs12_data,
            password=certificate_form.cleaned_data.get("signing_password") or "",
            by=request.user,
        )
        if certificates.active_source() == certificates.OPERATOR:
            messages.success(
                request,
                _(
                    "The signing certificate was stored. Letters are signed with the operator's "
                    "certificate while one is configured on the server."
                ),
            )
        else:
            messages.success(
                request,
                _("The signing certificate was stored: issued letters are signed with it."),
            )
    elif certificate_form.cleaned_data.get("remove_signing_certificate"):
        certificates.shop_certificate_remove(profile=profile, by=request.user)
        messages.success(request, _("The signing certificate was removed."))


@require_GET
def shop_seal(request: HttpRequest) -> HttpResponse:
    """The shop's seal image, for managers only: it can be forged with."""
    if not roles.is_manager(request.user):
        raise PermissionDenied
    profile = ShopProfile.load()
    if profile is None:
        raise Http404
    return stored_file_response(profile.seal_image)
