"""A refused request is one log line without a traceback; a server error keeps its traceback."""

import io
import logging

import pytest
from django.urls import reverse

from core.logging import ClientErrorsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden", None, sys.exc_info()
        )
    record.status_code = status
    return record


def test_client_errors_lose_their_traceback_server_errors_keep_it():
    keep = ClientErrorsWithoutTraceback()
    refused = _record(403)
    assert keep.filter(refused) and refused.exc_info is None
    failed = _record(500)
    assert keep.filter(failed) and failed.exc_info is not None


@pytest.mark.django_db
def test_a_403_is_logged_once_without_a_traceback(viewer_client, settings):
    # Django's own console handler would print each record a second time: "django" records go
    # through our handler only.
    assert settings.LOGGING["loggers"]["django"] == {
        "handlers": ["stdout"],
        "level": "INFO",
        "propagate": False,
    }
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ClientErrorsWithoutTraceback())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = viewer_client.get(reverse("terminations:my_work"))
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 403
    out = stream.getvalue()
    assert out.count("Forbidden") == 1, out
    assert "Traceback" not in out
