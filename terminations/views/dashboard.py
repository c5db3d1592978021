"""The managers' dashboard, "my work", and the exports (CSV, XLSX, a case's evidence bundle)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import roles
from partners.models import Partner
from terminations import dashboard as selectors
from terminations import exports
from terminations.models import TerminationCase


class DashboardFilterForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("owner"), required=False, coerce=int, empty_value=None)
    partner_kind = forms.ChoiceField(
        label=_("partner kind"),
        required=False,
        choices=[("", _("all kinds")), *Partner.Kind.choices],
    )
    period = forms.TypedChoiceField(
        label=_("period (days ahead)"),
        required=False,
        coerce=int,
        empty_value=30,
        initial="30",
        choices=[(str(days), str(days)) for days in selectors.PERIOD_CHOICES],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", _("everyone")),
            *(
                (str(u.pk), u.get_full_name() or u.get_username())
                for u in selectors.manager_filter_owners()
            ),
        ]


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Managers' and viewers' home page (the lawyer and finance read it); staff start from what
    is due for them."""
    if not roles.is_manager(request.user):
        if roles.can_edit(request.user):
            return redirect("terminations:my_work")
        if not roles.can_view(request.user):
            raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    figures = selectors.dashboard_figures(
        today=timezone.localdate(),
        owner=params.get("owner"),
        partner_kind=params.get("partner_kind") or None,
        period_days=params.get("period") or 30,
    )
    return render(
        request,
        "terminations/dashboard.html",
        {
            "form": form,
            "f": figures,
            "chart_data": selectors.chart_data(figures),
            "failed_reminders": selectors.failed_reminders(),
        },
    )


MY_WORK_PAGE_SIZE = 50


@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    if not roles.can_edit(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    items = selectors.my_work_items(user=request.user, today=today)
    # Someone who owns hundreds of late cases still gets a page that loads: fifty at a time,
    # soonest (and so every overdue item) first.
    page = Paginator(items, MY_WORK_PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = sum(1 for item in items if item.overdue)
    return render(
        request,
        "terminations/my_work.html",
        {"items": page.object_list, "page": page, "overdue": overdue, "today": today},
    )


@require_GET
def case_export_csv(request: HttpRequest) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    return exports.cases_csv_response(
        exports.export_queryset(user=request.user, filters=request.GET)
    )


@require_GET
def case_export_xlsx(request: HttpRequest) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    return exports.cases_xlsx_response(
        exports.export_queryset(user=request.user, filters=request.GET)
    )


@require_GET
def case_bundle(request: HttpRequest, reference: str) -> HttpResponse:
    if not roles.can_view(request.user):
        raise PermissionDenied
    if "\x00" in reference:  # PostgreSQL refuses NUL in text: not a reference, a 404
        raise Http404
    case = get_object_or_404(TerminationCase, reference=reference)
    return exports.bundle_response(case)
