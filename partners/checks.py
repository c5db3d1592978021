"""System checks for the partner register."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_field_encryption_key(app_configs=None, **kwargs) -> list[Error]:
    """ID numbers are stored encrypted; without a key they can be neither written nor read.
    Development derives one from SECRET_KEY; production must set its own and keep it."""
    if settings.FIELD_ENCRYPTION_KEYS:
        return []
    return [
        Error(
            "DJANGO_FIELD_ENCRYPTION_KEY is not set: creators' ID numbers, stored encrypted, "
            "can be neither saved nor read.",
            hint='Generate one with `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`, set it in the environment of every '
            "process, and keep it with the backups: a backup cannot be read without it.",
            id="partners.E001",
        )
    ]
