"""Forms for the partner and contract register. They validate; crispy-forms lays them out."""

from decimal import Decimal
from pathlib import PurePosixPath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import roles
from core.models import ShopProfile
from core.validators import DOCUMENT_EXTENSIONS
from partners.models import Contract, Partner
from terminations.rules.choices import PenaltyType
from terminations.rules.clauses import normalise_clause

# Civil Code art. 586: earnest money (定金) may not exceed 20 % of the main contract's value.
EARNEST_MAX_SHARE = Decimal("0.20")


class PartnerForm(forms.ModelForm):
    id_number_clear = forms.BooleanField(label=_("Remove the recorded ID number"), required=False)

    class Meta:
        model = Partner
        fields = [
            "kind",
            "status",
            "name",
            "real_name",
            "contracting_entity",
            "id_number",
            "company_name",
            "credit_code",
            "douyin_id",
            "buyin_id",
            "mcn",
            "contact_name",
            "contact_phone",
            "notice_address",
            "notice_email",
            "notice_messaging",
            "followers",
            "category",
            "conversion_rate",
            "reputation",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mcns = Partner.objects.filter(kind=Partner.Kind.MCN).exclude(status=Partner.Status.ARCHIVED)
        if self.instance.pk:
            mcns = mcns.exclude(pk=self.instance.pk)
            if self.instance.mcn_id:
                # An archived MCN already chosen stays selectable.
                mcns = mcns | Partner.objects.filter(pk=self.instance.mcn_id)
        self.fields["mcn"].queryset = mcns
        self.fields["credit_code"].help_text = _(
            "18 characters, digits and capital letters; for a company, or a creator's studio."
        )
        self.fields["company_name"].help_text = _(
            "For a creator who signed through a studio (工作室、个体工商户) or company: its "
            "registered name, as on its business licence."
        )
        if not (self.instance.pk and self.instance.id_number):
            del self.fields["id_number_clear"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Who they are"),
                Row(Column("kind"), Column("status")),
                "name",
                Div(
                    Row(Column("real_name"), Column("contracting_entity")),
                    Row(Column("id_number"), Column(*self._clear_field())),
                    css_class="js-creator-only",
                ),
                Row(Column("company_name"), Column("credit_code")),
                Row(Column("douyin_id"), Column("buyin_id")),
                "mcn",
            ),
            Fieldset(
                _("Contact and notices"),
                Row(Column("contact_name"), Column("contact_phone")),
                "notice_address",
                Row(Column("notice_email"), Column("notice_messaging")),
            ),
            Fieldset(
                _("Creator metrics"),
                Row(
                    Column("followers"),
                    Column("category"),
                    Column("conversion_rate"),
                    Column("reputation"),
                ),
                css_class="js-creator-only",
            ),
            Fieldset(_("Notes"), "notes"),
        )

    def _clear_field(self) -> tuple[str, ...]:
        return ("id_number_clear",) if "id_number_clear" in self.fields else ()

    def clean_credit_code(self) -> str:
        # People paste codes with spaces or in lower case; the register keeps the canonical form.
        return "".join(self.cleaned_data.get("credit_code", "").split()).upper()

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        mcn = cleaned.get("mcn")
        if mcn is not None and kind and kind != Partner.Kind.CREATOR:
            self.add_error("mcn", _("Only a creator is signed through an MCN."))
        if cleaned.get("contracting_entity") == Partner.Entity.MCN and mcn is None:
            self.add_error("mcn", _("Choose the MCN that signed the contract."))
        if cleaned.get("id_number_clear"):
            cleaned["id_number"] = ""
        return cleaned


def _staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.STAFF, roles.MANAGERS])
        .distinct()
        .order_by("username")
    )


class ContractForm(forms.ModelForm):
    """A contract of one partner; the partner is given by the view, never by the form data."""

    class Meta:
        model = Contract
        fields = [
            "number",
            "title",
            "written",
            "signed_on",
            "start_date",
            "end_date",
            "channel",
            "laike_store_name",
            "laike_store_id",
            "responsible",
            "auto_renews",
            "renewal_term_months",
            "non_renewal_period",
            "non_renewal_unit",
            "contract_value",
            "fee_model",
            "monthly_fee",
            "commission_rate",
            "project_fee",
            "prepaid_amount",
            "prepaid_from",
            "prepaid_to",
            "deposit_kind",
            "deposit_amount",
            "deposit_holder",
            "notice_address",
            "notice_email",
            "notice_messaging",
            "clause_notice_channels",
            "email_notices_excluded",
            "notice_period",
            "notice_unit",
            "notice_counted_from",
            "first_day_counts",
            "roll_over_rest_days",
            "convenience_termination",
            "convenience_fee_name",
            "penalty_type",
            "penalty_value",
            "termination_right_limit_days",
            "dispute_resolution",
            "clause_notice",
            "clause_termination",
            "clause_penalty",
            "clause_counting",
            "signed_document",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "prepaid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "prepaid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # No "clear" box: a stored document is kept, and only a manager replaces it.
            "signed_document": forms.FileInput(attrs={"accept": ",".join(DOCUMENT_EXTENSIONS)}),
        }

    def __init__(self, *args, partner: Partner, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.user = user
        self.instance.partner = partner
        # What is stored now: the form's instance takes the upload while it validates.
        self.stored_document = self.instance.signed_document.name if self.instance.pk else ""
        self.fields["responsible"].queryset = _staff_users()
        for name in ("notice_period", "non_renewal_period"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1
        self.fields["number"].help_text = _(
            "Without a written contract, use your own reference, e.g. CHAT-2026-001."
        )
        self.fields["signed_document"].help_text = _(
            "The signed contract (PDF, image or Word, up to 10 MB). Without a written contract, "
            "upload the chat records that show the agreement (Civil Code art. 469): "
            "screenshots or an exported PDF."
        )
        if self.stored_document:
            self.fields["signed_document"].help_text = _(
                "A signed document is stored (%(name)s). Only a manager can replace it; the old "
                "file is then kept and both files' SHA-256 recorded."
            ) % {"name": PurePosixPath(self.stored_document).name}
        for name in Contract.CLAUSE_FIELDS:
            if name == "clause_notice_channels":
                continue  # its own help says what it is for
            self.fields[name].help_text = _(
                "The number as the contract writes it, e.g. 9.1 (“第 9.1 条” is stored as 9.1); "
                "other references such as 第九条第一款 are kept as typed."
            )
        self._show_partner_defaults()
        self._prefill_dispute_resolution()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Parties and dates"),
                Row(Column("number"), Column("title", css_class="col-md-8")),
                "written",
                Row(Column("signed_on"), Column("start_date"), Column("end_date")),
                Row(Column("channel"), Column("responsible")),
                Row(
                    Column("laike_store_name"),
                    Column("laike_store_id"),
                    css_class="js-laike-only",
                ),
            ),
            Fieldset(
                _("Renewal"),
                "auto_renews",
                Row(
                    Column("renewal_term_months"),
                    Column("non_renewal_period"),
                    Column("non_renewal_unit"),
                ),
            ),
            Fieldset(
                _("Money"),
                Row(Column("contract_value"), Column("fee_model")),
                Row(Column("monthly_fee"), Column("commission_rate"), Column("project_fee")),
                Row(Column("prepaid_amount"), Column("prepaid_from"), Column("prepaid_to")),
                Row(Column("deposit_kind"), Column("deposit_amount"), Column("deposit_holder")),
            ),
            Fieldset(
                _("Notice address"),
                "notice_address",
                Row(Column("notice_email"), Column("notice_messaging")),
                Row(Column("clause_notice_channels"), Column("email_notices_excluded")),
            ),
            Fieldset(
                _("Termination terms"),
                Row(Column("notice_period"), Column("notice_unit"), Column("notice_counted_from")),
                "first_day_counts",
                "roll_over_rest_days",
                Row(Column("convenience_termination"), Column("convenience_fee_name")),
                Row(Column("penalty_type"), Column("penalty_value")),
                "termination_right_limit_days",
                "dispute_resolution",
            ),
            Fieldset(
                _("Clauses"),
                Row(
                    Column("clause_notice"),
                    Column("clause_termination"),
                    Column("clause_penalty"),
                    Column("clause_counting"),
                ),
            ),
            Fieldset(_("Document"), "signed_document"),
        )

    def _prefill_dispute_resolution(self) -> None:
        """A new contract starts from the shop's usual forum; staff correct it to what the
        contract says. Only a pre-fill: a letter prints what is saved on the contract."""
        if self.instance.pk or self.is_bound:
            return
        profile = ShopProfile.load()
        if profile and profile.dispute_forum:
            self.initial.setdefault("dispute_resolution", profile.dispute_forum)

    def _show_partner_defaults(self) -> None:
        """Empty notice channels fall back to the partner's: show them as placeholder and help."""
        for name in ("notice_address", "notice_email", "notice_messaging"):
            field = self.fields[name]
            default = getattr(self.partner, name, "")
            if default:
                field.widget.attrs["placeholder"] = default
                # Help text is rendered as HTML: the partner's value is user input, so escape it.
                field.help_text = format_html(
                    "{}", _("Leave empty to use the partner's: %(value)s") % {"value": default}
                )
            else:
                field.help_text = _("Leave empty to use the partner's (none recorded yet).")

    def clean_signed_document(self):
        document = self.cleaned_data.get("signed_document")
        if (
            isinstance(document, UploadedFile)
            and self.stored_document
            and not (self.user is not None and roles.is_manager(self.user))
        ):
            raise forms.ValidationError(
                _(
                    "This contract's signed document is already stored: it is kept, not "
                    "replaced. Only a manager can replace it."
                ),
                code="replace_needs_manager",
            )
        return document

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        others = Contract.objects.filter(partner=self.partner, number=number)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if self.partner.pk and others.exists():
            raise forms.ValidationError(
                _("This partner already has a contract with this number."), code="unique"
            )
        return number

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in Contract.CLAUSE_FIELDS:
            if name in cleaned:
                cleaned[name] = normalise_clause(cleaned[name])
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        signed = cleaned.get("signed_on")
        if signed and end and signed > end:
            self.add_error("signed_on", _("The signing date cannot be after the end date."))

        if cleaned.get("non_renewal_period") == 0:
            self.add_error(
                "non_renewal_period", _("Enter a period of at least 1, or leave it empty.")
            )

        penalty_type, penalty_value = cleaned.get("penalty_type"), cleaned.get("penalty_value")
        if (
            penalty_type == PenaltyType.PERCENT
            and penalty_value is not None
            and penalty_value > 100
        ):
            self.add_error("penalty_value", _("A percentage penalty cannot exceed 100 %."))

        self._clean_prepaid(cleaned)
        self._clean_deposit(cleaned)
        return cleaned

    def _clean_prepaid(self, cleaned: dict) -> None:
        amount = cleaned.get("prepaid_amount")
        start, end = cleaned.get("prepaid_from"), cleaned.get("prepaid_to")
        if amount and amount > 0:
            if not start and "prepaid_from" not in self.errors:
                self.add_error("prepaid_from", _("Enter the period the prepayment covers."))
            if not end and "prepaid_to" not in self.errors:
                self.add_error("prepaid_to", _("Enter the period the prepayment covers."))
        if start and end and end < start:
            self.add_error("prepaid_to", _("The prepaid period must end on or after its start."))

    def _clean_deposit(self, cleaned: dict) -> None:
        kind, amount = cleaned.get("deposit_kind"), cleaned.get("deposit_amount")
        if amount is None:
            return
        if kind == Contract.DepositKind.NONE and amount > 0:
            self.add_error("deposit_kind", _("Choose the kind of deposit for this amount."))
        value = cleaned.get("contract_value")
        if kind == Contract.DepositKind.EARNEST and value is not None:
            limit = (value * EARNEST_MAX_SHARE).quantize(Decimal("0.01"))
            if amount > limit:
                self.add_error(
                    "deposit_amount",
                    _(
                        "Earnest money (定金) may not exceed 20 %% of the contract value, "
                        "here %(limit)s yuan (Civil Code art. 586)."
                    )
                    % {"limit": limit},
                )
