"""Uploads are served through a role-checked view, in production too (issue 15, F10)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terminations.services import case_add_evidence
from tests.terminations.factories import PDF_BYTES, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence_url(staff_user):
    case = open_case(by=staff_user)
    case_add_evidence(
        case=case,
        by=staff_user,
        description="GMV 周报",
        file=SimpleUploadedFile("gmv.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    url = case.evidence.get().file.url
    assert url.startswith("/media/cases/evidence/")
    return url


@pytest.mark.parametrize("debug", [True, False])
def test_an_upload_is_read_only_by_those_who_read_cases(
    settings, evidence_url, anon_client, nogroup_client, viewer_client, staff_client, debug
):
    settings.DEBUG = debug
    response = anon_client.get(evidence_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert nogroup_client.get(evidence_url).status_code == 403
    for client in (viewer_client, staff_client):
        response = client.get(evidence_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment;")
    assert staff_client.post(evidence_url).status_code == 405


@pytest.mark.parametrize(
    "path", ["/media/cases/evidence/none.pdf", "/media/../config/settings.py", "/media/%00x"]
)
def test_missing_or_crafted_paths_are_404(staff_client, path):
    assert staff_client.get(path).status_code == 404
