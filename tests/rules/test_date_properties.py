"""Properties of the date rules that must hold for every input, not just the worked examples."""

import calendar as stdlib_calendar
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminations.rules import calendar
from terminations.rules.dates import (
    add_months,
    notice_period_end,
    renewal_notice_deadline,
)

# Starts whose results stay inside the years the `holidays` package confirms (no database).
confirmed_starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 12, 31))
units = st.sampled_from(["days", "months", "workdays"])
periods = st.integers(min_value=1, max_value=90)
small_months = st.integers(min_value=1, max_value=11)


def _period(unit: str, period: int) -> int:
    return min(period, 11) if unit == "months" else period


@given(start=confirmed_starts, period=periods, unit=units, first=st.booleans(), roll=st.booleans())
def test_end_not_before_nominal_not_before_start(start, period, unit, first, roll):
    period = _period(unit, period)
    result = notice_period_end(
        start=start, period=period, unit=unit, first_day_counts=first, roll=roll
    )
    assert result.end >= result.nominal >= start
    if not first:
        assert result.nominal > start
    if not roll:
        assert result.end == result.nominal


@given(start=confirmed_starts, period=periods, unit=units, first=st.booleans())
def test_with_roll_in_a_confirmed_year_the_end_is_a_working_day(start, period, unit, first):
    result = notice_period_end(
        start=start, period=_period(unit, period), unit=unit, first_day_counts=first
    )
    assert result.confirmed
    assert calendar.is_working_day(result.end)
    # The roll goes to the *first* working day: nothing in between works.
    day = result.nominal
    while day < result.end:
        assert calendar.is_rest_day(day)
        day += timedelta(days=1)


@given(start=confirmed_starts, months=small_months)
def test_month_arithmetic_keeps_the_day_number_or_clamps(start, months):
    nominal = notice_period_end(start=start, period=months, unit="months", roll=False).nominal
    last_day = stdlib_calendar.monthrange(nominal.year, nominal.month)[1]
    assert (nominal.year * 12 + nominal.month) - (start.year * 12 + start.month) == months
    assert nominal.day == min(start.day, last_day)


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 1, 1)),
    months=st.integers(-240, 240),
)
def test_add_months_round_numbers(day, months):
    moved, clamped = add_months(day, months)
    assert clamped is (moved.day != day.day)
    if not clamped:
        back, _ = add_months(moved, -months)
        assert back == day


@given(
    start=confirmed_starts,
    later_by=st.integers(min_value=1, max_value=40),
    period=periods,
    unit=units,
    first=st.booleans(),
    roll=st.booleans(),
)
def test_a_later_arrival_never_gives_an_earlier_end(start, later_by, period, unit, first, roll):
    period = _period(unit, period)
    options = {"period": period, "unit": unit, "first_day_counts": first, "roll": roll}
    earlier = notice_period_end(start=start, **options)
    later = notice_period_end(start=start + timedelta(days=later_by), **options)
    assert later.end >= earlier.end
    assert later.nominal >= earlier.nominal


@given(start=confirmed_starts, period=periods)
def test_working_day_count_is_exact(start, period):
    result = notice_period_end(start=start, period=period, unit="workdays")
    working = sum(
        calendar.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (result.end - start).days + 1)
    )
    assert working == period
    assert calendar.is_working_day(result.end)


@given(
    term_end=st.dates(min_value=date(2004, 6, 1), max_value=date(2026, 12, 31)),
    period=periods,
    unit=units,
)
def test_renewal_cutoff_is_a_working_day_in_time(term_end, period, unit):
    period = _period(unit, period)
    result = renewal_notice_deadline(term_end=term_end, period=period, unit=unit)
    assert result.end <= result.nominal < term_end
    assert calendar.is_working_day(result.end)
    # Notice arriving on the cut-off ends its period no later than the term.
    forward = notice_period_end(start=result.end, period=period, unit=unit, roll=False)
    assert forward.nominal <= term_end


@pytest.mark.django_db
@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=date(2026, 6, 1), max_value=date(2028, 12, 31)),
    period=periods,
    unit=units,
)
def test_estimated_years_are_flagged_and_still_ordered(start, period, unit):
    period = _period(unit, period)
    result = notice_period_end(start=start, period=period, unit=unit)
    assert result.end >= result.nominal >= start
    touches_future = result.end.year > 2026
    if touches_future:
        assert not result.confirmed
        assert set(result.estimated_years) <= {2027, 2028, 2029}
        assert "Best estimate" in result.estimate_note_en
        assert "Best estimate" not in result.explanation_en
    else:
        assert result.confirmed
    # An estimated year still rests on weekends and on its statutory days.
    assert calendar.is_working_day(result.end)
    assert result.end.weekday() < 5 or result.confirmed
