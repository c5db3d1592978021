"""The pages that show a best estimate and the letters stating an earlier end date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from tests.terminations.factories import issue_letter, open_case, place_in_stage

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def case_with_earlier_letter(owner, *, end=date(2027, 2, 15), stated=date(2027, 2, 11)):
    """A case whose end date the official calendar moved after a letter stated `stated`."""
    case = place_in_stage(open_case(by=owner, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case, issued_on=date(2026, 11, 5))
    Notice.objects.filter(pk=letter.pk).update(stated_end_date=stated)
    TerminationCase.objects.filter(pk=case.pk).update(end_date=end, end_date_confirmed=True)
    case.refresh_from_db()
    return case, letter


def keep_url(case) -> str:
    return reverse("terminations:case_keep_earlier_letters", args=[case.reference])


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_case_page_shows_the_earlier_letter_and_only_managers_get_the_form(
    staff_client, manager_client, staff_user
):
    case, letter = case_with_earlier_letter(staff_user)
    for client, has_form in ((staff_client, False), (manager_client, True)):
        client.cookies["django_language"] = "en"
        html = client.get(case.get_absolute_url()).content.decode()
        assert 'id="earlier-letters"' in html
        assert f"letter {letter.letter_number} states 2027-02-11" in html
        assert (keep_url(case) in html) is has_form


def test_keep_letters_view_checklist(
    anon_client, viewer_client, staff_client, manager_client, staff_user, manager_user
):
    case, _letter = case_with_earlier_letter(staff_user)
    assert manager_client.get(keep_url(case)).status_code == 405
    response = anon_client.post(keep_url(case), {"reason": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert viewer_client.post(keep_url(case), {"reason": "x"}).status_code == 403
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(keep_url(case), {"reason": "x"})
    assert response.status_code == 302
    assert flashed(response) == ["Only a manager may do this."]
    manager_client.cookies["django_language"] = "en"
    response = manager_client.post(keep_url(case), {"reason": "  "})
    assert response.status_code in (200, 400)
    assert 'id="keep-letters-error"' in response.content.decode()
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT).exists()
    case.refresh_from_db()
    assert case.earlier_letters_kept_for is None

    response = manager_client.post(keep_url(case), {"reason": "以期满之日为准"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.earlier_letters_kept_for == date(2027, 2, 15)
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT)
    assert event.actor == manager_user and event.message == "以期满之日为准"
    # Twice is refused with a message, not a 500, and changes nothing.
    response = manager_client.post(keep_url(case), {"reason": "again"})
    assert response.status_code == 302
    assert flashed(response)[-1] == (
        "No issued letter of this case states an end date earlier than 2027-02-15."
    )
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT).count() == 1


def test_dashboard_figure_and_filter_list_exactly_those_cases(
    manager_client, staff_user, django_assert_max_num_queries
):
    flagged, _ = case_with_earlier_letter(staff_user)
    case_with_earlier_letter(staff_user, end=date(2027, 2, 11))  # same date: nothing to decide
    kept, _ = case_with_earlier_letter(staff_user)
    TerminationCase.objects.filter(pk=kept.pk).update(earlier_letters_kept_for=date(2027, 2, 15))
    _superseded, old = case_with_earlier_letter(staff_user)
    Notice.objects.filter(pk=old.pk).update(status=Notice.Status.SUPERSEDED)
    closed, _ = case_with_earlier_letter(staff_user)
    place_in_stage(closed, Stage.CLOSED)

    with django_assert_max_num_queries(16):
        response = manager_client.get(reverse("dashboard"))
    figure = response.context["f"]["earlier_letters"]
    assert figure.value == 1
    listed = manager_client.get(figure.url)
    assert [c.reference for c in listed.context["cases"]] == [flagged.reference]


def test_my_work_and_case_list_label_best_estimates(staff_client, staff_user):
    estimate = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    TerminationCase.objects.filter(pk=estimate.pk).update(
        end_date=date(2027, 1, 4), end_date_confirmed=False
    )
    official = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    TerminationCase.objects.filter(pk=official.pk).update(
        end_date=date(2026, 12, 31), end_date_confirmed=True
    )
    staff_client.cookies["django_language"] = "en"
    work = staff_client.get(reverse("terminations:my_work"))
    flags = {item.case_reference: item.estimate for item in work.context["items"]}
    assert flags[estimate.reference] is True and flags[official.reference] is False
    assert "best estimate" in work.content.decode()
    listing = staff_client.get(reverse("terminations:case_list")).content.decode()
    assert listing.count("best estimate: the official holiday arrangement") == 1


def test_timeline_tells_the_move_in_the_readers_language(staff_client, staff_user):
    from terminations.services import cases_recheck_calendar
    from tests.terminations.factories import deliver

    case = place_in_stage(open_case(by=staff_user, basis="contractual"), Stage.NOTICE)
    letter = issue_letter(case, issued_on=date(2026, 12, 1))
    deliver(letter, dispatched_on=date(2026, 12, 1), arrived_on=date(2026, 12, 2))
    # As the first build computed it: weekends only, New Year's Day as the end.
    TerminationCase.objects.filter(pk=case.pk).update(
        end_date=date(2027, 1, 1), end_date_confirmed=False
    )
    report = cases_recheck_calendar(trigger="command")
    assert report.moved == [case.reference]
    case.refresh_from_db()
    assert case.end_date == date(2027, 1, 4)
    html = staff_client.get(case.get_absolute_url()).content.decode()
    assert "节假日安排有变：终止日由 2027-01-01 变为 2027-01-04。" in html
    assert "最佳估计：2027年的放假安排尚未公布" in html
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(case.get_absolute_url()).content.decode()
    assert "The holiday calendar changed: the end date moves from 2027-01-01 to 2027-01-04." in html
