"""Stored files in an S3-compatible bucket (DJANGO_STORAGE_URL=s3://…), against a real S3 API
server on loopback: uploads land in the bucket and nowhere else, every kind downloads through its
role-checked view, an issued letter is read back by its stored hash (`verify_letters`), and
`copy_stored_files` moves a local installation into the bucket, backs the bucket up and restores
it, verifying every file by SHA-256."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.storage_url import storage_from_url
from terminations.models import Notice
from terminations.services.notices import notice_approve, notice_draft, notice_issue
from tests.factories import ContractFactory, ShopProfileFactory
from tests.storage.conftest import bucket_url, make_bucket, s3_client
from tests.stored_files import store_every_kind
from tests.terminations.factories import PDF_BYTES, open_case
from tests.terminations.letters.conftest import make_case

pytestmark = pytest.mark.django_db

FROZEN = datetime.datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _keys(endpoint: str, bucket: str) -> set[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listed.get("Contents", [])}


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- the setting -----------------------------------------------------------------------------


def test_the_storage_url_chooses_the_backend():
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_from_url("file:///srv/desk/media")["OPTIONS"] == {"location": "/srv/desk/media"}
    config = storage_from_url(
        "s3://desk-files/prod?endpoint_url=https://minio.internal:9000&region=cn-north-1"
    )
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "desk-files" and options["location"] == "prod"
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "cn-north-1"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    "url",
    [
        "ftp://desk-files",
        "s3://",
        "s3://key:secret@desk-files",
        "s3://desk-files?acl=public-read",
        "file://otherhost/srv",
    ],
)
def test_a_nonsense_storage_url_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured):
        storage_from_url(url)


# --- uploads and downloads -------------------------------------------------------------------


def test_an_upload_lands_in_the_bucket_and_downloads_through_the_view(
    settings, bucket_storage, s3_endpoint, staff_user, staff_client, nogroup_client, anon_client
):
    case = open_case(by=staff_user)
    response = staff_client.post(
        reverse("terminations:case_evidence_add", args=[case.reference]),
        {
            "description": "GMV 周报",
            "file": SimpleUploadedFile("gmv.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    evidence = case.evidence.get()
    assert f"desk/{evidence.file.name}" in _keys(s3_endpoint, bucket_storage)
    assert _files(Path(settings.MEDIA_ROOT)) == []  # nothing on this host's disk
    acl = s3_client(s3_endpoint).get_object_acl(
        Bucket=bucket_storage, Key=f"desk/{evidence.file.name}"
    )
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g["Grantee"].get("URI", ""))]

    url = evidence.file.url
    assert url == reverse("terminations:evidence_file", args=[case.reference, evidence.pk])
    assert anon_client.get(url).status_code == 302
    assert nogroup_client.get(url).status_code == 403
    download = staff_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment; filename")
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_every_kind_downloads_from_the_bucket(
    bucket_storage, s3_endpoint, staff_user, manager_client
):
    stored = store_every_kind(by=staff_user)
    keys = _keys(s3_endpoint, bucket_storage)
    for label, item in stored.items():
        assert f"desk/{item.fieldfile.name}" in keys, label
        response = manager_client.get(item.fieldfile.url)
        assert response.status_code == 200, label
        assert b"".join(response.streaming_content) == item.data, label


def test_a_file_missing_from_the_bucket_is_a_404(bucket_storage, staff_user, staff_client):
    stored = store_every_kind(by=staff_user)
    fieldfile = stored["terminations.Notice.scanned_copy"].fieldfile
    default_storage.delete(fieldfile.name)
    assert staff_client.get(fieldfile.url).status_code == 404


def test_a_stored_name_is_never_overwritten_in_the_bucket(bucket_storage):
    first = default_storage.save("letters/2026/x.pdf", SimpleUploadedFile("x.pdf", b"one"))
    second = default_storage.save("letters/2026/x.pdf", SimpleUploadedFile("x.pdf", b"two"))
    assert first != second
    assert default_storage.open(first).read() == b"one"


# --- letters ---------------------------------------------------------------------------------


def _issue_a_letter(manager_user) -> Notice:
    ShopProfileFactory()
    contract = ContractFactory(clause_termination="12.2", clause_notice="12.3")
    case = make_case(
        contract=contract,
        end_date=datetime.date(2026, 7, 3),
        end_date_nominal=datetime.date(2026, 7, 3),
        end_date_rule="art. 201, 203",
        end_date_explanation_zh="到达日2026-06-03起算30日，期间最后一日为2026-07-03。",
        end_date_explanation_en="Arrival 2026-06-03 + 30 days = 2026-07-03.",
    )
    with time_machine.travel(FROZEN, tick=False):
        notice = notice_draft(
            case=case,
            by=manager_user,
            kind="termination",
            language="bilingual",
            facts="GMV 下降。",
            facts_en="GMV fell.",
        )
        notice_approve(notice=notice, by=manager_user)
        return notice_issue(notice=notice, by=manager_user)


def test_a_letter_issued_into_the_bucket_is_read_back_by_its_hash(
    bucket_storage, s3_endpoint, manager_user, manager_client, viewer_client, nogroup_client, capsys
):
    notice = _issue_a_letter(manager_user)
    notice.refresh_from_db()
    key = f"desk/{notice.pdf.name}"
    assert key in _keys(s3_endpoint, bucket_storage)
    body = s3_client(s3_endpoint).get_object(Bucket=bucket_storage, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == notice.sha256

    url = reverse("terminations:notice_pdf", args=[notice.pk])
    assert notice.pdf.url == url
    assert nogroup_client.get(url).status_code == 403
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert f"{notice.letter_number}.pdf" in response["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == notice.sha256

    call_command("verify_letters")
    assert "1 issued letters verified" in capsys.readouterr().out

    # Someone alters the object in the bucket: the check fails.
    s3_client(s3_endpoint).put_object(Bucket=bucket_storage, Key=key, Body=body + b"%tampered")
    with pytest.raises(CommandError):
        call_command("verify_letters")
    s3_client(s3_endpoint).delete_object(Bucket=bucket_storage, Key=key)
    with pytest.raises(CommandError):
        call_command("verify_letters")
    assert "stored file missing" in capsys.readouterr().err
    assert manager_client.get(url).status_code == 404


# --- moving, backing up and restoring the files ----------------------------------------------


def test_copy_moves_a_local_installation_into_the_bucket(
    settings, s3_endpoint, bucket, staff_user, manager_user, manager_client, capsys
):
    # Files written while the desk ran on its local folder.
    stored = store_every_kind(by=staff_user)
    notice = _issue_a_letter(manager_user)
    notice.refresh_from_db()
    local = sorted(
        str(p.relative_to(settings.MEDIA_ROOT)) for p in _files(Path(settings.MEDIA_ROOT))
    )
    assert len(local) >= len(stored) + 1

    # The installation now points at the bucket; the copy command fills it.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(bucket_url(s3_endpoint, bucket, "desk")),
    }
    call_command("copy_stored_files")
    out = capsys.readouterr().out
    assert f"{len(local)} files copied" in out and "every SHA-256 matches" in out
    assert _keys(s3_endpoint, bucket) == {f"desk/{name}" for name in local}
    for label, item in stored.items():
        response = manager_client.get(item.fieldfile.url)
        assert response.status_code == 200, label
        assert b"".join(response.streaming_content) == item.data, label
    call_command("verify_letters")

    # Again: nothing copied twice, nothing replaced.
    call_command("copy_stored_files")
    assert f"0 files copied, {len(local)} already there" in capsys.readouterr().out

    # A bucket object with other bytes under the same name is reported, never replaced.
    key = f"desk/{notice.pdf.name}"
    s3_client(s3_endpoint).put_object(Bucket=bucket, Key=key, Body=b"%PDF-1.4 other")
    with pytest.raises(CommandError):
        call_command("copy_stored_files")
    assert "other bytes; not replaced" in capsys.readouterr().err
    body = s3_client(s3_endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()
    assert body == b"%PDF-1.4 other"


def test_the_bucket_is_backed_up_and_restored(
    settings, bucket_storage, s3_endpoint, s3_keys, tmp_path, staff_user, manager_user, capsys
):
    store_every_kind(by=staff_user)
    _issue_a_letter(manager_user)
    source = bucket_url(s3_endpoint, bucket_storage, "desk")
    backup = tmp_path / "backup"

    call_command("copy_stored_files", "--source", source, "--target", str(backup))
    assert len(_files(backup)) == len(_keys(s3_endpoint, bucket_storage))
    capsys.readouterr()

    # The bucket is lost; a new one is filled from the backup, and every letter verifies.
    restored = make_bucket(s3_endpoint)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(bucket_url(s3_endpoint, restored, "desk")),
    }
    call_command("copy_stored_files", "--source", str(backup))
    assert "every SHA-256 matches" in capsys.readouterr().out
    assert len(_keys(s3_endpoint, restored)) == len(_files(backup))
    call_command("verify_letters")


def test_copy_reports_files_the_database_names_but_nobody_has(
    settings, bucket_storage, staff_user, capsys
):
    stored = store_every_kind(by=staff_user)
    default_storage.delete(stored["terminations.Delivery.evidence"].fieldfile.name)
    empty = Path(settings.MEDIA_ROOT)  # nothing local to copy
    with pytest.raises(CommandError):
        call_command("copy_stored_files", "--source", str(empty))
    assert "missing from the target" in capsys.readouterr().err


def test_a_bad_source_is_a_message_not_a_traceback():
    with pytest.raises(CommandError):
        call_command("copy_stored_files", "--source", "ftp://nowhere")
