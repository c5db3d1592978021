"""Certificates made in the tests with `cryptography`: a CA, a signer certified by it for
signatures (digital signature and content commitment), bundled as a PKCS#12 file as a shop's
certificate authority would hand it over, and a time-stamping authority for pyHanko's test
timestamper. Nothing here touches Django, so any test (or the bench) can use it.

    bundle = signing_bundle()          # made once per process, shared
    bundle.pkcs12, bundle.password     # what a manager uploads
    bundle.ca_pem                      # what SIGNING_TRUST_ROOTS would name
    make_signing_bundle(expired=True)  # a fresh one, with its own keys
"""

from __future__ import annotations

import datetime
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNER_NAME = "杭州青禾电子商务有限公司 电子签章"
SIGNER_ORGANISATION = "杭州青禾电子商务有限公司"
CA_NAME = "Test Signing CA (tests only)"
PASSWORD = "p12-pass-word-2026"


@dataclass(frozen=True)
class SigningBundle:
    pkcs12: bytes
    password: str
    ca_pem: bytes
    ca_cert: x509.Certificate
    signer_cert: x509.Certificate
    signer_key: rsa.RSAPrivateKey

    @property
    def fingerprint(self) -> str:
        """The signer certificate's SHA-256, upper-case hex pairs joined by colons."""
        return self.signer_cert.fingerprint(hashes.SHA256()).hex(":").upper()


def _name(common_name: str, organisation: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _key_usage(*, digital_signature: bool, content_commitment: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(common_name: str = CA_NAME) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = _key()
    now = _now()
    name = _name(common_name, "Termination desk tests")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            _key_usage(digital_signature=False, content_commitment=False, ca=True), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue_certificate(
    *,
    ca: tuple[x509.Certificate, rsa.RSAPrivateKey],
    common_name: str,
    organisation: str = "",
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    digital_signature: bool = True,
    content_commitment: bool = True,
    extended_usage: list[x509.ObjectIdentifier] | None = None,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    ca_cert, ca_key = ca
    key = _key()
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            _key_usage(
                digital_signature=digital_signature,
                content_commitment=content_commitment,
                ca=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if extended_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=True)
    return builder.sign(ca_key, hashes.SHA256()), key


def make_signing_bundle(
    *,
    password: str = PASSWORD,
    expired: bool = False,
    digital_signature: bool = True,
    content_commitment: bool = True,
    common_name: str = SIGNER_NAME,
    organisation: str = SIGNER_ORGANISATION,
) -> SigningBundle:
    """A new CA and a signer certified by it, the signer's key, certificate and the CA bundled
    as PKCS#12 encrypted with `password` (empty: unencrypted)."""
    ca = make_ca()
    now = _now()
    cert, key = issue_certificate(
        ca=ca,
        common_name=common_name,
        organisation=organisation,
        not_before=now - datetime.timedelta(days=400) if expired else None,
        not_after=now - datetime.timedelta(days=2) if expired else None,
        digital_signature=digital_signature,
        content_commitment=content_commitment,
    )
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(
        name=b"shop-signing", key=key, cert=cert, cas=[ca[0]], encryption_algorithm=encryption
    )
    return SigningBundle(
        pkcs12=data,
        password=password,
        ca_pem=ca[0].public_bytes(serialization.Encoding.PEM),
        ca_cert=ca[0],
        signer_cert=cert,
        signer_key=key,
    )


@lru_cache(maxsize=1)
def signing_bundle() -> SigningBundle:
    """One valid bundle per process (RSA keys take a moment to make)."""
    return make_signing_bundle()


def signing_pkcs12() -> bytes:
    return signing_bundle().pkcs12


def signing_password() -> str:
    return signing_bundle().password


def ca_cert_pem() -> bytes:
    return signing_bundle().ca_pem


@lru_cache(maxsize=1)
def tsa_certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey, x509.Certificate]:
    """A time-stamping authority (RSA: pyHanko's DummyTimeStamper signs with RSA only), certified
    by a CA of its own: (TSA certificate, TSA key, TSA's CA certificate)."""
    ca = make_ca("Test Time-Stamping CA (tests only)")
    cert, key = issue_certificate(
        ca=ca,
        common_name="Test TSA (tests only)",
        organisation="Termination desk tests",
        digital_signature=True,
        content_commitment=False,
        extended_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    return cert, key, ca[0]


def dummy_timestamper():
    """pyHanko's test timestamper, signing as the TSA above."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key, _ca = tsa_certificate()
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


class _TimestampHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        from asn1crypto import tsp

        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Type") != "application/timestamp-query":
            self.send_error(415)
            return
        reply = self.server.timestamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        self.server.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def running_timestamp_server():
    """pyHanko's DummyTimeStamper answering RFC 3161 requests over HTTP on a free port; the
    server counts the requests it answered (`requests`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TimestampHandler)
    server.timestamper = dummy_timestamper()
    server.requests = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
