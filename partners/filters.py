"""Querystring filters for the register's lists: a filtered list is a link one can share."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ReaderLanguageOrderingFilter
from partners.models import Contract, Partner


class StableOrderingFilter(ReaderLanguageOrderingFilter):
    """Orders by the chosen column, then by id, so that pages never share or skip a row."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Name, Douyin ID, Buyin ID, company, credit code or contact person"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Partner.Kind.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Partner.Status.choices, empty_label=_("Any but archived")
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("kind", "kind"), ("created_at", "created")),
        field_labels={"name": _("name"), "kind": _("kind"), "created_at": _("created")},
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "status"]

    def filter_text(self, queryset: QuerySet[Partner], name: str, value: str) -> QuerySet[Partner]:
        return queryset.search(value)


class ContractFilter(django_filters.FilterSet):
    partner_kind = django_filters.ChoiceFilter(
        label=_("Partner kind"),
        field_name="partner__kind",
        choices=Partner.Kind.choices,
        empty_label=_("Any"),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Shop channel"), choices=Contract.Channel.choices, empty_label=_("Any")
    )
    auto_renews = django_filters.BooleanFilter(label=_("Renews automatically"))

    # --- Added by the dashboard part: the auto-renewal figure links here -----------------
    # The cut-off (last day for notice of non-renewal to arrive) comes from the rules engine,
    # not a column, so both bounds are applied together in `filter_queryset`.
    renewal_cutoff_after = django_filters.DateFilter(
        label=_("Last day for notice of non-renewal on or after"),
        method="filter_renewal_cutoff",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    renewal_cutoff_before = django_filters.DateFilter(
        label=_("Last day for notice of non-renewal on or before"),
        method="filter_renewal_cutoff",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Bounded: an id beyond the database's integer range is a form error, not a 500.
    responsible = django_filters.NumberFilter(
        label=_("Responsible staff member"),
        field_name="responsible_id",
        min_value=1,
        max_value=2**31 - 1,
        decimal_places=0,
    )
    # --- end of the dashboard part's filters ---

    class Meta:
        model = Contract
        fields = ["partner_kind", "channel", "auto_renews"]

    def filter_renewal_cutoff(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # applied once for both bounds in filter_queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        after = self.form.cleaned_data.get("renewal_cutoff_after")
        before = self.form.cleaned_data.get("renewal_cutoff_before")
        if after or before:
            from terminations.dashboard import filter_renewal_cutoff

            queryset = filter_renewal_cutoff(queryset, after=after, before=before)
        return queryset
