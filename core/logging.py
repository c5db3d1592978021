"""Logging helpers wired in config/settings.py."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (a 4xx: 403, 404, 405, 400) is one line at WARNING: what was refused and
    where, without the traceback of the exception that produced it; real errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
