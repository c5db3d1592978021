from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.downloads import DownloadImageField
from core.validators import validate_image

credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("A unified social credit code has 18 characters: digits and capital letters."),
    code="credit_code",
)


class ShopProfile(models.Model):
    """The sender of every letter. One per installation; managers edit it."""

    legal_name = models.CharField(_("company legal name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    address = models.CharField(_("registered address"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Letters sent from the desk come from this address: the operator must publish SPF, DKIM and
    # DMARC for its domain (README), or the partner's server may reject or bin the notice.
    sender_email = models.EmailField(
        _("sender address for letters sent by e-mail"),
        blank=True,
        help_text=_(
            "Letters e-mailed from the desk come from this address. Its domain must allow the "
            "desk's mail server (SPF, DKIM and DMARC: see the README)."
        ),
    )
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account_name = models.CharField(_("account name"), max_length=200, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=64, blank=True)
    dispute_forum = models.CharField(
        _("dispute forum"),
        max_length=200,
        blank=True,
        help_text=_(
            "E.g. the people's court where the shop is domiciled, or an arbitration commission."
        ),
    )
    shop_name = models.CharField(_("Douyin shop name"), max_length=200)
    shop_id = models.CharField(_("Douyin shop ID"), max_length=64)
    # Managers only: a seal image can be forged with.
    seal_image = DownloadImageField(
        _("seal image"),
        upload_to="seal/",
        blank=True,
        validators=[validate_image],
        download_route="shop_seal",
        download_kwargs=lambda profile: {},
    )
    # The certificate issued letters are signed with: a PKCS#12 file (base64) and its password,
    # each a Fernet token (partners.fields.encrypt, DJANGO_FIELD_ENCRYPTION_KEY). Decrypted only
    # to sign or to describe it (core/certificates.py); never downloadable, not in the admin.
    signing_pkcs12_encrypted = models.TextField(
        _("signing certificate (encrypted)"), blank=True, default="", editable=False
    )
    signing_password_encrypted = models.TextField(
        _("signing certificate password (encrypted)"), blank=True, default="", editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shop profile")
        verbose_name_plural = _("shop profile")
        constraints = [
            # One row per installation: the primary key is always 1.
            models.CheckConstraint(condition=models.Q(pk=1), name="shopprofile_singleton"),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @classmethod
    def load(cls) -> "ShopProfile | None":
        return cls.objects.filter(pk=1).first()


class CalendarDay(models.Model):
    """An official holiday or make-up working day for a year the `holidays` package does not yet
    carry. Entered by an administrator the day the State Council publishes the year's arrangement."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("statutory holiday (rest day)")
        WORKDAY = "workday", _("make-up working day (调休)")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose official arrangement has been entered in full in `CalendarDay`, which makes
    dates in it confirmed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
