"""Both suite-wide browser checks can fail (issue 14): the orphan-button check reports a nested
form, and the POST coverage check reports a URL name nobody posted to."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from playwright.sync_api import Page

from tests.e2e import post_coverage
from tests.e2e.page_checks import orphan_submit_buttons

# What `{% crispy form %}` inside a template's own <form> gives: the parser drops the inner
# <form> tag, the inner </form> closes the outer form, and the button is left outside.
NESTED = """<form method="post" action="/cases/new/creators/">
  <form method="post"><input name="facts"></form>
  <button type="submit" id="open-cases">发起案件</button>
</form>"""

WELL_FORMED = """<form method="post" id="f"><button type="submit">Save</button></form>
<button type="submit" form="f">Save too</button>
<button type="button">Toggle</button>"""


def _problems_seen(page: Page, page_watch) -> list[str]:
    """What the watcher found; its load handler runs as Playwright dispatches the event."""
    for _ in range(50):
        if page_watch.pages_checked:
            break
        page.wait_for_timeout(100)
    problems, page_watch.problems = page_watch.problems, []
    return problems


@pytest.mark.e2e
def test_the_orphan_check_reports_a_button_left_out_by_a_nested_form(page: Page, page_watch):
    page.set_content(NESTED)
    orphans = orphan_submit_buttons(page)
    assert len(orphans) == 1
    assert 'id="open-cases"' in orphans[0]
    assert len(_problems_seen(page, page_watch)) == 1


@pytest.mark.e2e
def test_the_orphan_check_passes_buttons_in_forms(page: Page):
    page.set_content(WELL_FORMED)
    assert orphan_submit_buttons(page) == []


@pytest.mark.e2e
def test_every_loaded_page_is_checked(page: Page, page_watch):
    page.route(
        "http://orphans.example/",
        lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=NESTED),
    )
    page.goto("http://orphans.example/")
    problems = _problems_seen(page, page_watch)
    assert len(problems) == 1
    assert "orphans.example" in problems[0]
    assert 'id="open-cases"' in problems[0]


def test_the_coverage_check_reports_a_name_never_posted():
    expected = {"terminations:case_open", "terminations:case_open_creators", "logout"}
    posted = {"terminations:case_open"}
    assert post_coverage.never_posted(expected, posted, exempt={}) == [
        "logout",
        "terminations:case_open_creators",
    ]
    assert post_coverage.never_posted(expected, posted, exempt={"logout": "no form"}) == [
        "terminations:case_open_creators"
    ]


def test_every_move_of_a_case_is_expected_separately():
    expected = post_coverage.expected_posts()
    assert "terminations:case_action[withdraw]" in expected
    assert "terminations:case_open_creators" in expected


def test_the_middleware_records_the_url_name_and_the_move():
    from django.http import HttpResponse

    saved = set(post_coverage.POSTED)
    try:
        post_coverage.POSTED.clear()
        path = reverse(
            "terminations:case_action", kwargs={"reference": "T-2026-0001", "action": "close"}
        )
        match = resolve(path)

        def send(method: str, status: int) -> None:
            request = getattr(RequestFactory(), method)(path)
            request.resolver_match = match

            def view(request):
                middleware.process_view(request, match.func, match.args, match.kwargs)
                return HttpResponse(status=status)

            middleware = post_coverage.RecordBrowserPosts(view)
            middleware(request)

        send("get", 200)
        send("post", 403)  # refused to the sender's role: not a form that role uses
        assert not post_coverage.POSTED
        send("post", 302)
        assert {
            "terminations:case_action",
            "terminations:case_action[close]",
        } == post_coverage.POSTED
    finally:
        post_coverage.POSTED.clear()
        post_coverage.POSTED.update(saved)
