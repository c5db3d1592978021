"""A model field whose value is encrypted at rest, and the write-only form input that goes with it.

The database column holds a Fernet token (AES-128-CBC with an HMAC, from `cryptography`), made
with the first key of `settings.FIELD_ENCRYPTION_KEYS` (`DJANGO_FIELD_ENCRYPTION_KEY`, comma-
separated for rotation: every key listed decrypts, the first encrypts). An empty value stays
empty, so "is there one?" needs no key. A database dump or backup is useless without the key:
backups must keep it (README). Tokens are randomised, so the column cannot be searched or
compared; only `isnull` and `exact` (for the empty value) lookups are offered.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEY is not set: encrypted fields cannot be read or written."
        )
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "A value encrypted at rest cannot be decrypted with DJANGO_FIELD_ENCRYPTION_KEY: "
            "set the key the data was written with (keep old keys after the new one while "
            "rotating)."
        ) from None


# Fernet tokens start with the version byte 0x80 and a timestamp's zero high bytes.
_TOKEN_PREFIX = "gAAAAA"


class KeepStored:
    """What the write-only form field returns for a blank input: keep the stored value."""

    def __repr__(self) -> str:
        return "KEEP_STORED"


KEEP_STORED = KeepStored()


class WriteOnlyInput(forms.TextInput):
    """Never renders the value it is given; shows its masked form as the placeholder."""

    def __init__(self, *args, mask=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mask = mask

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        stored = value if isinstance(value, str) else ""
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["autocomplete"] = "off"
        if stored:
            shown = self.mask(stored) if self.mask else "*" * len(stored)
            widget_attrs["placeholder"] = _("%(masked)s (recorded; leave empty to keep)") % {
                "masked": shown
            }
        else:
            widget_attrs.setdefault("placeholder", _("none recorded"))
        return context

    def format_value(self, value):
        return None


class WriteOnlyField(forms.CharField):
    """Blank means "keep what is stored"; the stored value is never sent to the browser."""

    def __init__(self, *args, mask=None, **kwargs) -> None:
        kwargs.setdefault("widget", WriteOnlyInput(mask=mask))
        kwargs["required"] = False
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value if value else KEEP_STORED

    def bound_data(self, data, initial):
        # On a form shown again with errors the placeholder speaks of what is stored, not of
        # what was typed.
        return initial

    def has_changed(self, initial, data) -> bool:
        return bool(data)


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; `mask` (a function) is how forms and pages may show it."""

    def __init__(self, *args, mask=None, **kwargs) -> None:
        self.mask = mask
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("mask", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def to_python(self, value):
        if value is None or value is KEEP_STORED:
            return value
        value = str(value)
        # A fixture written by dumpdata holds the token (see value_to_string); no plain value
        # this field keeps starts like a Fernet token.
        if value.startswith(_TOKEN_PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull", "exact"):
            return None
        return super().get_lookup(lookup_name)

    def save_form_data(self, instance, data) -> None:
        if data is KEEP_STORED:
            return
        super().save_form_data(instance, data)

    def value_to_string(self, obj) -> str:
        # Serialisation (dumpdata) writes the token, never the plain value.
        value = self.value_from_object(obj)
        return self.get_prep_value(value) or ""

    def formfield(self, **kwargs):
        # Every ModelForm, the admin's included, gets the write-only input.
        return WriteOnlyField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            max_length=self.max_length,
            mask=self.mask,
        )
