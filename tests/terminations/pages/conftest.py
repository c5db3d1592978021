"""Helpers for the case-page tests: cases opened through the service, then placed in a stage."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from terminations.models import CaseEvent, Stage, TerminationCase
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory, ShopProfileFactory

NOON = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def shop(db):
    return ShopProfileFactory()


def open_case(*, by, partner=None, contract=None, stage: str | None = None, **fields):
    """A case opened through case_open (with its checklist and OPENED event); `stage` and other
    fields are then set directly, as test set-up only."""
    from terminations.services.cases import case_open

    if partner is None and contract is None:
        contract = ContractFactory()
    if partner is None:
        partner = contract.partner
    case = case_open(
        partner=partner, contract=contract, reason_category="poor_results", opened_by=by
    )
    if stage or fields:
        TerminationCase.objects.filter(pk=case.pk).update(
            **({"stage": stage} if stage else {}), **fields
        )
        case.refresh_from_db()
    return case


def add_events(case, n: int, actor=None) -> None:
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, actor=actor, kind=CaseEvent.Kind.NOTE, message=f"note {i}")
        for i in range(n)
    )


__all__ = [
    "NOON",
    "ContractFactory",
    "CreatorFactory",
    "PartnerFactory",
    "Stage",
    "add_events",
    "open_case",
]
