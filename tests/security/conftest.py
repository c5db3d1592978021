"""Shared pieces of the hostile-use tests: a frozen "today", the shop profile, English pages,
helpers to read flashed messages and to put a case where a test needs it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.html import escape

from terminations.models import HandoverItem, TerminationCase
from tests.factories import ContractFactory, ShopProfileFactory

NOON = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))

# Every markup payload at once: HTML, an attribute break-out, and Django template syntax.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CURLY = "{{7*7}}"
TAG = "{% debug %}"
PAYLOAD = f"{SCRIPT}{IMG}{CURLY}{TAG}"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def shop(db):
    return ShopProfileFactory()


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def open_case(*, by, partner=None, contract=None, stage: str | None = None, **fields):
    """A case opened through case_open (checklist, OPENED event); the stage and other fields are
    then placed directly, as test set-up only."""
    from terminations.services import case_open

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


def first_item(case: TerminationCase) -> HandoverItem:
    return case.handover_items.order_by("pk").first()


def refusal_messages(response) -> list[str]:
    """What the user is told when input is refused: flashed errors on a redirect, or the errors
    of the bound form(s) on a page shown again (200 or 400)."""
    from django import forms

    if response.status_code == 302:
        return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert response.status_code in (200, 400), response.status_code
    found: list[str] = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                found += [str(e) for errors in value.errors.values() for e in errors]
    content = response.content.decode()
    assert all(escape(message) in content for message in found[:1]), found
    return found
