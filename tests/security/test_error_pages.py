"""400, 403, 404 and 500 answer in the site's own layout, with our message and the right status."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.test import Client
from django.urls import include, path

from .conftest import english

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest):
    raise RuntimeError("boom: a bug in a view")


def _suspicious(request: HttpRequest):
    raise SuspiciousOperation("tampered input")


def _denied(request: HttpRequest):
    raise PermissionDenied


# This module is also the test-only urlconf: the real routes plus views that fail on purpose.
urlpatterns = [
    path("test-only/boom/", _boom),
    path("test-only/suspicious/", _suspicious),
    path("test-only/denied/", _denied),
    path("", include("config.urls")),
]


def assert_our_layout(response, status: int, heading: str) -> str:
    assert response.status_code == status
    content = response.content.decode()
    assert 'class="navbar' in content
    assert "Termination desk" in content  # the brand in our navbar
    assert f"{status} · {heading}" in content
    assert "Traceback" not in content and "boom" not in content
    return content


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_404_in_our_layout(staff_client):
    response = english(staff_client).get("/partners/999999/")
    assert_our_layout(response, 404, "Not found")


def test_404_for_an_unknown_case_reference(staff_client):
    response = english(staff_client).get("/cases/TC-2026-99999/")
    assert_our_layout(response, 404, "Not found")


def test_404_for_anonymous_visitors_is_a_login_redirect_not_a_leak(anon_client):
    response = anon_client.get("/no-such-page/")
    assert response.status_code in (302, 404)


def test_403_in_our_layout(nogroup_client):
    response = english(nogroup_client).get("/partners/")
    content = assert_our_layout(response, 403, "Not allowed")
    assert "You do not have permission" in content


def test_403_page_names_the_problem(nogroup_client):
    response = english(nogroup_client).get("/partners/")
    assert response.status_code == 403
    content = response.content.decode()
    assert 'class="navbar' in content
    assert "403" in content


def test_403_raised_in_a_view(test_urls, viewer_user):
    client = english(Client())
    client.force_login(viewer_user)
    response = client.get("/test-only/denied/")
    assert response.status_code == 403
    assert 'class="navbar' in response.content.decode()


def test_viewer_refused_a_change_gets_our_403(viewer_client):
    response = english(viewer_client).get("/partners/new/")
    assert response.status_code == 403
    assert 'class="navbar' in response.content.decode()


def test_400_in_our_layout(test_urls, staff_user):
    client = english(Client())
    client.force_login(staff_user)
    response = client.get("/test-only/suspicious/")
    assert_our_layout(response, 400, "Bad request")


def test_400_for_a_bad_host_header():
    response = english(Client()).get("/accounts/login/", HTTP_HOST="evil.example.com")
    assert_our_layout(response, 400, "Bad request")


def test_500_in_our_layout(test_urls, staff_user):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    client.force_login(staff_user)
    response = client.get("/test-only/boom/")
    content = assert_our_layout(response, 500, "Something went wrong")
    assert "Nothing was changed" in content


def test_500_for_an_anonymous_visitor_too(test_urls):
    # The log-in requirement answers first for a visitor; a logged-in user sees the 500 page.
    response = Client(raise_request_exception=False).get("/test-only/boom/")
    assert response.status_code in (302, 500)


def test_error_pages_keep_the_security_headers(test_urls, staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    for url, status in (("/test-only/boom/", 500), ("/partners/999999/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
