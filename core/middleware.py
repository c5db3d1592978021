"""Pages that show case data are kept by no browser cache or proxy (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from core.downloads import CACHE_CONTROL


class PrivatePagesMiddleware:
    """Every page the desk renders says ``Cache-Control: private, no-store`` unless its view set
    its own: a shared or back-button copy of a case page would outlive the reader's log-in and
    role. Static files never reach here (WhiteNoise answers them first, with long caching)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = CACHE_CONTROL
        return response
