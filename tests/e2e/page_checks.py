"""Checks run on every page the browser journeys load (issue 14).

A submit button outside any form does nothing when pressed: the classic cause is a form nested
in a form, whose inner tag the HTML parser drops while the inner `</form>` closes the outer one.
Server-side tests cannot see it; the browser can (`button.form === null`).

`PageWatch` is attached to every browser context the journeys open (tests/e2e/conftest.py) and
checks each page on its `load` event; the test fails at teardown if any page had an orphan
button, answered 500 or had the Content-Security-Policy refuse one of its styles or scripts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Error, Page, Response

ORPHAN_SUBMIT_BUTTONS = """() => [...document.querySelectorAll(
    'button:not([type]), button[type=submit], input[type=submit], input[type=image]')]
    .filter(button => button.form === null)
    .map(button => button.outerHTML.slice(0, 200))"""


def orphan_submit_buttons(page: Page) -> list[str]:
    """The submit buttons of the page that belong to no form (their HTML, shortened)."""
    return page.evaluate(ORPHAN_SUBMIT_BUTTONS)


def in_django_admin(url: str) -> bool:
    """Django's admin has script-driven buttons of its own (theme and sidebar toggles, no type)
    outside forms; it is Django's page, not ours."""
    return urlsplit(url).path.startswith("/admin/")


def assert_every_submit_button_has_a_form(page: Page) -> None:
    if in_django_admin(page.url):
        return
    orphans = orphan_submit_buttons(page)
    assert not orphans, f"submit buttons outside any form on {page.url}: {orphans}"


class PageWatch:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.pages_checked = 0

    def attach(self, context: BrowserContext) -> None:
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page: Page) -> None:
        page.on("load", lambda: self.check(page))
        page.on("response", self._response)
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page: Page, message) -> None:
        """A style or script the Content-Security-Policy refused: the page does not look or
        work as written (an inline style="…" is refused, for one)."""
        if "Content Security Policy" in message.text and not in_django_admin(page.url):
            self.problems.append(f"CSP refused something on {page.url}: {message.text[:300]}")

    def check(self, page: Page) -> None:
        if in_django_admin(page.url):
            return
        try:
            orphans = orphan_submit_buttons(page)
        except Error:
            return  # the page moved on (a redirect, a click) before the check ran
        self.pages_checked += 1
        if orphans:
            self.problems.append(f"submit buttons outside any form on {page.url}: {orphans}")

    def _response(self, response: Response) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")
