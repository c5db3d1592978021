"""A real S3 API server on loopback for the object-storage tests: moto's standalone server,
started once per test session on a free port and stopped by its own process id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest

from core.storage_url import storage_from_url

KEYS = {"AWS_ACCESS_KEY_ID": "desk-test-key", "AWS_SECRET_ACCESS_KEY": "desk-test-secret"}
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """http://127.0.0.1:PORT of a fresh moto server, for the whole session."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **KEYS},
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                pytest.fail(f"moto_server exited with {server.returncode}: {log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not answer on port {port}: {log.read_text()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(server.pid, 15)  # our own server, by its id
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, 9)
            server.wait()


@pytest.fixture
def s3_keys(monkeypatch):
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)


def make_bucket(endpoint: str) -> str:
    import boto3

    name = f"desk-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_client_keys()).create_bucket(
        Bucket=name
    )
    return name


def _client_keys() -> dict[str, str]:
    return {
        "aws_access_key_id": KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": KEYS["AWS_SECRET_ACCESS_KEY"],
    }


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_client_keys())


def bucket_url(endpoint: str, bucket: str, prefix: str = "") -> str:
    return f"s3://{bucket}/{prefix}?endpoint_url={endpoint}&region={REGION}&addressing_style=path"


@pytest.fixture
def bucket(s3_endpoint, s3_keys) -> str:
    """A new, empty bucket of its own for one test."""
    return make_bucket(s3_endpoint)


@pytest.fixture
def bucket_storage(settings, s3_endpoint, bucket):
    """The desk configured as DJANGO_STORAGE_URL=s3://… would configure it, on a fresh bucket
    (under a prefix, as an installation sharing a bucket would)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_url(bucket_url(s3_endpoint, bucket, "desk")),
    }
    return bucket
