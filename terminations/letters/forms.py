"""Forms of the letter pages: they validate input, nothing more."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_document
from terminations.models import Delivery, Notice


class DateInput(forms.DateInput):
    input_type = "date"


FIXED_LABEL = _("fixed termination date (optional, the manager decides)")
FIXED_HELP = _(
    "Only for a termination notice or a notice ending an open-ended cooperation. The letter "
    "then ends the contract on this date, or at the end of the notice period after arrival if "
    "that is later. It must be no earlier than the rule allows for a letter issued today plus "
    "the delivery time."
)


class NoticeDraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of letter"), choices=Notice.Kind.choices)
    language = forms.ChoiceField(
        label=_("language"), choices=Notice.Language.choices, initial=Notice.Language.ZH
    )
    facts = forms.CharField(
        label=_("facts (neutral and dated)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Empty: the facts recorded on the case."),
    )
    facts_en = forms.CharField(
        label=_("facts in English"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Needed for an English or bilingual letter."),
    )
    demands = forms.CharField(
        label=_("particular demands"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    demands_en = forms.CharField(
        label=_("particular demands in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Needed for an English or bilingual letter."),
    )
    cure_period_days = forms.IntegerField(
        label=_("cure period (days)"), min_value=1, max_value=365, required=False
    )
    fixed_end_date = forms.DateField(
        label=FIXED_LABEL, widget=DateInput, required=False, help_text=FIXED_HELP
    )
    withdraws = forms.ModelChoiceField(
        label=_("letter to withdraw"), queryset=Notice.objects.none(), required=False
    )

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["withdraws"].queryset = Notice.objects.filter(
                case=case, status=Notice.Status.ISSUED
            ).exclude(kind=Notice.Kind.WITHDRAWAL)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Notice.Kind.WITHDRAWAL and not data.get("withdraws"):
            self.add_error("withdraws", _("Choose the letter this withdrawal withdraws."))
        return data


class NoticeEditForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Notice.Language.choices)
    facts = forms.CharField(
        label=_("facts (neutral and dated)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    facts_en = forms.CharField(
        label=_("facts in English"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Needed for an English or bilingual letter."),
    )
    demands = forms.CharField(
        label=_("particular demands"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    demands_en = forms.CharField(
        label=_("particular demands in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Needed for an English or bilingual letter."),
    )
    cure_period_days = forms.IntegerField(
        label=_("cure period (days)"), min_value=1, max_value=365, required=False
    )
    fixed_end_date = forms.DateField(
        label=FIXED_LABEL, widget=DateInput, required=False, help_text=FIXED_HELP
    )

    @classmethod
    def initial_for(cls, notice: Notice) -> dict:
        return {name: getattr(notice, name) for name in cls.base_fields}


class ApproveForm(forms.Form):
    """A manager approves a draft; a termination resting on an agreed cause needs the cause
    confirmed in the same step (the box is shown only then)."""

    confirm_agreed_cause = forms.BooleanField(
        label=_(
            "I confirm that the agreed cause occurred, under the clause and with the evidence recorded on the case"
        ),
        required=False,
    )


class FileForm(forms.Form):
    file = forms.FileField(label=_("stamped copy as sent"), validators=[validate_document])


class ExternalNoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of letter"),
        choices=[c for c in Notice.Kind.choices if c[0] != Notice.Kind.WITHDRAWAL],
    )
    issued_on = forms.DateField(label=_("date of the letter"), widget=DateInput)
    scanned_copy = forms.FileField(label=_("stamped copy as sent"), validators=[validate_document])
    facts = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DispatchForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=Delivery.Method.choices)
    dispatched_on = forms.DateField(label=_("dispatched on"), widget=DateInput)
    reference = forms.CharField(
        label=_("tracking number or message reference"), max_length=120, required=False
    )
    address = forms.CharField(label=_("sent to"), max_length=300, required=False)
    evidence = forms.FileField(label=_("evidence"), required=False, validators=[validate_document])


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(label=_("arrived on"), widget=DateInput)
    evidence = forms.FileField(label=_("evidence"), required=False, validators=[validate_document])


class RefusalForm(forms.Form):
    refused_on = forms.DateField(label=_("refused on"), widget=DateInput)
    evidence = forms.FileField(label=_("evidence"), required=False, validators=[validate_document])


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("PDF to check"), required=False)
    code = forms.CharField(label=_("verification code"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("code"):
            raise forms.ValidationError(_("Upload a PDF or type a verification code."))
        upload = data.get("file")
        if upload is not None and upload.size > 20 * 1024 * 1024:
            self.add_error("file", _("The file is too large."))
        return data
