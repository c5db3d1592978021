"""Every URL pattern, requested anonymously, sends the visitor to the log-in page and shows no data;
users in no group see nothing; security headers and CSP are present on every page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import open_case

pytestmark = pytest.mark.django_db

# Views that must be reachable without a log-in.
PUBLIC = {
    "login",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.app_name == "admin":
                continue
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{ns}:" if entry.namespace else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield (
                prefix + str(entry.pattern),
                (namespace + (entry.name or "")) if entry.name else None,
            )


def _concrete(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str:)?[^>]+>", "TC-2026-00001", route)
    route = route.replace("^", "").replace("$", "")
    return "/" + route


ROUTES = sorted(
    {(_concrete(route), name) for route, name in _walk(get_resolver().url_patterns)}, key=str
)
PUBLIC_ROUTES = [path for path, name in ROUTES if name and name.split(":")[-1] in PUBLIC]
PROTECTED_ROUTES = [path for path, _ in ROUTES if path not in PUBLIC_ROUTES]


def test_the_public_list_names_real_routes():
    assert len(PUBLIC_ROUTES) == len(PUBLIC)


@pytest.mark.parametrize("path", PROTECTED_ROUTES)
def test_every_route_sends_anonymous_visitors_to_login(anon_client, path):
    for method in ("get", "post"):
        response = getattr(anon_client, method)(path)
        assert response.status_code in (302, 404, 405), (method, path, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login")), response.url


@pytest.mark.parametrize("path", PUBLIC_ROUTES)
def test_public_routes_answer_anonymous_visitors_without_showing_cases(
    anon_client, staff_user, path
):
    case = open_case(by=staff_user)
    response = anon_client.get(path)
    if response.status_code == 405:  # the language switch takes only POST
        response = anon_client.post(path, {"language": "en", "next": "/"})
    assert response.status_code in (200, 302), (path, response.status_code)
    if response.status_code == 302:
        assert not response.url.startswith(reverse("login")), response.url
    # A page in the site's layout repeats its own address (the language switch returns to it);
    # the placeholder in that address is not a case shown.
    content = response.content.replace(path.encode(), b"")
    assert case.reference.encode() not in content
    assert case.partner.name.encode() not in content


@pytest.mark.parametrize(
    "name",
    [
        "partners:list",
        "terminations:case_list",
        "terminations:calculator",
        "shop_profile",
        "dashboard",
    ],
)
def test_users_in_no_group_see_nothing(nogroup_client, name):
    assert nogroup_client.get(reverse(name)).status_code == 403


def test_security_headers_and_csp(staff_client):
    response = staff_client.get(reverse("partners:list"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("partners:create"), {"name": "x", "kind": "agency"})
    assert response.status_code == 403


def test_login_is_throttled_after_repeated_failures(anon_client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        anon_client.post(reverse("login"), {"username": staff_user.username, "password": "wrong"})
    response = anon_client.post(
        reverse("login"), {"username": staff_user.username, "password": "pw-staff1"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in anon_client.session
