"""Two people, one case, over real HTTP: simultaneous POSTs against a threaded live server give
one result and a clear message to everyone else, never a 500. Only PostgreSQL proves the locks."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import reverse

from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from terminations.services import notice_approve, notice_draft
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done

from .conftest import open_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _frozen_today():
    """Real time here: the live server's cookies and sessions must not look expired."""
    yield


@dataclass
class Answer:
    status: int
    url: str
    body: str


class Browser:
    """One logged-in session over HTTP: its own cookie jar, CSRF token read from a page."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get(reverse("login"))
        token = TOKEN.search(page.body).group(1)
        answer = self.post(
            reverse("login"),
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert answer.status == 200 and "/accounts/login/" not in answer.url, answer.url
        self.token = self.csrf_from(reverse("terminations:case_list"))

    def _open(self, request: urllib.request.Request) -> Answer:
        request.add_header("Accept-Language", "en")
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.url, error.read().decode(errors="replace"))

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def csrf_from(self, path: str) -> str:
        page = self.get(path)
        match = TOKEN.search(page.body)
        if match:
            return match.group(1)
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, data: dict | None = None) -> Answer:
        data = dict(data or {})
        if "csrfmiddlewaretoken" not in data:
            data["csrfmiddlewaretoken"] = self.token
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))


def at_once(calls):
    """Each call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # collected and asserted by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def browsers(live_server, username: str, n: int) -> list[Browser]:
    return [Browser(live_server.url, username, "pw-" + username) for _ in range(n)]


def assert_normal_pages(answers: list) -> None:
    for answer in answers:
        assert isinstance(answer, Answer), answer
        assert answer.status == 200, (answer.status, answer.body[-2000:])
        assert 'class="navbar' in answer.body


def test_twenty_issue_clicks_give_one_letter(live_server, staff_user, manager_user):
    ShopProfileFactory()
    case = open_case(by=staff_user, stage=Stage.NOTICE, basis="contractual")
    before_letter_done(case)
    notice = notice_draft(case=case, by=staff_user, kind=Notice.Kind.TERMINATION, facts="Facts.")
    notice_approve(notice=notice, by=manager_user)
    sessions = browsers(live_server, manager_user.username, 20)
    url = reverse("terminations:notice_issue", args=[notice.pk])

    answers = at_once([lambda b=b: b.post(url) for b in sessions])

    assert_normal_pages(answers)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED
    assert Notice.objects.filter(case=case).count() == 1
    assert Notice.objects.filter(case=case, status=Notice.Status.ISSUED).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTICE_ISSUED).count() == 1
    folder, filename = notice.pdf.name.rsplit("/", 1)
    assert notice.pdf.storage.listdir(folder)[1] == [filename]  # one stored file
    won = [a for a in answers if "Letter issued" in a.body]
    lost = [a for a in answers if "has already been issued" in a.body]
    assert len(won) == 1, [a.body[-500:] for a in answers]
    assert len(lost) == 19


def test_twenty_clicks_on_one_stage_move_give_one_change(live_server, staff_user):
    case = open_case(by=staff_user)
    sessions = browsers(live_server, staff_user.username, 20)
    url = reverse("terminations:case_action", args=[case.reference, "advance_to_negotiation"])

    answers = at_once([lambda b=b: b.post(url) for b in sessions])

    assert_normal_pages(answers)
    case.refresh_from_db()
    assert case.stage == Stage.NEGOTIATION
    changes = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE_CHANGED)
    assert changes.count() == 1
    done = [a for a in answers if "Done: the case is now at stage" in a.body]
    assert len(done) == 1
    refused = [a for a in answers if "alert-danger" in a.body or "alert-error" in a.body]
    assert len(refused) == 19, [a.body[-800:] for a in answers if a not in done][:1]


def test_ten_cases_opened_at_once_get_ten_references(live_server, staff_user):
    contracts = [ContractFactory(partner=PartnerFactory()) for _ in range(10)]
    sessions = browsers(live_server, staff_user.username, 10)
    url = reverse("terminations:case_open")

    def open_one(browser: Browser, contract) -> Answer:
        return browser.post(
            url,
            {
                "partner": contract.partner_id,
                "contract": contract.pk,
                "reason_category": "poor_results",
                "facts": "GMV fell.",
                "account_control": "shop",
            },
        )

    answers = at_once(
        [lambda b=b, c=c: open_one(b, c) for b, c in zip(sessions, contracts, strict=True)]
    )

    assert_normal_pages(answers)
    cases = TerminationCase.objects.filter(contract__in=contracts)
    assert cases.count() == 10
    references = set(cases.values_list("reference", flat=True))
    assert len(references) == 10
    for answer in answers:
        assert re.search(r"/cases/TC-\d{4}-\d{5}/$", answer.url), answer.url
