"""The Chinese working calendar: statutory holidays, weekends and make-up working days (调休).

Where the calendar comes from, per year:

* years up to ``settings.HOLIDAYS_CONFIRMED_THROUGH``: the ``holidays`` package (official State
  Council notices);
* later years: ``core.CalendarDay`` rows, but only once a ``core.CalendarYear`` row says the
  year's arrangement has been entered in full;
* otherwise the year is **unconfirmed**: only Saturdays and Sundays count as rest days, and every
  result computed with such a year says that the holiday roll could not be checked. (The
  ``holidays`` package silently guesses such years without make-up days; we never use a guess.)

Each year is loaded once per process and kept in memory: the dashboard asks thousands of times.
Years read from the database are re-read after ``DB_YEAR_TTL_SECONDS`` so an administrator's
entry reaches every worker process; the admin also clears the cache of its own process at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.conf import settings

DB_YEAR_TTL_SECONDS = 60.0

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class YearCalendar:
    year: int
    confirmed: bool
    source: str  # "holidays", "database" or "weekends"
    # Rest days that are not plain weekends' rest: holidays and moved rest days, with their names.
    holidays_zh: dict[date, str] = field(default_factory=dict)
    holidays_en: dict[date, str] = field(default_factory=dict)
    # Saturdays and Sundays that are working days.
    workdays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays_zh:
            return False
        if day.weekday() >= 5:
            return day in self.workdays
        return True


_lock = threading.Lock()
_cache: dict[int, tuple[YearCalendar, float | None]] = {}


def clear_cache() -> None:
    """Forget every loaded year (after calendar rows change, and between tests)."""
    with _lock:
        _cache.clear()


def _from_holidays_package(year: int) -> YearCalendar:
    zh = holidays.country_holidays("CN", years=year, language="zh_CN")
    en = holidays.country_holidays("CN", years=year, language="en_US")
    return YearCalendar(
        year=year,
        confirmed=True,
        source="holidays",
        holidays_zh={day: name for day, name in zh.items() if day.year == year},
        holidays_en={day: en.get(day, name) for day, name in zh.items() if day.year == year},
        workdays=frozenset(day for day in zh.weekend_workdays if day.year == year),
    )


def _from_database(year: int) -> YearCalendar:
    from core.models import CalendarDay, CalendarYear

    if not CalendarYear.objects.filter(year=year).exists():
        return YearCalendar(year=year, confirmed=False, source="weekends")
    rows = list(CalendarDay.objects.filter(day__year=year).values_list("day", "kind", "name"))
    rest = {day: name for day, kind, name in rows if kind == CalendarDay.Kind.HOLIDAY}
    return YearCalendar(
        year=year,
        confirmed=True,
        source="database",
        holidays_zh={day: name or "法定节假日" for day, name in rest.items()},
        holidays_en={day: name or "public holiday" for day, name in rest.items()},
        workdays=frozenset(day for day, kind, _name in rows if kind == CalendarDay.Kind.WORKDAY),
    )


def year_calendar(year: int) -> YearCalendar:
    now = time.monotonic()
    cached = _cache.get(year)
    if cached is not None:
        calendar, expires = cached
        if expires is None or now < expires:
            return calendar
    if year <= settings.HOLIDAYS_CONFIRMED_THROUGH:
        calendar, expires = _from_holidays_package(year), None
    else:
        calendar, expires = _from_database(year), now + DB_YEAR_TTL_SECONDS
    with _lock:
        _cache[year] = (calendar, expires)
    return calendar


def year_confirmed(year: int) -> bool:
    return year_calendar(year).confirmed


def is_working_day(day: date) -> bool:
    return year_calendar(day.year).is_working_day(day)


def is_rest_day(day: date) -> bool:
    return not is_working_day(day)


def holiday_name(day: date, language: str = "zh") -> str | None:
    """The holiday's name if ``day`` is a statutory holiday or a moved rest day, else None."""
    calendar = year_calendar(day.year)
    names = calendar.holidays_zh if language == "zh" else calendar.holidays_en
    return names.get(day)


def is_makeup_workday(day: date) -> bool:
    return day.weekday() >= 5 and day in year_calendar(day.year).workdays


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """The last working day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def describe_day_zh(day: date) -> str:
    """Why a day is (not) a working day, in Chinese: "2026-10-01（星期四，国庆节）"."""
    name = holiday_name(day, "zh")
    weekday = WEEKDAYS_ZH[day.weekday()]
    if name:
        return f"{day.isoformat()}（{weekday}，法定节假日：{name}）"
    if is_makeup_workday(day):
        return f"{day.isoformat()}（{weekday}，调休上班的工作日）"
    if day.weekday() >= 5:
        return f"{day.isoformat()}（{weekday}，休息日）"
    if not year_confirmed(day.year):
        return f"{day.isoformat()}（{weekday}，官方日历未确认）"
    return f"{day.isoformat()}（{weekday}，工作日）"


def describe_day_en(day: date) -> str:
    name = holiday_name(day, "en")
    weekday = WEEKDAYS_EN[day.weekday()]
    if name:
        return f"{day.isoformat()} ({weekday}, a public holiday: {name})"
    if is_makeup_workday(day):
        return f"{day.isoformat()} ({weekday}, a make-up working day)"
    if day.weekday() >= 5:
        return f"{day.isoformat()} ({weekday}, a weekend rest day)"
    if not year_confirmed(day.year):
        return f"{day.isoformat()} ({weekday}; official calendar not yet known)"
    return f"{day.isoformat()} ({weekday}, a working day)"
