"""Termination cases and everything that happens inside one.

Rows here hold data and the invariants of one row. Every state change goes through
`terminations.services`; views never assign `stage` or dates directly.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.downloads import DownloadFileField
from core.validators import validate_document
from terminations.rules.choices import PenaltyDirection

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# The arguments of the download routes of a case's own files and of its rows' files.
def _case_kwargs(case: "TerminationCase") -> dict[str, object]:
    return {"reference": case.reference}


def _child_kwargs(row: models.Model) -> dict[str, object]:
    return {"reference": row.case.reference, "pk": row.pk}


class Stage(models.TextChoices):
    ASSESSMENT = "assessment", _("assessment")
    NEGOTIATION = "negotiation", _("negotiation")
    NOTICE = "notice", _("notice")
    HANDOVER = "handover", _("handover")
    REVIEW = "review", _("review")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE, Stage.HANDOVER, Stage.REVIEW)
FINAL_STAGES = (Stage.CLOSED, Stage.WITHDRAWN)


class Basis(models.TextChoices):
    MUTUAL = "mutual", _("mutual agreement (Civil Code art. 562 ¶1)")
    CONTRACTUAL = "contractual", _("contractual right (art. 562 ¶2)")
    BREACH = "breach", _("breach (art. 563 ¶1)")
    OPEN_ENDED = "open_ended", _("open-ended cooperation (art. 563 ¶2)")
    ENTRUSTMENT = "entrustment", _("entrustment contract (art. 933)")


class CureGround(models.TextChoices):
    """What a cure notice rests on (DOMAIN.md §3): the article is chosen by what staff record."""

    DELAY = "delay", _("delay in a main obligation, after a demand (art. 563 ¶1(三))")
    PURPOSE = "purpose", _("a breach that defeats the contract's purpose (art. 563 ¶1(四))")
    CLAUSE = "clause", _("the contract's own termination clause")


class NoDemandGround(models.TextChoices):
    """Why a termination for breach needs no prior demand (Civil Code art. 563 ¶1)."""

    REFUSAL = "refusal", _("the partner declared or showed it will not perform (art. 563 ¶1(二))")
    PURPOSE = "purpose", _("the breach defeats the contract's purpose (art. 563 ¶1(四))")


class CureOutcome(models.TextChoices):
    CURED = "cured", _("cured within the period")
    NOT_CURED = "not_cured", _("not cured within the period")


class ReasonCategory(models.TextChoices):
    POOR_RESULTS = "poor_results", _("poor results")
    SERVICE_QUALITY = "service_quality", _("service quality problems")
    STRATEGY_CHANGE = "strategy_change", _("the shop's change of strategy")
    FRAUD = "fraud", _("fraud or dishonest selling")
    MISMATCH = "mismatch", _("mismatch with the shop's positioning or image")
    COMPETING_PRODUCTS = "competing_products", _("promoting competing products")
    BREACH = "breach", _("breach of contract")
    OTHER = "other", _("other")


class AccountControl(models.TextChoices):
    SHOP = "shop", _("the shop alone")
    SHARED = "shared", _("shared with the partner")
    PARTNER = "partner", _("the partner")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def for_list(self):
        return self.select_related("partner", "partner__mcn", "contract", "owner")


class CaseCounter(models.Model):
    """The last case number used in a year; locked while a case is opened so that references
    stay unique even when two are opened at once."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TerminationCase(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contract = models.ForeignKey(
        "partners.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage, default=Stage.ASSESSMENT, db_index=True
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # Assessment
    reason_category = models.CharField(
        _("reason"), max_length=20, choices=ReasonCategory, db_index=True
    )
    facts = models.TextField(_("facts, with dates"), blank=True)
    learned_on = models.DateField(
        _("date the shop learned of the cause"),
        null=True,
        blank=True,
        help_text=_(
            "The right to terminate lapses one year after this date unless the contract says otherwise."
        ),
    )
    # Art. 564 ¶2: after the partner demands that the shop decide (催告), the right to terminate
    # lapses if not used within a reasonable period.
    decision_demanded_on = models.DateField(
        _("date the partner demanded a decision"),
        null=True,
        blank=True,
        help_text=_(
            "If the partner asked the shop to say whether it ends the contract: the right to "
            "terminate then lapses after a reasonable period (Civil Code art. 564)."
        ),
    )
    decision_demand_channel = models.CharField(
        _("how the partner demanded it"), max_length=100, blank=True
    )
    decision_demand_evidence = DownloadFileField(
        _("evidence of the partner's demand"),
        upload_to="cases/evidence/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:case_demand_evidence",
        download_kwargs=_case_kwargs,
    )
    basis = models.CharField(_("basis for ending it"), max_length=12, choices=Basis, blank=True)
    prior_demand_on = models.DateField(
        _("date of the prior demand (催告)"),
        null=True,
        blank=True,
        help_text=_("Delay-based termination for breach needs a recorded prior demand."),
    )
    prior_demand_until = models.DateField(
        _("the prior demand gave until"),
        null=True,
        blank=True,
        help_text=_("The last day the demand gave the partner to perform."),
    )
    no_demand_ground = models.CharField(
        _("why no prior demand is needed"), max_length=10, choices=NoDemandGround, blank=True
    )
    no_demand_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    no_demand_confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cure_outcome = models.CharField(
        _("outcome of the cure notice"), max_length=10, choices=CureOutcome, blank=True
    )
    cure_outcome_on = models.DateField(_("outcome recorded for"), null=True, blank=True)
    # A contractual right to end the contract when an agreed cause occurs (约定解除事由, art. 562
    # ¶2): which cause, under which clause, with evidence; a manager confirms it at approval.
    agreed_cause = models.TextField(
        _("the agreed cause that occurred"),
        blank=True,
        help_text=_(
            "For a contractual right without a right to end for convenience: the cause the "
            "contract names (e.g. GMV below the agreed floor three months running), as it occurred."
        ),
    )
    agreed_cause_en = models.TextField(
        _("the agreed cause (English, for English letters)"), blank=True
    )
    agreed_cause_clause = models.CharField(
        _("clause naming the cause"),
        max_length=50,
        blank=True,
        help_text=_(
            "As the contract numbers it, e.g. 9.2; a bare number is printed with the clause wording around it."
        ),
    )
    agreed_cause_evidence = DownloadFileField(
        _("evidence of the agreed cause"),
        upload_to="cases/evidence/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:case_agreed_cause_evidence",
        download_kwargs=_case_kwargs,
    )
    agreed_cause_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed cause confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_cause_confirmed_at = models.DateTimeField(
        _("agreed cause confirmed at"), null=True, blank=True
    )
    entrustment_confirmed = models.BooleanField(
        _("staff confirm the contract is an entrustment contract"), default=False
    )
    reasonable_notice_days = models.PositiveSmallIntegerField(
        _("reasonable notice period (days)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("For an open-ended cooperation the law names no number; 30 days is suggested."),
    )
    cure_period_days = models.PositiveSmallIntegerField(
        _("cure period (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "For breach: the contract ends at the end of this period after arrival if not cured."
        ),
    )
    cure_ground = models.CharField(
        _("what the cure notice rests on"),
        max_length=10,
        choices=CureGround,
        default=CureGround.DELAY,
        help_text=_("Chooses the article the cure notice cites."),
    )
    skip_negotiation_reason = models.TextField(_("why negotiation was skipped"), blank=True)
    withdrawal_reason = models.TextField(_("why the case was withdrawn"), blank=True)

    # Impact (DOMAIN.md §2)
    gmv_share_percent = models.DecimalField(
        _("share of GMV through this partner (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    open_orders = models.PositiveIntegerField(_("open orders"), null=True, blank=True)
    open_after_sales = models.PositiveIntegerField(
        _("open after-sales cases"), null=True, blank=True
    )
    ad_spend_running = models.DecimalField(
        _("ad spend running (yuan per month)"), null=True, blank=True, **MONEY
    )
    live_streams_scheduled = models.PositiveIntegerField(
        _("live streams scheduled"), null=True, blank=True
    )
    account_control = models.CharField(
        _("who controls the account"),
        max_length=10,
        choices=AccountControl,
        default=AccountControl.SHOP,
    )
    partner_holds_credentials = models.BooleanField(
        _("the partner holds log-in credentials"), default=False
    )
    prepaid_at_risk = models.DecimalField(
        _("prepaid fees at risk (yuan)"), null=True, blank=True, **MONEY
    )
    known_loss = models.DecimalField(
        _("known loss (yuan)"),
        null=True,
        blank=True,
        help_text=_(
            "If known: a penalty more than 30% above it may be reduced by a court on request."
        ),
        **MONEY,
    )
    risk_notes = models.TextField(_("risks"), blank=True)

    # Mutual agreement (negotiation)
    agreed_on = models.DateField(_("agreement reached on"), null=True, blank=True)
    agreed_end_date = models.DateField(_("agreed end date"), null=True, blank=True)
    agreed_terms = models.TextField(_("agreed terms (settlement, handover)"), blank=True)
    agreed_terms_en = models.TextField(_("agreed terms (English, for English letters)"), blank=True)
    countersigned_confirmation = DownloadFileField(
        _("countersigned confirmation"),
        upload_to="cases/confirmations/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:case_confirmation",
        download_kwargs=_case_kwargs,
    )

    # The end of the cooperation, computed by the rules engine and frozen here with its rule.
    end_date = models.DateField(_("end date"), null=True, blank=True, db_index=True)
    end_date_nominal = models.DateField(_("nominal end date"), null=True, blank=True)
    end_date_confirmed = models.BooleanField(_("holiday calendar confirmed"), default=True)
    end_date_rule = models.CharField(_("rule"), max_length=100, blank=True)
    end_date_explanation_zh = models.TextField(_("explanation (Chinese)"), blank=True)
    end_date_explanation_en = models.TextField(_("explanation (English)"), blank=True)
    # A manager's decision that letters may go out while before-the-letter checklist items are
    # still open (the reason is the event's message).
    before_letter_items_confirmed_at = models.DateTimeField(
        _("letters allowed before the security items"), null=True, blank=True
    )
    # The end date for which a manager decided that the issued letters stating an earlier date
    # may stand (after the official holiday calendar moved the end); see letters_state_earlier.
    earlier_letters_kept_for = models.DateField(
        _("letters with an earlier date kept for end date"), null=True, blank=True
    )

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("termination case")
        verbose_name_plural = _("termination cases")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "contract"],
                condition=Q(contract__isnull=False) & ~Q(stage__in=["closed", "withdrawn"]),
                name="one_open_case_per_partner_contract",
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(contract__isnull=True) & ~Q(stage__in=["closed", "withdrawn"]),
                name="one_open_case_per_partner_without_contract",
            ),
            models.CheckConstraint(
                condition=Q(gmv_share_percent__isnull=True)
                | (Q(gmv_share_percent__gte=0) & Q(gmv_share_percent__lte=100)),
                name="case_gmv_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(reasonable_notice_days__gte=1), name="case_reasonable_notice_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "end_date"], name="case_stage_end_idx"),
            models.Index(fields=["owner", "stage"], name="case_owner_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("terminations:case_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def end_date_explanation(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("zh"):
            return self.end_date_explanation_zh
        return self.end_date_explanation_en or self.end_date_explanation_zh


class EvidenceFile(models.Model):
    case = models.ForeignKey(TerminationCase, on_delete=models.CASCADE, related_name="evidence")
    file = DownloadFileField(
        _("file"),
        upload_to="cases/evidence/%Y/",
        validators=[validate_document],
        blank=True,
        download_route="terminations:evidence_file",
        download_kwargs=_child_kwargs,
    )
    link = models.URLField(_("link"), blank=True)
    description = models.CharField(_("description"), max_length=300)
    description_en = models.CharField(
        _("description (English)"),
        max_length=300,
        blank=True,
        help_text=_("How an English or bilingual letter lists it among the attachments."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description


def stay_days(start: datetime, end: datetime) -> float:
    """Days (with fractions) from one stage change to the next; never negative."""
    return max((end - start).total_seconds(), 0.0) / 86400


class CaseEvent(models.Model):
    """Append-only history of a case: the timeline and the audit trail. Written by services only."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        STAGE_CHANGED = "stage_changed", _("stage changed")
        ASSESSMENT_UPDATED = "assessment_updated", _("assessment updated")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        EVIDENCE_DESCRIBED = "evidence_described", _("evidence described in English")
        NEGOTIATION_LOGGED = "negotiation_logged", _("contact with the partner logged")
        AGREEMENT_RECORDED = "agreement_recorded", _("agreement recorded")
        NOTICE_DRAFTED = "notice_drafted", _("letter drafted")
        NOTICE_EDITED = "notice_edited", _("letter draft edited")
        NOTICE_APPROVED = "notice_approved", _("letter approved")
        NOTICE_ISSUED = "notice_issued", _("letter issued")
        NOTICE_RECORDED = "notice_recorded", _("external letter recorded")
        NOTICE_SUPERSEDED = "notice_superseded", _("letter superseded")
        SCAN_UPLOADED = "scan_uploaded", _("signed copy uploaded")
        FILE_REPLACED = "file_replaced", _("stored file replaced (the old one kept)")
        DISPATCHED = "dispatched", _("letter dispatched")
        ARRIVED = "arrived", _("letter arrived")
        REFUSED = "refused", _("delivery refused")
        EMAIL_QUEUED = "email_queued", _("e-mail of a letter queued")
        EMAIL_SENT = "email_sent", _("e-mail of a letter accepted by the mail server")
        EMAIL_FAILED = "email_failed", _("e-mail of a letter failed")
        EMAIL_UNKNOWN = "email_unknown", _("e-mail of a letter: outcome unknown")
        EMAIL_RESOLVED = "email_resolved", _("unknown e-mail outcome decided")
        ACKNOWLEDGED = "acknowledged", _("receipt acknowledged by the partner")
        ACCEPTED_ONLINE = "accepted_online", _("confirmation accepted online by the partner")
        AUTHORITY_CONFIRMED = "authority_ok", _("signer's authority confirmed")
        END_DATE_SET = "end_date_set", _("end date set")
        END_DATE_RECHECKED = "end_date_rechecked", _("end date re-checked against the calendar")
        EARLIER_LETTERS_KEPT = "letters_kept", _("letters with an earlier date kept")
        BEFORE_LETTER_CONFIRMED = "before_letter_ok", _("letters allowed before the security items")
        PARTNER_STATUS = "partner_status", _("partner status changed")
        NO_DEMAND_CONFIRMED = "no_demand_ok", _("no prior demand needed (confirmed)")
        CURE_OUTCOME = "cure_outcome", _("outcome of the cure notice recorded")
        PLAN_REVIEWED = "plan_reviewed", _("plan reviewed")
        HANDOVER_DONE = "handover_done", _("handover item done")
        HANDOVER_WAIVED = "handover_waived", _("handover item waived")
        HANDOVER_REOPENED = "handover_reopened", _("handover item reopened")
        SETTLEMENT_RECORDED = "settlement_recorded", _("settlement recorded")
        COMMISSION_RECORDED = "commission_recorded", _("commission recorded for tracking")
        COMMISSIONS_IMPORTED = "commissions_imported", _("commissions imported")
        COMMISSION_UPDATED = "commission_updated", _("commission status changed")
        PLAN_RECORDED = "plan_recorded", _("follow-up plan recorded")
        OWNER_CHANGED = "owner_changed", _("owner changed")
        WITHDRAWN = "withdrawn", _("case withdrawn")
        CLOSED = "closed", _("case closed")
        REOPENED = "reopened", _("case reopened")
        REMINDER_SENT = "reminder_sent", _("reminder sent")
        NOTE = "note", _("note")

    case = models.ForeignKey(TerminationCase, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    from_stage = models.CharField(_("from stage"), max_length=12, choices=Stage, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=12, choices=Stage, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # On a stage change: the days the case spent in `from_stage`, from the previous stage change
    # (or the opening) to this one. Stored when the change is written, so that the dashboard's
    # medians read one column instead of pairing months of history on every view.
    stay_days = models.FloatField(_("days in the previous stage"), null=True, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Case events are append-only and cannot be changed."))
        if self.from_stage and self.to_stage and self.stay_days is None:
            self.stay_days = self._days_since_previous_stage_change()
        super().save(*args, **kwargs)

    def _days_since_previous_stage_change(self) -> float | None:
        previous = (
            CaseEvent.objects.filter(case_id=self.case_id, created_at__lte=self.created_at)
            .exclude(to_stage="")
            .order_by("-created_at", "-pk")
            .values_list("created_at", flat=True)
            .first()
        )
        if previous is None:
            previous = (
                TerminationCase.objects.filter(pk=self.case_id)
                .values_list("opened_at", flat=True)
                .first()
            )
        return stay_days(previous, self.created_at) if previous else None

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Case events are append-only and cannot be deleted."))


class NegotiationEntry(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        WECHAT = "wechat", _("WeChat")
        MEETING = "meeting", _("meeting")
        EMAIL = "email", _("e-mail")
        PLATFORM = "platform", _("platform message")
        LETTER = "letter", _("letter")
        OTHER = "other", _("other")

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        OFFER = "offer", _("our offer")
        COUNTER_OFFER = "counter_offer", _("their counter-offer")
        AGREEMENT = "agreement", _("agreement")

    case = models.ForeignKey(TerminationCase, on_delete=models.CASCADE, related_name="negotiations")
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind, default=Kind.CONTACT)
    participants = models.CharField(_("who took part"), max_length=300)
    summary = models.TextField(_("what was said"))
    outcome = models.TextField(_("outcome / what was agreed"), blank=True)
    offer_amount = models.DecimalField(_("amount offered (yuan)"), null=True, blank=True, **MONEY)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    attachment = DownloadFileField(
        _("attachment"),
        upload_to="cases/negotiation/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:negotiation_attachment",
        download_kwargs=_child_kwargs,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("negotiation entry")
        verbose_name_plural = _("negotiation log")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_channel_display()}"


class HandoverItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        WAIVED = "waived", _("waived")

    class Due(models.TextChoices):
        BEFORE_LETTER = "before_letter", _("before the letter goes out")
        FROM_END = "from_end", _("counted from the end date")

    case = models.ForeignKey(
        TerminationCase, on_delete=models.CASCADE, related_name="handover_items"
    )
    code = models.CharField(_("template code"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    category = models.CharField(_("category"), max_length=20, blank=True)
    title = models.CharField(_("item"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    due_rule = models.CharField(_("due"), max_length=14, choices=Due, default=Due.FROM_END)
    due_offset_days = models.SmallIntegerField(
        _("days from the end date"), default=0, help_text=_("Negative: before the end date.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.OPEN, db_index=True
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover checklist")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_at__isnull=False),
                name="handover_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """An item made from a template reads in the reader's language (by its code); an item
        staff typed stays as typed."""
        from terminations.handover_templates import title_for

        return (title_for(self.code) if self.code else "") or self.title

    @property
    def display_description(self) -> str:
        from terminations.handover_templates import ALL_ITEMS, description_for

        return description_for(self.code) if self.code in ALL_ITEMS else self.description


class SettlementLine(models.Model):
    class Kind(models.TextChoices):
        PENALTY = "penalty", _("penalty (违约金)")
        # A fee the contract attaches to ending it for convenience: named as the clause names it
        # (e.g. 解约补偿), never as a penalty, which would concede a breach (DOMAIN.md §3).
        TERMINATION_FEE = "termination_fee", _("fee for ending for convenience")
        REFUND = "refund", _("refund of prepaid fees")
        DEPOSIT = "deposit", _("deposit (保证金/定金)")
        # What the shop itself pays: an agency's commission under its contract. A creator's
        # commission through 精选联盟 is settled by the platform and tracked as a Commission.
        COMMISSION = "commission", _("commission the shop pays (off the platform)")
        FEE = "fee", _("fees owed (坑位费, service fees)")
        DEDUCTION = "deduction", _("agreed deduction")
        OTHER = "other", _("other")

    class Direction(models.TextChoices):
        TO_SHOP = "to_shop", _("the partner pays the shop")
        TO_PARTNER = "to_partner", _("the shop pays the partner")

    case = models.ForeignKey(
        TerminationCase, on_delete=models.CASCADE, related_name="settlement_lines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    direction = models.CharField(_("who pays whom"), max_length=10, choices=Direction)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    is_claim = models.BooleanField(
        _("a claim, not yet accepted"),
        default=False,
        help_text=_("E.g. a penalty claimed from the partner for breach."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    description_en = models.CharField(
        _("description (English, for English letters)"), max_length=300, blank=True
    )
    # The contract clause (or rule) the line follows, and the suggestion it was added from.
    clause = models.CharField(_("clause"), max_length=100, blank=True)
    suggestion = models.CharField(_("added from suggestion"), max_length=20, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # What became of a claim: the partner accepted it (it is then an agreed line, counted in the
    # net), or the shop dropped it (a manager's decision; it is then counted nowhere).
    claim_accepted_on = models.DateField(
        _("claim accepted by the partner on"), null=True, blank=True
    )
    claim_dropped_on = models.DateField(_("claim dropped on"), null=True, blank=True)
    claim_note = models.CharField(_("note on the claim's outcome"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="settlement_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(paid=False) | Q(paid_on__isnull=False), name="settlement_paid_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_open_claim(self) -> bool:
        """A claim still waiting for the partner's answer (not paid, not dropped)."""
        return self.is_claim and not self.paid and self.claim_dropped_on is None


class Commission(models.Model):
    """A creator's commission on one order placed before the end date. Douyin (精选联盟)
    settles it from the shop's order revenue under its own rules: it is tracked here until the
    platform settles or refunds it, and is never a debt of the shop (DOMAIN.md §5)."""

    class Status(models.TextChoices):
        PAID = "paid", _("order paid")
        CONFIRMED = "confirmed", _("receipt confirmed")
        SETTLED = "settled", _("settled by the platform")
        REFUNDED = "refunded", _("refunded")

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by hand")
        IMPORT = "import", _("imported from the order export")

    case = models.ForeignKey(TerminationCase, on_delete=models.CASCADE, related_name="commissions")
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    ordered_at = models.DateTimeField(_("order time"))
    paid_amount = models.DecimalField(_("paid amount (yuan)"), null=True, blank=True, **MONEY)
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    estimated_commission = models.DecimalField(_("estimated commission (yuan)"), **MONEY)
    settled_commission = models.DecimalField(
        _("settled commission (yuan)"), null=True, blank=True, **MONEY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PAID, db_index=True
    )
    received_on = models.DateField(_("receipt confirmed on"), null=True, blank=True)
    expected_settlement_on = models.DateField(_("expected settlement"), null=True, blank=True)
    settled_on = models.DateField(_("settled or refunded on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commission (settled by the platform)")
        verbose_name_plural = _("commissions (settled by the platform)")
        ordering = ["ordered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "order_number"],
                condition=~Q(order_number=""),
                name="commission_order_unique_per_case",
            ),
            models.CheckConstraint(
                condition=Q(estimated_commission__gte=0)
                & (Q(settled_commission__isnull=True) | Q(settled_commission__gte=0))
                & (Q(paid_amount__isnull=True) | Q(paid_amount__gte=0)),
                name="commission_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(commission_rate__isnull=True)
                | (Q(commission_rate__gte=0) & Q(commission_rate__lte=100)),
                name="commission_rate_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(settled_on__isnull=False),
                name="commission_settled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.order_number or f"{self.ordered_at:%Y-%m-%d} {self.estimated_commission}"

    @property
    def is_pending(self) -> bool:
        """Still to be settled by the platform."""
        return self.status in (self.Status.PAID, self.Status.CONFIRMED)


class CommissionColumnMapping(models.Model):
    """How the shop's 精选联盟 / 百应 order export names its columns, mapped once and remembered
    per shop (the Douyin shop ID of the shop profile; empty before there is a profile)."""

    shop_key = models.CharField(_("shop"), max_length=64, unique=True, blank=True)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commission export column mapping")
        verbose_name_plural = _("commission export column mappings")

    def __str__(self) -> str:
        return self.shop_key or "—"


class FollowUpPlan(models.Model):
    class NextStep(models.TextChoices):
        SELF_OPERATE = "self_operate", _("run the account ourselves")
        NEW_AGENCY = "new_agency", _("engage a new agency")
        NEW_CREATORS = "new_creators", _("work with new creators")
        ADJUST_MARKETING = "adjust_marketing", _("adjust the marketing plan")
        OTHER = "other", _("other")

    case = models.OneToOneField(TerminationCase, on_delete=models.CASCADE, related_name="plan")
    next_step = models.CharField(_("what comes next"), max_length=20, choices=NextStep)
    details = models.TextField(_("details"), blank=True)
    review_on = models.DateField(_("review on"))
    engage_again = models.BooleanField(_("may this partner be engaged again?"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The review the plan asked for, recorded when it happens (a closed case included).
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_outcome = models.TextField(_("outcome of the review"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")

    def __str__(self) -> str:
        return self.get_next_step_display()


class Notice(models.Model):
    """One row per letter version. Once issued, everything it shows is frozen in `snapshot` and
    the PDF bytes are stored with their SHA-256; an issued letter never changes."""

    class Kind(models.TextChoices):
        TERMINATION = "termination", _("termination notice (解除合同通知书)")
        CURE = "cure", _("cure notice (催告及附条件解除通知)")
        OPEN_ENDED = "open_ended", _("notice ending an open-ended cooperation (终止合作通知函)")
        MUTUAL = "mutual", _("confirmation of mutual termination (解除协议确认函)")
        WITHDRAWAL = "withdrawal", _("withdrawal of a dispatched letter (撤回通知)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        ISSUED = "issued", _("issued")
        SUPERSEDED = "superseded", _("superseded")

    class Language(models.TextChoices):
        ZH = "zh", _("Chinese")
        EN = "en", _("English")
        BILINGUAL = "bilingual", _("Chinese and English (Chinese prevails)")

    class Origin(models.TextChoices):
        GENERATED = "generated", _("generated here")
        EXTERNAL = "external", _("drafted outside the desk")

    case = models.ForeignKey(TerminationCase, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind of letter"), max_length=12, choices=Kind)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.GENERATED)
    sequence = models.PositiveSmallIntegerField(_("letter number in the case"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    language = models.CharField(_("language"), max_length=10, choices=Language, default=Language.ZH)
    facts = models.TextField(_("facts (as the letter states them)"), blank=True)
    facts_en = models.TextField(_("facts (English)"), blank=True)
    demands = models.TextField(_("particular demands"), blank=True)
    demands_en = models.TextField(_("particular demands (English)"), blank=True)
    # A termination date fixed in the letter (DOMAIN.md §6): no earlier than the rule allows for
    # a dispatch on the day of issue plus a delivery buffer; the later of the two governs.
    fixed_end_date = models.DateField(
        _("fixed termination date"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. The letter then says the contract ends on this date, or at the end of "
            "the notice period after arrival if that is later."
        ),
    )
    cure_period_days = models.PositiveSmallIntegerField(
        _("cure period (days)"), null=True, blank=True
    )
    withdraws = models.ForeignKey(
        "self",
        verbose_name=_("withdraws letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_by",
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("corrects letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    letter_number = models.CharField(
        _("letter number"), max_length=40, unique=True, null=True, blank=True
    )
    verification_code = models.CharField(
        _("verification code"), max_length=20, unique=True, null=True, blank=True
    )
    snapshot = models.JSONField(_("frozen contents"), default=dict, blank=True)
    # The end of the cooperation the issued letter states to the partner (its end date and
    # handover deadline), if it states one: what a later change of the end date is checked against.
    stated_end_date = models.DateField(_("end date stated in the letter"), null=True, blank=True)
    pdf = DownloadFileField(
        _("PDF"), upload_to="letters/%Y/", blank=True, download_route="terminations:notice_pdf"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    signed_by = models.CharField(
        _("digitally signed by"),
        max_length=300,
        blank=True,
        help_text=_(
            "The signing certificate's subject when the letter was issued; blank if unsigned."
        ),
    )
    scanned_copy = DownloadFileField(
        _("stamped copy as sent"),
        upload_to="letters/scans/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:notice_scan",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["sequence", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "sequence", "version"], name="notice_unique_version"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "superseded"]) | Q(issued_at__isnull=False),
                name="notice_issued_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "superseded"], origin="generated")
                | ~Q(sha256=""),
                name="notice_issued_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return self.letter_number or f"{self.case.reference}-L{self.sequence}-v{self.version}"

    @property
    def number_or_draft(self) -> str:
        return self.letter_number or f"{self.case.reference}-L{self.sequence}-v{self.version}"

    @property
    def is_issued(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.SUPERSEDED)


class Delivery(models.Model):
    """One channel by which a letter was sent, and what is proven of its arrival."""

    class Method(models.TextChoices):
        COURIER = "courier", _("courier (EMS) with tracking")
        EMAIL = "email", _("e-mail")
        PLATFORM = "platform", _("platform or messaging account")
        IN_PERSON = "in_person", _("handed over in person")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField(_("method"), max_length=10, choices=Method)
    reference = models.CharField(
        _("tracking number or message reference"), max_length=120, blank=True
    )
    address = models.CharField(_("sent to"), max_length=300, blank=True)
    dispatched_on = models.DateField(_("dispatched on"))
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    refused = models.BooleanField(_("refused"), default=False)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    evidence = DownloadFileField(
        _("evidence"),
        upload_to="letters/deliveries/%Y/",
        blank=True,
        validators=[validate_document],
        download_route="terminations:delivery_evidence",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["dispatched_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(arrived_on__gte=F("dispatched_on")),
                name="delivery_arrival_after_dispatch",
            ),
            models.CheckConstraint(
                condition=Q(refused_on__isnull=True) | Q(refused_on__gte=F("dispatched_on")),
                name="delivery_refusal_after_dispatch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.dispatched_on}"


# --- Reminders (dashboard part) -----------------------------------------------------------


class UserPreference(models.Model):
    """The language a user's reminders are written in (the interface itself uses the cookie)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language for reminders"), max_length=10, choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} {self.language}"


class Reminder(models.Model):
    """A reminder that went out. The unique key makes each one go out once, however often
    `send_reminders` runs."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        DIGEST = "digest", _("managers' daily digest")
        WEBHOOK = "webhook", _("group webhook")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        TerminationCase, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    contract = models.ForeignKey(
        "partners.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.key


class CalendarCheck(models.Model):
    """The holiday calendar of a year as the open cases' end dates were last checked against it
    (a fingerprint of its rest and working days): a re-check only looks again where it changed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar check")
        verbose_name_plural = _("calendar checks")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {self.fingerprint[:12]}"


__all__ = [
    "AccountControl",
    "Basis",
    "CalendarCheck",
    "CaseCounter",
    "CaseEvent",
    "Commission",
    "CommissionColumnMapping",
    "CureOutcome",
    "Delivery",
    "EvidenceFile",
    "FollowUpPlan",
    "HandoverItem",
    "NegotiationEntry",
    "NoDemandGround",
    "Notice",
    "PenaltyDirection",
    "ReasonCategory",
    "Reminder",
    "SettlementLine",
    "Stage",
    "TerminationCase",
    "UserPreference",
]


class ReminderFailure(models.Model):
    """A reminder that could not be sent, and how often it failed the same way in a row. After
    `GIVE_UP_AFTER` identical failures it is no longer retried and shows on the dashboard until
    someone fixes the cause (issue 15, F7); a success or a different error starts over."""

    GIVE_UP_AFTER = 3

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(_("channel"), max_length=10, choices=Reminder.Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        TerminationCase, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    error = models.CharField(_("error"), max_length=500)
    count = models.PositiveSmallIntegerField(_("failures in a row"), default=1)
    first_failed_at = models.DateTimeField(_("first failed at"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder that failed")
        verbose_name_plural = _("reminders that failed")
        ordering = ["-last_failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key} ×{self.count}: {self.error}"

    @property
    def given_up(self) -> bool:
        return self.count >= self.GIVE_UP_AFTER


# --- Letters sent from the desk by e-mail, and the partner's page ---------------------------


class LetterEmail(models.Model):
    """One e-mail of an issued letter sent from the desk to one address: the dispatch record.

    It keeps the exact message (.eml bytes and their SHA-256), its Message-ID and the mail
    server's replies. The relay's acceptance is not arrival: arrival is proven by the partner's
    acknowledgment (or other evidence) and confirmed by staff on the delivery."""

    class Purpose(models.TextChoices):
        NOTICE = "notice", _("notice to the e-mail address the contract designates")
        COPY = "copy", _("copy to the party copied (抄送)")
        COURTESY = "courtesy", _("courtesy copy (not a notice)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("accepted by the mail server")
        FAILED = "failed", _("failed; will be retried")
        GAVE_UP = "gave_up", _("failed; no more retries")
        UNKNOWN = "unknown", _("outcome unknown: a manager decides")
        ABANDONED = "abandoned", _("not sent again (manager's decision)")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="emails")
    delivery = models.OneToOneField(
        Delivery,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="email",
        verbose_name=_("delivery"),
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose)
    recipient = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    designated_by = models.CharField(_("clause designating the address"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True, db_index=True)
    eml = DownloadFileField(
        _("message as sent (.eml)"),
        upload_to="letters/emails/%Y/",
        blank=True,
        download_route="terminations:letter_email_eml",
    )
    eml_sha256 = models.CharField(_("SHA-256 of the message"), max_length=64, blank=True)
    eml_timestamp = models.TextField(
        _("RFC 3161 timestamp of the message's SHA-256 (base64)"), blank=True
    )
    server_reply = models.TextField(_("mail server's replies"), blank=True)
    sent_at = models.DateTimeField(_("accepted by the mail server at"), null=True, blank=True)
    token_hash = models.CharField(_("link token (SHA-256)"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires at"))
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    resends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resent_as",
        verbose_name=_("sends again"),
    )

    class Meta:
        verbose_name = _("e-mail of a letter")
        verbose_name_plural = _("e-mails of letters")
        ordering = ["requested_at", "pk"]
        constraints = [
            # A double click sends once: one live e-mail per letter, purpose and address.
            models.UniqueConstraint(
                fields=["notice", "purpose", "recipient"],
                condition=Q(status__in=["queued", "sending", "sent", "failed", "unknown"]),
                name="letteremail_one_live_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.recipient}"

    @property
    def is_notice(self) -> bool:
        return self.purpose == self.Purpose.NOTICE


class PartnerPageRecord(models.Model):
    """What happened on the partner's page of one e-mail: opened, downloaded, acknowledged,
    asked for a code, accepted. Time, IP address and browser are kept for the retention period
    (settings.PARTNER_PAGE_RETENTION_DAYS), then the address and browser are erased."""

    class Kind(models.TextChoices):
        VIEWED = "viewed", _("page opened")
        DOWNLOADED = "downloaded", _("letter downloaded")
        ACKNOWLEDGED = "acknowledged", _("receipt acknowledged")
        CODE_SENT = "code_sent", _("one-time code sent")
        CODE_WRONG = "code_wrong", _("wrong one-time code")
        ACCEPTED = "accepted", _("confirmation accepted")

    email = models.ForeignKey(LetterEmail, on_delete=models.CASCADE, related_name="page_records")
    kind = models.CharField(_("what"), max_length=12, choices=Kind)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    erased = models.BooleanField(_("address and browser erased"), default=False)

    class Meta:
        verbose_name = _("partner page record")
        verbose_name_plural = _("partner page records")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class OnlineAcceptance(models.Model):
    """A partner's online acceptance of a confirmation of mutual termination: the signer, the
    one-time code sent to the contract's notice e-mail, and the accepted confirmation (the
    frozen letter plus an acceptance page) as a new frozen PDF. It counts as the countersigned
    copy only after a manager confirms the signer's authority."""

    email = models.ForeignKey(LetterEmail, on_delete=models.PROTECT, related_name="acceptances")
    signer_name = models.CharField(_("signer's name"), max_length=100)
    signer_position = models.CharField(_("signer's position"), max_length=100)
    signer_company = models.CharField(_("company"), max_length=200)
    code_hash = models.CharField(_("one-time code (SHA-256)"), max_length=64)
    code_sent_to = models.EmailField(_("code sent to"))
    code_sent_at = models.DateTimeField(_("code sent at"), default=timezone.now)
    code_attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    pdf = DownloadFileField(
        _("accepted confirmation (PDF)"),
        upload_to="letters/accepted/%Y/",
        blank=True,
        download_route="terminations:acceptance_pdf",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    authority_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authority_confirmed_at = models.DateTimeField(
        _("signer's authority confirmed at"), null=True, blank=True
    )
    authority_note = models.TextField(_("how the authority was checked"), blank=True)

    class Meta:
        verbose_name = _("online acceptance")
        verbose_name_plural = _("online acceptances")
        ordering = ["code_sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.signer_company})"
