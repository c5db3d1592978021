import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas are created per test; a fast hasher keeps this folder's tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
