"""A creator case's commissions as the platform settles them: entered by hand, moved along by
what the platform did, or imported from the shop's order export.

Same contract as views/cases.py: access-checked getter, form, ONE service, flash, redirect. The
import is upload → (map the header row, the first time or when the columns changed) → preview →
confirm; only the mapped cells of each row travel in the session between preview and confirm.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terminations import commission_import, services
from terminations.forms.cases import CommissionForm, CommissionStatusForm
from terminations.models import Commission
from terminations.services._base import TransitionError
from terminations.views.cases import _back, _case_for_edit, _child_for_edit, _invalid, _refused

SESSION_KEY = "commissions_import"


@require_POST
def commission_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for_edit(request, reference)
    form = CommissionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, reference, "commissions", commission_form=form)
    try:
        services.commission_add(case=case, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, case, error, "commissions")
    messages.success(request, _("The commission is recorded for tracking."))
    return _back(case, "commissions")


@require_POST
def commission_status(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    commission = _child_for_edit(request, Commission.objects.all(), reference, pk)
    form = CommissionStatusForm(request.POST)
    if not form.is_valid():
        return _invalid(
            request,
            reference,
            f"commission-{commission.pk}",
            commission_status_form=form,
            commission_row=commission.pk,
        )
    try:
        services.commission_advance(commission=commission, by=request.user, **form.cleaned_data)
    except TransitionError as error:
        return _refused(request, commission.case, error, f"commission-{commission.pk}")
    messages.success(request, _("Recorded what the platform did."))
    return _back(commission.case, f"commission-{commission.pk}")


def _render(request: HttpRequest, case, context: dict, status: int = 200) -> HttpResponse:
    context = {
        "case": case,
        "targets": commission_import.TARGETS,
        "remembered": services.commission_mapping_remembered(),
        **context,
    }
    context.setdefault("upload_form", commission_import.UploadForm())
    return render(request, "terminations/commission_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def commission_import_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Upload → map (when needed) → preview with each row's outcome → confirm saves all or none."""
    case = _case_for_edit(request, reference)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request, case)
    if request.method != "POST":
        return _render(request, case, {})
    upload_form = commission_import.UploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _render(request, case, {"upload_form": upload_form})
    table = upload_form.table
    remembered = services.commission_mapping_remembered()
    if commission_import.has_mapping_fields(request.POST):
        mapping_form = commission_import.MappingForm(request.POST, header=table.header)
    elif commission_import.remembered_mapping_fits(table.header, remembered):
        mapping_form = commission_import.MappingForm(
            {
                f"map_{target}": column
                for target, column in commission_import.guess_mapping(
                    table.header, remembered
                ).items()
            },
            header=table.header,
        )
    else:
        mapping_form = None
    if mapping_form is None or not mapping_form.is_valid():
        if mapping_form is None:
            initial = commission_import.guess_mapping(table.header, remembered)
            mapping_form = commission_import.MappingForm(
                header=table.header, initial={f"map_{t}": c for t, c in initial.items()}
            )
        return _render(
            request,
            case,
            {"mapping_form": mapping_form, "header": table.header, "rows_in_file": len(table.body)},
        )
    mapping = mapping_form.mapping
    rows = commission_import.mapped_rows(table, mapping)
    results = services.commissions_check(case=case, rows=rows)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "case": case.reference,
        "rows": rows,
        "mapping": mapping,
    }
    return _render(
        request,
        case,
        {
            "preview": results,
            "mapping": mapping,
            "token": token,
            "can_confirm": all(row.ok for row in results),
            "counts": commission_import.outcome_counts(results),
        },
    )


def _confirm(request: HttpRequest, case) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if (
        not stored
        or stored.get("token") != request.POST.get("token")
        or stored.get("case") != case.reference
    ):
        messages.error(request, _("That preview has expired; upload the file again."))
        return redirect("terminations:commission_import", case.reference)
    try:
        summary = services.commissions_import(
            case=case, by=request.user, rows=stored["rows"], mapping=stored["mapping"]
        )
    except services.CommissionImportRejected as rejected:
        messages.error(request, _("Nothing was saved: some rows are not valid any more."))
        return _render(
            request,
            case,
            {"preview": rejected.rows, "mapping": stored["mapping"], "token": stored["token"]},
            status=400,
        )
    except TransitionError as error:
        del request.session[SESSION_KEY]
        return _refused(request, case, error, "commissions")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
        % {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged},
    )
    return _back(case, "commissions")
