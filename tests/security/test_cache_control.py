"""Pages showing case data are kept by no cache (issue 15): `Cache-Control: private, no-store`
on every rendered page, the files keep theirs, static files keep WhiteNoise's caching."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terminations.models import Stage
from tests.terminations.factories import issue_letter, place_in_stage

from .conftest import open_case

pytestmark = pytest.mark.django_db


def test_every_page_with_case_data_says_private_no_store(
    manager_client, viewer_client, staff_user, shop
):
    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case)
    urls = [
        reverse("dashboard"),
        reverse("terminations:case_list"),
        reverse("terminations:case_detail", args=[case.reference]),
        reverse("terminations:notice_preview", args=[letter.pk]),
        reverse("partners:list"),
        reverse("partners:detail", args=[case.partner_id]),
        reverse("partners:contract_detail", args=[case.contract_id]),
    ]
    for client in (manager_client, viewer_client):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "private, no-store", url
    assert manager_client.get(reverse("terminations:my_work"))["Cache-Control"] == (
        "private, no-store"
    )
    # A refused or missing page is not cached either; nor is a redirect after a change.
    assert viewer_client.post(urls[2]).get("Cache-Control") == "private, no-store"
    assert manager_client.get("/cases/TC-1999-99999/")["Cache-Control"] == "private, no-store"


def test_a_download_keeps_its_own_headers(manager_client, staff_user, shop):
    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case)
    response = manager_client.get(reverse("terminations:notice_pdf", args=[letter.pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_log_in_page_is_not_cached(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # Django's never_cache, kept
