"""Digitally signed letters: the certificate (uploaded on the shop profile, or the operator's
file), the signature made in the issue step (PAdES, timestamped where a server is set), what the
verification page and verify_letters report, and a tampered copy failing.

Real parts throughout: certificates made with `cryptography` (tests/signing_certs.py), pyHanko's
own validator, and its test timestamper answering over HTTP on loopback.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from core import certificates
from core.models import ShopProfile
from partners.fields import encrypt
from terminations.letters.signing import (
    SignatureReport,
    SigningError,
    sign_pdf,
    signature_report,
    signing_configured,
    timestamp_sha256,
)
from terminations.models import CaseEvent, Notice
from terminations.services._base import TransitionError
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.signing_certs import (
    SIGNER_ORGANISATION,
    make_signing_bundle,
    signing_bundle,
)

pytestmark = pytest.mark.django_db

PROFILE_DATA = {
    "legal_name": "杭州青禾电子商务有限公司",
    "credit_code": "91330106MA2H3K4L5X",
    "address": "浙江省杭州市西湖区文三路 90 号 8 楼",
    "contact_name": "王丽",
    "shop_name": "青禾优选旗舰店",
    "shop_id": "DY-88912345",
}


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the services' messages and reports in English (the wording under test);
    the pages they open follow the request's language as everywhere."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_signing_settings(settings):
    """Whatever the environment says, each test starts with no operator certificate, no
    timestamp server and no extra trust roots."""
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_PKCS12_PASSWORD = ""
    settings.SIGNING_TIMESTAMP_URL = ""
    settings.SIGNING_TIMESTAMP_TIMEOUT = 10
    settings.SIGNING_TRUST_ROOTS = ""


@pytest.fixture
def bundle():
    return signing_bundle()


@pytest.fixture
def certificate_on_profile(shop_profile, manager_user, bundle):
    certificates.shop_certificate_store(
        profile=shop_profile, pkcs12_data=bundle.pkcs12, password=bundle.password, by=manager_user
    )
    return bundle


@pytest.fixture
def approved(agency_case, manager_user):
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination")
    return notice_approve(notice=notice, by=manager_user)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _ca(bundle) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(bundle.ca_cert.public_bytes(serialization.Encoding.DER))


def _validate(data: bytes, bundle):
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[_ca(bundle)]))


def _flip_a_signed_byte(data: bytes) -> bytes:
    """One bit changed inside the first signed byte range, in the middle of a content stream
    (the file still parses; only the signed bytes differ)."""
    ranges = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    first_range_end = int(ranges.group(2))
    start = data.index(b"stream", len(data) // 4) + len(b"stream\n") + 40
    assert start < first_range_end
    changed = bytearray(data)
    changed[start] ^= 0x01
    return bytes(changed)


def _stored(notice: Notice) -> bytes:
    notice.refresh_from_db()
    with notice.pdf.open("rb") as stored:
        return stored.read()


# --- A timestamp server on loopback -------------------------------------------------------


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tsa"
    listener.close()


@pytest.fixture
def closed_port_url():
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/tsa"


# --- Issuing ------------------------------------------------------------------------------


def test_a_letter_issued_with_the_profile_certificate_is_signed(
    approved, manager_user, certificate_on_profile
):
    bundle = certificate_on_profile
    notice = notice_issue(notice=approved, by=manager_user)
    data = _stored(notice)

    # What was stored is what was hashed: the signed bytes.
    assert hashlib.sha256(data).hexdigest() == notice.sha256
    assert notice.size == len(data)
    # pyHanko's own validator, trusting the CA only.
    status = _validate(data, bundle)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert "/ETSI.CAdES.detached" in data.decode("latin-1")  # PAdES, not adbe.pkcs7.detached
    # An incremental update of the rendered letter: PDF/A identification and text unchanged.
    assert data.count(b"%%EOF") == 2
    reader = PdfReader(io.BytesIO(data))
    assert reader.xmp_metadata.pdfaid_part == "3"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert notice.letter_number in text and "杭州星河网络科技有限公司" in text

    event = CaseEvent.objects.get(case=notice.case, kind=CaseEvent.Kind.NOTICE_ISSUED)
    assert event.data["signed"] is True
    assert SIGNER_ORGANISATION in event.data["signed_by"]
    assert notice.signed_by == event.data["signed_by"]
    assert event.data["sha256"] == notice.sha256

    [report] = signature_report(data)
    assert report == SignatureReport(
        intact=True,
        valid=True,
        trusted=True,
        signer=report.signer,
        signed_at=report.signed_at,
        timestamped=False,
        covers_whole_file=True,
    )
    assert SIGNER_ORGANISATION in report.signer
    assert abs(report.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert report.sound
    assert report.summary == f"Valid signature by {report.signer}."


def test_without_a_certificate_letters_are_issued_unsigned(approved, manager_user, shop_profile):
    assert not signing_configured()
    notice = notice_issue(notice=approved, by=manager_user)
    data = _stored(notice)
    assert signature_report(data) == []
    assert b"/ByteRange" not in data
    assert sign_pdf(data) is data
    event = CaseEvent.objects.get(case=notice.case, kind=CaseEvent.Kind.NOTICE_ISSUED)
    assert event.data["signed"] is False and event.data["signed_by"] == ""
    assert notice.signed_by == ""


def test_an_expired_stored_certificate_refuses_the_issue(approved, manager_user, shop_profile):
    expired = make_signing_bundle(expired=True)
    ShopProfile.objects.filter(pk=1).update(
        signing_pkcs12_encrypted=encrypt(base64.b64encode(expired.pkcs12).decode()),
        signing_password_encrypted=encrypt(expired.password),
    )
    with pytest.raises(TransitionError, match="expired"):
        notice_issue(notice=approved, by=manager_user)
    approved.refresh_from_db()
    assert approved.status == Notice.Status.APPROVED and not approved.pdf


# --- Tampering ----------------------------------------------------------------------------


def test_a_changed_byte_breaks_the_signature_and_the_page_says_so(
    approved, manager_user, certificate_on_profile, viewer_client
):
    notice = notice_issue(notice=approved, by=manager_user)
    genuine = _stored(notice)
    tampered = _flip_a_signed_byte(genuine)

    [report] = signature_report(tampered)
    assert not report.intact and not report.valid and not report.trusted and not report.sound
    assert report.summary == "Signature NOT valid: the file was changed after signing."
    assert not _validate(tampered, certificate_on_profile).intact  # pyHanko agrees

    client = _english(viewer_client)
    url = reverse("terminations:notice_verify")
    page = client.post(url, {"file": SimpleUploadedFile("copy.pdf", tampered)}).content.decode()
    assert "does not match any letter issued here" in page
    assert "Signature NOT valid: the file was changed after signing." in page
    assert 'data-signature="broken"' in page and 'data-signature="sound"' not in page

    page = client.post(url, {"file": SimpleUploadedFile("letter.pdf", genuine)}).content.decode()
    assert "matches an issued letter exactly" in page and notice.letter_number in page
    assert f"Valid signature by {report.signer}." in page
    assert 'data-signature="sound"' in page
    # The letter found says who signed it when it was issued, and so does its page on the case.
    assert f'<dd class="col-sm-9 signed-by">{notice.signed_by}</dd>' in page
    preview = client.get(reverse("terminations:notice_preview", args=[notice.pk])).content.decode()
    assert f'<dd class="signed-by">{notice.signed_by}</dd>' in preview


def test_content_appended_after_signing_is_reported(approved, manager_user, certificate_on_profile):
    notice = notice_issue(notice=approved, by=manager_user)
    [report] = signature_report(_stored(notice) + b"\n% appended\n")
    assert report.intact and report.valid and not report.covers_whole_file and not report.sound
    assert "content was added to the file after signing" in report.summary


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"%PDF-1.7\n garbage \x00\xff", b"%PDF-" + b"x" * 5000, b"\x00" * 64]
)
def test_signature_report_never_raises_on_garbage(data, certificate_on_profile):
    assert signature_report(data) == []


def test_the_verification_page_says_an_unsigned_pdf_carries_no_signature(viewer_client):
    from tests.e2e.helpers import tiny_pdf

    page = (
        _english(viewer_client)
        .post(
            reverse("terminations:notice_verify"),
            {"file": SimpleUploadedFile("x.pdf", tiny_pdf())},
        )
        .content.decode()
    )
    assert 'id="no-signature"' in page


# --- Trust --------------------------------------------------------------------------------


def test_after_the_certificate_is_removed_old_letters_verify_against_the_trust_roots(
    approved, manager_user, certificate_on_profile, settings, tmp_path
):
    notice = notice_issue(notice=approved, by=manager_user)
    certificates.shop_certificate_remove(profile=ShopProfile.load(), by=manager_user)
    data = _stored(notice)
    [report] = signature_report(data)
    assert report.valid and report.sound and not report.trusted
    assert "not one the desk trusts" in report.summary

    roots = tmp_path / "roots.pem"
    roots.write_bytes(certificate_on_profile.ca_pem)
    settings.SIGNING_TRUST_ROOTS = str(roots)
    [report] = signature_report(data)
    assert report.trusted


# --- Timestamps ---------------------------------------------------------------------------


def test_with_a_timestamp_server_the_signature_is_timestamped(
    approved, manager_user, certificate_on_profile, timestamp_server, settings
):
    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{timestamp_server.server_port}/tsa"
    notice = notice_issue(notice=approved, by=manager_user)
    data = _stored(notice)
    assert timestamp_server.requests >= 1
    status = _validate(data, certificate_on_profile)
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    [report] = signature_report(data)
    assert report.timestamped and report.valid
    assert abs(report.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert report.summary == f"Valid signature by {report.signer}, timestamped."


def test_a_sha256_is_timestamped_by_the_server(timestamp_server, settings):
    digest = hashlib.sha256(b"the sent message").hexdigest()
    assert timestamp_sha256(digest) is None  # no server set
    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{timestamp_server.server_port}/"
    token = cms.ContentInfo.load(timestamp_sha256(digest))
    assert token["content_type"].native == "signed_data"
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == bytes.fromhex(digest)
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    with pytest.raises(ValueError):
        timestamp_sha256("not-a-digest")


@pytest.mark.parametrize("server", ["closed_port_url", "silent_server"])
def test_a_failing_timestamp_server_refuses_the_issue(
    approved, manager_user, certificate_on_profile, settings, request, server
):
    settings.SIGNING_TIMESTAMP_URL = request.getfixturevalue(server)
    settings.SIGNING_TIMESTAMP_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(TransitionError) as refused:
        notice_issue(notice=approved, by=manager_user)
    assert time.monotonic() - started < 8  # bounded by the timeout, not by the server
    message = str(refused.value)
    assert "The letter was not signed: the timestamp server" in message
    assert settings.SIGNING_TIMESTAMP_URL in message
    if server == "silent_server":
        assert "did not answer within 1 seconds" in message
    approved.refresh_from_db()
    assert approved.status == Notice.Status.APPROVED
    assert not approved.pdf and not approved.sha256 and not approved.letter_number
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTICE_ISSUED).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    with pytest.raises(SigningError):
        timestamp_sha256(hashlib.sha256(b"x").hexdigest())


def test_the_issue_view_shows_the_timestamp_refusal(
    approved, certificate_on_profile, manager_client, closed_port_url, settings
):
    settings.SIGNING_TIMESTAMP_URL = closed_port_url
    settings.SIGNING_TIMESTAMP_TIMEOUT = 1
    response = _english(manager_client).post(
        reverse("terminations:notice_issue", args=[approved.pk]), follow=True
    )
    assert response.status_code == 200
    assert "the timestamp server" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Notice.Status.APPROVED


# --- The certificate on the shop profile --------------------------------------------------


def _post_profile(client, **extra):
    return _english(client).post(reverse("shop_profile"), {**PROFILE_DATA, **extra})


def _p12(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("shop.p12", data, content_type="application/x-pkcs12")


def test_a_manager_uploads_a_certificate_and_the_page_describes_it(
    manager_client, shop_profile, bundle
):
    response = _post_profile(
        manager_client, signing_certificate=_p12(bundle.pkcs12), signing_password=bundle.password
    )
    assert response.status_code == 302
    profile = ShopProfile.load()
    # Encrypted at rest: neither the file nor the password is in the row in the clear.
    assert profile.signing_pkcs12_encrypted.startswith("gAAAAA")
    assert bundle.password not in profile.signing_password_encrypted
    assert certificates.stored_pkcs12(profile) == (bundle.pkcs12, bundle.password)
    assert signing_configured()

    page = _english(manager_client).get(reverse("shop_profile")).content.decode()
    assert "In use: the certificate uploaded here." in page
    assert SIGNER_ORGANISATION in page and bundle.fingerprint in page
    assert "Test Signing CA" in page  # the issuer
    assert 'name="remove_signing_certificate"' in page
    # Who stored which certificate is recorded, in the admin's history of the profile too.
    history = page[page.index('id="certificate-history"') :]
    assert "Signing certificate stored: " in history and SIGNER_ORGANISATION in history
    assert bundle.fingerprint in history
    # Never the file or the password.
    assert bundle.password not in page
    assert profile.signing_pkcs12_encrypted[:40] not in page


@pytest.mark.parametrize(
    ("upload", "password", "error"),
    [
        ("valid", "wrong-password", "the password is wrong"),
        ("valid", "", "the password is wrong"),
        ("garbage", "x", "not a PKCS#12 file"),
        ("expired", None, "expired on"),
        ("no_signing_usage", None, "not made for signatures"),
    ],
)
def test_a_certificate_that_cannot_sign_is_refused_and_nothing_changes(
    manager_client, shop_profile, bundle, upload, password, error
):
    made = {
        "valid": lambda: bundle,
        "expired": lambda: make_signing_bundle(expired=True),
        "no_signing_usage": lambda: make_signing_bundle(
            digital_signature=False, content_commitment=False
        ),
    }
    chosen = made[upload]() if upload in made else None
    data = chosen.pkcs12 if chosen else b"this is no certificate"
    response = _post_profile(
        manager_client,
        shop_name="A new name that must not be saved",
        signing_certificate=_p12(data),
        signing_password=password if password is not None else chosen.password,
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    profile = ShopProfile.load()
    assert profile.signing_pkcs12_encrypted == "" and profile.signing_password_encrypted == ""
    assert profile.shop_name == shop_profile.shop_name


def test_a_password_without_a_file_and_upload_with_removal_are_refused(
    manager_client, certificate_on_profile
):
    response = _post_profile(manager_client, signing_password="secret")
    assert "choose the file too" in response.content.decode()
    response = _post_profile(
        manager_client,
        signing_certificate=_p12(certificate_on_profile.pkcs12),
        signing_password=certificate_on_profile.password,
        remove_signing_certificate="on",
    )
    assert "not both" in response.content.decode()
    assert certificates.stored_pkcs12(ShopProfile.load()) is not None


def test_a_manager_removes_the_certificate(manager_client, certificate_on_profile):
    assert _post_profile(manager_client, remove_signing_certificate="on").status_code == 302
    profile = ShopProfile.load()
    assert profile.signing_pkcs12_encrypted == "" and profile.signing_password_encrypted == ""
    assert not signing_configured()
    page = _english(manager_client).get(reverse("shop_profile")).content.decode()
    assert "No certificate: letters are issued unsigned." in page
    history = page[page.index('id="certificate-history"') :]
    assert history.index("Signing certificate removed.") < history.index(
        "Signing certificate stored"
    )


def test_saving_the_profile_without_certificate_fields_keeps_the_certificate(
    manager_client, certificate_on_profile
):
    assert _post_profile(manager_client, shop_name="青禾优选二店").status_code == 302
    profile = ShopProfile.load()
    assert profile.shop_name == "青禾优选二店"
    assert certificates.stored_pkcs12(profile) == (
        certificate_on_profile.pkcs12,
        certificate_on_profile.password,
    )


@pytest.mark.parametrize("persona", ["staff_client", "viewer_client"])
def test_non_managers_see_no_certificate_controls(request, persona, certificate_on_profile):
    client = _english(request.getfixturevalue(persona))
    page = client.get(reverse("shop_profile")).content.decode()
    assert 'name="signing_certificate"' not in page
    assert 'name="remove_signing_certificate"' not in page
    assert certificate_on_profile.fingerprint not in page
    assert 'id="letters-signed"' in page
    response = client.post(reverse("shop_profile"), {"remove_signing_certificate": "on"})
    assert response.status_code == 403
    assert certificates.stored_pkcs12(ShopProfile.load()) is not None


def test_the_services_refuse_non_managers(staff_user, shop_profile, bundle):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        certificates.shop_certificate_store(
            profile=shop_profile, pkcs12_data=bundle.pkcs12, password=bundle.password, by=staff_user
        )
    with pytest.raises(PermissionDenied):
        certificates.shop_certificate_remove(profile=shop_profile, by=staff_user)


# --- The operator's certificate -----------------------------------------------------------


def test_the_operator_path_wins_over_the_upload(
    approved, manager_user, manager_client, certificate_on_profile, settings, tmp_path
):
    operator = make_signing_bundle(common_name="Operator Signing Key", organisation="青禾集团")
    path = tmp_path / "operator.p12"
    path.write_bytes(operator.pkcs12)
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSWORD = operator.password
    assert not {message.id for message in run_checks()} & {"core.E001", "core.W001", "core.E002"}

    page = _english(manager_client).get(reverse("shop_profile")).content.decode()
    assert "DJANGO_SIGNING_PKCS12_PATH" in page and operator.fingerprint in page
    details = page[
        page.index('id="certificate-details"') : page.index(
            "</dl>", page.index('id="certificate-details"')
        )
    ]
    assert operator.fingerprint in details
    assert certificate_on_profile.fingerprint not in details  # only in the recorded changes
    assert "it is not used while the operator" in page

    notice = notice_issue(notice=approved, by=manager_user)
    [report] = signature_report(_stored(notice))
    assert report.signer == "Operator Signing Key (青禾集团)"
    assert report.trusted  # the operator's chain is among the trust roots
    event = CaseEvent.objects.get(case=notice.case, kind=CaseEvent.Kind.NOTICE_ISSUED)
    assert event.data["signed_by"] == "Operator Signing Key (青禾集团)"


def test_an_operator_path_that_does_not_load_refuses_the_issue_and_fails_the_check(
    approved, manager_user, shop_profile, settings, tmp_path, bundle
):
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "missing.p12")
    with pytest.raises(TransitionError, match="DJANGO_SIGNING_PKCS12_PATH"):
        notice_issue(notice=approved, by=manager_user)
    assert "core.E001" in {message.id for message in run_checks()}

    (tmp_path / "missing.p12").write_bytes(bundle.pkcs12)
    settings.SIGNING_PKCS12_PASSWORD = "wrong"
    assert "core.E001" in {message.id for message in run_checks()}
    settings.SIGNING_PKCS12_PASSWORD = bundle.password
    assert not {message.id for message in run_checks()} & {"core.E001", "core.W001", "core.E002"}

    settings.SIGNING_TRUST_ROOTS = str(tmp_path / "roots.pem")
    (tmp_path / "roots.pem").write_text("not a certificate")
    assert "core.E002" in {message.id for message in run_checks()}


def test_an_expired_operator_certificate_is_a_warning(settings, tmp_path):
    expired = make_signing_bundle(expired=True)
    (tmp_path / "old.p12").write_bytes(expired.pkcs12)
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "old.p12")
    settings.SIGNING_PKCS12_PASSWORD = expired.password
    assert "core.W001" in {message.id for message in run_checks()}


# --- verify_letters -----------------------------------------------------------------------


def test_verify_letters_reports_signatures_and_fails_after_tampering(
    approved, manager_user, certificate_on_profile, agency_case
):
    notice = notice_issue(notice=approved, by=manager_user)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_letters", stdout=out, stderr=err)
    assert f"{notice.letter_number}: signature intact and valid, signed by" in out.getvalue()
    assert SIGNER_ORGANISATION in out.getvalue()
    assert "1 issued letters verified" in out.getvalue()
    assert "1 signed letters have intact, valid signatures" in out.getvalue()

    tampered = _flip_a_signed_byte(_stored(notice))
    with notice.pdf.storage.open(notice.pdf.name, "wb") as stored:
        stored.write(tampered)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 issued letters failed verification"):
        call_command("verify_letters", stdout=io.StringIO(), stderr=err)
    assert "does not match" in err.getvalue()
    assert "is broken (intact: False" in err.getvalue()


def test_verify_letters_fails_when_a_signed_letter_lost_its_signature(
    approved, manager_user, certificate_on_profile
):
    notice = notice_issue(notice=approved, by=manager_user)
    unsigned = _stored(notice)
    unsigned = unsigned[: unsigned.index(b"%%EOF") + len(b"%%EOF")]  # the rendering alone
    with notice.pdf.storage.open(notice.pdf.name, "wb") as stored:
        stored.write(unsigned)
    Notice.objects.filter(pk=notice.pk).update(sha256=hashlib.sha256(unsigned).hexdigest())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_letters", stdout=io.StringIO(), stderr=err)
    assert "the stored file carries no signature" in err.getvalue()


# --- The bench ----------------------------------------------------------------------------


def test_the_bench_signs_with_a_certificate_of_its_own():
    from terminations.management.commands.bench_letters import _sign_median
    from tests.e2e.helpers import tiny_pdf

    assert 0 < _sign_median(tiny_pdf(), times=1) < 30
