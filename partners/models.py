from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.downloads import DownloadFileField
from core.models import credit_code_validator
from core.validators import validate_document
from partners.fields import EncryptedTextField
from partners.identity import mask_id_number, normalise_id_number, validate_id_number
from terminations.rules.choices import CountedFrom, PenaltyType, PeriodUnit
from terminations.rules.clauses import normalise_clause

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(douyin_id__icontains=text)
            | Q(buyin_id__icontains=text)
            | Q(company_name__icontains=text)
            | Q(credit_code__icontains=text)
            | Q(contact_name__icontains=text)
            | Q(real_name__icontains=text)
        )


class Partner(models.Model):
    """An agency operator (代运营服务商) or a selling creator (带货达人)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency operator")
        CREATOR = "creator", _("creator")
        MCN = "mcn", _("MCN (creator agency)")

    class Entity(models.TextChoices):
        """Who signed for a creator: the party a letter is addressed to."""

        PERSON = "person", _("the creator in person")
        STUDIO = "studio", _("the creator's studio or company (工作室、个体工商户或公司)")
        MCN = "mcn", _("the MCN")

    class Status(models.TextChoices):
        ACTIVE = "active", _("cooperating")
        ENDED = "ended", _("cooperation ended")
        ARCHIVED = "archived", _("archived")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.ACTIVE, db_index=True
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Creator's name or nickname, or the agency's trade name."),
    )
    real_name = models.CharField(
        _("real name (真实姓名)"),
        max_length=100,
        blank=True,
        help_text=_("For a creator: the legal name on the ID card; letters to a person use it."),
    )
    contracting_entity = models.CharField(
        _("contracting party"),
        max_length=10,
        choices=Entity,
        blank=True,
        help_text=_(
            "For a creator: who signed the contract. Letters are addressed to that party, with "
            "a copy (抄送) to the other where an MCN is involved."
        ),
    )
    id_number = EncryptedTextField(
        _("ID number (身份证号)"),
        mask=mask_id_number,
        validators=[validate_id_number],
        help_text=_(
            "Optional. Stored encrypted and shown masked everywhere (e.g. 3301**********1234); "
            "never exported. Leave empty to keep the one recorded."
        ),
    )
    company_name = models.CharField(_("company legal name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    douyin_id = models.CharField(_("Douyin ID (抖音号)"), max_length=64, blank=True)
    buyin_id = models.CharField(_("Buyin ID (百应 ID)"), max_length=64, blank=True)
    mcn = models.ForeignKey(
        "self",
        verbose_name=_("signed through MCN"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_creators",
        limit_choices_to={"kind": "mcn"},
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    notice_address = models.CharField(_("address for notices"), max_length=300, blank=True)
    notice_email = models.EmailField(_("e-mail for notices"), blank=True)
    notice_messaging = models.CharField(
        _("messaging account for notices"),
        max_length=100,
        blank=True,
        help_text=_("WeChat, Feishu or Douyin account named for notices."),
    )
    # Creator metrics (the creator article's criteria for choosing well).
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    conversion_rate = models.DecimalField(
        _("conversion rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    reputation = models.PositiveSmallIntegerField(
        _("reputation score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("0–100, e.g. the platform's creator reputation score."),
    )
    engage_again = models.BooleanField(
        _("may be engaged again"),
        null=True,
        blank=True,
        help_text=_("Set by a case's follow-up plan."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conversion_rate__isnull=True)
                | (Q(conversion_rate__gte=0) & Q(conversion_rate__lte=100)),
                name="partner_conversion_rate_0_100",
            ),
            models.CheckConstraint(
                condition=Q(credit_code="") | Q(Exact(Length("credit_code"), 18)),
                name="partner_credit_code_18",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def entity(self) -> str:
        """Who signed: for a creator as recorded (the person when nothing is); otherwise the
        partner itself, a company."""
        if self.kind != self.Kind.CREATOR:
            return ""
        return self.contracting_entity or self.Entity.PERSON

    @property
    def signed_through_mcn(self) -> bool:
        return self.entity == self.Entity.MCN and self.mcn_id is not None

    @property
    def letter_addressee(self) -> Partner:
        """The party that signed, to whom a letter is addressed (DOMAIN.md §6)."""
        return self.mcn if self.signed_through_mcn else self

    @property
    def letter_copy_to(self) -> Partner | None:
        """The other party where an MCN is involved, who receives a copy (抄送)."""
        if self.signed_through_mcn:
            return self
        if self.kind == self.Kind.CREATOR and self.mcn_id is not None:
            return self.mcn
        return None

    def clean(self) -> None:
        self.id_number = normalise_id_number(self.id_number)
        errors = {}
        if self.kind != self.Kind.CREATOR:
            self.contracting_entity = ""
        elif self.contracting_entity == self.Entity.MCN and self.mcn_id is None:
            errors["mcn"] = _("Choose the MCN that signed the contract.")
        if errors:
            raise ValidationError(errors)


# The longest notice period a contract may name, per unit (ten years): anything longer is a typo,
# and date arithmetic on it would overflow.
PERIOD_MAX = {"days": 3660, "months": 120, "workdays": 2500}


class ContractQuerySet(models.QuerySet):
    def auto_renewing(self):
        return self.filter(auto_renews=True, end_date__isnull=False)


class Contract(models.Model):
    """The terms of cooperation with a partner, including how it may be ended."""

    class Channel(models.TextChoices):
        DOUDIAN = "doudian", _("Douyin shop (抖店)")
        LAIKE = "laike", _("Douyin Laike local services (抖音来客)")

    class FeeModel(models.TextChoices):
        MONTHLY = "monthly", _("monthly fee")
        COMMISSION = "commission", _("commission")
        MONTHLY_PLUS_COMMISSION = "monthly_commission", _("monthly fee plus commission")
        FIXED = "fixed", _("fixed project fee")

    class DepositKind(models.TextChoices):
        NONE = "none", _("none")
        SECURITY = "security", _("security deposit (保证金)")
        EARNEST = "earnest", _("earnest money (定金)")

    class DepositHolder(models.TextChoices):
        SHOP = "shop", _("held by the shop")
        PARTNER = "partner", _("held by the partner")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    written = models.BooleanField(
        _("written contract"),
        default=True,
        help_text=_(
            "Untick for a creator working on chat agreements only; upload the chat records as evidence."
        ),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty for an open-ended cooperation.")
    )
    auto_renews = models.BooleanField(_("renews automatically"), default=False)
    renewal_term_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"), null=True, blank=True
    )
    non_renewal_period = models.PositiveSmallIntegerField(
        _("non-renewal notice period"),
        null=True,
        blank=True,
        help_text=_("Empty: the notice period applies."),
    )
    non_renewal_unit = models.CharField(
        _("non-renewal period unit"), max_length=10, choices=PeriodUnit, default=PeriodUnit.DAYS
    )
    channel = models.CharField(
        _("shop channel"), max_length=10, choices=Channel, default=Channel.DOUDIAN
    )
    laike_store_name = models.CharField(
        _("来客 store name"),
        max_length=200,
        blank=True,
        help_text=_("For a 抖音来客 contract: the store (门店) it concerns, as named in 来客."),
    )
    laike_store_id = models.CharField(
        _("来客 store ID / POI ID"),
        max_length=64,
        blank=True,
        help_text=_("The store's ID in 来客, or its POI ID."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    contract_value = models.DecimalField(_("contract value (yuan)"), default=Decimal("0"), **MONEY)
    fee_model = models.CharField(
        _("fee model"), max_length=20, choices=FeeModel, default=FeeModel.MONTHLY
    )
    monthly_fee = models.DecimalField(_("monthly fee (yuan)"), default=Decimal("0"), **MONEY)
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    project_fee = models.DecimalField(_("fixed project fee (yuan)"), default=Decimal("0"), **MONEY)
    prepaid_amount = models.DecimalField(_("prepaid (yuan)"), default=Decimal("0"), **MONEY)
    prepaid_from = models.DateField(_("prepayment covers from"), null=True, blank=True)
    prepaid_to = models.DateField(_("prepayment covers to"), null=True, blank=True)
    deposit_kind = models.CharField(
        _("deposit"), max_length=10, choices=DepositKind, default=DepositKind.NONE
    )
    deposit_amount = models.DecimalField(_("deposit amount (yuan)"), default=Decimal("0"), **MONEY)
    deposit_holder = models.CharField(
        _("deposit held by"), max_length=10, choices=DepositHolder, default=DepositHolder.PARTNER
    )
    # Where notices go; empty means the partner's default.
    notice_address = models.CharField(_("address for notices"), max_length=300, blank=True)
    notice_email = models.EmailField(_("e-mail for notices"), blank=True)
    notice_messaging = models.CharField(
        _("messaging account for notices"), max_length=100, blank=True
    )
    # An e-mail counts as designated for notices (art. 137 ¶2) only where a clause names it.
    clause_notice_channels = models.CharField(
        _("clause: addresses for notices"),
        max_length=50,
        blank=True,
        help_text=_(
            "The clause that names the notice address and e-mail. Without it the desk sends no "
            "e-mail as a notice, only courtesy copies."
        ),
    )
    email_notices_excluded = models.BooleanField(
        _("the contract excludes notices by e-mail"), default=False
    )
    # Termination terms.
    notice_period = models.PositiveSmallIntegerField(_("notice period"), default=30)
    notice_unit = models.CharField(
        _("notice period unit"), max_length=10, choices=PeriodUnit, default=PeriodUnit.DAYS
    )
    notice_counted_from = models.CharField(
        _("notice period counted from"),
        max_length=10,
        choices=CountedFrom,
        default=CountedFrom.ARRIVAL,
    )
    first_day_counts = models.BooleanField(_("the first day counts"), default=False)
    roll_over_rest_days = models.BooleanField(
        _("move an end falling on a rest day to the next working day"), default=True
    )
    convenience_termination = models.BooleanField(
        _("shop may end it for convenience"), default=False
    )
    convenience_fee_name = models.CharField(
        _("name of the fee for ending for convenience"),
        max_length=50,
        blank=True,
        help_text=_(
            "As the clause names it, e.g. 解约补偿. A fee for ending for convenience is not a "
            "penalty (违约金): calling it one would concede a breach."
        ),
    )
    penalty_type = models.CharField(
        _("early-termination penalty"), max_length=10, choices=PenaltyType, default=PenaltyType.NONE
    )
    penalty_value = models.DecimalField(
        _("penalty amount / percentage / months"),
        default=Decimal("0"),
        help_text=_(
            "Yuan for a fixed sum, percent of the contract value, or number of months of fees."
        ),
        **MONEY,
    )
    termination_right_limit_days = models.PositiveSmallIntegerField(
        _("days to exercise a right to terminate"),
        null=True,
        blank=True,
        help_text=_(
            "The contract's own deadline; empty means one year from when the shop knew (Civil Code art. 564)."
        ),
    )
    dispute_resolution = models.CharField(
        _("agreed dispute resolution"),
        max_length=200,
        blank=True,
        help_text=_(
            "The court or arbitration institution the contract names, as written; empty if the "
            "contract names none (letters then say disputes follow the contract and the law)."
        ),
    )
    clause_notice = models.CharField(_("clause: notice period"), max_length=50, blank=True)
    clause_termination = models.CharField(_("clause: termination right"), max_length=50, blank=True)
    clause_penalty = models.CharField(_("clause: penalty"), max_length=50, blank=True)
    clause_counting = models.CharField(_("clause: counting of periods"), max_length=50, blank=True)
    signed_document = DownloadFileField(
        _("signed document"),
        upload_to="contracts/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="partners:contract_document",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "number"], name="contract_number_unique_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(notice_period__gt=0), name="contract_notice_period_positive"
            ),
            models.CheckConstraint(
                condition=Q(non_renewal_period__isnull=True) | Q(non_renewal_period__gt=0),
                name="contract_non_renewal_period_positive",
            ),
            models.CheckConstraint(
                condition=Q(contract_value__gte=0)
                & Q(monthly_fee__gte=0)
                & Q(project_fee__gte=0)
                & Q(prepaid_amount__gte=0)
                & Q(deposit_amount__gte=0)
                & Q(penalty_value__gte=0),
                name="contract_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lte=100),
                name="contract_commission_rate_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(penalty_type="percent") | Q(penalty_value__lte=100),
                name="contract_penalty_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(prepaid_from__isnull=True)
                | Q(prepaid_to__isnull=True)
                | Q(prepaid_to__gte=models.F("prepaid_from")),
                name="contract_prepaid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("partners:contract_detail", args=[self.pk])

    CLAUSE_FIELDS = (
        "clause_notice",
        "clause_termination",
        "clause_penalty",
        "clause_counting",
        "clause_notice_channels",
    )

    def clean(self) -> None:
        # "第 9.1 条" is stored as "9.1"; letters add 第…条 / "clause" around a bare number.
        for name in self.CLAUSE_FIELDS:
            setattr(self, name, normalise_clause(getattr(self, name)))
        errors = {}
        for field, unit_field in (
            ("notice_period", "notice_unit"),
            ("non_renewal_period", "non_renewal_unit"),
        ):
            period, unit = getattr(self, field), getattr(self, unit_field)
            most = PERIOD_MAX.get(unit)
            if period is not None and most is not None and period > most:
                errors[field] = _(
                    "A period of at most %(max)s %(unit)s: check the number and the unit."
                ) % {"max": most, "unit": PeriodUnit(unit).label}
        self.laike_store_name = self.laike_store_name.strip()
        self.laike_store_id = self.laike_store_id.strip()
        if self.channel == self.Channel.LAIKE:
            # The letter identifies a 来客 contract by its store, not by the 抖店 shop.
            if not self.laike_store_name:
                errors["laike_store_name"] = _("A 抖音来客 contract names its store: enter it.")
            if not self.laike_store_id:
                errors["laike_store_id"] = _("Enter the 来客 store ID or POI ID.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open_ended(self) -> bool:
        return self.end_date is None

    # The notice channels the contract names, falling back to those of the party that signed
    # (the MCN, for a creator it signed for; otherwise the partner).
    @property
    def effective_notice_address(self) -> str:
        return self.notice_address or self.partner.letter_addressee.notice_address

    @property
    def effective_notice_email(self) -> str:
        return self.notice_email or self.partner.letter_addressee.notice_email

    @property
    def effective_notice_messaging(self) -> str:
        return self.notice_messaging or self.partner.letter_addressee.notice_messaging

    @property
    def is_laike(self) -> bool:
        return self.channel == self.Channel.LAIKE


class ContractDocumentReplacement(models.Model):
    """A contract's signed document replaced by a manager (issue 15: nothing stored is replaced
    silently). The old file stays in storage under `old_name`; both files' SHA-256 are kept.
    Rows are written by `partners.services.contract_save` only and never changed."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="document_replacements"
    )
    old_name = models.CharField(_("old file"), max_length=255)
    old_sha256 = models.CharField(_("SHA-256 of the old file"), max_length=64, blank=True)
    new_name = models.CharField(_("new file"), max_length=255)
    new_sha256 = models.CharField(_("SHA-256 of the new file"), max_length=64)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        verbose_name = _("replaced signed document")
        verbose_name_plural = _("replaced signed documents")
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.old_name} → {self.new_name}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("A record of a replaced document cannot be changed."))
        super().save(*args, **kwargs)
