"""After every journey: each form that posts was submitted from the browser (issue 14).

Runs last (tests/e2e/conftest.py orders it), and only when the whole browser suite ran: a single
journey file, or a `-k` selection, cannot press every button.
"""

from pathlib import Path

import pytest

from tests.e2e import post_coverage

pytestmark = [pytest.mark.e2e]

E2E = Path(__file__).resolve().parent


def _whole_suite_ran(session) -> bool:
    if getattr(session.config, "_e2e_deselected", False):
        return False
    ran = {Path(str(item.path)).name for item in session.items}
    return {path.name for path in E2E.glob("test_*.py")} <= ran


def test_every_post_form_was_submitted_from_a_browser(request):
    if not _whole_suite_ran(request.session):
        pytest.skip("POST coverage needs every browser journey in the run (pytest tests/e2e)")
    missing = post_coverage.never_posted(post_coverage.expected_posts(), post_coverage.POSTED)
    assert not missing, (
        "these URL names accept POST but no browser journey submitted a form to them "
        "(press the button in a journey, as the role that uses it):\n  " + "\n  ".join(missing)
    )


def test_the_exemptions_are_few_and_explained():
    expected = post_coverage.expected_posts()
    for name, reason in post_coverage.EXEMPT.items():
        assert name in expected, f"{name} is exempt but accepts no POST (or no longer exists)"
        assert len(reason) > 20, f"{name} is exempt without a reason"
