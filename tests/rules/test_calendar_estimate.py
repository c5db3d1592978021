"""Years whose official holiday arrangement is not published: the law already fixes part of it.

《全国年节及纪念日放假办法》 (2024 revision) art. 2 names the statutory days, art. 6 makes up a
statutory day falling on a weekend on a working day. The tables below were worked out by hand
from the law and a calendar (not read from our code): for every statutory holiday of 2027 and
2028, a notice period in days, in months and in working days whose last day falls on it.
"""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminations.rules import calendar
from terminations.rules.dates import notice_period_end, renewal_notice_deadline

D = date

# The art. 2 days by their names in the `holidays` package (its other entries are 补假, 调休 and
# one-off special days). Built here, independently of terminations.rules.calendar.
ART_2_NAMES = {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def statutory(year: int) -> set[date]:
    days = holidays.country_holidays("CN", years=year, language="zh_CN", observed=False)
    return {day for day, name in days.items() if ART_2_NAMES & set(name.split("; "))}


# (start, period, unit, nominal, end): the nominal last day is a statutory day (or, for working
# days, the day before the holiday), the end the first working day after the rest.
ESTIMATES = [
    # 2027 — 元旦 Fri 1/1 (weekend 1/2–1/3): first working day Mon 1/4
    (D(2026, 12, 2), 30, "days", D(2027, 1, 1), D(2027, 1, 4)),
    (D(2026, 12, 1), 1, "months", D(2027, 1, 1), D(2027, 1, 4)),
    (D(2026, 12, 31), 1, "workdays", D(2027, 1, 4), D(2027, 1, 4)),
    # 春节 2/5 (除夕) – 2/8; 2/6 and 2/7 fall on the weekend: 补假 2/9, 2/10 → Thu 2/11
    (D(2027, 1, 6), 30, "days", D(2027, 2, 5), D(2027, 2, 11)),
    (D(2027, 1, 6), 1, "months", D(2027, 2, 6), D(2027, 2, 11)),
    (D(2027, 2, 4), 1, "workdays", D(2027, 2, 11), D(2027, 2, 11)),
    # 清明 Mon 4/5 → Tue 4/6
    (D(2027, 3, 6), 30, "days", D(2027, 4, 5), D(2027, 4, 6)),
    (D(2027, 3, 5), 1, "months", D(2027, 4, 5), D(2027, 4, 6)),
    (D(2027, 4, 2), 1, "workdays", D(2027, 4, 6), D(2027, 4, 6)),
    # 劳动节 Sat 5/1, Sun 5/2: 补假 5/3, 5/4 → Wed 5/5
    (D(2027, 4, 1), 30, "days", D(2027, 5, 1), D(2027, 5, 5)),
    (D(2027, 4, 2), 1, "months", D(2027, 5, 2), D(2027, 5, 5)),
    (D(2027, 4, 30), 1, "workdays", D(2027, 5, 5), D(2027, 5, 5)),
    # 端午 Wed 6/9 → Thu 6/10
    (D(2027, 5, 10), 30, "days", D(2027, 6, 9), D(2027, 6, 10)),
    (D(2027, 5, 9), 1, "months", D(2027, 6, 9), D(2027, 6, 10)),
    (D(2027, 6, 8), 1, "workdays", D(2027, 6, 10), D(2027, 6, 10)),
    # 中秋 Wed 9/15 → Thu 9/16
    (D(2027, 8, 16), 30, "days", D(2027, 9, 15), D(2027, 9, 16)),
    (D(2027, 8, 15), 1, "months", D(2027, 9, 15), D(2027, 9, 16)),
    (D(2027, 9, 14), 1, "workdays", D(2027, 9, 16), D(2027, 9, 16)),
    # 国庆 Fri 10/1 – Sun 10/3: 补假 10/4, 10/5 → Wed 10/6
    (D(2027, 9, 1), 30, "days", D(2027, 10, 1), D(2027, 10, 6)),
    (D(2027, 9, 3), 1, "months", D(2027, 10, 3), D(2027, 10, 6)),
    (D(2027, 9, 30), 1, "workdays", D(2027, 10, 6), D(2027, 10, 6)),
    # 2028 — 元旦 Sat 1/1: 补假 Mon 1/3 → Tue 1/4
    (D(2027, 12, 2), 30, "days", D(2028, 1, 1), D(2028, 1, 4)),
    (D(2027, 12, 1), 1, "months", D(2028, 1, 1), D(2028, 1, 4)),
    (D(2027, 12, 31), 1, "workdays", D(2028, 1, 4), D(2028, 1, 4)),
    # 春节 Tue 1/25 (除夕) – Fri 1/28, then the weekend → Mon 1/31
    (D(2027, 12, 26), 30, "days", D(2028, 1, 25), D(2028, 1, 31)),
    (D(2027, 12, 26), 1, "months", D(2028, 1, 26), D(2028, 1, 31)),
    (D(2028, 1, 24), 1, "workdays", D(2028, 1, 31), D(2028, 1, 31)),
    # 清明 Tue 4/4 → Wed 4/5
    (D(2028, 3, 5), 30, "days", D(2028, 4, 4), D(2028, 4, 5)),
    (D(2028, 3, 4), 1, "months", D(2028, 4, 4), D(2028, 4, 5)),
    (D(2028, 4, 3), 1, "workdays", D(2028, 4, 5), D(2028, 4, 5)),
    # 劳动节 Mon 5/1, Tue 5/2 → Wed 5/3
    (D(2028, 4, 1), 30, "days", D(2028, 5, 1), D(2028, 5, 3)),
    (D(2028, 4, 2), 1, "months", D(2028, 5, 2), D(2028, 5, 3)),
    (D(2028, 4, 28), 1, "workdays", D(2028, 5, 3), D(2028, 5, 3)),
    # 端午 Sun 5/28: 补假 Mon 5/29 → Tue 5/30
    (D(2028, 4, 28), 30, "days", D(2028, 5, 28), D(2028, 5, 30)),
    (D(2028, 4, 28), 1, "months", D(2028, 5, 28), D(2028, 5, 30)),
    (D(2028, 5, 26), 1, "workdays", D(2028, 5, 30), D(2028, 5, 30)),
    # 国庆 Sun 10/1 – Tue 10/3 (中秋 10/3 too): 补假 Wed 10/4 → Thu 10/5
    (D(2028, 9, 1), 30, "days", D(2028, 10, 1), D(2028, 10, 5)),
    (D(2028, 9, 3), 1, "months", D(2028, 10, 3), D(2028, 10, 5)),
    (D(2028, 9, 29), 1, "workdays", D(2028, 10, 5), D(2028, 10, 5)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "period", "unit", "nominal", "end"), ESTIMATES)
def test_no_period_ends_on_a_statutory_day_of_an_unpublished_year(
    start, period, unit, nominal, end
):
    result = notice_period_end(start=start, period=period, unit=unit)
    assert (result.nominal, result.end) == (nominal, end)
    assert result.end not in statutory(result.end.year)
    assert not result.confirmed
    assert result.end.year in result.estimated_years
    assert result.estimate_note_zh.startswith("最佳估计")
    assert f"{end.isoformat()}二十四时届满" in result.explanation_zh


@pytest.mark.parametrize("year", [2027, 2028])
@pytest.mark.parametrize("unit", ["days", "months", "workdays"])
def test_the_tables_cover_every_statutory_holiday(year, unit):
    names = holidays.country_holidays("CN", years=year, language="zh_CN", observed=False)
    festival = {"农历除夕": "春节"}  # New Year's Eve is the Spring Festival's first day

    def festivals(day: date) -> set[str]:
        return {festival.get(n, n) for n in names.get(day, "").split("; ")} & ART_2_NAMES

    wanted = {n for day in statutory(year) for n in festivals(day)}
    crossed: set[str] = set()
    for start, _period, row_unit, nominal, end in ESTIMATES:
        if row_unit != unit:
            continue
        day = nominal if unit != "workdays" else start + timedelta(days=1)
        while day < end:
            crossed |= festivals(day)
            day += timedelta(days=1)
    assert wanted <= crossed


@pytest.mark.django_db
def test_every_statutory_day_is_a_rest_day_2000_to_2099():
    for year in range(2000, 2100):
        days = statutory(year)
        assert len(days) >= 9, year
        for day in days:
            assert calendar.is_rest_day(day), day


@pytest.mark.django_db
def test_estimated_make_up_days_are_labelled_for_staff():
    text = calendar.describe_day_zh(D(2027, 2, 9))
    assert "推定" in text and "最佳估计" in text
    assert calendar.describe_day_zh(D(2027, 1, 1)) == "2027-01-01（星期五，法定节假日：元旦）"
    assert calendar.is_estimated(D(2027, 2, 9))
    assert not calendar.is_estimated(D(2027, 1, 1))  # the law fixes it
    assert not calendar.is_estimated(D(2026, 10, 5))  # published


@pytest.mark.django_db
def test_renewal_cut_off_moves_earlier_past_statutory_days():
    # Term ends 2027-10-31; 30 days before is 2027-10-01 (National Day): the cut-off moves
    # earlier to the last working day before it, Thu 2027-09-30.
    result = renewal_notice_deadline(term_end=D(2027, 10, 31), period=30, unit="days")
    assert (result.nominal, result.end) == (D(2027, 10, 1), D(2027, 9, 30))
    assert not result.confirmed


@pytest.mark.django_db
@settings(
    deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 8, 31)),
    period=st.integers(min_value=1, max_value=90),
    unit=st.sampled_from(["days", "months", "workdays"]),
    first=st.booleans(),
    from_dispatch=st.booleans(),
)
def test_no_period_ends_on_a_statutory_day_2000_to_2099(start, period, unit, first, from_dispatch):
    if unit == "months":
        period = min(period, 3)
    result = notice_period_end(
        start=start,
        period=period,
        unit=unit,
        first_day_counts=first,
        counted_from="dispatch" if from_dispatch else "arrival",
    )
    assert result.end not in statutory(result.end.year)
    assert calendar.is_working_day(result.end)
    assert result.end >= result.nominal


def test_system_check_warns_when_the_setting_claims_a_year_the_package_lacks(settings):
    from core.checks import check_holiday_calendar

    settings.HOLIDAYS_CONFIRMED_THROUGH = calendar.last_official_year_in_package()
    assert check_holiday_calendar() == []
    settings.HOLIDAYS_CONFIRMED_THROUGH += 1
    [warning] = check_holiday_calendar()
    assert warning.id == "terminations.W001"


@pytest.mark.django_db
def test_the_explanation_names_the_estimated_make_up_days_it_rolled_over():
    result = notice_period_end(start=D(2027, 1, 6), period=1, unit="months")
    assert "其中2027-02-09、2027-02-10为按放假办法第六条推定的补假日" in result.explanation_zh
    assert "2027-02-09, 2027-02-10 are make-up rest days estimated" in result.explanation_en
    official = notice_period_end(start=D(2026, 9, 1), period=30, unit="days")
    assert "推定" not in official.explanation_zh
