"""The client address recorded as evidence and used for throttling (core/net.py)."""

import pytest
from django.test import RequestFactory

from core.net import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "203.0.113.7", "198.51.100.1"),  # no proxy trusted: the header lies
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own entry ignored
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "10.0.0.2", None, "10.0.0.2"),  # not through the proxy: the direct peer
        (2, "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # fewer hops than configured
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", " 2001:db8::1 ", "2001:db8::1"),
        (0, "", None, None),
    ],
)
def test_client_ip(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(remote, forwarded)) == expected
