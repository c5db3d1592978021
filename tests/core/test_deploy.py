import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "desk.example.com",
        "DJANGO_FIELD_ENCRYPTION_KEY": "Vw1ZfO3I9cQmS0yWnS2m2sZ5o7kB0rVn6kJw9fQm3hE=",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests allow sync ORM calls inside Playwright's event loop; the check would
    # rightly warn about that setting in production (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "desk.example.com"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_nonsense_boolean_fails_loudly():
    env = {**os.environ, "DJANGO_DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def _production_env(**extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_FIELD_ENCRYPTION_KEY"}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-0123456789",
        DJANGO_ALLOWED_HOSTS="desk.example.com",
        **extra,
    )
    return env


def test_production_without_a_field_encryption_key_fails_the_system_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "partners.E001" in result.stderr
    assert "DJANGO_FIELD_ENCRYPTION_KEY" in result.stderr


def test_a_field_encryption_key_that_is_not_a_fernet_key_fails_loudly():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(DJANGO_FIELD_ENCRYPTION_KEY="not-a-key"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEY" in result.stderr
