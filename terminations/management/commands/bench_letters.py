"""Performance figures of the letters, one per line as `name value unit` (for `make bench`).

letter_render_median  warm render of a two-page bilingual letter (seconds; target <= 0.4)
letter_size           its PDF size (KB; target <= 300)
letter_worker_rss     resident memory of this process after 50 renders (MiB; target <= 300)
letter_sign_median    signing that letter (PAdES, no timestamp) with a certificate made on the fly,
                      as the issue step does in a warm process (the PKCS#12 already opened once)
                      (ms; target <= 400)

The letter is built from unsaved rows, so the command needs no database content.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import override_settings

RENDERS = 50
SIGNATURES = 20


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample_snapshot() -> dict:
    """The bilingual termination notice of `make letters` (terminations/letters/samples.py):
    the same fixed, unsaved rows, so the bench renders what reviewers read."""
    from terminations.letters.samples import ISSUED_ON, agency_notice, sample_profile
    from terminations.letters.snapshot import build_snapshot

    with sample_profile():
        return build_snapshot(
            agency_notice("termination", "bilingual"),
            letter_number="TC-2026-00042-L1-v1",
            verification_code="ABCD-EFGH-JKMN",
            issued_on=ISSUED_ON,
        )


class Command(BaseCommand):
    help = "Render a two-page bilingual letter repeatedly and print the letters' figures."

    def handle(self, *args, **options) -> None:
        from terminations.letters.render import render_pdf

        snapshot = sample_snapshot()
        pdf = render_pdf(snapshot)  # cold: imports WeasyPrint, loads fonts
        timings = []
        for _ in range(RENDERS):
            start = time.perf_counter()
            pdf = render_pdf(snapshot)
            timings.append(time.perf_counter() - start)
        self.stdout.write(f"letter_render_median {statistics.median(timings):.3f} s")
        self.stdout.write(f"letter_size {len(pdf) / 1024:.0f} KB")
        self.stdout.write(f"letter_worker_rss {_rss_mib():.0f} MiB")
        self.stdout.write(f"letter_sign_median {_sign_median(pdf) * 1000:.0f} ms")


def _bench_pkcs12() -> tuple[bytes, str]:
    """A self-signed RSA-2048 signing certificate bundled as PKCS#12, as a CA would hand over."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench signing certificate")])
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    password = "bench"
    data = pkcs12.serialize_key_and_certificates(
        name=b"bench",
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
    return data, password


def _sign_median(pdf: bytes, times: int = SIGNATURES) -> float:
    """Median seconds of `sign_pdf` on the rendered letter, with the certificate given as the
    operator's file (so that no database is read)."""
    from terminations.letters.signing import sign_pdf

    data, password = _bench_pkcs12()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.p12"
        path.write_bytes(data)
        with override_settings(
            SIGNING_PKCS12_PATH=str(path),
            SIGNING_PKCS12_PASSWORD=password,
            SIGNING_TIMESTAMP_URL="",
        ):
            sign_pdf(pdf)  # cold: imports pyHanko
            timings = []
            for _ in range(times):
                start = time.perf_counter()
                sign_pdf(pdf, reason="bench", location="bench")
                timings.append(time.perf_counter() - start)
    return statistics.median(timings)
