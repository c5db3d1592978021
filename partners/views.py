"""The partner and contract register's pages: thin views over the forms, filters and importer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.downloads import bytes_download, stored_file_response
from partners import importing, services
from partners.filters import ContractFilter, PartnerFilter
from partners.forms import ContractForm, PartnerForm
from partners.models import Contract, Partner

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "partners_import"


# --- Access: every view goes through one of these -----------------------------------------


def _require_view(request: HttpRequest) -> None:
    if not roles.can_view(request.user):
        raise PermissionDenied


def _require_edit(request: HttpRequest) -> None:
    if not roles.can_edit(request.user):
        raise PermissionDenied


def _partner_for_view(request: HttpRequest, pk: int) -> Partner:
    _require_view(request)
    return get_object_or_404(Partner.objects.select_related("mcn"), pk=pk)


def _partner_for_edit(request: HttpRequest, pk: int) -> Partner:
    _require_edit(request)
    return get_object_or_404(Partner.objects.select_related("mcn"), pk=pk)


def _contract_for_view(request: HttpRequest, pk: int) -> Contract:
    _require_view(request)
    return get_object_or_404(
        Contract.objects.select_related("partner", "partner__mcn", "responsible"), pk=pk
    )


def _contract_for_edit(request: HttpRequest, pk: int) -> Contract:
    _require_edit(request)
    return get_object_or_404(Contract.objects.select_related("partner"), pk=pk)


def _open_case_url(partner: Partner) -> str | None:
    """Where a termination case is opened; None while the case workflow has no such page."""
    for name in ("terminations:case_open", "terminations:case_create"):
        try:
            return f"{reverse(name)}?partner={partner.pk}"
        except NoReverseMatch:
            continue
    return None


# --- Partners -----------------------------------------------------------------------------


@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    partners = Partner.objects.select_related("mcn").annotate(contract_count=Count("contracts"))
    if request.GET.get("status") not in Partner.Status.values:
        # Archived partners stay out of the way unless asked for.
        partners = partners.exclude(status=Partner.Status.ARCHIVED)
    filterset = PartnerFilter(request.GET, queryset=partners)
    listed = filterset.qs if filterset.qs.ordered else filterset.qs.order_by("name", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/list.html",
        {"filter": filterset, "page": page, "ordering": request.GET.get("o", "")},
    )


@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_for_view(request, pk)
    contracts = partner.contracts.select_related("responsible")
    signed_creators = (
        partner.signed_creators.order_by("name") if partner.kind == Partner.Kind.MCN else None
    )
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "contracts": contracts,
            "signed_creators": signed_creators,
            "open_case_url": _open_case_url(partner),
        },
    )


@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    _require_edit(request)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("The partner was added to the register."))
        return redirect(partner)
    return render(request, "partners/form.html", {"form": form, "partner": None})


@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_for_edit(request, pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The partner was saved."))
        return redirect(partner)
    return render(request, "partners/form.html", {"form": form, "partner": partner})


@require_POST
def partner_archive(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_for_edit(request, pk)
    if partner.is_archived:
        messages.info(request, _("The partner was already archived."))
    else:
        partner.status = Partner.Status.ARCHIVED
        partner.save(update_fields=["status", "updated_at"])
        messages.success(request, _("The partner was archived; its history is kept."))
    return redirect(partner)


# --- Contracts ----------------------------------------------------------------------------


@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    contracts = Contract.objects.select_related("partner", "responsible")
    filterset = ContractFilter(request.GET, queryset=contracts)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/contract_list.html", {"filter": filterset, "page": page})


@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_for_view(request, pk)
    return render(
        request,
        "partners/contract_detail.html",
        {
            "contract": contract,
            "partner": contract.partner,
            "open_case_url": _open_case_url(contract.partner),
        },
    )


@require_GET
def contract_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract's signed document (or chat records), for whoever may read the contract."""
    contract = _contract_for_view(request, pk)
    return stored_file_response(contract.signed_document)


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_for_edit(request, pk)
    form = ContractForm(
        request.POST or None, request.FILES or None, partner=partner, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        contract = services.contract_save(form=form, by=request.user)
        messages.success(request, _("The contract was added."))
        return redirect(contract)
    return render(
        request, "partners/contract_form.html", {"form": form, "partner": partner, "contract": None}
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract_for_edit(request, pk)
    form = ContractForm(
        request.POST or None,
        request.FILES or None,
        instance=contract,
        partner=contract.partner,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        services.contract_save(form=form, by=request.user)
        messages.success(request, _("The contract was saved."))
        return redirect(contract)
    return render(
        request,
        "partners/contract_form.html",
        {"form": form, "partner": contract.partner, "contract": contract},
    )


# --- Import -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_rows(request: HttpRequest) -> HttpResponse:
    """Upload → preview with each row's errors → confirm saves every row or none."""
    _require_edit(request)
    context: dict = {"upload_form": importing.UploadForm()}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored or stored.get("token") != request.POST.get("token"):
            messages.error(request, _("That preview has expired; upload the file again."))
            return redirect("partners:import")
        try:
            count = importing.save_rows(stored["kind"], stored["rows"])
        except importing.ImportRejected as rejected:
            context.update(preview=rejected.results, kind=stored["kind"], token=stored["token"])
            messages.error(request, _("Nothing was saved: some rows are not valid any more."))
            return render(request, "partners/import.html", context, status=400)
        del request.session[IMPORT_SESSION_KEY]
        message = ngettext("%(count)d row was imported.", "%(count)d rows were imported.", count)
        messages.success(request, message % {"count": count})
        return redirect("partners:list")
    if request.method == "POST":
        upload_form = importing.UploadForm(request.POST, request.FILES)
        context["upload_form"] = upload_form
        if upload_form.is_valid():
            kind, rows = upload_form.cleaned_data["kind"], upload_form.rows
            results = importing.validate_rows(kind, rows)
            token = importing.new_token()
            request.session[IMPORT_SESSION_KEY] = {"token": token, "kind": kind, "rows": rows}
            context.update(preview=results, kind=kind, token=token)
            context["can_confirm"] = all(result.ok for result in results)
    return render(request, "partners/import.html", context)


@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _require_edit(request)
    if kind not in importing.KINDS:
        raise Http404
    chinese = request.GET.get("headers") == "zh"
    suffix = "-zh" if chinese else ""
    return bytes_download(
        importing.template_csv(kind, chinese=chinese).encode("utf-8"),
        filename=f"{kind}-template{suffix}.csv",
        content_type="text/csv; charset=utf-8",
    )
