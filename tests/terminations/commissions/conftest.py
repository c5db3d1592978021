"""Creator cases whose commissions the platform settles: 'today' is 2026-06-01 (Asia/Shanghai);
the cooperation ended on 2026-05-31. SAMPLE is the committed order export, made of exactly the
eight fields the import reads."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from terminations.models import Stage, TerminationCase
from tests.terminations.factories import open_case

NOW = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
END = date(2026, 5, 31)
SAMPLE = Path(__file__).with_name("sample_order_export.csv")
SAMPLE_ORDERS = [f"691234567890123450{i}" for i in range(1, 6)]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


def place(case: TerminationCase, stage: str, end_date: date | None = END) -> TerminationCase:
    """Test set-up only: put the case in a stage with an end date."""
    TerminationCase.objects.filter(pk=case.pk).update(stage=stage, end_date=end_date)
    case.refresh_from_db()
    return case


@pytest.fixture
def creator_case(staff_user) -> TerminationCase:
    return place(open_case(by=staff_user, creator=True), Stage.REVIEW)


@pytest.fixture
def agency_case(staff_user) -> TerminationCase:
    return place(open_case(by=staff_user), Stage.REVIEW)


@pytest.fixture
def staff_client(staff_client):
    """The pages in English, so that the assertions read the msgids (the site defaults to
    Chinese)."""
    staff_client.cookies["django_language"] = "en"
    return staff_client


@pytest.fixture
def manager_client(manager_client):
    manager_client.cookies["django_language"] = "en"
    return manager_client


@pytest.fixture
def viewer_client(viewer_client):
    viewer_client.cookies["django_language"] = "en"
    return viewer_client
