"""Digital signatures of issued letters (PAdES, with pyHanko), and what a PDF's signatures say.

Where the shop holds a signing certificate (core/certificates.py: the operator's file, else the
one a manager uploaded), the issue step signs the rendered letter before its hash is taken: an
invisible signature in an incremental update, so the PDF/A identification and every byte of the
letter stay as rendered, with an RFC 3161 timestamp where `SIGNING_TIMESTAMP_URL` is set. Anything
that keeps a letter from being signed as configured raises SigningError, whose message a manager
can act on; the issue step then refuses the letter. Without a certificate nothing is signed.

`signature_report` reads the signatures of any PDF (an upload on the verification page, a stored
letter in verify_letters) and never raises: bytes that are no PDF have no signatures.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils.translation import gettext as _

from core import certificates

logger = logging.getLogger(__name__)

__all__ = [
    "SignatureReport",
    "SigningError",
    "sign_pdf",
    "signature_report",
    "signing_configured",
    "timestamp_sha256",
]


class SigningError(Exception):
    """A letter cannot be signed (or a hash timestamped) as configured. ``str(error)`` is a
    translated message for a manager."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


def signing_configured() -> bool:
    """Whether issued letters are to be signed (a certificate is configured, usable or not)."""
    return bool(certificates.active_source())


# --- Signing ------------------------------------------------------------------------------


def _asn1_certificate(certificate: pyca_x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signer():
    """pyHanko's signer for the configured certificate, or None without one."""
    from pyhanko.sign.signers import SimpleSigner

    source = certificates.OPERATOR if settings.SIGNING_PKCS12_PATH else certificates.PROFILE
    try:
        active = certificates.active_pkcs12()
        if active is None:
            return None
        _source, data, password = active
        opened = certificates.load_signing_pkcs12(data, password)
    except certificates.CertificateProblem as problem:
        if source == certificates.PROFILE:
            message = _(
                "The letter cannot be signed with the certificate on the shop profile: "
                "%(problem)s Upload a new certificate there, or remove it to issue letters "
                "unsigned."
            )
        else:
            message = _(
                "The letter cannot be signed with the operator's certificate "
                "(DJANGO_SIGNING_PKCS12_PATH): %(problem)s"
            )
        raise SigningError(message % {"problem": problem}) from None
    from asn1crypto import keys as asn1_keys
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = asn1_keys.PrivateKeyInfo.load(
        opened.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return SimpleSigner(
        signing_cert=_asn1_certificate(opened.certificate),
        signing_key=key,
        # The issuer's chain travels in the signature, so that anyone holding the root can
        # check it.
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1_certificate(cert) for cert in opened.chain]
        ),
    )


def _timestamper():
    from pyhanko.sign.timestamps import HTTPTimeStamper

    if not settings.SIGNING_TIMESTAMP_URL:
        return None
    return HTTPTimeStamper(
        settings.SIGNING_TIMESTAMP_URL, timeout=settings.SIGNING_TIMESTAMP_TIMEOUT
    )


def _caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _timestamp_failure(error: BaseException, *, signing: bool) -> SigningError:
    """The message for a timestamp server that failed, or did not answer in time."""
    logger.warning("Timestamp server %s failed: %r", settings.SIGNING_TIMESTAMP_URL, error)
    timed_out = _caused_by(error, (TimeoutError,))
    if signing and timed_out:
        message = _(
            "The letter was not signed: the timestamp server (%(url)s) did not answer within "
            "%(seconds)s seconds. Try again later, or ask the operator to check "
            "DJANGO_SIGNING_TIMESTAMP_URL."
        )
    elif signing:
        message = _(
            "The letter was not signed: the timestamp server (%(url)s) could not be reached or "
            "refused the request. Try again later, or ask the operator to check "
            "DJANGO_SIGNING_TIMESTAMP_URL."
        )
    elif timed_out:
        message = _(
            "No timestamp was obtained: the timestamp server (%(url)s) did not answer within "
            "%(seconds)s seconds."
        )
    else:
        message = _(
            "No timestamp was obtained: the timestamp server (%(url)s) could not be reached or "
            "refused the request."
        )
    return SigningError(
        message
        % {"url": settings.SIGNING_TIMESTAMP_URL, "seconds": settings.SIGNING_TIMESTAMP_TIMEOUT}
    )


def _off_the_loop(function, *args, **kwargs):
    """pyHanko works in asyncio, and its synchronous calls start an event loop of their own,
    which cannot be done in a thread that already runs one (an async view, Playwright's sync API
    in a test): there, the call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _run_bounded(make_coroutine, *, timestamped: bool):
    """Run the coroutine `make_coroutine()` makes; with a timestamp server, the whole of it
    within the timeout (a signature asks the server twice: once to size the signature, once for
    its timestamp)."""

    async def bounded():
        if not timestamped:
            return await make_coroutine()
        return await asyncio.wait_for(make_coroutine(), timeout=settings.SIGNING_TIMESTAMP_TIMEOUT)

    return _off_the_loop(lambda: asyncio.run(bounded()))


def sign_pdf(data: bytes, *, reason: str = "", location: str = "") -> bytes:
    """`data` signed as PAdES with the shop's certificate (timestamped where a server is set),
    or `data` itself without a certificate. SigningError when it cannot be signed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    signer = _signer()
    if signer is None:
        return data
    timestamper = _timestamper()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        # A new field, named after any the file already holds (a letter signed again).
        taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    except Exception:  # pyHanko's PdfReadError and whatever a damaged file provokes
        raise SigningError(_("The letter cannot be signed: it is not a readable PDF.")) from None
    field_name = next(
        f"Signature{n}" for n in range(1, len(taken) + 2) if f"Signature{n}" not in taken
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    try:
        output = _run_bounded(
            lambda: signers.async_sign_pdf(
                writer, metadata, signer=signer, timestamper=timestamper
            ),
            timestamped=timestamper is not None,
        )
    except Exception as error:
        if timestamper is not None and _caused_by(error, (TimestampRequestError, TimeoutError)):
            raise _timestamp_failure(error, signing=True) from error
        logger.exception("Signing a letter failed")
        raise SigningError(
            _("The letter could not be signed (%(error)s).") % {"error": type(error).__name__}
        ) from error
    return output.getvalue()


def timestamp_sha256(hexdigest: str) -> bytes | None:
    """An RFC 3161 TimeStampToken (DER) over the SHA-256 `hexdigest` from the configured
    server; None when no server is set. SigningError when the server fails or is too slow."""
    timestamper = _timestamper()
    if timestamper is None:
        return None
    if not re.fullmatch(r"[0-9a-fA-F]{64}", hexdigest or ""):
        raise ValueError("timestamp_sha256 needs the 64 hex digits of a SHA-256")
    try:
        token = _run_bounded(
            lambda: timestamper.async_timestamp(bytes.fromhex(hexdigest), "sha256"),
            timestamped=True,
        )
    except Exception as error:
        raise _timestamp_failure(error, signing=False) from error
    return token.dump()


# --- Reading signatures -------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureReport:
    """One signature embedded in a PDF, as the desk judges it."""

    intact: bool  # the bytes it covers are unchanged since signing
    valid: bool  # intact, and the signature is cryptographically valid
    trusted: bool  # valid, and its certificate chains to the desk's trust roots
    signer: str
    signed_at: datetime | None  # the timestamp's time where there is one, else the signer's
    timestamped: bool  # carries an intact, valid RFC 3161 timestamp
    covers_whole_file: bool  # nothing was appended after signing

    @property
    def sound(self) -> bool:
        """Valid and covering the whole file: this exact file is what was signed."""
        return self.valid and self.covers_whole_file

    @property
    def summary(self) -> str:
        if not self.intact:
            return _("Signature NOT valid: the file was changed after signing.")
        if not self.valid:
            return _("Signature NOT valid: the signature does not match its certificate.")
        if not self.covers_whole_file:
            return _(
                "The signature by %(signer)s is valid for an earlier state of the file, but "
                "content was added to the file after signing."
            ) % {"signer": self.signer}
        if self.trusted:
            if self.timestamped:
                return _("Valid signature by %(signer)s, timestamped.") % {"signer": self.signer}
            return _("Valid signature by %(signer)s.") % {"signer": self.signer}
        if self.timestamped:
            return _(
                "Valid signature by %(signer)s, timestamped; the certificate is not one the desk "
                "trusts."
            ) % {"signer": self.signer}
        return _("Valid signature by %(signer)s; the certificate is not one the desk trusts.") % {
            "signer": self.signer
        }


def _signer_name(certificate) -> str:
    """A readable name for an asn1crypto certificate (as pyHanko hands them out)."""
    try:
        return certificates.readable_name(
            pyca_x509.load_der_x509_certificate(certificate.dump()).subject
        )
    except Exception:
        return _("unknown signer")


@lru_cache(maxsize=4)
def _roots_from_file(path: str, modified: float) -> tuple:
    return tuple(
        _asn1_certificate(cert)
        for cert in pyca_x509.load_pem_x509_certificates(Path(path).read_bytes())
    )


def trust_roots() -> list:
    """The certificates signatures are trusted to chain to (asn1crypto): the chain in the
    configured PKCS#12 (its own certificate included, for a self-signed one) and the PEM file
    `SIGNING_TRUST_ROOTS`. A file or certificate that cannot be read adds nothing (system check
    core.E002 names it)."""
    roots = []
    if settings.SIGNING_TRUST_ROOTS:
        try:
            path = Path(settings.SIGNING_TRUST_ROOTS)
            roots.extend(_roots_from_file(str(path), path.stat().st_mtime))
        except (OSError, ValueError):
            logger.warning("SIGNING_TRUST_ROOTS %s cannot be read", settings.SIGNING_TRUST_ROOTS)
    try:
        active = certificates.active_pkcs12()
        if active is not None:
            opened = certificates.read_pkcs12(active[1], active[2])
            roots.extend(_asn1_certificate(cert) for cert in (*opened.chain, opened.certificate))
    except certificates.CertificateProblem:
        pass
    return roots


def _report(signature, roots: list) -> SignatureReport:
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    try:
        signer = _signer_name(signature.signer_cert)
    except Exception:
        signer = _("unknown signer")
    try:
        status = _off_the_loop(
            validate_pdf_signature,
            signature,
            signer_validation_context=ValidationContext(trust_roots=roots),
            # Certificates for signatures carry digital signature, non-repudiation or both.
            key_usage_settings=KeyUsageConstraints(
                key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
            ),
        )
    except Exception:
        # A signature whose bytes or structure no longer add up (a changed file) can make the
        # validator fail outright rather than report: it is not intact.
        logger.info("A signature could not be validated", exc_info=True)
        return SignatureReport(
            intact=False,
            valid=False,
            trusted=False,
            signer=signer,
            signed_at=None,
            timestamped=False,
            covers_whole_file=False,
        )
    stamp = status.timestamp_validity
    timestamped = stamp is not None and stamp.intact and stamp.valid
    valid = bool(status.intact and status.valid)
    return SignatureReport(
        intact=bool(status.intact),
        valid=valid,
        trusted=valid and status.trusted,
        signer=signer,
        signed_at=stamp.timestamp if timestamped else status.signer_reported_dt,
        timestamped=timestamped,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )


def signature_report(data: bytes) -> list[SignatureReport]:
    """One report per signature embedded in `data`, in signing order; [] for an unsigned PDF or
    for bytes that are not a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data or b"%PDF-" not in data[:1024]:
        return []
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures
    except Exception:
        return []
    if not signatures:
        return []
    roots = trust_roots()
    return [_report(signature, roots) for signature in signatures]
