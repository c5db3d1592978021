"""The Chinese working calendar: statutory holidays, weekends and make-up working days (调休).

Part of every year's arrangement is fixed by law before the State Council publishes it:
《全国年节及纪念日放假办法》 art. 2 names the statutory days (元旦, 春节 from lunar New Year's Eve
to the 3rd day, 清明, 劳动节 May 1–2, 端午, 中秋, 国庆节 Oct 1–3); art. 6 makes up a statutory day
that falls on a Saturday or Sunday on a working day (补假), but which one, and any 调休 (art. 7),
only the year's notice says. So, per year:

* years up to ``settings.HOLIDAYS_CONFIRMED_THROUGH``: the ``holidays`` package, which carries
  the official State Council notices — **official**;
* later years whose arrangement a manager entered (a ``core.CalendarYear`` row with its
  ``core.CalendarDay`` rows) — **official**;
* any other year — a **best estimate**: the statutory days are rest days for certain; the art. 6
  make-up days are estimated on the working days right after the holiday (as the ``holidays``
  package does for years it has not been given officially, and as recent notices did); weekends
  are rest days and no 调休 working Saturday is assumed.

The statutory days are rest days whatever the source: an entered arrangement cannot make one a
working day, and a day the entry forgot is still a rest day.

Each year is loaded once per process and kept in memory: the dashboard asks thousands of times.
Years read from the database are re-read after ``DB_YEAR_TTL_SECONDS`` so an administrator's
entry reaches every worker process; the admin also clears the cache of its own process at once.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from django.conf import settings

DB_YEAR_TTL_SECONDS = 60.0

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The `holidays` package's Chinese names of the days 《全国年节及纪念日放假办法》 art. 2 fixes.
# (Its other rest days are 补假 "observed" days, 调休 substitutes and one-off special holidays.)
STATUTORY_NAMES_ZH = frozenset(
    {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
)

OFFICIAL_SOURCES = ("holidays", "database")


@dataclass(frozen=True)
class YearCalendar:
    year: int
    confirmed: bool  # the year's official arrangement is known
    source: str  # "holidays" or "database" (official), "estimate"
    # Rest days that are not plain weekends' rest: holidays and moved rest days, with their names.
    holidays_zh: dict[date, str] = field(default_factory=dict)
    holidays_en: dict[date, str] = field(default_factory=dict)
    # Saturdays and Sundays that are working days.
    workdays: frozenset[date] = frozenset()
    # The art. 2 statutory days (certain in every year).
    statutory: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays_zh:
            return False
        if day.weekday() >= 5:
            return day in self.workdays
        return True

    def is_estimated(self, day: date) -> bool:
        """Whether ``day``'s status in this year is an estimate rather than known."""
        return not self.confirmed and day not in self.statutory


_lock = threading.Lock()
_cache: dict[int, tuple[YearCalendar, float | None]] = {}


def clear_cache() -> None:
    """Forget every loaded year (after calendar rows change, and between tests)."""
    with _lock:
        _cache.clear()


@functools.lru_cache(maxsize=256)
def _package_year(year: int) -> tuple[dict[date, str], dict[date, str], frozenset[date]]:
    """The ``holidays`` package's rest days of ``year`` (zh and en names) and its working weekend
    days. For a year it has no official notice for, these are its rule-based dates: the statutory
    days and, where one falls on a weekend, the art. 6 make-up day."""
    zh = holidays.country_holidays("CN", years=year, language="zh_CN")
    en = holidays.country_holidays("CN", years=year, language="en_US")
    names_zh = {day: name for day, name in zh.items() if day.year == year}
    names_en = {day: en.get(day, name) for day, name in names_zh.items()}
    workdays = frozenset(day for day in zh.weekend_workdays if day.year == year)
    return names_zh, names_en, workdays


def last_official_year_in_package() -> int:
    """The last year for which the installed ``holidays`` package carries a State Council notice
    (its 调休 substitutions; every published arrangement since 2001 has some)."""
    from holidays.countries.china import ChinaStaticHolidays

    return max(ChinaStaticHolidays.special_public_holidays)


@functools.lru_cache(maxsize=256)
def statutory_days(year: int) -> dict[date, str]:
    """The statutory days of ``year`` under the holiday rules in force that year (art. 2 of
    《全国年节及纪念日放假办法》 in its 2024 revision from 2025), with their Chinese names."""
    days = holidays.country_holidays("CN", years=year, language="zh_CN", observed=False)
    return {
        day: name
        for day, name in days.items()
        if day.year == year and STATUTORY_NAMES_ZH.intersection(name.split("; "))
    }


def _from_holidays_package(year: int) -> YearCalendar:
    names_zh, names_en, workdays = _package_year(year)
    return YearCalendar(
        year=year,
        confirmed=True,
        source="holidays",
        holidays_zh=dict(names_zh),
        holidays_en=dict(names_en),
        workdays=workdays,
        statutory=frozenset(statutory_days(year)),
    )


def _estimate(year: int) -> YearCalendar:
    names_zh, names_en, _workdays = _package_year(year)
    statutory = statutory_days(year)
    # The statutory days and the package's art. 6 make-up days ("（补假）"), nothing else: should
    # the package know the year's notice, its 调休 days are not an estimate of ours to make.
    rest = [day for day, name in names_zh.items() if day in statutory or "补假" in name]
    return YearCalendar(
        year=year,
        confirmed=False,
        source="estimate",
        holidays_zh={day: names_zh[day] for day in rest},
        holidays_en={day: names_en[day] for day in rest},
        # No 调休 working weekend is assumed: only the year's notice can make one.
        workdays=frozenset(),
        statutory=frozenset(statutory),
    )


def _from_database(year: int) -> YearCalendar:
    from core.models import CalendarDay, CalendarYear

    if not CalendarYear.objects.filter(year=year).exists():
        return _estimate(year)
    rows = list(CalendarDay.objects.filter(day__year=year).values_list("day", "kind", "name"))
    statutory = statutory_days(year)
    _names_zh, names_en, _workdays = _package_year(year)
    rest = {day: name for day, kind, name in rows if kind == CalendarDay.Kind.HOLIDAY}
    # A statutory day is a rest day even where the entry forgot it (art. 2).
    for day, name in statutory.items():
        rest.setdefault(day, name)
    return YearCalendar(
        year=year,
        confirmed=True,
        source="database",
        holidays_zh={day: name or "法定节假日" for day, name in rest.items()},
        holidays_en={
            day: names_en.get(day) or name or "public holiday" for day, name in rest.items()
        },
        workdays=frozenset(
            day
            for day, kind, _name in rows
            if kind == CalendarDay.Kind.WORKDAY and day not in statutory
        ),
        statutory=frozenset(statutory),
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
    """Whether ``year``'s official arrangement is known (else its results are a best estimate)."""
    return year_calendar(year).confirmed


def year_fingerprint(year: int) -> str:
    """A digest of what ``year``'s calendar says: whether it is official, its rest days and its
    working weekend days. Equal fingerprints give equal dates."""
    calendar = year_calendar(year)
    text = "|".join(
        [
            str(year),
            "official" if calendar.confirmed else "estimate",
            ",".join(sorted(day.isoformat() for day in calendar.holidays_zh)),
            ",".join(sorted(day.isoformat() for day in calendar.workdays)),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def is_estimated(day: date) -> bool:
    """Whether ``day`` is a working or rest day only by the best estimate of an unpublished year."""
    return year_calendar(day.year).is_estimated(day)


def is_statutory_day(day: date) -> bool:
    return day in year_calendar(day.year).statutory


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
    """Why a day is (not) a working day, in Chinese: "2026-10-01（星期四，法定节假日：国庆节）".
    In a year whose arrangement is not published, what is only estimated says so."""
    calendar = year_calendar(day.year)
    name = calendar.holidays_zh.get(day)
    weekday = WEEKDAYS_ZH[day.weekday()]
    estimate = "，最佳估计" if calendar.is_estimated(day) else ""
    if name and calendar.is_estimated(day):
        return f"{day.isoformat()}（{weekday}，{name}，按放假办法第六条推定的补假日{estimate}）"
    if name:
        return f"{day.isoformat()}（{weekday}，法定节假日：{name}）"
    if is_makeup_workday(day):
        return f"{day.isoformat()}（{weekday}，调休上班的工作日）"
    if day.weekday() >= 5:
        return f"{day.isoformat()}（{weekday}，休息日{estimate}）"
    return f"{day.isoformat()}（{weekday}，工作日{estimate}）"


def describe_day_en(day: date) -> str:
    calendar = year_calendar(day.year)
    name = calendar.holidays_en.get(day)
    weekday = WEEKDAYS_EN[day.weekday()]
    estimate = "; best estimate" if calendar.is_estimated(day) else ""
    if name and calendar.is_estimated(day):
        return (
            f"{day.isoformat()} ({weekday}, {name}: a make-up rest day estimated under art. 6 "
            f"of the holiday rules{estimate})"
        )
    if name:
        return f"{day.isoformat()} ({weekday}, a public holiday: {name})"
    if is_makeup_workday(day):
        return f"{day.isoformat()} ({weekday}, a make-up working day)"
    if day.weekday() >= 5:
        return f"{day.isoformat()} ({weekday}, a weekend rest day{estimate})"
    return f"{day.isoformat()} ({weekday}, a working day{estimate})"
