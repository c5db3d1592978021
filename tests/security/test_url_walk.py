"""The URL walk (issue 15): every non-admin URL pattern, for each of the five roles (anonymous,
no group, viewer, staff, manager), by GET and by POST (empty and with hostile values), with the
path's parameters real (a case, letter, delivery… that exist) and malformed (ids that do not
exist or overflow, a reference that names no case, a key nobody defined) — and never a 500.

The requests go in one order on one world, so a change one makes (an approval, a correction)
is what the next one meets, as in a real session. Exceptions propagate from the test client, so
a crash fails the test with its traceback."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import _client_for
from tests.stored_files import store_every_kind

pytestmark = pytest.mark.django_db

HOSTILE = {
    "reason": "\x00<script>",
    "note": "x" * 5000,
    "pk": "99999999999999999999",
    "amount": "1e400",
    "arrived_on": "9999-99-99",
    "owner": "-1",
    "file": "not a file",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{entry.namespace}:" if entry.namespace else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


# Log-out last: after it, every other route would only answer the log-in page.
PATTERNS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda p: (p[1] == "logout", p))


def _paths(route: str, real: dict[str, str]) -> list[str]:
    """The route with its parameters real, then malformed."""

    def fill(values: dict[str, str]) -> str:
        def one(match: re.Match) -> str:
            converter, name = match.group(1) or "", match.group(2)
            return values.get(name) or values.get(converter.rstrip(":"), "x")

        return "/" + re.sub(r"<([a-z]+:)?([a-z_]+)>", one, route).replace("^", "").replace("$", "")

    if "<" not in route:
        return [fill({})]
    malformed = {
        "reference": "TC-2026-99999",
        "pk": "2147483648",
        "action": "no-such-action",
        "key": "no-such-key",
        "kind": "no-such-kind",
        "path": "../../etc/passwd",
    }
    return [fill(real), fill(malformed)]


@pytest.mark.parametrize("role", ["anonymous", "nogroup", "viewers", "staff", "managers"])
def test_every_route_for_every_role_by_get_and_post_never_answers_500(
    role, staff_user, manager_user, viewer_user, nogroup_user
):
    stored = store_every_kind(by=staff_user)
    case = stored["terminations.TerminationCase.countersigned_confirmation"].fieldfile.instance
    notice = stored["terminations.Notice.pdf"].fieldfile.instance
    real = {
        "reference": case.reference,
        "pk": str(notice.pk),
        "action": "advance_to_negotiation",
        "key": "refund",
        "kind": "agency",
    }
    user = {
        "nogroup": nogroup_user,
        "viewers": viewer_user,
        "staff": staff_user,
        "managers": manager_user,
    }.get(role)
    client = _client_for(user) if user else Client()
    statuses: dict[str, set[int]] = {}
    for route, name in PATTERNS:
        for path in _paths(route, real):
            for method, data in (("get", {}), ("post", {}), ("post", HOSTILE)):
                response = getattr(client, method)(path, data)
                assert response.status_code < 500, (role, name, method, path)
                statuses.setdefault(name, set()).add(response.status_code)
    # The walk reached the views, not only the log-in page or the 404 handler.
    if role == "managers":
        assert sum(200 in codes for codes in statuses.values()) > 30, statuses
