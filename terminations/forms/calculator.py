"""The notice-period calculator's form: either a contract from the register (its own terms are
used) or the terms typed in. Read from the querystring, so every result is a shareable link."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Contract
from terminations.rules.choices import CountedFrom, PeriodUnit
from terminations.rules.dates import MAX_PERIOD


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.number} · {obj.title} · {obj.partner.name}"


class CalculatorForm(forms.Form):
    contract = ContractChoiceField(
        label=_("Contract"),
        queryset=Contract.objects.select_related("partner").order_by("number", "pk"),
        required=False,
        help_text=_("Optional. Its own notice terms are then used and the terms below ignored."),
    )
    arrival = forms.DateField(
        label=_("Arrival date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The day the notice reached the partner, or the day it was sent where the period "
            "is counted from dispatch."
        ),
    )
    period = forms.IntegerField(
        label=_("Notice period"), min_value=1, max_value=max(MAX_PERIOD.values()), required=False
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=PeriodUnit.choices, initial=PeriodUnit.DAYS, required=False
    )
    counted_from = forms.ChoiceField(
        label=_("Counted from"),
        choices=CountedFrom.choices,
        initial=CountedFrom.ARRIVAL,
        required=False,
    )
    first_day_counts = forms.BooleanField(label=_("The first day counts"), required=False)
    roll = forms.TypedChoiceField(
        label=_("An end on a rest day moves to the next working day"),
        choices=[("1", _("Yes (the default)")), ("0", _("No: the contract excludes it"))],
        coerce=lambda value: value == "1",
        empty_value=True,
        initial="1",
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("arrival", css_class="col-md-4"), Column("contract", css_class="col-md-8")),
            Fieldset(
                _("Or the terms, without a contract"),
                Row(
                    Column("period", css_class="col-md-3"),
                    Column("unit", css_class="col-md-3"),
                    Column("counted_from", css_class="col-md-3"),
                    Column("roll", css_class="col-md-3"),
                ),
                "first_day_counts",
            ),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("contract") is None and not self.has_error("contract"):
            if cleaned.get("period") is None and not self.has_error("period"):
                self.add_error("period", _("Enter the notice period, or choose a contract."))
            if not cleaned.get("unit") and not self.has_error("unit"):
                self.add_error("unit", _("Choose the unit, or choose a contract."))
        if not cleaned.get("counted_from"):
            cleaned["counted_from"] = CountedFrom.ARRIVAL
        return cleaned
