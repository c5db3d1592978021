from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.models import CalendarDay, CalendarYear, ShopProfile


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose lookup of a number too large for the database (SQLite raises
    OverflowError) is an invalid choice, not a 500."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ShopProfileForm(forms.ModelForm):
    class Meta:
        model = ShopProfile
        fields = [
            "legal_name",
            "credit_code",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "sender_email",
            "bank_name",
            "bank_account_name",
            "bank_account_number",
            "dispute_forum",
            "shop_name",
            "shop_id",
            "seal_image",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SigningCertificateForm(forms.Form):
    """The shop's signing certificate, on the shop profile page (managers only): upload a
    PKCS#12 file with its password, or remove the stored one. The file must open with the
    password, hold a key that can sign and a certificate valid today."""

    signing_certificate = forms.FileField(
        label=_("signing certificate (PKCS#12 file: .p12 or .pfx)"),
        required=False,
        help_text=_(
            "The certificate and private key the shop's certificate authority issued for "
            "signing documents. Issued letters are signed with it."
        ),
    )
    signing_password = forms.CharField(
        label=_("password of the certificate file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    remove_signing_certificate = forms.BooleanField(
        label=_("Remove the stored signing certificate (letters are then issued unsigned)"),
        required=False,
    )

    def __init__(self, *args, has_stored: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_stored:
            del self.fields["remove_signing_certificate"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.pkcs12_data: bytes | None = None

    def clean(self) -> dict:
        from core.certificates import MAX_PKCS12_BYTES, CertificateProblem, load_signing_pkcs12

        cleaned = super().clean()
        upload = cleaned.get("signing_certificate")
        password = cleaned.get("signing_password") or ""
        if upload and cleaned.get("remove_signing_certificate"):
            raise forms.ValidationError(
                _("Upload a new certificate or remove the stored one, not both.")
            )
        if not upload:
            if password:
                self.add_error(
                    "signing_certificate",
                    _("The password goes with a certificate file: choose the file too."),
                )
            return cleaned
        if upload.size > MAX_PKCS12_BYTES:
            self.add_error("signing_certificate", _("This file is too large to be a certificate."))
            return cleaned
        data = upload.read()
        try:
            load_signing_pkcs12(data, password)
        except CertificateProblem as problem:
            self.add_error("signing_certificate", str(problem))
        else:
            self.pkcs12_data = data
        return cleaned


def _parse_days(text: str, year: int) -> tuple[dict[date, str], list[str]]:
    """Lines of "YYYY-MM-DD name" or "YYYY-MM-DD..YYYY-MM-DD name" → {day: name}, errors."""
    days: dict[date, str] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        when, _sep, name = line.partition(" ")
        first, _dots, last = when.partition("..")
        try:
            start = date.fromisoformat(first)
            end = date.fromisoformat(last) if last else start
        except ValueError:
            errors.append(
                _("Line %(n)s: “%(line)s” does not start with a date (YYYY-MM-DD).")
                % {"n": number, "line": line}
            )
            continue
        if start.year != year or end.year != year or end < start or (end - start).days > 31:
            errors.append(
                _("Line %(n)s: “%(when)s” is not a day or a short range within %(year)s.")
                % {"n": number, "when": when, "year": year}
            )
            continue
        day = start
        while day <= end:
            days[day] = name.strip()[:100]
            day += timedelta(days=1)
    return days, errors


class CalendarYearForm(forms.ModelForm):
    """A year's official holiday arrangement as the State Council notice lists it: its rest days
    and its make-up working days (调休), checked against what the law already fixes."""

    rest_days = forms.CharField(
        label=_("rest days"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
        help_text=_(
            "One line per day or range, as the notice lists them: “2027-01-01 元旦” or "
            "“2027-02-05..2027-02-11 春节”. Every statutory day of the year must be among them."
        ),
    )
    working_days = forms.CharField(
        label=_("make-up working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Saturdays and Sundays that are working days, one per line: “2027-02-14 调休”."
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "published_on", "source"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = CalendarDay.objects.filter(day__year=self.instance.year)
            lines = {kind: [] for kind in CalendarDay.Kind.values}
            for row in rows:
                lines[row.kind].append(f"{row.day.isoformat()} {row.name}".strip())
            self.initial["rest_days"] = "\n".join(lines[CalendarDay.Kind.HOLIDAY])
            self.initial["working_days"] = "\n".join(lines[CalendarDay.Kind.WORKDAY])
        self.rest: dict[date, str] = {}
        self.working: dict[date, str] = {}

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2099:
            raise forms.ValidationError(_("Enter a year from 2000 to 2099."))
        if year <= settings.HOLIDAYS_CONFIRMED_THROUGH:
            raise forms.ValidationError(
                _(
                    "The official arrangement for %(year)s comes from the calendar package "
                    "(TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH is %(through)s); an entry here "
                    "would be ignored."
                )
                % {"year": year, "through": settings.HOLIDAYS_CONFIRMED_THROUGH}
            )
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        year = cleaned.get("year")
        if year is None:
            return cleaned
        from terminations.rules.calendar import statutory_days

        self.rest, rest_errors = _parse_days(cleaned.get("rest_days") or "", year)
        self.working, work_errors = _parse_days(cleaned.get("working_days") or "", year)
        if rest_errors:
            self.add_error("rest_days", rest_errors)
        if work_errors:
            self.add_error("working_days", work_errors)
        if rest_errors or work_errors:
            return cleaned
        weekdays = [day for day in self.working if day.weekday() < 5]
        if weekdays:
            self.add_error(
                "working_days",
                _("A make-up working day is a Saturday or Sunday; these are not: %(days)s.")
                % {"days": ", ".join(day.isoformat() for day in sorted(weekdays))},
            )
        both = sorted(set(self.rest) & set(self.working))
        if both:
            self.add_error(
                "working_days",
                _("These days are listed as rest days too: %(days)s.")
                % {"days": ", ".join(day.isoformat() for day in both)},
            )
        statutory = statutory_days(year)
        missing = sorted(day for day in statutory if day not in self.rest)
        if missing:
            self.add_error(
                "rest_days",
                _(
                    "The statutory days of art. 2 of the national holiday rules are rest days in "
                    "every year; these are missing: %(days)s."
                )
                % {"days": ", ".join(f"{day.isoformat()} {statutory[day]}" for day in missing)},
            )
        return cleaned

    def save_days(self) -> None:
        """Replace the year's calendar rows with the arrangement entered (after the year row)."""
        year = self.instance.year
        CalendarDay.objects.filter(day__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(day=day, kind=CalendarDay.Kind.HOLIDAY, name=name)
                for day, name in sorted(self.rest.items())
            ]
            + [
                CalendarDay(day=day, kind=CalendarDay.Kind.WORKDAY, name=name)
                for day, name in sorted(self.working.items())
            ]
        )
