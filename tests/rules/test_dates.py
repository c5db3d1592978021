"""Notice-period dates: the worked examples of DOMAIN.md §4 and the official 2025/2026 arrangements.

Every expectation below was checked against the `holidays` package's China data (the State
Council notices for 2025 and 2026) before being written down; see
test_official_arrangements_as_assumed for the facts the table relies on.
"""

import json
from datetime import date, timedelta

import pytest
from django.utils import translation

from core.models import CalendarDay, CalendarYear
from terminations.rules import calendar
from terminations.rules.dates import (
    DateResult,
    RulesError,
    add_months,
    counting_start_for_contract,
    notice_end_for_contract,
    notice_period_end,
    renewal_cutoff_for_contract,
    renewal_notice_deadline,
    right_to_terminate_applies,
    right_to_terminate_lapses,
)
from tests.factories import ContractFactory

D = date


def test_official_arrangements_as_assumed():
    """The facts of the 2025 and 2026 State Council notices the tables below rely on."""
    rest_2025 = [
        D(2025, 1, 1),
        *[D(2025, 1, 28) + timedelta(days=i) for i in range(8)],  # Spring Festival 1/28–2/4
        *[D(2025, 4, 4) + timedelta(days=i) for i in range(3)],  # Qingming 4/4–4/6
        *[D(2025, 5, 1) + timedelta(days=i) for i in range(5)],  # Labour Day 5/1–5/5
        *[D(2025, 5, 31) + timedelta(days=i) for i in range(3)],  # Dragon Boat 5/31–6/2
        *[D(2025, 10, 1) + timedelta(days=i) for i in range(8)],  # National Day 10/1–10/8
    ]
    makeup_2025 = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
    rest_2026 = [
        *[D(2026, 1, 1) + timedelta(days=i) for i in range(3)],  # New Year 1/1–1/3
        *[D(2026, 2, 15) + timedelta(days=i) for i in range(9)],  # Spring Festival 2/15–2/23
        *[D(2026, 4, 4) + timedelta(days=i) for i in range(3)],  # Qingming 4/4–4/6
        *[D(2026, 5, 1) + timedelta(days=i) for i in range(5)],  # Labour Day 5/1–5/5
        *[D(2026, 6, 19) + timedelta(days=i) for i in range(3)],  # Dragon Boat 6/19–6/21
        *[D(2026, 9, 25) + timedelta(days=i) for i in range(3)],  # Mid-Autumn 9/25–9/27
        *[D(2026, 10, 1) + timedelta(days=i) for i in range(7)],  # National Day 10/1–10/7
    ]
    makeup_2026 = [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    for day in rest_2025 + rest_2026:
        assert calendar.is_rest_day(day), day
    for day in makeup_2025 + makeup_2026:
        assert day.weekday() >= 5 and calendar.is_working_day(day), day
    for year, rest, makeup in ((2025, rest_2025, makeup_2025), (2026, rest_2026, makeup_2026)):
        assert calendar.year_confirmed(year)
        day = D(year, 1, 1)
        while day.year == year:
            expected_rest = day in rest or (day.weekday() >= 5 and day not in makeup)
            assert calendar.is_rest_day(day) is expected_rest, day
            day += timedelta(days=1)


# (start, period, unit, options, nominal, end)
EXAMPLES = [
    # DOMAIN.md §4
    (D(2026, 1, 15), 30, "days", {}, D(2026, 2, 14), D(2026, 2, 14)),  # make-up Saturday
    (D(2026, 9, 1), 30, "days", {}, D(2026, 10, 1), D(2026, 10, 8)),  # National Day
    (D(2026, 3, 6), 30, "days", {}, D(2026, 4, 5), D(2026, 4, 7)),  # Qingming
    (D(2026, 2, 10), 10, "workdays", {}, D(2026, 3, 2), D(2026, 3, 2)),  # across Spring Festival
    (D(2026, 1, 31), 1, "months", {}, D(2026, 2, 28), D(2026, 2, 28)),  # clamp (make-up Sat)
    (D(2024, 2, 29), 12, "months", {}, D(2025, 2, 28), D(2025, 2, 28)),  # leap day
    # 2025: every holiday block
    (D(2024, 12, 2), 30, "days", {}, D(2025, 1, 1), D(2025, 1, 2)),  # New Year
    (D(2025, 1, 1), 30, "days", {}, D(2025, 1, 31), D(2025, 2, 5)),  # Spring Festival
    (D(2024, 12, 27), 30, "days", {}, D(2025, 1, 26), D(2025, 1, 26)),  # make-up Sunday
    (D(2025, 1, 9), 30, "days", {}, D(2025, 2, 8), D(2025, 2, 8)),  # make-up Saturday
    (D(2025, 3, 5), 30, "days", {}, D(2025, 4, 4), D(2025, 4, 7)),  # Qingming
    (D(2025, 4, 1), 30, "days", {}, D(2025, 5, 1), D(2025, 5, 6)),  # Labour Day
    (D(2025, 3, 28), 30, "days", {}, D(2025, 4, 27), D(2025, 4, 27)),  # make-up Sunday
    (D(2025, 5, 1), 30, "days", {}, D(2025, 5, 31), D(2025, 6, 3)),  # Dragon Boat
    (D(2025, 9, 1), 30, "days", {}, D(2025, 10, 1), D(2025, 10, 9)),  # National Day + Mid-Autumn
    (D(2025, 8, 29), 30, "days", {}, D(2025, 9, 28), D(2025, 9, 28)),  # make-up Sunday
    (D(2025, 9, 11), 30, "days", {}, D(2025, 10, 11), D(2025, 10, 11)),  # make-up Saturday
    (D(2025, 9, 1), 1, "months", {}, D(2025, 10, 1), D(2025, 10, 9)),
    (D(2025, 8, 31), 1, "months", {}, D(2025, 9, 30), D(2025, 9, 30)),  # clamp
    (D(2025, 1, 24), 3, "workdays", {}, D(2025, 2, 5), D(2025, 2, 5)),  # counts make-up Sunday
    # 2026: every holiday block
    (D(2025, 12, 2), 30, "days", {}, D(2026, 1, 1), D(2026, 1, 4)),  # rolls to make-up Sunday
    (D(2025, 12, 5), 30, "days", {}, D(2026, 1, 4), D(2026, 1, 4)),
    (D(2026, 1, 17), 30, "days", {}, D(2026, 2, 16), D(2026, 2, 24)),  # Spring Festival
    (D(2026, 1, 29), 30, "days", {}, D(2026, 2, 28), D(2026, 2, 28)),  # make-up Saturday
    (D(2026, 1, 30), 30, "days", {}, D(2026, 3, 1), D(2026, 3, 2)),  # plain Sunday
    (D(2026, 4, 1), 30, "days", {}, D(2026, 5, 1), D(2026, 5, 6)),  # Labour Day
    (D(2026, 4, 9), 30, "days", {}, D(2026, 5, 9), D(2026, 5, 9)),  # make-up Saturday
    (D(2026, 5, 20), 30, "days", {}, D(2026, 6, 19), D(2026, 6, 22)),  # Dragon Boat
    (D(2026, 8, 26), 30, "days", {}, D(2026, 9, 25), D(2026, 9, 28)),  # Mid-Autumn
    (D(2026, 8, 21), 30, "days", {}, D(2026, 9, 20), D(2026, 9, 20)),  # make-up Sunday
    (D(2026, 9, 10), 30, "days", {}, D(2026, 10, 10), D(2026, 10, 10)),  # make-up Saturday
    (D(2026, 5, 7), 30, "days", {}, D(2026, 6, 6), D(2026, 6, 8)),  # plain weekend
    (D(2026, 9, 1), 1, "months", {}, D(2026, 10, 1), D(2026, 10, 8)),
    (D(2026, 3, 31), 1, "months", {}, D(2026, 4, 30), D(2026, 4, 30)),  # clamp to 30th
    (D(2026, 5, 31), 1, "months", {}, D(2026, 6, 30), D(2026, 6, 30)),
    (D(2024, 1, 31), 1, "months", {}, D(2024, 2, 29), D(2024, 2, 29)),  # leap-year clamp
    (D(2023, 12, 31), 2, "months", {}, D(2024, 2, 29), D(2024, 2, 29)),
    (D(2024, 2, 29), 1, "months", {}, D(2024, 3, 29), D(2024, 3, 29)),  # not month-end
    (D(2026, 2, 12), 5, "workdays", {}, D(2026, 2, 26), D(2026, 2, 26)),  # across Spring Fest.
    (D(2025, 9, 30), 1, "workdays", {}, D(2025, 10, 9), D(2025, 10, 9)),  # across National Day
    (D(2026, 10, 9), 1, "workdays", {}, D(2026, 10, 10), D(2026, 10, 10)),  # make-up Saturday
    # contract overrides (art. 204)
    (D(2026, 9, 1), 30, "days", {"roll": False}, D(2026, 10, 1), D(2026, 10, 1)),
    (D(2026, 9, 2), 30, "days", {"first_day_counts": True}, D(2026, 10, 1), D(2026, 10, 8)),
    (D(2026, 9, 1), 30, "days", {"counted_from": "dispatch"}, D(2026, 10, 1), D(2026, 10, 8)),
    (
        D(2026, 9, 1),
        30,
        "days",
        {"counted_from": "dispatch", "first_day_counts": True},
        D(2026, 9, 30),
        D(2026, 9, 30),
    ),
    (D(2026, 1, 15), 1, "months", {"first_day_counts": True}, D(2026, 2, 14), D(2026, 2, 14)),
    (D(2026, 3, 1), 1, "months", {"first_day_counts": True}, D(2026, 3, 31), D(2026, 3, 31)),
    (D(2026, 1, 31), 1, "months", {"first_day_counts": True}, D(2026, 2, 28), D(2026, 2, 28)),
    (D(2026, 2, 10), 10, "workdays", {"first_day_counts": True}, D(2026, 2, 28), D(2026, 2, 28)),
]


@pytest.mark.parametrize(("start", "period", "unit", "options", "nominal", "end"), EXAMPLES)
def test_worked_examples(start, period, unit, options, nominal, end):
    result = notice_period_end(start=start, period=period, unit=unit, **options)
    assert (result.nominal, result.end) == (nominal, end)
    assert result.rolled is (end != nominal)
    assert result.confirmed
    assert result.estimated_years == ()
    assert end.isoformat() in result.explanation_en
    assert end.isoformat() in result.explanation_zh
    assert "24:00" in result.explanation_en


def test_explanation_of_the_national_day_roll():
    result = notice_period_end(start=D(2026, 9, 1), period=30, unit="days")
    assert result.rule == "民法典第201、203条"
    en = result.explanation_en
    assert en.startswith("Arrival 2026-09-01 + 30 calendar days")
    assert "2026-10-01 (Thursday, a public holiday: National Day)" in en
    assert "rolled to 2026-10-08" in en
    zh = result.explanation_zh
    assert "到达日2026-09-01" in zh and "国庆节" in zh and "顺延至2026-10-08" in zh


def test_make_up_saturday_is_explained_and_not_rolled():
    result = notice_period_end(start=D(2026, 1, 15), period=30, unit="days")
    assert "make-up working day" in result.explanation_en
    assert "调休上班" in result.explanation_zh
    assert not result.rolled


def test_overrides_are_cited_as_art_204():
    assert "204" in notice_period_end(start=D(2026, 9, 1), period=30, unit="days", roll=False).rule
    dispatch = notice_period_end(
        start=D(2026, 9, 1), period=30, unit="days", counted_from="dispatch"
    )
    assert dispatch.explanation_en.startswith("Dispatch 2026-09-01")
    assert "发出日" in dispatch.explanation_zh
    assert "202" in notice_period_end(start=D(2026, 1, 31), period=1, unit="months").rule


def test_explanation_follows_the_active_language():
    result = notice_period_end(start=D(2026, 9, 1), period=30, unit="days")
    with translation.override("en"):
        assert result.explanation == result.explanation_en
    with translation.override("zh-hans"):
        assert result.explanation == result.explanation_zh


def test_as_dict_is_json_safe():
    result = notice_period_end(start=D(2026, 9, 1), period=30, unit="days")
    data = json.loads(json.dumps(result.as_dict()))
    assert data["end"] == "2026-10-08"
    assert data["nominal"] == "2026-10-01"
    assert data["rolled"] is True and data["confirmed"] is True
    assert data["explanation_zh"] == result.explanation_zh


def test_date_result_is_frozen():
    result = notice_period_end(start=D(2026, 9, 1), period=30, unit="days")
    assert isinstance(result, DateResult)
    with pytest.raises(AttributeError):
        result.end = D(2026, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": 0, "unit": "days"}, "at least 1"),
        ({"period": -3, "unit": "days"}, "at least 1"),
        ({"period": 30, "unit": "weeks"}, "Unknown period unit"),
        ({"period": 30, "unit": "days", "counted_from": "signature"}, "arrival or from dispatch"),
        ({"period": 99999, "unit": "days"}, "at most"),
        ({"period": 1.5, "unit": "days"}, "whole number"),
    ],
)
def test_bad_input_raises_rules_error(kwargs, message):
    with translation.override("en"), pytest.raises(RulesError, match=message):
        notice_period_end(start=D(2026, 9, 1), **kwargs)


def test_dates_out_of_range_raise_rules_error():
    with pytest.raises(RulesError):
        notice_period_end(start=D(9999, 12, 1), period=60, unit="days", roll=False)
    with pytest.raises(RulesError):
        notice_period_end(start=D(9999, 12, 1), period=2, unit="months", roll=False)


def test_add_months_clamps_both_ways():
    assert add_months(D(2026, 3, 31), -1) == (D(2026, 2, 28), True)
    assert add_months(D(2026, 1, 15), 13) == (D(2027, 2, 15), False)
    assert add_months(D(2026, 12, 31), 2) == (D(2027, 2, 28), True)


# --- auto-renewal cut-off -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term_end", "period", "unit", "nominal", "end"),
    [
        (D(2026, 10, 31), 30, "days", D(2026, 10, 1), D(2026, 9, 30)),  # National Day: earlier
        (D(2026, 3, 19), 30, "days", D(2026, 2, 17), D(2026, 2, 14)),  # to a make-up Saturday
        (D(2026, 3, 8), 30, "days", D(2026, 2, 6), D(2026, 2, 6)),  # working day: stays
        (D(2026, 6, 7), 30, "days", D(2026, 5, 8), D(2026, 5, 8)),
        (D(2026, 10, 31), 1, "months", D(2026, 9, 30), D(2026, 9, 30)),
        (D(2026, 3, 31), 1, "months", D(2026, 2, 28), D(2026, 2, 28)),  # clamp, make-up Sat
        (D(2026, 5, 3), 1, "months", D(2026, 4, 3), D(2026, 4, 3)),
        (D(2026, 10, 31), 10, "workdays", D(2026, 10, 18), D(2026, 10, 16)),
        (D(2026, 3, 6), 5, "workdays", D(2026, 3, 1), D(2026, 2, 28)),  # to a make-up Sat
    ],
)
def test_renewal_notice_deadline(term_end, period, unit, nominal, end):
    result = renewal_notice_deadline(term_end=term_end, period=period, unit=unit)
    assert (result.nominal, result.end) == (nominal, end)
    assert result.end <= result.nominal
    assert result.rolled is (end != nominal)
    assert calendar.is_working_day(result.end)
    assert result.confirmed
    if result.rolled:
        assert "earlier" in result.explanation_en and "提前" in result.explanation_zh


def test_renewal_workdays_cutoff_really_is_in_time():
    result = renewal_notice_deadline(term_end=D(2026, 10, 31), period=10, unit="workdays")
    forward = notice_period_end(start=result.end, period=10, unit="workdays")
    assert forward.end <= D(2026, 10, 31)


@pytest.mark.django_db
def test_renewal_cutoff_for_contract_uses_the_non_renewal_period():
    contract = ContractFactory(
        auto_renews=True, end_date=D(2026, 10, 31), non_renewal_period=1, non_renewal_unit="months"
    )
    assert renewal_cutoff_for_contract(contract).end == D(2026, 9, 30)
    contract.non_renewal_period = None
    contract.notice_period, contract.notice_unit = 30, "days"
    assert renewal_cutoff_for_contract(contract).end == D(2026, 9, 30)
    contract.auto_renews = False
    assert renewal_cutoff_for_contract(contract) is None
    contract.auto_renews, contract.end_date = True, None
    assert renewal_cutoff_for_contract(contract) is None


# --- contracts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_notice_end_for_contract_uses_its_options_and_names_its_clauses():
    contract = ContractFactory(
        notice_period=30,
        notice_unit="days",
        notice_counted_from="dispatch",
        first_day_counts=True,
        roll_over_rest_days=False,
        clause_notice="12.1",
        clause_counting="15.3",
    )
    result = notice_end_for_contract(contract=contract, start=D(2026, 9, 2))
    assert (result.nominal, result.end, result.rolled) == (D(2026, 10, 1), D(2026, 10, 1), False)
    assert "clause 12.1" in result.explanation_en and "clause 15.3" in result.explanation_en
    assert "第12.1条" in result.explanation_zh
    assert result.explanation_en.startswith("Notice period under clause 12.1")


@pytest.mark.django_db
def test_notice_end_for_contract_defaults():
    contract = ContractFactory()
    result = notice_end_for_contract(contract=contract, start=D(2026, 9, 1))
    assert (result.nominal, result.end) == (D(2026, 10, 1), D(2026, 10, 8))


@pytest.mark.django_db
def test_counting_start_for_contract():
    contract = ContractFactory()
    kwargs = {"dispatched_on": D(2026, 9, 1), "arrived_on": D(2026, 9, 3)}
    assert counting_start_for_contract(contract=contract, **kwargs) == D(2026, 9, 3)
    contract.notice_counted_from = "dispatch"
    assert counting_start_for_contract(contract=contract, **kwargs) == D(2026, 9, 1)


# --- right to terminate (art. 564) --------------------------------------------------------


def test_right_to_terminate_lapses_after_one_year():
    result = right_to_terminate_lapses(known_on=D(2026, 3, 10))
    assert result.end == D(2027, 3, 10)
    assert result.rule == "民法典第564条第2款"
    assert result.confirmed and not result.rolled


def test_right_to_terminate_lapses_leap_day_clamps():
    assert right_to_terminate_lapses(known_on=D(2024, 2, 29)).end == D(2025, 2, 28)


def test_right_to_terminate_lapses_by_contract_limit_never_rolls():
    result = right_to_terminate_lapses(known_on=D(2026, 9, 1), limit_days=30)
    assert result.end == D(2026, 10, 1)  # a holiday, but the earlier date is the safe one
    assert result.rule == "民法典第564条第1款"
    assert "30 days" in result.explanation_en


def test_a_demand_for_a_decision_ends_the_right_after_a_reasonable_period(settings):
    settings.DECISION_DEMAND_REASONABLE_DAYS = 30
    result = right_to_terminate_lapses(known_on=D(2026, 3, 10), demanded_on=D(2026, 6, 1))
    assert result.end == D(2026, 7, 1)  # earlier than 2027-03-10
    assert "先届至者为准：2026-07-01" in result.explanation_zh
    assert "a judgement, not a statutory period" in result.explanation_en
    # A year that comes first still governs.
    late = right_to_terminate_lapses(known_on=D(2025, 6, 20), demanded_on=D(2026, 6, 1))
    assert late.end == D(2026, 6, 20)
    # The period is the setting's.
    assert right_to_terminate_lapses(
        known_on=None, demanded_on=D(2026, 6, 1), reasonable_days=60
    ).end == D(2026, 7, 31)


def test_a_contractual_limit_is_not_shortened_by_a_demand():
    result = right_to_terminate_lapses(
        known_on=D(2026, 9, 1), limit_days=90, demanded_on=D(2026, 9, 2)
    )
    assert result.end == D(2026, 11, 30) and result.rule == "民法典第564条第1款"


@pytest.mark.parametrize(
    ("basis", "convenience", "applies"),
    [
        ("breach", False, True),
        ("contractual", False, True),  # an agreed cause of termination
        ("contractual", True, False),  # a convenience right: at any time
        ("open_ended", False, False),
        ("entrustment", False, False),
        ("", False, True),
    ],
)
def test_which_rights_can_lapse(basis, convenience, applies):
    assert right_to_terminate_applies(basis=basis, convenience_right=convenience) is applies


def test_renewal_cut_off_cites_no_article_for_moving_earlier_and_counts_from_dispatch():
    result = renewal_notice_deadline(term_end=D(2026, 10, 31), period=30, unit="days")
    assert result.end == D(2026, 9, 30)
    assert "203" not in result.rule and "203" not in result.explanation_zh
    assert "法律未规定" in result.explanation_zh and "到达对方" in result.explanation_zh
    sent = renewal_notice_deadline(
        term_end=D(2026, 10, 31), period=30, unit="days", counted_from="dispatch"
    )
    assert sent.end == D(2026, 9, 30)
    assert "发出（合同约定自发出之日起算）" in sent.explanation_zh
    assert "must be sent (the contract counts from dispatch) by" in sent.explanation_en


@pytest.mark.parametrize("limit", [0, -1])
def test_right_to_terminate_bad_limit(limit):
    with pytest.raises(RulesError):
        right_to_terminate_lapses(known_on=D(2026, 9, 1), limit_days=limit)


# --- years without an official calendar (more in test_calendar_estimate.py) ------------------


@pytest.mark.django_db
def test_2027_without_calendar_year_is_a_best_estimate():
    result = notice_period_end(start=D(2027, 9, 1), period=30, unit="days")
    # 2027-10-01 (Fri) is National Day by law; 10-02/10-03 fall on the weekend and are made up
    # (estimated) on 10-04 and 10-05: the first working day is 10-06.
    assert (result.nominal, result.end, result.rolled) == (D(2027, 10, 1), D(2027, 10, 6), True)
    assert not result.confirmed
    assert result.estimated_years == (2027,)
    assert "最佳估计" in result.estimate_note_zh and "2027年" in result.estimate_note_zh
    assert "Best estimate" in result.estimate_note_en
    # The explanation is what a letter may quote: the note stays out of it.
    assert "最佳估计：" not in result.explanation_zh
    assert "Best estimate" not in result.explanation_en
    assert "法定节假日：国庆节" in result.explanation_zh


@pytest.mark.django_db
def test_2027_weekend_still_rolls_and_is_an_estimate():
    result = notice_period_end(start=D(2027, 2, 4), period=30, unit="days")
    assert (result.nominal, result.end) == (D(2027, 3, 6), D(2027, 3, 8))
    assert not result.confirmed


@pytest.mark.django_db
def test_cross_year_into_2027_is_an_estimate():
    result = notice_period_end(start=D(2026, 12, 2), period=30, unit="days")
    assert (result.nominal, result.end) == (D(2027, 1, 1), D(2027, 1, 4))
    assert not result.confirmed
    workdays = notice_period_end(start=D(2026, 12, 20), period=10, unit="workdays")
    assert not workdays.confirmed and workdays.estimated_years == (2027,)


@pytest.mark.django_db
def test_2027_without_roll_does_not_depend_on_the_calendar():
    result = notice_period_end(start=D(2027, 9, 1), period=30, unit="days", roll=False)
    assert result.confirmed
    assert result.estimate_note_zh == ""


@pytest.mark.django_db
def test_2027_rows_without_calendar_year_are_not_enough():
    CalendarDay.objects.create(day=D(2027, 10, 6), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    result = notice_period_end(start=D(2027, 9, 1), period=30, unit="days")
    assert not result.confirmed and result.end == D(2027, 10, 6)


def _enter_2027_national_day():
    for offset in range(7):
        CalendarDay.objects.create(
            day=D(2027, 10, 1) + timedelta(days=offset),
            kind=CalendarDay.Kind.HOLIDAY,
            name="国庆节",
        )
    CalendarDay.objects.create(day=D(2027, 9, 26), kind=CalendarDay.Kind.WORKDAY, name="调休")
    CalendarDay.objects.create(day=D(2027, 10, 9), kind=CalendarDay.Kind.WORKDAY, name="调休")
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")


@pytest.mark.django_db
def test_2027_confirmed_through_calendar_rows():
    _enter_2027_national_day()
    result = notice_period_end(start=D(2027, 9, 1), period=30, unit="days")
    assert (result.nominal, result.end, result.rolled) == (D(2027, 10, 1), D(2027, 10, 8), True)
    assert result.confirmed
    assert "国庆节" in result.explanation_zh
    assert "最佳估计" not in result.explanation_zh
    assert calendar.year_confirmed(2027)


@pytest.mark.django_db
def test_2027_make_up_days_from_calendar_rows():
    _enter_2027_national_day()
    sunday = notice_period_end(start=D(2027, 8, 27), period=30, unit="days")
    assert (sunday.nominal, sunday.end) == (D(2027, 9, 26), D(2027, 9, 26))
    assert sunday.confirmed
    # 9/30 + 2 working days: 10/1–10/7 rest, 10/8 (Fri) and the make-up Saturday 10/9.
    workdays = notice_period_end(start=D(2027, 9, 30), period=2, unit="workdays")
    assert workdays.end == D(2027, 10, 9)
    renewal = renewal_notice_deadline(term_end=D(2027, 11, 3), period=30, unit="days")
    assert (renewal.nominal, renewal.end) == (D(2027, 10, 4), D(2027, 9, 30))
    assert renewal.confirmed


@pytest.mark.django_db
def test_an_entered_arrangement_keeps_the_statutory_days_it_forgot():
    _enter_2027_national_day()  # enters only National Day
    assert calendar.is_rest_day(D(2027, 1, 1))  # 元旦, art. 2
    assert calendar.is_rest_day(D(2027, 6, 9))  # 端午节
    # ... but not the estimated make-up days: the entered arrangement decides those.
    assert calendar.is_working_day(D(2027, 5, 3))


@pytest.mark.django_db
def test_calendar_cache_is_per_year_and_cleared(django_assert_num_queries):
    with django_assert_num_queries(1):  # only CalendarYear: the year is an estimate
        for _ in range(50):
            calendar.is_working_day(D(2027, 5, 3))
    with django_assert_num_queries(0):
        for day in range(1, 29):
            calendar.is_working_day(D(2026, 2, day))
    _enter_2027_national_day()
    assert not calendar.is_working_day(D(2027, 10, 4))  # the cached estimate: 补假
    assert not calendar.year_confirmed(2027)
    calendar.clear_cache()
    assert not calendar.is_working_day(D(2027, 10, 4))
    assert calendar.year_confirmed(2027)
    assert calendar.is_working_day(D(2027, 5, 3))  # no longer the estimated 补假


def test_confirmed_through_setting_decides_the_source(settings):
    settings.HOLIDAYS_CONFIRMED_THROUGH = 2026
    assert calendar.year_calendar(2026).source == "holidays"
    assert calendar.year_calendar(2001).confirmed
