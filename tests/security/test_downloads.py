"""Every stored file leaves through a role-checked view (issue 15, F10): one route per kind of
file, refused to anyone the page that links to it refuses, always a download that is neither
sniffed nor cached; `/media/` is served by nothing, for anyone, in development too."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import roles
from core.downloads import DownloadFileField, DownloadImageField, safe_filename
from tests.conftest import role_group
from tests.stored_files import store_every_kind
from tests.terminations.factories import open_case

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nogroup", roles.STAFF, roles.MANAGERS, roles.VIEWERS)


def _client(role: str) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    user = User.objects.create_user(username=f"dl-{role}", password="pw")
    if role != "nogroup":
        user.groups.add(role_group(role))
    client.force_login(user)
    return client


@pytest.fixture
def stored(staff_user):
    return store_every_kind(by=staff_user)


def _file_fields() -> list[tuple[str, models.FileField]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _route_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_file_field_has_a_download_route(staff_user):
    """A new file field cannot be forgotten: it must name a route that exists, and the
    download tests below must cover it."""
    routes = _route_names(get_resolver().url_patterns)
    fields = _file_fields()
    assert fields
    for label, field in fields:
        assert isinstance(field, DownloadFileField | DownloadImageField), label
        assert field.download_route in routes, (label, field.download_route)
    assert {label for label, _field in fields} == set(store_every_kind(by=staff_user))


@pytest.mark.parametrize("role", ROLES)
def test_each_kind_downloads_only_for_the_roles_that_read_its_page(stored, role):
    client = _client(role)
    for label, item in stored.items():
        url = item.fieldfile.url
        assert url and not url.startswith("/media/"), (label, url)
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302, (label, response.status_code)
            assert response["Location"].startswith(reverse("login"))
            continue
        if role not in item.roles:
            assert response.status_code == 403, (label, role, response.status_code)
            continue
        assert response.status_code == 200, (label, role, response.status_code)
        assert b"".join(response.streaming_content) == item.data, label
        assert response["Content-Disposition"].startswith("attachment; filename"), label
        if item.filename:
            assert item.filename in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert client.post(url).status_code == 405, label


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("debug", [True, False])
def test_media_is_served_by_nothing(settings, stored, role, debug):
    settings.DEBUG = debug
    client = _client(role)
    for item in stored.values():
        assert client.get("/media/" + item.fieldfile.name).status_code == 404
    assert client.get("/media/").status_code == 404


def test_a_file_of_another_case_or_a_missing_file_is_a_404(stored, staff_client, staff_user):
    other = open_case(by=staff_user)
    evidence = stored["terminations.EvidenceFile.file"].fieldfile.instance
    url = reverse("terminations:evidence_file", args=[other.reference, evidence.pk])
    assert staff_client.get(url).status_code == 404
    assert (
        staff_client.get(
            reverse("terminations:case_confirmation", args=[other.reference])
        ).status_code
        == 404
    )
    assert staff_client.get(reverse("terminations:notice_pdf", args=[999999])).status_code == 404
    assert staff_client.get("/letters/99999999999999999999999/pdf/").status_code == 404
    # The row names a file the storage no longer has.
    contract_file = stored["partners.Contract.signed_document"].fieldfile
    contract_file.storage.delete(contract_file.name)
    assert staff_client.get(contract_file.url).status_code == 404


def test_a_draft_letter_has_no_pdf_to_download(stored, staff_client):
    notice = stored["terminations.Notice.pdf"].fieldfile.instance
    type(notice).objects.filter(pk=notice.pk).update(status=type(notice).Status.DRAFT)
    assert staff_client.get(reverse("terminations:notice_pdf", args=[notice.pk])).status_code == 404


def test_the_shop_page_shows_the_seal_link_to_managers_only(stored, manager_client, viewer_client):
    seal_url = reverse("shop_seal")
    assert seal_url.encode() in manager_client.get(reverse("shop_profile")).content
    page = viewer_client.get(reverse("shop_profile"))
    assert page.status_code == 200 and seal_url.encode() not in page.content


def test_pages_link_to_the_download_views(stored, staff_client):
    case = stored["terminations.EvidenceFile.file"].fieldfile.instance.case
    page = staff_client.get(case.get_absolute_url()).content.decode()
    for label in (
        "terminations.TerminationCase.decision_demand_evidence",
        "terminations.TerminationCase.countersigned_confirmation",
        "terminations.EvidenceFile.file",
        "terminations.NegotiationEntry.attachment",
        "terminations.Notice.pdf",
        "terminations.Notice.scanned_copy",
        "terminations.Delivery.evidence",
    ):
        assert f'href="{stored[label].fieldfile.url}"' in page, label
    assert "/media/" not in page
    contract = stored["partners.Contract.signed_document"].fieldfile.instance
    page = staff_client.get(contract.get_absolute_url()).content.decode()
    assert f'href="{contract.signed_document.url}"' in page and "/media/" not in page


@pytest.mark.parametrize("name", ["case_export_csv", "case_export_xlsx"])
def test_exports_and_bundles_carry_the_download_headers(
    stored, viewer_client, nogroup_client, name
):
    case = stored["terminations.EvidenceFile.file"].fieldfile.instance.case
    for url in (
        reverse(f"terminations:{name}"),
        reverse("terminations:case_bundle", args=[case.reference]),
    ):
        assert nogroup_client.get(url).status_code == 403
        response = viewer_client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("mode", "header"), [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")]
)
def test_the_web_server_may_send_the_bytes_after_the_check(
    settings, stored, staff_client, nogroup_client, mode, header
):
    settings.DOWNLOAD_SENDFILE = mode
    item = stored["terminations.EvidenceFile.file"]
    assert nogroup_client.get(item.fieldfile.url).status_code == 403
    response = staff_client.get(item.fieldfile.url)
    assert response.status_code == 200 and response.content == b""
    expected = (
        settings.DOWNLOAD_ACCEL_PREFIX.rstrip("/") + "/" + item.fieldfile.name
        if mode == "x-accel-redirect"
        else item.fieldfile.path
    )
    assert response[header] == expected
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert response["Cache-Control"] == "private, no-store"
    item.fieldfile.storage.delete(item.fieldfile.name)
    assert staff_client.get(item.fieldfile.url).status_code == 404


@pytest.mark.parametrize(
    ("stored_name", "expected"),
    [
        ("cases/evidence/2026/gmv.pdf", "gmv.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b;c\r\nd.pdf', "a_b_cd.pdf"),
        ("..", "file"),
        ("合同 签字版.pdf", "合同 签字版.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_filename(stored_name, expected):
    assert safe_filename(stored_name) == expected


def test_a_non_ascii_name_is_sent_in_rfc_5987_form(stored, staff_client):
    response = staff_client.get(stored["partners.Contract.signed_document"].fieldfile.url)
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert (
        "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    )
