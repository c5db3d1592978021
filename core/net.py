"""The client's IP address as the desk records it (partner-page evidence, log-in throttling).

Behind a reverse proxy REMOTE_ADDR is the proxy's address. With `DJANGO_TRUSTED_PROXY_COUNT`
set to the number of proxies in front of the desk, each appending the address it received the
request from to `X-Forwarded-For` (nginx: `proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for;`), the client is the entry that many places from the right: the
entries to its left were written by the client itself and prove nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting exactly the configured proxies."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through the configured chain of proxies: the direct peer
    return _valid(forwarded[-count]) or remote
