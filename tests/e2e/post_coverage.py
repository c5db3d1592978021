"""POST coverage of the browser suite (issue 14): which forms a browser actually submitted.

`RecordBrowserPosts` is a test-only middleware, added only to the browser suite's live server
(tests/e2e/conftest.py): it notes the URL name of every POST the browser sends that passes the
CSRF check, reaches its view and is not refused to the sender's role (403).
`test_zz_post_coverage.py` runs after every journey and fails when a URL name whose view accepts
POST (tests/view_methods.py) was never posted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from tests.view_methods import post_accepting_names

MIDDLEWARE = "tests.e2e.post_coverage.RecordBrowserPosts"

# Filled by the live server's thread (same process) while the journeys run.
POSTED: set[str] = set()

# URL names that accept POST but have no form a person submits. Each needs its reason; a form
# does not belong here, it belongs in a journey.
EXEMPT: dict[str, str] = {}

CASE_ACTION = "terminations:case_action"


def _action_key(action: str) -> str:
    """Each move of a case is its own button on one URL name: counted separately."""
    return f"{CASE_ACTION}[{action}]"


class RecordBrowserPosts:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        # A POST the view refused to the role that sent it (403) is not a form that role uses:
        # the viewer's journey posts on purpose to be refused, and must not count as coverage.
        names = getattr(request, "_posted_names", ())
        if names and response.status_code != 403:
            POSTED.update(names)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        # Added after CsrfViewMiddleware: a POST the CSRF check refused is not a submitted form.
        if request.method == "POST" and request.resolver_match is not None:
            name = request.resolver_match.view_name
            names = [name]
            if name == CASE_ACTION and "action" in view_kwargs:
                names.append(_action_key(view_kwargs["action"]))
            request._posted_names = names


def expected_posts() -> set[str]:
    """Every URL name whose view accepts POST, and every move of a case by its action."""
    from terminations.transitions import ACTIONS

    names = post_accepting_names()
    if CASE_ACTION in names:
        names |= {_action_key(action) for action in ACTIONS}
    return names


def never_posted(
    expected: Iterable[str], posted: Iterable[str], exempt: dict[str, str] | None = None
) -> list[str]:
    """The expected names no browser posted to, exemptions aside, sorted."""
    return sorted(set(expected) - set(posted) - set(EXEMPT if exempt is None else exempt))
