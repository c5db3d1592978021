"""Every view declares the HTTP methods it accepts (issue 14): a new view without
`require_GET` / `require_POST` / `require_http_methods` (or `http_method_names` on a class-based
view) fails here, and the browser suite's POST coverage check relies on these declarations."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tests.view_methods import declared_methods, post_accepting_names, project_routes


def test_every_view_declares_its_methods():
    undeclared = [
        f"{route.name or '(unnamed)'} at /{route.pattern}"
        for route in project_routes()
        if declared_methods(route.view) is None
    ]
    assert not undeclared, "views that do not declare their HTTP methods:\n" + "\n".join(undeclared)


def test_every_route_has_a_name():
    assert all(route.name for route in project_routes())


def test_the_views_that_accept_post_are_listed(capsys):
    """The list the POST coverage of the browser suite works from (shown with `pytest -s`)."""
    names = sorted(post_accepting_names())
    with capsys.disabled():
        print("\nURL names whose view accepts POST:", *names, sep="\n  ")
    assert "terminations:case_action" in names
    assert "login" in names
    assert "terminations:case_detail" not in names


def _plain(request):
    return None


class _Undeclared(View):
    def get(self, request):
        return None


class _Declared(View):
    http_method_names = ["get", "post", "put"]

    def get(self, request):
        return None

    def post(self, request):
        return None


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (_plain, None),
        (login_not_required(_plain), None),
        (require_GET(_plain), {"GET"}),
        (login_not_required(require_POST(_plain)), {"POST"}),
        (require_http_methods(["GET", "POST"])(_plain), {"GET", "POST"}),
        (_Undeclared.as_view(), None),
        (_Declared.as_view(), {"GET", "POST"}),
        (_Undeclared.as_view(http_method_names=["get"]), {"GET"}),
    ],
)
def test_declared_methods_reads_each_kind_of_declaration(view, expected):
    assert declared_methods(view) == (None if expected is None else frozenset(expected))
