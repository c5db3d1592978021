"""Forms of the case pages. They validate input only; every change goes through a service.

Model forms here are never saved: they validate against an unsaved instance or a copy (so the
model's validators and constraints apply), and views pass `cleaned_data` to the service named
after the action, which locks the case, checks the stage and writes the row and its event.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import SafeModelChoiceField
from core.validators import row_id, validate_document
from partners.models import Contract, Partner
from terminations.models import (
    Commission,
    CureGround,
    CureOutcome,
    FollowUpPlan,
    NegotiationEntry,
    NoDemandGround,
    ReasonCategory,
    SettlementLine,
    TerminationCase,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})

# What the shop knows of the impact when a case opens (DOMAIN.md §2); passed to case_open.
IMPACT_FIELDS = [
    "gmv_share_percent",
    "open_orders",
    "open_after_sales",
    "ad_spend_running",
    "live_streams_scheduled",
    "account_control",
    "partner_holds_credentials",
    "prepaid_at_risk",
]


def _not_in_future(value, message) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message)


class CaseOpenForm(forms.ModelForm):
    """Open a case against one partner, on one of its contracts or (creators) without one."""

    partner = SafeModelChoiceField(
        label=_("partner"),
        queryset=Partner.objects.exclude(status=Partner.Status.ARCHIVED).order_by("name"),
    )
    contract = SafeModelChoiceField(
        label=_("contract"),
        queryset=Contract.objects.select_related("partner").order_by("partner__name", "number"),
        required=False,
        help_text=_("Leave empty for a creator working without a written contract."),
    )

    class Meta:
        model = TerminationCase
        fields = ["reason_category", "facts", "learned_on", *IMPACT_FIELDS]
        widgets = {"learned_on": DATE, "facts": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        partner_id = self.data.get("partner") or self.initial.get("partner")
        if partner_id:
            # Only the chosen partner's contracts are offered (all stay valid on a bad id).
            if isinstance(partner_id, Partner):
                partner_id = partner_id.pk
            partner_id = row_id(partner_id)
            if partner_id:
                self.fields["contract"].queryset = self.fields["contract"].queryset.filter(
                    partner_id=partner_id
                )

    def clean_learned_on(self):
        value = self.cleaned_data.get("learned_on")
        _not_in_future(value, _("This date cannot be in the future."))
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        partner, contract = cleaned.get("partner"), cleaned.get("contract")
        if partner and contract and contract.partner_id != partner.pk:
            self.add_error("contract", _("This contract belongs to another partner."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "partner": data["partner"],
            "contract": data.get("contract"),
            "reason_category": data["reason_category"],
            "facts": data.get("facts", ""),
            "learned_on": data.get("learned_on"),
            **{name: data.get(name) for name in IMPACT_FIELDS},
        }


class CreatorsOpenForm(forms.Form):
    """End several creators who work without contracts at once (all or nothing)."""

    partners = forms.ModelMultipleChoiceField(
        label=_("creators"),
        queryset=Partner.objects.filter(kind=Partner.Kind.CREATOR)
        .exclude(status=Partner.Status.ARCHIVED)
        .order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    reason_category = forms.ChoiceField(label=_("reason"), choices=ReasonCategory.choices)
    facts = forms.CharField(label=_("facts, with dates"), widget=SHORT_TEXT)


class AssessmentForm(forms.ModelForm):
    """Reason, facts, impact, risk and the chosen basis with its conditions."""

    class Meta:
        model = TerminationCase
        fields = [
            "reason_category",
            "facts",
            "learned_on",
            "decision_demanded_on",
            "decision_demand_channel",
            "decision_demand_evidence",
            "basis",
            "prior_demand_on",
            "prior_demand_until",
            "agreed_cause",
            "agreed_cause_clause",
            "agreed_cause_evidence",
            "agreed_cause_en",
            "entrustment_confirmed",
            "reasonable_notice_days",
            "cure_period_days",
            "cure_ground",
            *IMPACT_FIELDS,
            "known_loss",
            "risk_notes",
        ]
        widgets = {
            "learned_on": DATE,
            "decision_demanded_on": DATE,
            "prior_demand_on": DATE,
            "prior_demand_until": DATE,
            "facts": forms.Textarea(attrs={"rows": 4}),
            "risk_notes": SHORT_TEXT,
            "agreed_cause": SHORT_TEXT,
            "agreed_cause_en": SHORT_TEXT,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only a breach case's cure notice uses it; an empty choice keeps the default.
        self.fields["cure_ground"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["cure_ground"] = cleaned.get("cure_ground") or CureGround.DELAY
        today = timezone.localdate()
        for name in ("learned_on", "prior_demand_on", "decision_demanded_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("This date cannot be in the future."))
        basis = cleaned.get("basis")
        if cleaned.get("entrustment_confirmed") and basis and basis != "entrustment":
            self.add_error(
                "entrustment_confirmed",
                _("Only confirm an entrustment contract when that is the basis."),
            )
        if (cleaned.get("agreed_cause") or "").strip() and basis and basis != "contractual":
            self.add_error(
                "agreed_cause",
                _("An agreed cause only applies to the contractual-right basis."),
            )
        if cleaned.get("cure_period_days") and basis and basis != "breach":
            self.add_error("cure_period_days", _("A cure period only applies to breach."))
        demanded, until = cleaned.get("prior_demand_on"), cleaned.get("prior_demand_until")
        if until and not demanded:
            self.add_error("prior_demand_on", _("Give the date of the demand as well."))
        elif until and demanded and until < demanded:
            self.add_error("prior_demand_until", _("The demand cannot give until before it."))
        return cleaned


class ReasonForm(forms.Form):
    """Why: skipping negotiation, withdrawing or reopening a case."""

    reason = forms.CharField(label=_("reason"), widget=SHORT_TEXT, max_length=2000)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Please give a reason."))
        return reason


class NegotiationForm(forms.ModelForm):
    class Meta:
        model = NegotiationEntry
        fields = [
            "occurred_on",
            "channel",
            "kind",
            "participants",
            "summary",
            "outcome",
            "offer_amount",
            "next_step",
            "next_step_due",
            "attachment",
        ]
        widgets = {
            "occurred_on": DATE,
            "next_step_due": DATE,
            "summary": SHORT_TEXT,
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        occurred, due = cleaned.get("occurred_on"), cleaned.get("next_step_due")
        if occurred and occurred > timezone.localdate():
            self.add_error("occurred_on", _("A contact cannot be logged for a future date."))
        if occurred and due and due < occurred:
            self.add_error("next_step_due", _("The next step cannot be due before the contact."))
        if due and not cleaned.get("next_step"):
            self.add_error("next_step", _("Say what the next step is."))
        return cleaned


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(label=_("agreement reached on"), widget=DATE)
    agreed_end_date = forms.DateField(label=_("agreed end date"), widget=DATE)
    terms = forms.CharField(label=_("agreed terms (settlement, handover)"), widget=SHORT_TEXT)
    terms_en = forms.CharField(
        label=_("agreed terms in English"),
        widget=SHORT_TEXT,
        required=False,
        help_text=_("Needed for an English or bilingual confirmation."),
    )
    confirmation = forms.FileField(
        label=_("countersigned confirmation"),
        required=False,
        validators=[validate_document],
        help_text=_(
            "The confirmation signed by both; the case can move on once it is uploaded. Once "
            "stored, only a manager can replace it, and the old file is kept."
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        agreed_on, end = cleaned.get("agreed_on"), cleaned.get("agreed_end_date")
        if agreed_on and agreed_on > timezone.localdate():
            self.add_error("agreed_on", _("This date cannot be in the future."))
        if agreed_on and end and end < agreed_on:
            self.add_error("agreed_end_date", _("The end date cannot be before the agreement."))
        return cleaned


class HandoverNoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.TextInput)


class HandoverWaiveForm(forms.Form):
    note = forms.CharField(label=_("why it is waived"), widget=forms.TextInput, max_length=2000)

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("Please say why the item is waived."))
        return note


class SettlementLineForm(forms.ModelForm):
    class Meta:
        model = SettlementLine
        fields = [
            "kind",
            "direction",
            "amount",
            "description",
            "description_en",
            "due_on",
            "is_claim",
        ]
        widgets = {"due_on": DATE}

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("is_claim")
            and cleaned.get("direction") == SettlementLine.Direction.TO_PARTNER
        ):
            self.add_error("is_claim", _("Only an amount the partner should pay can be a claim."))
        if cleaned.get("kind") == SettlementLine.Kind.OTHER and not cleaned.get("description"):
            self.add_error("description", _("Describe what this line is for."))
        return cleaned


class ClaimAcceptForm(forms.Form):
    """The partner accepted a claim of the shop's."""

    accepted_on = forms.DateField(label=_("accepted on"), widget=DATE)
    note = forms.CharField(
        label=_("how the partner accepted it"),
        max_length=500,
        help_text=_("E.g. a signed statement, an e-mail of a given date, the chat record."),
    )

    def clean_accepted_on(self):
        value = self.cleaned_data["accepted_on"]
        _not_in_future(value, _("The date of acceptance must be today or earlier."))
        return value


class ClaimDropForm(forms.Form):
    """A manager gives up a claim."""

    note = forms.CharField(label=_("why the claim is dropped"), max_length=500)


class SettlementPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        _not_in_future(value, _("A payment cannot be recorded for a future date."))
        return value


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class PlanForm(forms.ModelForm):
    engage_again = forms.TypedChoiceField(
        label=_("may this partner be engaged again?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = FollowUpPlan
        fields = ["next_step", "details", "review_on", "engage_again"]
        widgets = {"review_on": DATE, "details": SHORT_TEXT}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["engage_again"] = "yes" if self.instance.engage_again else "no"


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from terminations.selectors import assignable_users

        self.fields["owner"].queryset = assignable_users()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("description"), max_length=300)
    description_en = forms.CharField(
        label=_("description (English)"),
        max_length=300,
        required=False,
        help_text=_("For English or bilingual letters, which list the evidence as attachments."),
    )
    file = forms.FileField(label=_("file"), required=False, validators=[validate_document])
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("link"):
            raise ValidationError(_("Upload a file or give a link."))
        return cleaned


class EvidenceEnglishForm(forms.Form):
    description_en = forms.CharField(label=_("description (English)"), max_length=300)


class PlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DATE)
    outcome = forms.CharField(
        label=_("outcome of the review"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class NoDemandForm(forms.Form):
    """A manager's confirmation that termination for breach needs no prior demand."""

    ground = forms.ChoiceField(label=_("why no prior demand is needed"), choices=NoDemandGround)
    reason = forms.CharField(
        label=_("the facts, with dates"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CureOutcomeForm(forms.Form):
    """What happened within a cure notice's period."""

    outcome = forms.ChoiceField(label=_("outcome"), choices=CureOutcome, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("what the partner did or did not do, with dates"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    evidence = forms.FileField(label=_("evidence"), required=False, validators=[validate_document])


class HandoverOwnerForm(forms.Form):
    """Who sees a checklist item through: staff or a manager, or nobody."""

    owner = forms.ModelChoiceField(label=_("owner"), queryset=None, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from terminations.selectors import assignable_users

        self.fields["owner"].queryset = assignable_users()


# --- Commissions settled by the platform ---------------------------------------------------


class CommissionForm(forms.Form):
    """A commission entered by hand: an amount on an order of a day before the end date."""

    ordered_on = forms.DateField(label=_("order date"), widget=DATE)
    estimated_commission = forms.DecimalField(
        label=_("commission (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    order_number = forms.CharField(label=_("order number"), max_length=64, required=False)
    description = forms.CharField(label=_("description"), max_length=300, required=False)

    def clean_ordered_on(self):
        value = self.cleaned_data["ordered_on"]
        _not_in_future(value, _("An order cannot be in the future."))
        return value


class CommissionStatusForm(forms.Form):
    """What the platform did with a tracked commission, and when."""

    status = forms.ChoiceField(
        label=_("what the platform did"),
        choices=[
            (Commission.Status.CONFIRMED, _("receipt confirmed")),
            (Commission.Status.SETTLED, _("settled")),
            (Commission.Status.REFUNDED, _("refunded")),
        ],
    )
    on = forms.DateField(label=_("on"), widget=DATE)
    settled_commission = forms.DecimalField(
        label=_("settled commission (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        help_text=_("Empty: as estimated."),
    )

    def clean_on(self):
        value = self.cleaned_data["on"]
        _not_in_future(value, _("The date must be today or earlier."))
        return value
