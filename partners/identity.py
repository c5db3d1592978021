"""A person's resident ID number (居民身份证号码): validation and the masked form shown everywhere.

The number itself is stored encrypted (`partners.fields.EncryptedTextField`); every page, letter
and admin form shows only `mask_id_number(...)`, e.g. 3301**********1234.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def normalise_id_number(value: str) -> str:
    """As people type it: spaces removed, a final x in capitals."""
    return "".join((value or "").split()).upper()


def id_check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    number = normalise_id_number(value)
    if not number:
        return
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError(
            _(
                "An ID number (身份证号) has 18 characters: 17 digits, then a digit or X "
                "(you entered %(count)s characters)."
            ),
            code="id_number_format",
            params={"count": len(number)},
        )
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("Characters 7–14 of an ID number are a date of birth; %(digits)s is not a date."),
            code="id_number_birth_date",
            params={"digits": number[6:14]},
        ) from None
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _(
                "This ID number's last character does not match the others (checksum): "
                "check it for a typing error."
            ),
            code="id_number_checksum",
        )


def mask_id_number(value: str) -> str:
    """The first four and last four characters, the rest as asterisks: 3301**********1234."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
