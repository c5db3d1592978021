"""`manage.py notice_end`: the end date on the first line, the explanation after."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import CalendarDay, CalendarYear


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("notice_end", *args, stdout=out)
    return out.getvalue().splitlines()


def test_national_day_roll_in_english():
    lines = _run("--arrival", "2026-09-01", "--period", "30", "--unit", "days", "--lang", "en")
    assert lines[0] == "2026-10-08"
    text = "\n".join(lines[1:])
    assert "2026-10-01" in text and "rolled to 2026-10-08" in text
    assert "UNCONFIRMED" not in text


def test_chinese_explanation_by_default():
    lines = _run("--arrival", "2026-09-01", "--period", "30", "--unit", "days")
    assert lines[0] == "2026-10-08"
    assert "顺延至2026-10-08" in "\n".join(lines[1:])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--arrival", "2026-01-15", "--period", "30", "--unit", "days"), "2026-02-14"),
        (("--arrival", "2026-03-06", "--period", "30", "--unit", "days"), "2026-04-07"),
        (("--arrival", "2026-02-10", "--period", "10", "--unit", "workdays"), "2026-03-02"),
        (("--arrival", "2026-01-31", "--period", "1", "--unit", "months"), "2026-02-28"),
        (
            ("--arrival", "2026-09-01", "--period", "30", "--unit", "days", "--no-roll"),
            "2026-10-01",
        ),
        (
            (
                "--arrival",
                "2026-09-01",
                "--period",
                "30",
                "--unit",
                "days",
                "--from-dispatch",
                "--first-day-counts",
            ),
            "2026-09-30",
        ),
    ],
)
def test_options(args, expected):
    assert _run(*args)[0] == expected


@pytest.mark.django_db
def test_unpublished_year_is_a_labelled_best_estimate():
    lines = _run("--arrival", "2027-09-01", "--period", "30", "--unit", "days", "--lang", "en")
    assert lines[0] == "2027-10-06"
    assert any(line.startswith("Best estimate") and "2027" in line for line in lines)
    chinese = _run("--arrival", "2026-12-01", "--period", "1", "--unit", "months")
    assert chinese[0] == "2027-01-04"
    assert any(line.startswith("最佳估计：2027年") for line in chinese)


@pytest.mark.django_db
def test_confirmed_2027_from_the_calendar_table():
    for day in range(1, 8):
        CalendarDay.objects.create(
            day=f"2027-10-0{day}", kind=CalendarDay.Kind.HOLIDAY, name="国庆节"
        )
    CalendarYear.objects.create(year=2027)
    lines = _run("--arrival", "2027-09-01", "--period", "30", "--unit", "days", "--lang", "en")
    assert lines[0] == "2027-10-08"
    assert "UNCONFIRMED" not in "\n".join(lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--arrival", "2026-09-01", "--period", "0", "--unit", "days"), "at least 1"),
        (("--arrival", "2026-09-01", "--period", "-1", "--unit", "days"), "at least 1"),
        (("--arrival", "2026-09-01", "--period", "ten", "--unit", "days"), "whole number"),
        (("--arrival", "2026-09-01", "--period", "3", "--unit", "weeks"), "Unknown period unit"),
        (("--arrival", "2026-13-01", "--period", "3", "--unit", "days"), "not a date"),
        (("--arrival", "01/09/2026", "--period", "3", "--unit", "days"), "not a date"),
        (("--arrival", "9999-12-30", "--period", "30", "--unit", "days"), "outside the range"),
        (
            ("--arrival", "2026-09-01", "--period", "3", "--unit", "days", "--lang", "fr"),
            "zh-hans or en",
        ),
        (("--period", "3", "--unit", "days"), "--arrival"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args, "--lang", "en") if "--lang" not in args else _run(*args)


def test_bad_input_from_the_shell_exits_non_zero_without_a_traceback():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "notice_end",
            "--arrival",
            "2026-09-01",
            "--period",
            "0",
            "--unit",
            "days",
            "--lang",
            "en",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "at least 1" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.django_db
def test_an_unmigrated_database_is_a_clear_error_not_a_traceback():
    from django.db import connection

    with connection.cursor() as cursor:  # rolled back with the test's transaction
        for model in (CalendarDay, CalendarYear):
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(model._meta.db_table)}")
    with pytest.raises(CommandError, match=r"python manage\.py migrate"):
        _run("--arrival", "2027-09-20", "--period", "10", "--unit", "days", "--lang", "en")
