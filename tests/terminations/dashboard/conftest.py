"""Helpers that build cases directly (the dashboard reads what services write)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from terminations.models import HandoverItem, Stage, TerminationCase
from tests.factories import ContractFactory, PartnerFactory

TODAY = datetime.date(2026, 6, 1)
NOW = datetime.datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_refs = itertools.count(1)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


def make_case(*, stage=Stage.ASSESSMENT, owner=None, partner=None, contract=None, **fields):
    partner = partner or PartnerFactory()
    if contract is None and fields.pop("with_contract", True):
        contract = ContractFactory(partner=partner)
    fields.setdefault("reason_category", "poor_results")
    return TerminationCase.objects.create(
        reference=f"T-2026-{next(_refs):05d}",
        partner=partner,
        contract=contract,
        owner=owner,
        stage=stage,
        **fields,
    )


def make_item(case, *, due, status=HandoverItem.Status.OPEN, owner=None, title="改密码"):
    extra = {} if status == HandoverItem.Status.OPEN else {"completed_at": timezone.now()}
    return HandoverItem.objects.create(
        case=case, title=title, due_date=due, status=status, owner=owner, **extra
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
