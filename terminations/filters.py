"""Querystring filters for the case list: a filtered list is a link a manager can share."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import ReaderLanguageOrderingFilter
from partners.models import Partner
from terminations.models import OPEN_STAGES, Basis, ReasonCategory, Stage, TerminationCase

OPEN = "open"
ALL = "all"  # every stage, closed and withdrawn included
MINE = "mine"
NOBODY = "none"

# Stages in workflow order (withdrawn last, off the path), for ``o=stage``.
WORKFLOW_ORDER = (*OPEN_STAGES, Stage.CLOSED, Stage.WITHDRAWN)


def stage_order() -> Case:
    """The stage's place in the workflow as a number (assessment 0 … withdrawn 6)."""
    return Case(
        *(When(stage=stage, then=Value(i)) for i, stage in enumerate(WORKFLOW_ORDER)),
        default=Value(len(WORKFLOW_ORDER)),
        output_field=IntegerField(),
    )


class CaseOrderingFilter(ReaderLanguageOrderingFilter):
    """Ordering whose ``stage`` follows the workflow rather than the alphabet."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value and any(str(v).lstrip("-") == "stage" for v in value):
            qs = qs.annotate(stage_order=stage_order())
        ordered = super().filter(qs, value)
        if value and ordered.query.order_by:
            # A stable tie-break, so that paging never repeats or skips a case.
            ordered = ordered.order_by(*ordered.query.order_by, "-opened_at", "-pk")
        return ordered


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list. The parameter names are a stable interface (the dashboard and
    shared links use them); malformed values are ignored and shown as form errors.

    ``stage``         one or more stages (repeat the parameter: ``?stage=notice&stage=handover``),
                      ``open`` for every stage but closed and withdrawn (the default), or
                      ``all`` for every case
    ``basis``         mutual | contractual | breach | open_ended | entrustment
    ``partner_kind``  agency | creator | mcn
    ``owner``         a user's id, ``mine`` (the signed-in user) or ``none`` (no owner)
    ``reason``        a reason category (poor_results, service_quality, … see ReasonCategory)
    ``overdue``       ``1``: open cases not yet in handover whose end date has passed, or with
                      a required handover item past its due date
    ``end_after``     end date on or after YYYY-MM-DD
    ``end_before``    end date on or before YYYY-MM-DD
    ``q``             text in the reference, the partner's name or company, or the contract number
    ``o``             ordering: opened, end, stage (workflow order), reference, partner (``-``
                      before it: descending)
    ``page``          the page number (25 a page)
    """

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Reference, partner or contract number"),
    )
    stage = django_filters.MultipleChoiceFilter(
        label=_("stage"),
        choices=[(OPEN, _("all open cases")), (ALL, _("all cases")), *Stage.choices],
        method="filter_stage",
        # Every choice visible: a cut-off list box hides the stages below its fourth row.
        widget=forms.SelectMultiple(attrs={"size": len(Stage.choices) + 2}),
    )
    basis = django_filters.ChoiceFilter(
        label=_("basis"), choices=Basis.choices, empty_label=_("Any")
    )
    partner_kind = django_filters.ChoiceFilter(
        label=_("partner kind"),
        field_name="partner__kind",
        choices=Partner.Kind.choices,
        empty_label=_("Any"),
    )
    owner = django_filters.ChoiceFilter(
        label=_("owner"), method="filter_owner", choices=(), empty_label=_("Any")
    )
    reason = django_filters.ChoiceFilter(
        label=_("reason"),
        field_name="reason_category",
        choices=ReasonCategory.choices,
        empty_label=_("Any"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("overdue"),
        method="filter_overdue",
        choices=[("1", _("overdue only"))],
        empty_label=_("Any"),
    )
    end_after = django_filters.DateFilter(
        label=_("ends on or after"),
        field_name="end_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_before = django_filters.DateFilter(
        label=_("ends on or before"),
        field_name="end_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    o = CaseOrderingFilter(
        label=_("Sort by"),
        empty_label=_("newest first"),
        fields=(
            ("opened_at", "opened"),
            ("end_date", "end"),
            ("stage_order", "stage"),
            ("reference", "reference"),
            ("partner__name", "partner"),
        ),
        field_labels={
            "opened_at": _("opened"),
            "end_date": _("end date"),
            "stage_order": _("stage (workflow order)"),
            "reference": _("reference"),
            "partner__name": _("partner"),
        },
    )

    # --- Added by the dashboard part: filters its figures link to (terminations/dashboard.py) ---
    awaiting_approval = django_filters.ChoiceFilter(
        label=_("letters awaiting approval"),
        method="filter_awaiting_approval",
        choices=[("1", _("with a letter awaiting approval"))],
    )
    handover_overdue = django_filters.ChoiceFilter(
        label=_("overdue handover items"),
        method="filter_handover_overdue",
        choices=[("1", _("with an overdue handover item"))],
    )
    earlier_letters = django_filters.ChoiceFilter(
        label=_("letters stating an earlier end date"),
        method="filter_earlier_letters",
        choices=[("1", _("with a letter stating an earlier end date"))],
    )
    lapse_before = django_filters.DateFilter(
        label=_("right to terminate lapses on or before"),
        method="filter_lapse_before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    money = django_filters.ChoiceFilter(
        label=_("money"),
        method="filter_money",
        choices=[
            ("penalty_owed", _("penalties and termination fees we owe")),
            ("refund_due", _("refunds due to us")),
            ("fees_owed", _("fees we owe (paid off the platform)")),
            ("unsettled_to_shop", _("unsettled: the partner owes us")),
            ("unsettled_to_partner", _("unsettled: we owe the partner")),
            ("claims_open", _("claims the partner has not accepted")),
            ("commission_platform", _("commissions the platform has yet to settle")),
        ],
    )
    # --- end of the dashboard part's filters ---

    class Meta:
        model = TerminationCase
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs) -> None:
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        from terminations.selectors import assignable_users

        self.filters["owner"].extra["choices"] = [
            (MINE, _("my cases")),
            (NOBODY, _("no owner")),
            *((str(u.pk), u.get_full_name() or u.get_username()) for u in assignable_users()),
        ]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(reference__icontains=text)
            | Q(partner__name__icontains=text)
            | Q(partner__company_name__icontains=text)
            | Q(contract__number__icontains=text)
        )

    def filter_stage(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        stages = set(value)
        if ALL in stages:
            return queryset
        if OPEN in stages:
            stages.discard(OPEN)
            stages.update(OPEN_STAGES)
        return queryset.filter(stage__in=stages)

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == MINE:
            if self.user is None or not self.user.is_authenticated:
                return queryset.none()
            return queryset.filter(owner=self.user)
        if value == NOBODY:
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=int(value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != "1":
            return queryset
        from terminations.selectors import local_today, overdue_q

        return queryset.filter(overdue_q(local_today()))

    # --- Added by the dashboard part (the logic lives in terminations/dashboard.py) ---
    def filter_awaiting_approval(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from terminations.dashboard import filter_awaiting_approval

        return filter_awaiting_approval(queryset) if value == "1" else queryset

    def filter_handover_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from terminations.dashboard import filter_handover_overdue

        return filter_handover_overdue(queryset) if value == "1" else queryset

    def filter_earlier_letters(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from terminations.services.recheck import letters_state_earlier

        return letters_state_earlier(queryset) if value == "1" else queryset

    def filter_lapse_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        from terminations.dashboard import filter_lapse_before

        return filter_lapse_before(queryset, value) if value else queryset

    def filter_money(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from terminations.dashboard import filter_money

        return filter_money(queryset, value) if value else queryset
