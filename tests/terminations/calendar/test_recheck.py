"""When the official arrangement of a year arrives, every open case's end date is re-checked.

The 2027 arrangement entered below differs from the best estimate both ways: a longer Spring
Festival (2/5–2/12, as recent years had) moves a 2027-02-11 end *later* to 2027-02-15, and a
working Saturday (2/20, 调休) moves a 2027-02-22 end *earlier* to 2027-02-20.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.models import CalendarDay, CalendarYear
from terminations.models import CaseEvent, Notice, Stage, TerminationCase
from terminations.reminders import send_reminders
from terminations.services import (
    case_keep_earlier_letters,
    case_recompute_end_date,
    cases_recheck_calendar,
    earlier_letters,
    letters_state_earlier,
    notice_approve,
    notice_correct,
    notice_issue,
    notice_update_draft,
)
from terminations.services._base import TransitionError
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import (
    before_letter_done,
    deliver,
    issue_letter,
    open_case,
    place_in_stage,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2027, 1, 25, 10, tzinfo=SHANGHAI)

OFFICIAL_2027 = {
    "rest_days": "\n".join(
        [
            "2027-01-01..2027-01-03 元旦",
            "2027-02-05..2027-02-12 春节",
            "2027-04-03..2027-04-05 清明节",
            "2027-05-01..2027-05-05 劳动节",
            "2027-06-09 端午节",
            "2027-09-15 中秋节",
            "2027-10-01..2027-10-07 国庆节",
        ]
    ),
    "working_days": "2027-02-20 春节调休\n2027-09-26 国庆节调休\n2027-10-09 国庆节调休",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def contractual_case(owner, *, period: int, unit: str, arrived_on: date) -> TerminationCase:
    partner = PartnerFactory()
    contract = ContractFactory(
        partner=partner, notice_period=period, notice_unit=unit, end_date=date(2027, 12, 31)
    )
    case = open_case(by=owner, basis="contractual", partner=partner, contract=contract)
    case = place_in_stage(before_letter_done(case), Stage.NOTICE)
    letter = issue_letter(case, issued_on=arrived_on)
    deliver(letter, dispatched_on=arrived_on, arrived_on=arrived_on)
    return case_recompute_end_date(case=case)


def enter_official_2027(admin_client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_calendaryear_add"),
            {
                "year": "2027",
                "published_on": "2026-12-10",
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
                **OFFICIAL_2027,
                **changes,
            },
        )
    return response


def pdf_text(notice: Notice) -> str:
    notice.pdf.open("rb")
    try:
        reader = PdfReader(io.BytesIO(notice.pdf.read()))
    finally:
        notice.pdf.close()
    return "\n".join(page.extract_text() for page in reader.pages)


def test_official_arrangement_moves_end_dates_both_ways_and_alerts_managers(
    staff_user, manager_user, admin_client, django_capture_on_commit_callbacks
):
    ShopProfileFactory()
    later = contractual_case(staff_user, period=1, unit="months", arrived_on=date(2027, 1, 6))
    earlier = contractual_case(staff_user, period=30, unit="days", arrived_on=date(2027, 1, 21))
    assert (later.end_date, later.end_date_confirmed) == (date(2027, 2, 11), False)
    assert (earlier.end_date, earlier.end_date_confirmed) == (date(2027, 2, 22), False)

    # The partner of the first case is sent a corrected letter that fixes the estimated date
    # (a letter states no date computed from another letter's arrival, only one it fixes), by
    # e-mail the same day (a correction counts once it has arrived itself).
    first = later.notices.get()
    with time_machine.travel(datetime(2027, 1, 6, 15, tzinfo=SHANGHAI), tick=False):
        correction = notice_correct(notice=first, by=manager_user)
        notice_update_draft(notice=correction, by=manager_user, fixed_end_date=date(2027, 2, 11))
        notice_approve(notice=correction, by=manager_user)
        correction = notice_issue(notice=correction, by=manager_user)
        deliver(correction, dispatched_on=date(2027, 1, 6), arrived_on=date(2027, 1, 6))
    assert correction.stated_end_date == date(2027, 2, 11)
    text = pdf_text(correction)
    assert "2027年2月11日24:00" in text
    for internal in ("最佳估计", "推定", "未确认", "尚未录入", "请在官方安排公布后", "元旦"):
        assert internal not in text, internal
    assert not letters_state_earlier(TerminationCase.objects.all()).exists()

    mail.outbox.clear()
    response = enter_official_2027(admin_client, django_capture_on_commit_callbacks)
    assert response.status_code == 302, response.content.decode()[:3000]

    later.refresh_from_db()
    earlier.refresh_from_db()
    assert (later.end_date, later.end_date_confirmed) == (date(2027, 2, 15), True)
    assert (earlier.end_date, earlier.end_date_confirmed) == (date(2027, 2, 20), True)
    moved = CaseEvent.objects.get(case=later, kind=CaseEvent.Kind.END_DATE_RECHECKED)
    assert (moved.data["previous"], moved.data["end"]) == ("2027-02-11", "2027-02-15")
    assert moved.data["reason"] == "admin"
    # Handover items counted from the end date follow it.
    from_end = later.handover_items.filter(due_rule="from_end")
    assert from_end.exists()
    for item in from_end:
        assert item.due_date == date(2027, 2, 15) + timedelta(days=item.due_offset_days)

    # Only the first case's letter told the partner an earlier date than the official one.
    assert list(letters_state_earlier(TerminationCase.objects.all())) == [later]
    assert [n.pk for n in earlier_letters(later)] == [correction.pk]

    # The owner hears of both moves; every manager of the letter stating an earlier date.
    subjects = {(m.to[0], m.body.split("\n")[0]) for m in mail.outbox}
    to_owner = [m for m in mail.outbox if m.to == [staff_user.email]]
    assert len(to_owner) == 2, subjects
    assert any("2027-02-11" in m.body and "2027-02-15" in m.body for m in to_owner)
    assert any("2027-02-22" in m.body and "2027-02-20" in m.body for m in to_owner)
    to_manager = [m for m in mail.outbox if m.to == [manager_user.email]]
    assert len(to_manager) == 1
    assert correction.letter_number in to_manager[0].body

    # Nothing is sent twice: the daily run finds nothing new.
    mail.outbox.clear()
    counts = send_reminders(today=TODAY.date())
    assert counts["moved"] == 0
    assert not [m for m in mail.outbox if "2027-02-15" in m.body and m.to == [staff_user.email]]


def test_manager_decides_the_letters_stand_and_a_new_change_alerts_again(
    staff_user, manager_user, admin_client, django_capture_on_commit_callbacks
):
    ShopProfileFactory()
    case = contractual_case(staff_user, period=1, unit="months", arrived_on=date(2027, 1, 6))
    Notice.objects.filter(case=case).update(stated_end_date=date(2027, 2, 11))
    enter_official_2027(admin_client, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.end_date == date(2027, 2, 15)

    with pytest.raises(TransitionError):
        case_keep_earlier_letters(case=case, by=staff_user, note="the rule governs")
    with pytest.raises(TransitionError):
        case_keep_earlier_letters(case=case, by=manager_user, note="  ")
    case_keep_earlier_letters(
        case=case, by=manager_user, note="The letter's rule governs; the partner was told."
    )
    assert not letters_state_earlier(TerminationCase.objects.all()).exists()
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT)
    assert event.data["letters"] == [[case.notices.get().letter_number, "2027-02-11"]]
    with pytest.raises(TransitionError):  # nothing left to decide
        case_keep_earlier_letters(case=case, by=manager_user, note="again")

    # The arrangement is corrected again (a longer Spring Festival): the decision was for
    # 2027-02-15, so the case is back before the managers.
    year = CalendarYear.objects.get(year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_calendaryear_change", args=[year.pk]),
            {
                "year": "2027",
                "source": "更正",
                "rest_days": OFFICIAL_2027["rest_days"].replace(
                    "2027-02-05..2027-02-12", "2027-02-05..2027-02-15"
                ),
                "working_days": OFFICIAL_2027["working_days"],
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.end_date == date(2027, 2, 16)
    assert list(letters_state_earlier(TerminationCase.objects.all())) == [case]


def test_raising_the_confirmed_through_setting_is_picked_up_by_the_daily_run(
    staff_user, settings, monkeypatch
):
    case = contractual_case(staff_user, period=30, unit="days", arrived_on=date(2027, 1, 21))
    assert (case.end_date, case.end_date_confirmed) == (date(2027, 2, 22), False)
    # A newer calendar package that knows 2027, simulated by serving the official arrangement
    # from the package's side: the year becomes official through the setting alone.
    from terminations.rules import calendar

    official = calendar._estimate(2027)
    official = official.__class__(
        **{
            **official.__dict__,
            "confirmed": True,
            "source": "holidays",
            "workdays": frozenset({date(2027, 2, 20)}),
        }
    )
    monkeypatch.setattr(calendar, "_from_holidays_package", lambda year: official)
    settings.HOLIDAYS_CONFIRMED_THROUGH = 2027
    counts = send_reminders(today=TODAY.date())
    assert counts["moved"] == 1
    case.refresh_from_db()
    assert (case.end_date, case.end_date_confirmed) == (date(2027, 2, 20), True)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.END_DATE_RECHECKED)
    assert event.data["reason"] == "daily"


def test_recheck_leaves_unchanged_cases_alone_and_is_idempotent(staff_user):
    confirmed = contractual_case(staff_user, period=30, unit="days", arrived_on=date(2026, 9, 1))
    closed = contractual_case(staff_user, period=30, unit="days", arrived_on=date(2027, 1, 21))
    place_in_stage(closed, Stage.CLOSED)
    events = CaseEvent.objects.count()
    report = cases_recheck_calendar(trigger="command")
    assert report.checked == 1 and report.moved == [] and report.confirmed == []
    assert CaseEvent.objects.count() == events
    # The calendar has not changed since: the next run looks at nothing, unless told to.
    assert cases_recheck_calendar(trigger="daily").checked == 0
    assert cases_recheck_calendar(trigger="command", everything=True).checked == 1
    confirmed.refresh_from_db()
    assert confirmed.end_date == date(2026, 10, 8)


def test_recheck_command_reports(staff_user):
    CalendarYear.objects.create(year=2027)
    for day in range(5, 13):
        CalendarDay.objects.create(day=date(2027, 2, day), kind="holiday", name="春节")
    case = contractual_case(staff_user, period=1, unit="months", arrived_on=date(2027, 1, 6))
    # Computed before the rows existed? No: the calendar already knows them, so fake an old date.
    TerminationCase.objects.filter(pk=case.pk).update(
        end_date=date(2027, 2, 11), end_date_confirmed=False
    )
    out = io.StringIO()
    call_command("recheck_calendar", stdout=out)
    assert "checked=1 moved=1" in out.getvalue()
    assert f"moved {case.reference}" in out.getvalue()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"rest_days": OFFICIAL_2027["rest_days"].replace("2027-01-01..2027-01-03 元旦", "")},
            "rest_days",
            "2027-01-01 元旦",
        ),
        ({"working_days": "2027-02-18 调休"}, "working_days", "2027-02-18"),
        ({"working_days": "2027-02-06 调休"}, "working_days", "2027-02-06"),
        ({"rest_days": "2027-13-01 国庆节"}, "rest_days", "2027-13-01"),
        ({"rest_days": "2028-01-01 元旦"}, "rest_days", "2028-01-01"),
        ({"year": "2026"}, "year", "2026"),
    ],
)
def test_a_wrong_arrangement_is_refused_and_changes_nothing(
    admin_client, django_capture_on_commit_callbacks, changes, field, message
):
    response = enter_official_2027(admin_client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_only_cases_a_changed_year_can_reach_are_looked_at(staff_user):
    contractual_case(staff_user, period=30, unit="days", arrived_on=date(2026, 11, 2))
    in_2027 = contractual_case(staff_user, period=30, unit="days", arrived_on=date(2027, 1, 21))
    assert cases_recheck_calendar(trigger="daily").checked == 2  # the first check sees all
    assert cases_recheck_calendar(trigger="daily").checked == 0
    CalendarYear.objects.create(year=2028)  # a year no open case reaches
    assert cases_recheck_calendar(trigger="daily").checked == 0
    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(day=date(2027, 2, 20), kind="workday", name="调休")
    report = cases_recheck_calendar(trigger="daily")
    assert report.checked == 1 and report.moved == [in_2027.reference]
