"""Personas built once: a staff member, a manager, a viewer, a user in no group, and the
anonymous visitor; plus clients logged in as each."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from core import roles


def pytest_configure(config) -> None:
    """WhiteNoise serves STATIC_ROOT and warns on every request when the folder is missing
    (a fresh clone has not run collectstatic); the finders serve the files in development."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)


def restore_role_groups() -> None:
    """Create the three role groups with their permissions, as the data migrations did.

    A transactional test (the browser journeys, the concurrency tests) ends by flushing every
    table, the groups included; on PostgreSQL the content types then come back with new ids.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    # The migration helper clears `models_module` on the app configs it is given (meant for
    # historical apps); on the live registry that must be put back.
    saved = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        roles.sync_group_permissions(apps)
    finally:
        for config in apps.get_app_configs():
            config.models_module = saved[config.label]


def role_group(name: str) -> Group:
    """The role group, put back first if a transactional test flushed it."""
    if not Group.objects.filter(name=name).exists():
        restore_role_groups()
    return Group.objects.get(name=name)


def _user(username: str, group: str | None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.com"
    )
    if group:
        user.groups.add(role_group(group))
    return user


@pytest.fixture(autouse=True)
def _isolated_media_and_fast_hashing(settings, tmp_path):
    """Each test writes uploads into its own folder; PBKDF2's deliberate slowness only costs time."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the interface's default language: a request through the test client
    leaves its language active in the thread, which would leak into the next test."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def staff_user(db) -> User:
    return _user("staff1", roles.STAFF)


@pytest.fixture
def manager_user(db) -> User:
    return _user("manager1", roles.MANAGERS)


@pytest.fixture
def viewer_user(db) -> User:
    return _user("viewer1", roles.VIEWERS)


@pytest.fixture
def nogroup_user(db) -> User:
    return _user("nobody1", None)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user) -> Client:
    return _client_for(staff_user)


@pytest.fixture
def manager_client(manager_user) -> Client:
    return _client_for(manager_user)


@pytest.fixture
def viewer_client(viewer_user) -> Client:
    return _client_for(viewer_user)


@pytest.fixture
def nogroup_client(nogroup_user) -> Client:
    return _client_for(nogroup_user)


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _fresh_holiday_calendar():
    """Calendar years entered in one test's (rolled-back) transaction must not leak into the next."""
    from terminations.rules import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def timestamp_server():
    """An RFC 3161 timestamp server on loopback (pyHanko's test timestamper)."""
    from tests.signing_certs import running_timestamp_server

    with running_timestamp_server() as server:
        yield server


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the "letters" and "default" mailers send to it."""
    from tests.mail_server import MailServer

    server = MailServer().start()
    settings.MAILERS = {**settings.MAILERS, "letters": server.mailer(), "default": server.mailer()}
    yield server
    server.stop()
