from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    """Services reason about 'today' (Asia/Shanghai): 2026-06-01, a Monday, in a confirmed year."""
    with time_machine.travel(NOW, tick=False):
        yield NOW.date()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas are created per test; PBKDF2's deliberate slowness only costs time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in English; the interface's default is Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield
