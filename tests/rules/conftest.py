import pytest

from terminations.rules import calendar


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Calendar years read from the database are cached per process; each test starts clean."""
    calendar.clear_cache()
    yield
    calendar.clear_cache()
