"""The shop's signing certificate: where it comes from, whether it can sign, and what the shop
profile page may show of it.

A certificate is a PKCS#12 file (.p12/.pfx: the private key, its certificate and the issuer's
chain) with its password. It comes from the operator (`SIGNING_PKCS12_PATH`, which wins) or from a
manager's upload on the shop profile, stored encrypted at rest with the field-encryption key
(partners/fields.py). Nothing here hands out the file or the key: the page shows the subject,
issuer, validity and fingerprint; terminations/letters/signing.py signs with it.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import roles
from core.models import ShopProfile

# A PKCS#12 file with its chain is a few KB; anything this large is not one.
MAX_PKCS12_BYTES = 256 * 1024

OPERATOR = "operator"
PROFILE = "profile"


class CertificateProblem(ValueError):
    """The certificate cannot sign. ``str(problem)`` is a translated message for a manager."""


@dataclass(frozen=True)
class SigningCertificate:
    """A PKCS#12 file opened with its password."""

    certificate: x509.Certificate
    private_key: (
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey
    )
    chain: tuple[x509.Certificate, ...]

    @property
    def subject(self) -> str:
        return readable_name(self.certificate.subject)

    @property
    def issuer(self) -> str:
        return readable_name(self.certificate.issuer)

    @property
    def not_before(self) -> datetime.datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> datetime.datetime:
        return self.certificate.not_valid_after_utc

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, as certificate viewers show it (AB:CD:…)."""
        return self.certificate.fingerprint(hashes.SHA256()).hex(":").upper()

    def check_current(self, now: datetime.datetime | None = None) -> None:
        """Refuse a certificate outside its validity: its signatures would not be valid."""
        now = now or timezone.now()
        if now > self.not_after:
            raise CertificateProblem(
                _("The signing certificate expired on %(date)s.")
                % {"date": date_format(timezone.localtime(self.not_after), "Y-m-d")}
            )
        if now < self.not_before:
            raise CertificateProblem(
                _("The signing certificate is not valid before %(date)s.")
                % {"date": date_format(timezone.localtime(self.not_before), "Y-m-d H:i")}
            )


def readable_name(name: x509.Name) -> str:
    """A certificate's subject or issuer as a person reads it: the common name, with the
    organisation in brackets where it says more; the full name where neither is present."""

    def first(oid: x509.ObjectIdentifier) -> str:
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value).strip() if values else ""

    common, organisation = first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)
    if common and organisation and organisation not in common:
        return f"{common} ({organisation})"
    return common or organisation or name.rfc4514_string()


def _probe_signature(key, certificate: x509.Certificate) -> None:
    """Sign a few bytes with the key and check them with the certificate: proves both that the
    key can sign and that it belongs to the certificate."""
    if not isinstance(
        key,
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        raise CertificateProblem(
            _("The file's key cannot sign letters: use an RSA, EC or Ed25519 key.")
        )
    probe = b"termination-desk signing probe"
    public = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPrivateKey):
            public.verify(
                key.sign(probe, padding.PKCS1v15(), hashes.SHA256()),
                probe,
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            public.verify(
                key.sign(probe, ec.ECDSA(hashes.SHA256())), probe, ec.ECDSA(hashes.SHA256())
            )
        else:
            public.verify(key.sign(probe), probe)
    except (InvalidSignature, TypeError, ValueError, UnsupportedAlgorithm, AttributeError):
        raise CertificateProblem(
            _("The private key in the file does not belong to its certificate.")
        ) from None


def read_pkcs12(data: bytes, password: str) -> SigningCertificate:
    """Open a PKCS#12 file; a CertificateProblem says why it cannot be used to sign. Validity
    dates are checked separately (`check_current`): an expired certificate can still be shown.

    Opening one costs tens of milliseconds (the file's key derivation, on purpose slow), and a
    letter is signed and then checked: the last few opened are kept by this process (a failure
    is not kept, and a replaced or removed certificate is simply not asked for again)."""
    return _read_pkcs12(data, password)


@lru_cache(maxsize=4)
def _read_pkcs12(data: bytes, password: str) -> SigningCertificate:
    if not data or len(data) > MAX_PKCS12_BYTES:
        raise CertificateProblem(_("This is not a PKCS#12 certificate file (.p12 or .pfx)."))
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise CertificateProblem(
            _(
                "The certificate file could not be opened: the password is wrong, or it is not a "
                "PKCS#12 file (.p12 or .pfx)."
            )
        ) from None
    if certificate is None or key is None:
        raise CertificateProblem(
            _("The file must hold both the certificate and its private key; this one does not.")
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    except ValueError:  # a malformed extension
        raise CertificateProblem(_("The certificate's extensions cannot be read.")) from None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise CertificateProblem(
            _(
                "The certificate is not made for signatures: its key usage allows neither "
                "digital signature nor non-repudiation."
            )
        )
    _probe_signature(key, certificate)
    return SigningCertificate(certificate=certificate, private_key=key, chain=tuple(chain))


def load_signing_pkcs12(data: bytes, password: str) -> SigningCertificate:
    """A certificate that can sign today, or a CertificateProblem."""
    opened = read_pkcs12(data, password)
    opened.check_current()
    return opened


# --- Where the certificate comes from ----------------------------------------------------


def active_source() -> str:
    """OPERATOR, PROFILE or "" (none): which certificate signs, without opening it."""
    if settings.SIGNING_PKCS12_PATH:
        return OPERATOR
    stored = ShopProfile.objects.filter(pk=1).exclude(signing_pkcs12_encrypted="").exists()
    return PROFILE if stored else ""


def _decrypt(token: str) -> str:
    from partners.fields import decrypt

    try:
        return decrypt(token)
    except ImproperlyConfigured:
        raise CertificateProblem(
            _(
                "The stored signing certificate cannot be decrypted with the installation's "
                "encryption key (DJANGO_FIELD_ENCRYPTION_KEY): set the key it was stored with, or "
                "upload the certificate again."
            )
        ) from None


def stored_pkcs12(profile: ShopProfile) -> tuple[bytes, str] | None:
    """The uploaded PKCS#12 file and its password, decrypted; None when none is stored."""
    if not profile.signing_pkcs12_encrypted:
        return None
    try:
        data = base64.b64decode(_decrypt(profile.signing_pkcs12_encrypted), validate=True)
    except binascii.Error:
        raise CertificateProblem(
            _("The stored signing certificate is damaged: upload it again.")
        ) from None
    password = (
        _decrypt(profile.signing_password_encrypted) if profile.signing_password_encrypted else ""
    )
    return data, password


def operator_pkcs12() -> tuple[bytes, str]:
    """The PKCS#12 file the operator named, and its password."""
    path = Path(settings.SIGNING_PKCS12_PATH)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CertificateProblem(
            _(
                "The signing certificate file set by the operator (DJANGO_SIGNING_PKCS12_PATH) "
                "cannot be read: %(error)s"
            )
            % {"error": error.strerror or error}
        ) from None
    return data, settings.SIGNING_PKCS12_PASSWORD


def active_pkcs12() -> tuple[str, bytes, str] | None:
    """(source, PKCS#12 bytes, password) of the certificate letters are signed with."""
    if settings.SIGNING_PKCS12_PATH:
        return (OPERATOR, *operator_pkcs12())
    profile = ShopProfile.load()
    stored = stored_pkcs12(profile) if profile is not None else None
    return (PROFILE, *stored) if stored else None


def active_certificate() -> SigningCertificate | None:
    """The certificate letters are signed with, checked to sign today; None without one.
    CertificateProblem when there is one that cannot sign."""
    active = active_pkcs12()
    if active is None:
        return None
    _source, data, password = active
    return load_signing_pkcs12(data, password)


@dataclass(frozen=True)
class CertificateStatus:
    """What the shop profile page shows a manager."""

    source: str  # OPERATOR, PROFILE or ""
    certificate: SigningCertificate | None
    problem: str
    upload_stored: bool  # an uploaded certificate is stored (used unless the operator's wins)


def certificate_status(profile: ShopProfile | None) -> CertificateStatus:
    upload_stored = bool(profile is not None and profile.signing_pkcs12_encrypted)
    source = OPERATOR if settings.SIGNING_PKCS12_PATH else (PROFILE if upload_stored else "")
    if not source:
        return CertificateStatus("", None, "", False)
    certificate, problem = None, ""
    try:
        data, password = operator_pkcs12() if source == OPERATOR else stored_pkcs12(profile)
        certificate = read_pkcs12(data, password)
        certificate.check_current()
    except CertificateProblem as error:
        problem = str(error)
    return CertificateStatus(source, certificate, problem, upload_stored)


# --- Services: a manager stores or removes the uploaded certificate ------------------------


def shop_certificate_store(*, profile: ShopProfile, pkcs12_data: bytes, password: str, by) -> None:
    """Keep an uploaded certificate, encrypted; it must open with its password and sign today."""
    from partners.fields import encrypt

    if not roles.is_manager(by):
        raise PermissionDenied
    loaded = load_signing_pkcs12(pkcs12_data, password)
    _read_pkcs12.cache_clear()  # the key of the certificate replaced leaves this process
    profile.signing_pkcs12_encrypted = encrypt(base64.b64encode(pkcs12_data).decode("ascii"))
    profile.signing_password_encrypted = encrypt(password) if password else ""
    profile.save(
        update_fields=["signing_pkcs12_encrypted", "signing_password_encrypted", "updated_at"]
    )
    _log_change(
        profile,
        by,
        _("Signing certificate stored: %(subject)s, valid %(start)s – %(end)s, SHA-256 %(fp)s.")
        % {
            "subject": loaded.subject,
            "start": loaded.not_before.date().isoformat(),
            "end": loaded.not_after.date().isoformat(),
            "fp": loaded.fingerprint,
        },
    )


def shop_certificate_remove(*, profile: ShopProfile, by) -> None:
    if not roles.is_manager(by):
        raise PermissionDenied
    _read_pkcs12.cache_clear()
    profile.signing_pkcs12_encrypted = ""
    profile.signing_password_encrypted = ""
    profile.save(
        update_fields=["signing_pkcs12_encrypted", "signing_password_encrypted", "updated_at"]
    )
    _log_change(profile, by, _("Signing certificate removed."))


def _log_change(profile: ShopProfile, by, message: str) -> None:
    """Who changed the signing certificate, and to what, in the admin's change history of the
    shop profile (shown on the profile page too)."""
    from django.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[profile],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def certificate_history(profile: ShopProfile | None, limit: int = 5):
    """The latest recorded changes of the shop profile's certificate, newest first."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if profile is None or profile.pk is None:
        return []
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ShopProfile),
            object_id=str(profile.pk),
        )
        .select_related("user")
        .order_by("-action_time", "-pk")[:limit]
    )
